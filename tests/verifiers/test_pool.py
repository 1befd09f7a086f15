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
