"""What a newcomer meets when things go wrong: a verify run whose model ignores the answer tags
says so and names the fix; the fallback reader never takes a stray tag or a full stop as the
answer, and says what it read."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import synlog
from synlog.cli.main import cli
from synlog.tasks.base import last_answer_line
from synlog.verifiers.extract import ExtractConfig


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    out = tmp_path_factory.mktemp("d") / "arith"
    assert CliRunner().invoke(cli, ["generate", "--task", "arithmetic", "-n", "6", "-o", str(out), "-w", "1"]).exit_code == 0
    return out


def completions(path, rows, text):
    path.write_text("".join(json.dumps({"id": r["id"], "completion": text(r)}) + "\n" for r in rows))
    return path


def test_verify_says_when_the_model_never_writes_the_tags(data, tmp_path):
    from synlog.datasets_out.io import read_dataset

    rows = read_dataset(data)["train"].to_pylist()
    outs = completions(tmp_path / "outs.jsonl", rows, lambda r: f"I think it is {r['answer']}")
    result = CliRunner().invoke(cli, ["verify", str(data), "-c", str(outs), "-w", "0"])
    assert result.exit_code == 0, result.output
    assert "6 of 6 completions have no <answer>" in result.output and "--fallback" in result.output
    again = CliRunner().invoke(cli, ["verify", str(data), "-c", str(outs), "-w", "0", "--fallback"])
    assert "accuracy 1.000" in again.output and "--fallback" not in again.output


def test_no_hint_when_most_completions_answer(data, tmp_path):
    from synlog.datasets_out.io import read_dataset

    rows = read_dataset(data)["train"].to_pylist()
    outs = completions(tmp_path / "outs.jsonl", rows, lambda r: f"<answer>{r['answer']}</answer>")
    result = CliRunner().invoke(cli, ["verify", str(data), "-c", str(outs), "-w", "0"])
    assert "accuracy 1.000" in result.output and "note:" not in result.output


@pytest.mark.parametrize("text, read", [
    ("The answer is 7.", "The answer is 7"),
    ("blue\n</answer>\n", "blue"),
    ("So: yes\n.\n", "So: yes"),
    ("</think>\n<answer>\n", None),
    ("   \n.\n", None),
    ("Wait...", "Wait..."),
])
def test_the_fallback_line_is_never_a_stray_tag_or_a_full_stop(text, read):
    assert last_answer_line(text) == read


def test_a_fallback_verdict_names_what_it_read():
    row = synlog.generate("web_of_lies", 3, 1, seed=1)[0]
    verdict = synlog.score(row["task"], row["problem"], "thinking...\nThe answer is maybe.\n</answer>",
                           ExtractConfig(fallback=True))
    assert verdict.extraction == "fallback" and verdict.details["read"] == "The answer is maybe"


def test_a_log_gets_periodic_progress_lines_not_silence(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "SYNLOG_PROGRESS_SECONDS": "0"}
    done = subprocess.run([sys.executable, "-m", "synlog", "generate", "--task", "arithmetic", "-n", "300",
                           "-w", "1", "-o", str(tmp_path / "a")], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("generate: ")]
    assert len(lines) >= 2 and "300/300 rows (100%)" in lines[-1] and "done in" in lines[-1]
    assert any("ETA" in line for line in lines[:-1])
    assert "\r" not in done.stderr  # no bar redrawn into a log


def test_ctrl_c_says_how_to_resume_and_resume_finishes(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from synlog.datasets_out.io import read_dataset

    out = tmp_path / "big"
    args = [sys.executable, "-m", "synlog", "generate", "--task", "arithmetic", "-d", "5", "-n", "40000", "-w", "1", "-o", str(out)]
    # as from a terminal: a shell's background job (`cmd &`, as CI scripts may start the suite)
    # starts with SIGINT ignored, and a child that inherits that never sees Ctrl-C
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    state = tmp_path / "big.partial" / "state.json"
    started = time.monotonic()
    while time.monotonic() < started + 120 and proc.poll() is None and not (
            state.exists() and '"shards": 1' in state.read_text()):
        time.sleep(0.05)
    waited, running = time.monotonic() - started, proc.poll() is None
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, f"SIGINT after {waited:.1f} s, the run {'running' if running else 'over'}: {err}"
    assert "--resume" in err and "Traceback" not in err
    resumed = subprocess.run([*args, "--resume"], capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert read_dataset(out)["train"].num_rows == 40000


def test_generate_chat_adds_messages_for_trainers(tmp_path):
    from synlog.datasets_out.io import read_dataset

    out = tmp_path / "chat"
    result = CliRunner().invoke(cli, ["generate", "--task", "zebra", "-n", "3", "--system-prompt", "Be brief.",
                                      "-o", str(out), "-w", "1"])
    assert result.exit_code == 0, result.output
    row = read_dataset(out)["train"].to_pylist()[0]
    assert row["messages"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": row["prompt"]}]


def test_tasks_show_prints_the_instance_space_of_every_level():
    declared = CliRunner().invoke(cli, ["tasks", "show", "arithmetic"])
    assert declared.exit_code == 0 and "space" in declared.output
    level_one = next(line for line in declared.output.splitlines() if line.split()[:1] == ["1"])
    assert level_one.split()[-1] == "7,200"  # two 60-magnitude leaves and + or -: 2 × 60 × 60
    sampled = CliRunner().invoke(cli, ["tasks", "show", "zebra", "--space-sample", "10"])
    rows = [line for line in sampled.output.splitlines() if line.split()[:1] in [[str(k)] for k in range(1, 11)]]
    assert len(rows) == 10 and all(row.split()[-1].startswith(("≥", "≈")) for row in rows)
