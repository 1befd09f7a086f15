"""The verifier pool bounds every call: hangs time out, crashes are contained, order is kept.

These guarantees must hold on a loaded machine, so the tests run with CPU hogs (2 x nproc busy
loops) and assert exact verdicts instead of wall-clock margins: a quick job must never time
out because a worker was starting, was replaced, or the machine was busy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

import synlog
from synlog.errors import ScoringError, UnscorableError, WorkerStartError
from synlog.verifiers.pool import VerifierPool, _children_by_parent
from synlog.verifiers.verdict import Reason

FAULTY = "test_faulty_verifier"
IMPORTS = ["tests.helpers.faulty_tasks"]


def jobs(*answers):
    return [(FAULTY, "{}", f"<answer>{a}</answer>") for a in answers]


@pytest.fixture(scope="module")
def hogs():
    """2 x nproc processes spinning in a busy loop for the whole module, killed at teardown."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"], stdin=subprocess.DEVNULL)
             for _ in range(2 * (os.cpu_count() or 1))]
    try:
        yield procs
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait()


@pytest.fixture(scope="module")
def pool(hogs):
    with VerifierPool(workers=2, timeout=1.5, memory_mb=1024, imports=IMPORTS) as p:
        yield p


def test_hanging_verifier_yields_timeout_and_the_batch_completes(pool):
    verdicts = pool.score_many(jobs("a", "hang", "b", "c", "hang", "d"))
    assert [v.reason for v in verdicts] == [
        Reason.OK, Reason.TIMEOUT, Reason.OK, Reason.OK, Reason.TIMEOUT, Reason.OK,
    ]


def test_crashing_verifier_process_is_retried_then_yields_error_and_is_replaced(pool):
    verdicts = pool.score_many(jobs("x", "crash", "y"))
    assert [v.reason for v in verdicts] == [Reason.OK, Reason.ERROR, Reason.OK]
    assert "died 2 times" in verdicts[1].details["why"]
    assert pool.score_many(jobs("after"))[0].correct


def test_verifier_exception_becomes_error_verdict(pool):
    verdict = pool.score_many(jobs("raise"))[0]
    assert verdict.reason is Reason.ERROR and "verifier bug" in verdict.details["why"]


def test_memory_bomb_is_bounded_by_the_address_space_limit(pool):
    verdict = pool.score_many(jobs("memory"))[0]
    assert verdict.reason is Reason.ERROR


@pytest.mark.parametrize("job, match", [
    (("no_such_task", "{}", "<answer>1</answer>"), "job 1: unknown task 'no_such_task'.*imports="),
    ((FAULTY, "[1, 2]", "<answer>1</answer>"), "job 1: the problem .* JSON list, not an object"),
    ((FAULTY, "{oops", "<answer>1</answer>"), "job 1: the problem .* not valid JSON"),
    ((None, "{}", "<answer>1</answer>"), "job 1 has no task name"),
    ((FAULTY, 7, "<answer>1</answer>"), "job 1 .* the problem is a int"),
])
def test_a_job_no_task_can_judge_raises_and_never_scores_zero(pool, job, match):
    with pytest.raises(UnscorableError, match=match) as caught:
        pool.score_many([jobs("a")[0], job, jobs("b")[0]])
    assert caught.value.index == 1


def test_non_strict_scoring_puts_the_error_in_the_jobs_place(pool):
    out = pool.score_many([jobs("a")[0], ("no_such_task", "{}", "x"), jobs("b")[0]], strict=False)
    assert out[0].correct and out[2].correct
    assert isinstance(out[1], UnscorableError) and out[1].index == 1


def test_results_keep_input_order_over_many_jobs(pool):
    answers = [("hang" if i == 37 else f"ok{i}") for i in range(300)]
    verdicts = pool.score_many(jobs(*answers))
    assert len(verdicts) == 300
    assert [i for i, v in enumerate(verdicts) if not v.correct] == [37]
    assert verdicts[37].reason is Reason.TIMEOUT
    assert all(v.extraction == "tag" for i, v in enumerate(verdicts) if i != 37)


def test_pool_is_safe_to_call_from_threads(pool):
    out = {}

    def run(k):
        out[k] = pool.score_many(jobs(*[f"t{k}-{i}" for i in range(20)]))

    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(out) == 4
    assert all(len(v) == 20 and all(x.correct for x in v) for v in out.values())


def test_a_hang_then_30_quick_jobs_on_a_loaded_machine_is_exactly_one_timeout(hogs):
    """timeout=1 s with hogs running: a fresh pool (start-up takes longer than 1 s here), then a
    hang killed at its timeout, whose replacement starts while the 30 quick jobs run on the
    other worker or wait: only the hang times out."""
    with VerifierPool(workers=2, timeout=1.0, memory_mb=1024, imports=IMPORTS) as fresh:
        verdicts = fresh.score_many(jobs("hang", *[f"quick{i}" for i in range(30)]))
    assert [v.reason for v in verdicts] == [Reason.TIMEOUT] + [Reason.OK] * 30


@pytest.mark.slow  # about 10 s on a loaded machine; the hang and kill cases stay in the default run
def test_a_cascade_of_replacements_is_never_charged_to_the_jobs_after_them(hogs):
    """One worker, three hangs: after each, every queued job waits for the replacement to be
    ready (a start-up of seconds under load) and then gets its full second."""
    batch = [a for k in range(3) for a in ["hang", *[f"q{k}-{i}" for i in range(10)]]]
    with VerifierPool(workers=1, timeout=1.0, memory_mb=1024, imports=IMPORTS) as fresh:
        verdicts = fresh.score_many(jobs(*batch))
        assert fresh.workers_started == 4
    assert [v.reason is Reason.TIMEOUT for v in verdicts] == [a == "hang" for a in batch]
    assert sum(v.correct for v in verdicts) == 30


@pytest.mark.slow  # about 10 s on a loaded machine; the hang and kill cases stay in the default run
def test_a_tasks_warm_up_is_never_charged_to_its_first_job(hogs):
    """Task.warm_up (the sympy worker, a warm sandbox server) runs before the job's clock
    starts: a 2 s warm-up under a 1 s timeout, in a fresh worker and in its replacement after
    a hang, never turns a right answer into ``timeout``."""
    warm = [("test_slow_warm_up", "{}", "<answer>right</answer>")]
    with VerifierPool(workers=1, timeout=1.0, memory_mb=1024, imports=IMPORTS) as fresh:
        verdicts = fresh.score_many(warm + jobs("hang") + warm * 3)
    assert [v.reason for v in verdicts] == [Reason.OK, Reason.TIMEOUT, Reason.OK, Reason.OK, Reason.OK]


def test_workers_that_cannot_start_raise_with_the_workers_error(hogs):
    with VerifierPool(workers=1, imports=["tests.helpers.no_such_module"]) as broken:
        with pytest.raises(WorkerStartError, match="No module named 'tests.helpers.no_such_module'"):
            broken.score_many(jobs("a"))


def test_workers_that_keep_dying_raise_instead_of_yielding_verdicts(hogs, monkeypatch):
    from synlog.verifiers import pool as pool_module

    monkeypatch.setattr(pool_module, "MAX_DEATHS_IN_A_ROW", 2)  # each death costs a start-up
    with VerifierPool(workers=1, timeout=5, imports=IMPORTS) as dying:
        with pytest.raises(ScoringError, match="died 3 times in a row"):
            dying.score_many(jobs(*["crash"] * 2))
        assert dying.score_many(jobs("a"))[0].correct  # and it recovers


def test_inline_mode_scores_the_same_and_raises_the_same(pool):
    rows = list(synlog.generate("arithmetic", difficulty=1, n=5, seed=4))
    triples = [(r["task"], r["problem"], f"<answer>{r['answer']}</answer>") for r in rows]
    with VerifierPool(workers=0) as inline:
        assert [v.to_dict() for v in inline.score_many(triples)] == [v.to_dict() for v in pool.score_many(triples)]
        with pytest.raises(UnscorableError, match="unknown task"):
            inline.score_many([("no_such_task", "{}", "x")])


def sandbox_uid_processes(uids: set[int] | None = None) -> dict[int, int]:
    """Host pids running as a sandbox uid (the runs' uids start at resources.FIRST_UID), with
    their uids; only those running as one of ``uids`` when it is given."""
    from synlog.sandbox.resources import FIRST_UID

    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                uid = entry.stat().st_uid
            except OSError:
                continue
            if uid >= FIRST_UID and (uids is None or uid in uids):
                found[int(entry.name)] = uid
    return found


def _descendants(pid: int) -> set[int]:
    children, found, stack = _children_by_parent(), set(), [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def test_a_killed_jobs_sandbox_run_leaves_nothing(hogs):
    """A code_function answer that sleeps 30 s, killed at the pool's 2 s timeout (well before
    the harness's own 3 s deadline would report on it, so the pool's kill is what ends it): no
    process of the run survives its worker, the run made no work dir on the host (its files
    live in the jail's own tmpfs, gone with its namespace), and nothing of this pool is left in
    the system temp dir or the pools' parent dir.

    Other pools may live beside this one (another test module's, or another xdist worker's),
    so the test follows only what this pool made: its workers' dirs and the uids its run's
    processes ran as, seen while the run was alive."""
    pytest.importorskip("synlog.sandbox")
    row = synlog.generate("code_function", difficulty=1, n=1, seed=1)[0]
    function = json.loads(row["problem"])["function"]
    sleeper = f"<answer>\n```python\nimport time\ndef {function}(xs):\n    time.sleep(30)\n    return xs\n```\n</answer>"
    before = set(os.listdir(tempfile.gettempdir()))
    with VerifierPool(workers=1, timeout=2.0) as sandboxed:
        gold = sandboxed.score_many([(row["task"], row["problem"], f"<answer>{row['answer']}</answer>")])[0]
        if gold.reason is Reason.ERROR:
            pytest.skip(f"no working sandbox here: {gold.details}")
        assert gold.correct
        worker = sandboxed._workers[0]
        private = Path(worker.tmpdir)
        seen: list[str] = []
        run_uids: set[int] = set()
        stop = threading.Event()

        def watch():  # a jailed run makes no work dir on the host at all
            while not stop.is_set():
                if private.exists():
                    seen.extend(p.name for p in private.iterdir() if p.name.startswith("synlog-sbx-"))
                ours = _descendants(worker.proc.pid)
                run_uids.update(uid for pid, uid in sandbox_uid_processes().items() if pid in ours)
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            verdict = sandboxed.score_many([(row["task"], row["problem"], sleeper)])[0]
        finally:
            stop.set()
            watcher.join()
        assert verdict.reason is Reason.TIMEOUT, verdict
        assert not private.exists()
        pool_dirs = {Path(w.tmpdir) for w in sandboxed._workers} | {private}  # the respawned worker's too
    from synlog.sandbox import process

    if process.jail_mode() is not None:
        assert seen == [], "a jailed run made a work dir on the host"
    assert [d for d in pool_dirs if d.exists()] == [], "the pool left a worker dir behind"
    if os.geteuid() == 0:
        assert run_uids, "the watcher never saw the run's processes"
        deadline = time.monotonic() + 10
        while sandbox_uid_processes(run_uids) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert sandbox_uid_processes(run_uids) == {}, "a process of the killed run outlived it"
    deadline = time.monotonic() + 10  # other sandbox runs' work dirs come and go; a leak stays
    while _new_sandbox_dirs(before) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _new_sandbox_dirs(before) == set()


def _new_sandbox_dirs(before: set[str]) -> set[str]:
    return {e for e in os.listdir(tempfile.gettempdir()) if e.startswith("synlog-sbx-")} - before


BATCH_IMPORTS = ["tests.helpers.batch_task"]


@pytest.fixture(scope="module")
def batch_pool(hogs):
    from tests.helpers import batch_task

    with batch_task.registered(), VerifierPool(workers=2, timeout=1.5, memory_mb=1024,
                                               imports=BATCH_IMPORTS + IMPORTS, group_size=8) as p:
        yield p


def batch_jobs(problem, *answers):
    return [("test_batch_verifier", problem, f"<answer>{a}</answer>") for a in answers]


def test_batch_task_jobs_go_to_verify_many_in_groups_and_keep_their_order(batch_pool):
    answers = ["yes", "no"] * 10  # pass@20 of one problem
    verdicts = batch_pool.score_many(batch_jobs('{"q": 1}', *answers))
    assert [v.correct for v in verdicts] == [a == "yes" for a in answers]
    assert sorted(v.details["batch"] for v in verdicts) == [4] * 4 + [8] * 16  # groups of 8, 8, 4
    assert all(v.extraction == "tag" for v in verdicts)


def test_batch_groups_interleave_with_other_tasks_in_input_order(batch_pool):
    mixed = [batch_jobs('{"q": 1}', "yes")[0], (FAULTY, "{}", "<answer>raise</answer>"),
             batch_jobs('{"q": 2}', "no")[0], batch_jobs('{"q": 1}', "no")[0], (FAULTY, "{}", "<answer>x</answer>")]
    verdicts = batch_pool.score_many(mixed)
    assert [v.reason for v in verdicts] == [Reason.OK, Reason.ERROR, Reason.WRONG, Reason.WRONG, Reason.OK]
    assert verdicts[0].details["batch"] == 3  # the three batch jobs shared one call


def test_a_hanging_group_is_split_and_only_the_hanging_job_times_out(batch_pool):
    verdicts = batch_pool.score_many(batch_jobs('{"q": 1}', "yes", "hang", "no", "yes"))
    assert [v.reason for v in verdicts] == [Reason.OK, Reason.TIMEOUT, Reason.WRONG, Reason.OK]
    assert [v.details.get("batch") for v in verdicts] == [1, None, 1, 1]  # scored again one by one


def test_a_raising_batch_falls_back_to_one_by_one_verdicts(batch_pool):
    verdicts = batch_pool.score_many(batch_jobs('{"q": 1}', "yes", "raise", "no") + [
        ("test_batch_verifier", '{"q": 1}', "no answer tag here at all")])
    assert [v.reason for v in verdicts] == [Reason.OK, Reason.ERROR, Reason.WRONG, Reason.NO_ANSWER]
    assert verdicts[0].details["batch"] == 1
    assert "verifier bug" in verdicts[1].details["why"]
