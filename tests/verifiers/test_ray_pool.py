"""The Ray verifier pool on a real local Ray cluster: the local pool's verdicts (the same
Verdicts, the same errors for jobs no task can judge), warm named actors shared between
processes, and an actor killed mid-chunk whose jobs are scored again."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

import synlog
from synlog.errors import UnscorableError
from synlog.trainer_bridge.scorer import Scorer
from synlog.verifiers.pool import VerifierPool
from synlog.verifiers.verdict import Reason

IMPORTS = ["tests.helpers.faulty_tasks"]
#: a fraction of a CPU per actor, so that the module's pools fit the 2-CPU cluster together
CPUS = 0.25


def mixed_jobs() -> list:
    """Gold, wrong, garbage and hedged answers over a few tasks, plus jobs no task can judge."""
    jobs = []
    for task, level in (("sudoku", 1), ("arithmetic", 2), ("knights_knaves", 2), ("sat", 1)):
        for row in synlog.generate(task, level, n=6, seed=7):
            gold = row["answer"]
            jobs += [(task, row["problem"], f"<answer>{gold}</answer>"),
                     (task, row["problem"], "<answer>42</answer>"),
                     (task, row["problem"], "I think so."),
                     (task, row["problem"], f"<answer>{gold}</answer><answer>0</answer>")]
    jobs += [("no_such_task", "{}", "<answer>1</answer>"), ("sudoku", 3, "<answer>1</answer>"),
             ("sudoku", "not json", "x"), ("", "{}", "x")]
    return jobs


@pytest.fixture(scope="module")
def ray_pool(ray_cluster):
    from synlog.verifiers.ray_pool import RayVerifierPool

    with RayVerifierPool(2, timeout=5.0, memory_mb=2048, imports=IMPORTS, cpus_per_actor=CPUS) as pool:
        yield pool


def test_ray_actors_give_the_local_pools_verdicts(ray_pool):
    jobs = mixed_jobs()
    with VerifierPool(2, timeout=5.0, memory_mb=2048) as local:
        expected = local.score_many(jobs, strict=False)
    got = ray_pool.score_many(jobs, strict=False)
    assert len(got) == len(expected)
    for mine, theirs in zip(got, expected, strict=True):
        if isinstance(theirs, UnscorableError):
            assert isinstance(mine, UnscorableError) and str(mine) == str(theirs) and mine.index == theirs.index
        else:
            assert mine == theirs
    assert sum(v.reason is Reason.OK for v in got if not isinstance(v, UnscorableError)) == 24  # the golds
    with pytest.raises(UnscorableError, match="no_such_task"):
        ray_pool.score_many(jobs)


def test_a_killed_actor_has_its_chunk_scored_again(ray_cluster):
    from synlog.verifiers.ray_pool import RayVerifierPool

    with RayVerifierPool(1, timeout=3.0, memory_mb=1024, imports=IMPORTS, cpus_per_actor=CPUS) as pool:
        pid = ray_cluster.get(pool.actors[0].pid.remote())
        pool.score_many([("test_faulty_verifier", "{}", "<answer>warm</answer>")])  # started and warm
        jobs = [("test_faulty_verifier", "{}", f"<answer>{a}</answer>") for a in ("a", "hang", "b")]
        result: list = []
        thread = threading.Thread(target=lambda: result.append(pool.score_many(jobs)))
        thread.start()
        time.sleep(1.0)  # inside the hanging job's 3 s
        os.kill(pid, signal.SIGKILL)  # the real actor process, mid-chunk
        thread.join(120)
        assert [v.reason for v in result[0]] == [Reason.OK, Reason.TIMEOUT, Reason.OK]
        assert pool.retries >= 1  # each chunk its actor had in flight
        assert ray_cluster.get(pool.actors[0].pid.remote()) != pid  # Ray restarted it


def test_named_actors_are_shared_and_stay_warm(ray_cluster):
    from synlog.verifiers.ray_pool import RayVerifierPool

    first = RayVerifierPool(2, name="test-shared-scorer", timeout=5.0, cpus_per_actor=CPUS)
    try:
        pids = ray_cluster.get([a.pid.remote() for a in first.actors])
        second = RayVerifierPool(name="test-shared-scorer")  # another process would do the same
        assert second.size == 2
        assert ray_cluster.get([a.pid.remote() for a in second.actors]) == pids
        row = synlog.generate("arithmetic", 1, n=1)[0]
        second.close()  # lets go; the named actors stay
        assert first.score("arithmetic", row["problem"], f"<answer>{row['answer']}</answer>").reason is Reason.OK
    finally:
        first.close(kill_named=True)


def test_a_scorer_on_ray_actors_feeds_the_trainer_adapters(ray_pool):
    row = synlog.generate("sudoku", 1, n=1, seed=3)[0]
    scorer = Scorer(pool=ray_pool)
    verdicts = scorer.verdicts(["sudoku", "sudoku"], [row["problem"]] * 2,
                               [f"<answer>{row['answer']}</answer>", "<answer>1</answer>"])
    assert [v.reason is Reason.OK for v in verdicts] == [True, False]


def test_synlog_verify_on_ray_reports_what_the_local_pool_reports(ray_cluster, tmp_path):
    import json

    from click.testing import CliRunner

    from synlog.cli.main import cli
    from synlog.datasets_out.io import read_dataset

    runner = CliRunner()
    assert runner.invoke(cli, ["generate", "--task", "arithmetic", "-n", "20", "-o", str(tmp_path / "d"),
                               "-w", "1"]).exit_code == 0
    rows = read_dataset(tmp_path / "d")["train"].to_pylist()
    lines = [json.dumps({"id": r["id"], "completion": f"<answer>{r['answer'] if i % 2 else 0}</answer>"})
             for i, r in enumerate(rows)]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n")
    reports = {}
    for engine in ("local", "ray"):
        out = tmp_path / f"report-{engine}"
        result = runner.invoke(cli, ["verify", str(tmp_path / "d"), "-c", str(tmp_path / "c.jsonl"), "-w", "1",
                                     "--engine", engine, "-o", str(out), "--format", "jsonl"])
        assert result.exit_code == 0, result.output
        assert "reasons: wrong 10, ok 10" in result.output
        reports[engine] = (out / "summary.json").read_text()
    assert reports["ray"] == reports["local"]
