"""Specification of arc_grid beyond the contract.

Every primitive is re-implemented here on plain lists of lists (the library uses numpy) and
each instance's hidden composition is replayed on every demonstration and the test input.
The demonstrations must pin the rule down: every step changes some demonstration, the
whole composition is not the identity, and no single library step explains the demos but
maps the test input elsewhere.
"""

from __future__ import annotations

import json

import numpy as np

from synlog.synth.example import make_row
from synlog.tasks import get_task
from synlog.tasks.common.arc import step_space

TASK = get_task("arc_grid")


def transpose(g):
    return [list(col) for col in zip(*g, strict=True)]


def rotate_cw(g):
    return [list(row) for row in zip(*g[::-1], strict=True)]


def fall_down(g):
    cols = []
    for col in transpose(g):
        cells = [v for v in col if v]
        cols.append([0] * (len(col) - len(cells)) + cells)
    return transpose(cols)


def enclosed_fill(g, colour):
    h, w = len(g), len(g[0])
    reach = set()
    stack = [(r, c) for r in range(h) for c in range(w) if (r in (0, h - 1) or c in (0, w - 1)) and g[r][c] == 0]
    while stack:
        r, c = stack.pop()
        if (r, c) in reach:
            continue
        reach.add((r, c))
        stack += [(a, b) for a, b in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1))
                  if 0 <= a < h and 0 <= b < w and g[a][b] == 0]
    return [[colour if v == 0 and (r, c) not in reach else v for c, v in enumerate(row)] for r, row in enumerate(g)]


def plain_step(g, s):
    op = s["op"]
    if op == "rotate":
        for _ in range(s["turns"]):
            g = rotate_cw(g)
        return g
    if op == "reflect":
        return {"h": [row[::-1] for row in g], "v": g[::-1], "d": transpose(g)}[s["axis"]]
    if op == "recolour":
        return [[s["target"] if v == s["source"] else v for v in row] for row in g]
    if op == "gravity":
        turns = {"down": 0, "left": 1, "up": 2, "right": 3}[s["direction"]]
        for _ in range((4 - turns) % 4):  # counter-clockwise turns by clockwise ones
            g = rotate_cw(g)
        g = fall_down(g)
        for _ in range(turns):
            g = rotate_cw(g)
        return g
    if op == "crop":
        cells = [(r, c) for r, row in enumerate(g) for c, v in enumerate(row) if v]
        if not cells:
            return g
        rs, cs = [r for r, _ in cells], [c for _, c in cells]
        return [row[min(cs):max(cs) + 1] for row in g[min(rs):max(rs) + 1]]
    if op == "tile":
        return [row * s["cols"] for row in g] * s["rows"]
    if op == "scale":
        k = s["factor"]
        return [[v for v in row for _ in range(k)] for row in g for _ in range(k)]
    if op == "fill_enclosed":
        return enclosed_fill(g, s["colour"])
    if op == "move":
        h, w = len(g), len(g[0])
        out = [[0 if v == s["colour"] else v for v in row] for row in g]
        for r in range(h):
            for c in range(w):
                if g[r][c] == s["colour"] and 0 <= r + s["dr"] < h and 0 <= c + s["dc"] < w:
                    out[r + s["dr"]][c + s["dc"]] = s["colour"]
        return out
    raise AssertionError(op)


def replay(g, steps):
    for s in steps:
        g = plain_step(g, s)
    return g


def rows(levels=range(1, 11), n=6, seed=7):
    for level in levels:
        for i in range(n):
            yield make_row("arc_grid", level, TASK.knobs.resolve(level), seed, i)


def test_plain_list_replay_reproduces_every_demo_and_the_gold():
    checked = 0
    for row in rows():
        problem = json.loads(row["problem"])
        for demo in problem["demos"]:
            assert replay(demo["input"], problem["steps"]) == demo["output"], row["id"]
        assert replay(problem["test_input"], problem["steps"]) == problem["test_output"], row["id"]
        assert 2 <= len(problem["demos"]) <= 4
        checked += 1
    assert checked >= 50


def test_demonstrations_pin_the_rule_down():
    for row in rows(n=4, seed=13):
        problem = json.loads(row["problem"])
        steps, demos = problem["steps"], problem["demos"]
        grids = [d["input"] for d in demos]
        for step in steps:  # no redundant step
            after = [plain_step(g, step) for g in grids]
            assert after != grids, (row["id"], step)
            grids = after
        assert any(d["input"] != d["output"] for d in demos)
        assert problem["test_input"] != problem["test_output"]
        assert {v for r in problem["test_input"] for v in r} <= {v for d in demos for r in d["input"] for v in r}
        colours = sorted({v for d in demos for r in d["input"] for v in r})
        for alternative in step_space(colours):
            if all(plain_step(d["input"], alternative) == d["output"] for d in demos):
                assert plain_step(problem["test_input"], alternative) == problem["test_output"], (row["id"], alternative)


def test_difficulty_is_depth_and_size():
    low = [json.loads(r["problem"]) for r in rows(levels=[1], n=10)]
    high = [json.loads(r["problem"]) for r in rows(levels=[10], n=10)]
    assert max(len(p["steps"]) for p in low) < min(len(p["steps"]) for p in high)
    assert np.mean([len(p["test_input"]) for p in low]) < np.mean([len(p["test_input"]) for p in high])


def test_exact_grid_match():
    row = next(rows(levels=[5], n=1))
    problem = json.loads(row["problem"])
    gold = problem["test_output"]
    assert TASK.verify(problem, json.dumps(gold)).correct
    assert not TASK.verify(problem, "\n".join(" ".join(map(str, r)) for r in gold[:-1])).correct
    assert not TASK.verify(problem, "\n".join(" ".join(map(str, r + [0])) for r in gold)).correct


def test_copying_the_test_input_or_a_demo_output_scores_zero():
    for row in rows(levels=(1, 3, 5), n=10, seed=13):
        problem = json.loads(row["problem"])
        for name, answer in TASK.degenerate_answers(problem).items():
            verdict = TASK.verify(problem, answer)
            assert name == "the last demonstration's output" or not verdict.correct, (name, row["id"])
        assert not TASK.verify(problem, TASK.degenerate_answers(problem)["the test input unchanged"]).correct


def test_hardness_is_steps_times_output_cells_and_grows():
    def mean(level: int) -> float:
        return float(np.mean([TASK.hardness(json.loads(r["problem"])) for r in rows(levels=[level], n=8)]))

    assert mean(1) < mean(5) < mean(10)
