"""Composed tasks: two registered tasks chained, so that the answer needs both skills.

A composition is data (:data:`COMPOSITIONS`), not a module per pair: which task comes first,
how a number is read from its gold (``take``), and which knob of the second task that number
sets (``knob``, shown in the second task's problem data as ``field``). The second task's
problem is generated *with* that value, and its prompt shows a symbol in its place::

    Part 1. Solve 3x - 7 = 2x + 30 for x ...           (linear_equations, gold x = 37)
    Part 2. Reach N using each of 3, 4, 8, 9 ...       (game_of_24 with target 37, shown as N)
    N is the answer to part 1.

The model must solve part 1 to know what part 2 asks; only part 2's answer is given, and the
second task's own verifier judges it against the real value. Every composition registers a task
named ``first+second`` in the family of the second task, so the contract suite, the audit, the
template contract and every command see it like any other task; ``synlog generate --split
compose:train=A,B;test=A+B`` builds the compositional split from it.

Generation draws the first problem at ``first_level`` (plus the composition's fixed knobs), reads
its number, and keeps it only where the second task's knob at ``second_level`` would have drawn
that value (inside its range at that level, or its allowed range when the level fixes a value);
otherwise, or when the second task rejects the value, it draws again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from synlog.errors import KnobError, Reject
from synlog.tasks import prompts
from synlog.tasks.base import Problem, Task, get_task, register
from synlog.tasks.knobs import Knob, Knobs, Params
from synlog.verifiers.verdict import Verdict

#: first problems drawn inside one ``generate`` call before handing a Reject to the engine
CANDIDATES_PER_CALL = 40


@dataclass(frozen=True)
class Composition:
    """Two tasks chained: ``first``'s number (read by ``take``) sets ``second``'s ``knob``."""

    first: str
    second: str
    #: how the number is read from the first problem: ``answer`` (the gold, an integer) or a
    #: dotted path into its data (``solution.x``)
    take: str
    #: the second task's knob the number sets, and the problem-data field that shows it
    knob: str
    field: str
    #: the first task's knob overrides (one unknown, integer solutions ...)
    first_set: dict[str, Any] = field(default_factory=dict)
    first_levels: tuple[int, ...] = (1, 1, 2, 2, 3, 3, 4, 4, 5, 5)
    second_levels: tuple[int, ...] = (1, 2, 2, 3, 3, 4, 4, 5, 5, 6)
    symbol: str = "N"
    #: the family the composed task is listed in (the second task's)
    family: str = "math"

    @property
    def name(self) -> str:
        return f"{self.first}+{self.second}"


COMPOSITIONS = (
    # a linear equation's solution is the target of a game of 24
    Composition("linear_equations", "game_of_24", take="solution.x", knob="target", field="target",
                first_set={"n_vars": 1, "max_denominator": 1, "value_max": 60},
                first_levels=(1, 1, 2, 3, 4, 5, 6, 7, 8, 10), second_levels=(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)),
    # an exact expression's value is the target of a game of 24
    Composition("arithmetic", "game_of_24", take="answer", knob="target", field="target",
                first_set={"fractions": False}, first_levels=(1, 1, 2, 2, 3, 3, 3, 4, 4, 5)),
    # a linear system's x is the base a number must be written in
    Composition("linear_equations", "base_conversion", take="solution.x", knob="to_base", field="to_base",
                first_set={"max_denominator": 1, "value_max": 36},
                first_levels=(1, 2, 3, 3, 4, 5, 5, 6, 7, 8), second_levels=(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)),
    # a determinant is the base a number must be written in
    Composition("matrix_determinant", "base_conversion", take="answer", knob="to_base", field="to_base",
                first_levels=(1, 1, 2, 2, 3, 3, 4, 4, 4, 4), second_levels=(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)),
)


def _integer(text: Any) -> int | None:
    try:
        value = Fraction(str(text).strip())
    except (ValueError, ZeroDivisionError):
        return None
    return int(value) if value.denominator == 1 else None


def _sub_rng(rng: np.random.Generator) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(int(rng.integers(2**63))))


class ComposedTask(Task):
    """Base of the tasks :func:`_register` builds from :data:`COMPOSITIONS`."""

    composition: Composition

    # what the answer is judged by is the second task's, so are these (read on instances)
    unique_answer = property(lambda self: self.second.unique_answer)  # type: ignore[assignment]
    chance = property(lambda self: self.second.chance)  # type: ignore[assignment]
    sandboxed = property(lambda self: self.second.sandboxed or self.first.sandboxed)  # type: ignore[assignment]

    @property
    def first(self) -> Task:
        return get_task(self.composition.first)

    @property
    def second(self) -> Task:
        return get_task(self.composition.second)

    @property
    def summary(self) -> str:
        c = self.composition
        return f"Solve a {c.first} problem, whose answer sets the {c.knob} of a {c.second} problem; answer the second."

    # ------------------------------------------------------------------ generation
    def _value(self, problem: Problem) -> int | None:
        if self.composition.take == "answer":
            return _integer(problem.answer)
        node: Any = problem.data
        for key in self.composition.take.split("."):
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return _integer(node)

    def _fits(self, value: int, spec_value: Any, knob: Knob) -> bool:
        lo, hi = spec_value if isinstance(spec_value, tuple) else (knob.lo, knob.hi)
        return (lo is None or value >= lo) and (hi is None or value <= hi)

    def generate(self, rng: np.random.Generator, p: Params) -> Problem:
        c, first, second = self.composition, self.first, self.second
        first_spec = first.knobs.resolve(p.first_level, c.first_set, first.name)
        second_spec = second.knobs.resolve(p.second_level, {}, second.name)
        knob = dict(second.knobs.items)[c.knob]
        for _ in range(CANDIDATES_PER_CALL):
            first_params = first.knobs.sample(first_spec, rng)
            try:
                first.check_params(first_params)
                a = first.generate(_sub_rng(rng), first_params)
            except (Reject, KnobError):
                continue
            value = self._value(a)
            if value is None or not self._fits(value, second_spec[c.knob], knob):
                continue
            second_params = second.knobs.sample({**second_spec, c.knob: value}, rng)
            try:
                second.check_params(second_params)
                b = second.generate(_sub_rng(rng), second_params)
            except (Reject, KnobError):
                continue
            data = {"first": {"task": first.name, "data": a.data, "answer": a.answer},
                    "second": {"task": second.name, "data": b.data}, "symbol": c.symbol, "value": value}
            return Problem(data, b.answer, a.effort + b.effort)
        raise Reject(f"no {first.name} answer fitted {second.name}'s {c.knob}")

    # ------------------------------------------------------------------ prompt
    def templates(self, lang: str = "en") -> int:
        return min(self.first.templates(lang), self.second.templates(lang),
                   prompts.template_count("_compose", lang))

    def _hidden(self, problem: Problem) -> Problem:
        """The second problem with the fed value shown as the symbol."""
        data = dict(problem.data["second"]["data"])
        data[self.composition.field] = problem.data["symbol"]
        return Problem(data, "")

    def prompt_parts(self, problem: Problem, template: int = 0, lang: str = "en") -> prompts.PromptParts:
        first = self.first.prompt_parts(Problem(problem.data["first"]["data"], problem.data["first"]["answer"]),
                                        template, lang)
        second = self.second.prompt_parts(self._hidden(problem), template, lang)
        words = prompts.parts("_compose", template, lang, {
            "symbol": problem.data["symbol"], "first_answer": first.answer,
            "first": "\n\n".join(x for x in (first.intro, first.data, " ".join(first.rules)) if x),
            "second": "\n\n".join(x for x in (second.intro, second.data) if x),
        })
        return prompts.PromptParts(intro=words.intro, data=words.data, rules=(*second.rules, *words.rules),
                                   answer=second.answer, example=second.example, note=second.note)

    def prompt(self, problem: Problem, template: int = 0, lang: str = "en") -> str:
        count = self.templates(lang)
        if not 0 <= template < count:
            raise ValueError(f"task '{self.name}' has templates 0 to {count - 1} in {lang}, not {template}")
        return prompts.assemble(self.prompt_parts(problem, template, lang), template, lang)

    # ------------------------------------------------------------------ judging
    def _second(self, problem: dict | Problem) -> Problem:
        data = problem.data if isinstance(problem, Problem) else problem
        return Problem(data["second"]["data"], problem.answer if isinstance(problem, Problem) else "")

    def verify(self, problem: dict, answer: str) -> Verdict:
        return self.second.verify(problem["second"]["data"], answer)

    def fallback_extract(self, text: str) -> str | None:
        return self.second.fallback_extract(text)

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        return self.second.perturb(self._second(problem), rng)

    def alternative_forms(self, problem: Problem) -> list[str]:
        return self.second.alternative_forms(self._second(problem))

    def forbidden_forms(self, problem: Problem) -> list[str]:
        return self.second.forbidden_forms(self._second(problem))

    def degenerate_answers(self, problem: dict) -> dict[str, str]:
        """The second task's own, plus part 1's answer given as the answer."""
        return {**self.second.degenerate_answers(problem["second"]["data"]),
                "part 1's answer": problem["first"]["answer"], "the fed value": str(problem["value"])}

    def hardness(self, problem: dict) -> float:
        return (self.first.hardness(problem["first"]["data"])
                + self.second.hardness(problem["second"]["data"]))

    def verify_seconds(self, problem: dict) -> float | None:
        return self.second.verify_seconds(problem["second"]["data"])

    def check_requirements(self) -> None:
        self.first.check_requirements()
        self.second.check_requirements()

    def warm_up(self) -> None:
        self.second.warm_up()

    def inner_problems(self, problem: dict) -> list[tuple[str, dict]]:
        """Part 1's problem: a compositional split keeps it out of the splits that train it."""
        return [(problem["first"]["task"], problem["first"]["data"])]


def _register(c: Composition) -> type[Task]:
    ladder = dict(
        first_level=Knob(int, levels=list(c.first_levels), lo=1, hi=10, help=f"difficulty level of the {c.first} part"),
        second_level=Knob(int, levels=list(c.second_levels), lo=1, hi=10, help=f"difficulty level of the {c.second} part"),
    )
    attributes = {
        "__doc__": f"Solve a {c.first} problem whose answer sets the {c.knob} of a {c.second} problem.",
        "name": c.name, "family": c.family, "version": 1, "knobs": Knobs(**ladder), "composition": c,
    }
    return register(type(f"Composed_{c.first}_{c.second}", (ComposedTask,), attributes))


for _composition in COMPOSITIONS:
    _register(_composition)
