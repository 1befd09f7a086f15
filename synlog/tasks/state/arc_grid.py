"""ARC grid: infer a grid transformation from demonstrations and apply it to a test grid.

Each instance hides a random composition of steps from :mod:`synlog.tasks.common.arc`
(rotate, reflect, recolour, gravity, crop, tile, scale, flood fill of enclosed holes,
colour moves). The prompt shows 2–4 input → output demonstrations and a test input; the
answer is the test output grid. A tiny example (the hidden composition: reflect left↔right,
then recolour 1 → 4)::

    1 0 0      0 0 4            2 1       →   4 2
    2 2 0  →   0 2 2            (test)
    demo input  demo output

Difficulty is the composition's depth (1–5 steps) and the grid size (3×3 up to 14×14).
The demonstrations must pin the transformation down, so a candidate is rejected when:

- a step changes no demonstration (a redundant step), or the whole composition leaves
  every demonstration unchanged, or the test output equals the test input, or is one colour;
- the test input holds a colour that no demonstration input shows;
- a simpler composition — any single step of the library, or the composition with one
  step dropped or two neighbours swapped — maps every demonstration input to its output
  but the test input to a different grid than the gold (the demos would be ambiguous).

:meth:`ArcGrid.hardness` is the composition's steps times the test output's cells.
The composition is deterministic, so the answer is unique and checked by exact grid match
(shape and every cell), in the shared grid convention (:mod:`synlog.tasks.common.grids`).
"""

from __future__ import annotations

import numpy as np

from synlog.errors import Reject
from synlog.tasks.base import Problem, Task, register
from synlog.tasks.common.arc import MAX_SIDE, apply_step, apply_steps, step_space
from synlog.tasks.common.grids import GridParseError, format_grid, grid_forms, parse_grid
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: tries to draw a step that changes some demonstration before the candidate is rejected
STEP_TRIES = 12
RESIZE_OPS = ("tile", "scale")


def random_input(rng: np.random.Generator, h: int, w: int, palette: list[int]) -> np.ndarray:
    """A grid of a few random rectangles, hollow frames, lines and dots on background 0."""
    grid = np.zeros((h, w), dtype=np.int64)
    for _ in range(int(rng.integers(2, max(3, h * w // 10) + 1))):
        colour = palette[rng.integers(len(palette))]
        kind = rng.integers(4)
        r, c = int(rng.integers(h)), int(rng.integers(w))
        if kind == 0:
            grid[r, c] = colour
        elif kind == 1:
            grid[r, c:c + int(rng.integers(2, 5))] = colour
        else:
            dr, dc = int(rng.integers(2, 5)), int(rng.integers(2, 5))
            grid[r:r + dr, c:c + dc] = colour
            if kind == 3 and dr > 2 and dc > 2:
                grid[r + 1:r + dr - 1, c + 1:c + dc - 1] = 0
    return grid


def _explains(steps: list[dict], inputs: list[np.ndarray], outputs: list[np.ndarray]) -> bool:
    for grid, want in zip(inputs, outputs, strict=True):
        got = apply_steps(grid, steps)
        if not np.array_equal(got, want):
            return False
    return True


@register
class ArcGrid(Task):
    """Infer a hidden composition of grid transformations from demonstrations; apply it."""

    name, family, version = "arc_grid", "state", 1
    knobs = Knobs(
        depth=Knob(int, levels=[1, 1, 2, 2, 2, 3, 3, 4, 4, 5], lo=1, hi=6, help="steps in the hidden composition"),
        side=Knob(int, levels=[4, 5, 5, 6, 7, 8, 9, 10, 12, 14], lo=3, hi=MAX_SIDE,
                  help="largest input side (the smallest is 3 below it, at least 3)"),
        colours=Knob(int, levels=[2, 2, 2, 3, 3, 3, 3, 4, 4, 4], lo=1, hi=8, help="colours in the inputs"),
        demos=Knob(int, levels=[3, 3, 3, 3, 3, 3, 3, 4, 4, 4], lo=2, hi=4, help="demonstrations shown"),
    )

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        palette = sorted((rng.choice(9, p.colours, replace=False) + 1).tolist())
        low = max(3, p.side - 3)
        inputs = [random_input(rng, int(rng.integers(low, p.side + 1)), int(rng.integers(low, p.side + 1)), palette)
                  for _ in range(p.demos + 1)]
        if not set(np.unique(inputs[-1]).tolist()) <= {int(v) for g in inputs[:-1] for v in np.unique(g)}:
            raise Reject("the test input has a colour no demonstration shows")
        grids, steps, effort = list(inputs), [], 0
        for _ in range(p.depth):
            colours = sorted({int(v) for g in grids for v in np.unique(g)})
            resize_ok = not any(s["op"] in RESIZE_OPS for s in steps) and max(
                max(g.shape) for g in grids) * 2 <= MAX_SIDE
            by_op: dict[str, list[dict]] = {}
            for candidate in step_space(colours, resize=resize_ok):
                by_op.setdefault(candidate["op"], []).append(candidate)
            ops = sorted(by_op)
            for _ in range(STEP_TRIES):
                # the operation first, uniformly, then its parameters: recolour has many
                # parameter choices and would otherwise crowd out the geometric steps
                choices = by_op[ops[rng.integers(len(ops))]]
                step = choices[rng.integers(len(choices))]
                after = [apply_step(g, step) for g in grids]
                effort += sum(g.size for g in grids)
                if not all(np.array_equal(a, g) for a, g in zip(after[:-1], grids[:-1], strict=True)):
                    break
            else:
                raise Reject("no step changes the demonstrations")
            grids, steps = after, [*steps, step]
        outputs = grids
        demo_in, demo_out = inputs[:-1], outputs[:-1]
        test_in, test_out = inputs[-1], outputs[-1]
        if np.array_equal(test_out, test_in):
            raise Reject("the test output equals the test input")
        if all(np.array_equal(o, i) for i, o in zip(demo_in, demo_out, strict=True)):
            raise Reject("the composition acts as the identity on the demonstrations")
        if len(np.unique(test_out)) == 1:
            raise Reject("a one-colour test output")
        effort += self._check_determined(steps, demo_in, demo_out, test_in, test_out)
        data = {"demos": [{"input": i.tolist(), "output": o.tolist()} for i, o in zip(demo_in, demo_out, strict=True)],
                "test_input": test_in.tolist(), "test_output": test_out.tolist(), "steps": steps}
        return Problem(data, format_grid(test_out.tolist()), float(effort))

    @staticmethod
    def _check_determined(steps, demo_in, demo_out, test_in, test_out) -> int:
        """Reject when a simpler composition fits the demos but not the test; return the checks made."""
        colours = sorted({int(v) for g in demo_in for v in np.unique(g)})
        alternatives = [[step] for step in step_space(colours)]
        if len(steps) > 1:
            alternatives += [steps[:i] + steps[i + 1:] for i in range(len(steps))]
            alternatives += [steps[:i] + [steps[i + 1], steps[i]] + steps[i + 2:] for i in range(len(steps) - 1)]
        for alternative in alternatives:
            if alternative != steps and _explains(alternative, demo_in, demo_out):
                other = apply_steps(test_in, alternative)
                if not np.array_equal(other, test_out):
                    raise Reject("a simpler composition explains the demonstrations differently")
        return len(alternatives) * len(demo_in)

    def context(self, problem: Problem, lang: str) -> dict:
        d = problem.data
        demos = [(format_grid(x["input"]), format_grid(x["output"])) for x in d["demos"]]
        return {"demos": demos, "test_input": format_grid(d["test_input"])}

    def verify(self, problem: dict, answer: str) -> Verdict:
        gold = problem["test_output"]
        try:
            grid = parse_grid(answer)
        except GridParseError as error:
            return Verdict.unparseable(str(error))
        if len(grid) != len(gold) or len(grid[0]) != len(gold[0]):
            return Verdict.wrong(f"the output is {len(gold)}×{len(gold[0])}, not {len(grid)}×{len(grid[0])}")
        wrong = sum(a != b for row, gold_row in zip(grid, gold, strict=True) for a, b in zip(row, gold_row, strict=True))
        if wrong:
            return Verdict.wrong(f"{wrong} cells differ", cells=wrong)
        return Verdict.ok()

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        return {"the test input unchanged": format_grid(problem["test_input"]),
                "the last demonstration's output": format_grid(problem["demos"][-1]["output"])}

    def hardness(self, problem: dict) -> float:
        # steps to apply times cells they produce (not the JSON, which holds the gold)
        output = problem["test_output"]
        return float(len(problem["steps"]) * len(output) * len(output[0]))

    def alternative_forms(self, problem: Problem) -> list[str]:
        return grid_forms(problem.answer)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        gold = np.array(problem.data["test_output"])
        changed = gold.copy()
        r, c = int(rng.integers(gold.shape[0])), int(rng.integers(gold.shape[1]))
        changed[r, c] = (changed[r, c] + 1) % 10
        wrong = [changed, np.array(problem.data["test_input"])]
        if gold.shape[0] > 1:
            wrong.append(gold[:-1])
        if not np.array_equal(gold, gold.T):
            wrong.append(gold.T)
        return [format_grid(w.tolist()) for w in wrong if not np.array_equal(w, gold)]
