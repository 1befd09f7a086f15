"""The labelled corpus of (gold, answer, equivalent?) pairs, judged by the synlog checker."""

from __future__ import annotations

import json
from pathlib import Path

from synlog.verifiers.math_answer import check

CORPUS = Path(__file__).resolve().parents[1] / "data" / "math_pairs.jsonl"
#: deliberate strictness (see docs/math.md): read as "not equal" although a human might say equal
KNOWN_STRICT = {("1000", "1,000"), ("7/3", "2 1/3"), ("100", "1e2"), ("5", "\\boxed{5}")}
#: within the 1e-6 decimal tolerance, though the label wanted more digits
KNOWN_LENIENT = {("log(2)", "0.693147")}


def pairs() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]


def test_the_corpus_has_at_least_300_labelled_pairs_of_both_kinds():
    data = pairs()
    assert len(data) >= 300
    assert 0.3 < sum(p["equivalent"] for p in data) / len(data) < 0.7
    assert len({p["category"] for p in data}) >= 10


def test_the_checker_agrees_with_every_label_but_the_documented_ones():
    errors = set()
    for p in pairs():
        verdict = check(p["gold"], p["answer"], kind=p["kind"], variables=tuple(p["variables"]),
                        allow_decimals=p["allow_decimals"])
        if verdict.correct != p["equivalent"]:
            errors.add((p["gold"], p["answer"]))
    assert errors == KNOWN_STRICT | KNOWN_LENIENT
