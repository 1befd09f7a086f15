"""Rewards work from a script without an ``if __name__ == "__main__":`` guard, and from stdin.

Workers used to start with ``forkserver``, which re-imports the caller's ``__main__`` in each
worker: a guard-less script re-ran itself there, a script read from stdin could not be
re-imported at all, and every gold answer scored 0. Workers are now ``python -m
synlog.verifiers._pool_worker`` processes that never touch the caller's ``__main__``.

The script's last line proves the adapters scored through worker processes (verl's default
scorer and the TRL functions' scorer each started at least one), so this is the start-up path
a trainer's script takes, not the in-process one.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SCRIPT = """\
import synlog, synlog.trainer_bridge.trl as trl, synlog.trainer_bridge.verl as verl
row = synlog.generate("arithmetic", difficulty=2, n=1, seed=5)[0]; gold = f"<answer>{row['answer']}</answer>"
print(verl.compute_score("synlog/arithmetic", gold, row["answer"], verl.verl_row(row)["extra_info"])["score"])
print(synlog.score(row["task"], row["problem"], gold).score)
(accuracy,), _ = trl.reward_functions(); print(accuracy(prompts=[""], completions=[gold], task=[row["task"]], problem=[row["problem"]])[0])
print("workers", verl.default_scorer().pool.workers_started, accuracy.scorer.pool.workers_started)
"""


def run(args, tmp_path, stdin=None):
    env = dict(os.environ, SYNLOG_REWARD_WORKERS="1")
    # from an unrelated cwd: nothing of this checkout is importable from the script's folder
    return subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=300)


def check(result):
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[:3] == ["1.0", "1.0", "1.0"], result.stdout + result.stderr[-3000:]
    name, verl_workers, trl_workers = lines[3].split()
    assert name == "workers" and int(verl_workers) >= 1 and int(trl_workers) >= 1
    assert len(lines) == 4  # the script ran once: no worker re-ran it


@pytest.mark.parametrize("how", ["file", "stdin"])
def test_a_script_without_a_main_guard_scores_gold_as_one(tmp_path, how):
    script = tmp_path / "reward_script.py"
    script.write_text(SCRIPT)
    if how == "file":
        check(run([str(script)], tmp_path))
    else:
        check(run(["-"], tmp_path, stdin=SCRIPT))
