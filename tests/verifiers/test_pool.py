"""The verifier pool bounds every call: hangs time out, crashes are contained, order is kept."""

from __future__ import annotations

import threading
import time

import pytest

from synlog.verifiers.pool import VerifierPool
from synlog.verifiers.verdict import Reason

FAULTY = "test_faulty_verifier"
IMPORTS = ["tests.helpers.faulty_tasks"]


def jobs(*answers):
    return [(FAULTY, "{}", f"<answer>{a}</answer>") for a in answers]


@pytest.fixture(scope="module")
def pool():
    with VerifierPool(workers=2, timeout=1.5, memory_mb=1024, imports=IMPORTS) as p:
        yield p


def test_hanging_verifier_yields_timeout_and_the_batch_completes(pool):
    started = time.monotonic()
    verdicts = pool.score_many(jobs("a", "hang", "b", "c", "hang", "d"))
    elapsed = time.monotonic() - started
    assert [v.reason for v in verdicts] == [
        Reason.OK, Reason.TIMEOUT, Reason.OK, Reason.OK, Reason.TIMEOUT, Reason.OK,
    ]
    assert elapsed < 1.5 * 2 + 4  # two timeouts, possibly in parallel, plus worker restarts


def test_crashing_verifier_process_yields_error_and_is_replaced(pool):
    verdicts = pool.score_many(jobs("x", "crash", "y"))
    assert [v.reason for v in verdicts] == [Reason.OK, Reason.ERROR, Reason.OK]
    assert "died" in verdicts[1].details["why"]
    assert pool.score_many(jobs("after"))[0].correct


def test_verifier_exception_becomes_error_verdict(pool):
    verdict = pool.score_many(jobs("raise"))[0]
    assert verdict.reason is Reason.ERROR and "verifier bug" in verdict.details["why"]


def test_memory_bomb_is_bounded_by_the_address_space_limit(pool):
    verdict = pool.score_many(jobs("memory"))[0]
    assert verdict.reason is Reason.ERROR


def test_unknown_task_is_an_error_verdict_not_a_crash(pool):
    verdict = pool.score_many([("no_such_task", "{}", "<answer>1</answer>")])[0]
    assert verdict.reason is Reason.ERROR and "unknown task" in verdict.details["why"]


def test_results_keep_input_order_over_many_jobs(pool):
    answers = [("hang" if i == 37 else f"ok{i}") for i in range(300)]
    verdicts = pool.score_many(jobs(*answers))
    assert len(verdicts) == 300
    assert [i for i, v in enumerate(verdicts) if not v.correct] == [37]
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
    assert all(len(v) == 20 and all(x.correct for x in v) for v in out.values())


BATCH_IMPORTS = ["tests.helpers.batch_task"]


@pytest.fixture(scope="module")
def batch_pool():
    from tests.helpers import batch_task

    with batch_task.registered(), VerifierPool(workers=2, timeout=1.5, memory_mb=1024,
                                               imports=BATCH_IMPORTS, group_size=8) as p:
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
    mixed = [batch_jobs('{"q": 1}', "yes")[0], (FAULTY, "{}", "<answer>x</answer>"),
             batch_jobs('{"q": 2}', "no")[0], batch_jobs('{"q": 1}', "no")[0], ("no_such_task", "{}", "x")]
    verdicts = batch_pool.score_many(mixed)
    assert [v.reason for v in verdicts] == [Reason.OK, Reason.ERROR, Reason.WRONG, Reason.WRONG, Reason.ERROR]
    assert verdicts[0].details["batch"] == 3  # the three batch jobs shared one call


def test_a_hanging_group_is_split_and_only_the_hanging_job_times_out(batch_pool):
    started = time.monotonic()
    verdicts = batch_pool.score_many(batch_jobs('{"q": 1}', "yes", "hang", "no", "yes"))
    assert [v.reason for v in verdicts] == [Reason.OK, Reason.TIMEOUT, Reason.WRONG, Reason.OK]
    assert [v.details.get("batch") for v in verdicts] == [1, None, 1, 1]  # scored again one by one
    assert time.monotonic() - started < 15


def test_a_raising_batch_falls_back_to_one_by_one_verdicts(batch_pool):
    verdicts = batch_pool.score_many(batch_jobs('{"q": 1}', "yes", "raise", "no") + [
        ("test_batch_verifier", '{"q": 1}', "no answer tag here at all")])
    assert [v.reason for v in verdicts][:3] == [Reason.OK, Reason.ERROR, Reason.WRONG]
    assert verdicts[0].details["batch"] == 1
    assert "verifier bug" in verdicts[1].details["why"]
