"""Per-source accuracy in every adapter: a row's `source` (imported rows), else its task."""

from __future__ import annotations

import json

from synlog.trainer_bridge.openrlhf import SourceTally, openrlhf_row, score_request, source_logs
from synlog.trainer_bridge.trl import reward_functions
from synlog.trainer_bridge.verl import EXTRA_KEYS, compute_score_batch, verl_row
from synlog.verifiers.report import summarise
from synlog.verifiers.verdict import Verdict


def sourced(rows):
    """Two rows relabelled as imported from 'gsm8k', two left as generated rows."""
    return [dict(r, source="gsm8k", source_index=i) if i < 2 else dict(r) for i, r in enumerate(rows)]


def answers(rows):
    return [f"<answer>{rows[0]['answer']}</answer>", "<answer>nope</answer>",
            f"<answer>{rows[2]['answer']}</answer>", f"<answer>{rows[3]['answer']}</answer>"]


def test_trl_logs_accuracy_per_source(scorer, rows):
    rows = sourced(rows)
    (accuracy,), _ = reward_functions(None, scorer)
    logged = {}
    accuracy(prompts=[r["prompt"] for r in rows], completions=answers(rows),
             task=[r["task"] for r in rows], problem=[r["problem"] for r in rows],
             source=[r.get("source") for r in rows], log_metric=logged.__setitem__)
    assert logged == {"synlog/accuracy/gsm8k": 0.5, "synlog/accuracy/arithmetic": 1.0}


def test_verl_rows_carry_the_source_as_data_source_and_extra_key(scorer, rows):
    rows = sourced(rows)
    exported = [verl_row(r) for r in rows]
    assert [e["data_source"] for e in exported] == ["synlog/gsm8k"] * 2 + ["synlog/arithmetic"] * 2
    results = compute_score_batch([e["data_source"] for e in exported], answers(rows),
                                  [e["reward_model"]["ground_truth"] for e in exported],
                                  [e["extra_info"] for e in exported], scorer=scorer)
    assert [r["source"] for r in results] == ["gsm8k", "gsm8k", "arithmetic", "arithmetic"]
    assert [r["acc"] for r in results] == [1.0, 0.0, 1.0, 1.0]
    assert all(set(r) == {"score", *EXTRA_KEYS} for r in results)


def test_server_extra_logs_keep_fixed_keys_whose_ratio_is_the_accuracy(scorer, rows):
    rows = sourced(rows)
    tally = SourceTally()
    sources = ["arithmetic", "gsm8k"]
    per_query = []
    for row, answer in zip(rows, answers(rows), strict=True):  # OpenRLHF 0.11: one query per request
        body = {"query": [answer], "prompts": [""], "labels": [openrlhf_row(row)["label"]]}
        per_query.append(score_request(body, scorer=scorer, sources=sources, tally=tally)["extra_logs"])
    keys = {frozenset(logs) for logs in per_query}
    assert len(keys) == 1  # OpenRLHF merges samples key by key: every response has the same keys
    merged = {k: sum(logs[k][0] for logs in per_query) / len(per_query) for k in per_query[0]}
    assert merged["synlog_correct/gsm8k"] / merged["synlog_n/gsm8k"] == 0.5
    assert merged["synlog_correct/arithmetic"] / merged["synlog_n/arithmetic"] == 1.0
    assert merged["synlog_n/other"] == 0.0
    assert tally.summary() == {"arithmetic": {"completions": 2, "accuracy": 1.0},
                               "gsm8k": {"completions": 2, "accuracy": 0.5}}


def test_source_logs_put_unknown_sources_under_other_and_need_a_source_list():
    verdicts = [Verdict.ok(), Verdict.wrong("x")]
    logs = source_logs(["mbpp", "gsm8k"], verdicts, ["gsm8k"])
    assert logs == {"synlog_n/gsm8k": [0.0, 1.0], "synlog_correct/gsm8k": [0.0, 0.0],
                    "synlog_n/other": [1.0, 0.0], "synlog_correct/other": [1.0, 0.0]}
    assert source_logs(["gsm8k"], verdicts[:1], []) == {}


def test_verify_summary_has_accuracy_by_source_and_the_second_opinions_disagreements():
    def record(i, source, correct, opinion):  # opinion None: math-verify gave none
        details = json.dumps({"second_opinion": {"tool": "math-verify", "correct": opinion}})
        return {"id": f"r{i}", "sample": 0, "task": "math_answer", "source": source, "difficulty": 0,
                "score": float(correct), "correct": correct, "reason": "ok" if correct else "invalid", "details": details}

    records = [record(0, "gsm8k", True, True), record(1, "gsm8k", False, True),
               record(2, "math", True, None), record(3, "math", False, False)]
    summary = summarise(records)
    assert summary["by_source"] == [{"source": "gsm8k", "n": 2, "accuracy": 0.5},
                                    {"source": "math", "n": 2, "accuracy": 0.5}]
    opinion = summary["second_opinion"]
    assert (opinion["compared"], opinion["agree"], opinion["no_opinion"]) == (3, 2, 1)
    assert opinion["disagreements"] == [{"id": "r1", "sample": 0, "synlog": False, "reason": "invalid",
                                         "math-verify": True}]
    assert opinion["second_only_correct"] == 1 and opinion["synlog_only_correct"] == 0


def test_a_row_whose_problem_cannot_be_judged_is_never_a_zero(scorer):
    import pytest

    from synlog.errors import UnscorableError
    from synlog.trainer_bridge.openrlhf import BadRequest
    from synlog.trainer_bridge.verl import compute_score

    problem = json.dumps({"question": "How many?", "answer": "no number given", "kind": "number"})
    (accuracy,), _ = reward_functions(None, scorer)
    assert accuracy(prompts=["p"], completions=["<answer>3</answer>"], task=["math_answer"], problem=[problem]) == [None]
    with pytest.raises(UnscorableError, match="problem cannot be judged"):
        compute_score(data_source="synlog/gsm8k", solution_str="<answer>3</answer>", ground_truth="",
                      extra_info={"task": "math_answer", "problem": problem}, scorer=scorer)
    label = json.dumps({"task": "math_answer", "problem": problem})
    with pytest.raises(BadRequest, match="problem cannot be judged"):
        score_request({"query": ["<answer>3</answer>"], "labels": [label]}, scorer=scorer)
