"""The task contract and the registry.

A task is a class with a fixed shape: identity (``name``, ``family``, ``version``), the
difficulty ``knobs`` as data, ``generate``, ``prompt`` (a jinja2 template) and ``verify``::

    @register
    class Parity(Task):
        \"\"\"Say whether the sum of a list of integers is even or odd.\"\"\"
        name, family, version = "parity", "math", 1
        knobs = Knobs(length=Knob(int, levels=[3, 4, 5, 6, 8, 10, 12, 16, 20, 30], lo=1, hi=500))

        def generate(self, rng, p):
            xs = rng.integers(-99, 100, p.length).tolist()
            return Problem({"numbers": xs}, "even" if sum(xs) % 2 == 0 else "odd")

        def verify(self, problem, answer):
            gold = "even" if sum(problem["numbers"]) % 2 == 0 else "odd"
            return Verdict.ok() if answer.strip().lower() == gold else Verdict.wrong()

``verify`` receives the ``problem`` dict (``Problem.data``: all that verifying needs) and the
*extracted* answer text. It checks the rules, never a gold string, wherever more than one
answer can be right, and it never evaluates the answer as code in this process.

Task modules live under ``synlog/tasks/<family>/`` and register themselves on import;
:func:`all_tasks` imports them all, so every command, export and contract test sees a new
task without any other file changing.
"""

from __future__ import annotations

import difflib
import importlib
import json
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

import jinja2
import numpy as np

from synlog.errors import UnknownTaskError
from synlog.tasks import prompts
from synlog.tasks.knobs import Knobs, Params
from synlog.verifiers.verdict import Verdict

#: the task families, one folder each under ``synlog/tasks/`` (``synlog tasks --family``)
FAMILIES = ("grid", "deduction", "language", "state", "graph", "search", "sat", "math", "code", "lean")


@dataclass
class Problem:
    """One generated instance.

    data: JSON-serialisable; everything ``verify`` needs (stored as the row's ``problem``).
    answer: the canonical gold answer as a model should write it inside ``<answer>``.
    effort: solver effort spent proving the instance (SAT conflicts, search nodes...).
    """

    data: dict[str, Any]
    answer: str
    effort: float = 0.0


class Task:
    """Base class of every task. Subclasses set the class attributes and three methods."""

    name: ClassVar[str]
    family: ClassVar[str]
    version: ClassVar[int] = 1
    knobs: ClassVar[Knobs] = Knobs()
    #: the stem of the template files ``synlog/tasks/templates/<lang>/<stem>.j2``; defaults to
    #: ``name`` (tasks that share one wording name it here)
    template_name: ClassVar[str | None] = None
    #: True when exactly one answer is correct, so any other gold answer must score below 1
    unique_answer: ClassVar[bool] = True
    #: the best mean reward an answer that ignores the problem can expect (a blind guess at the
    #: commonest answer); the audit's degenerate battery must stay at or below it
    chance: ClassVar[float] = 0.02
    #: True when ``verify`` runs the answer in :mod:`synlog.sandbox` (``synlog verify`` then says
    #: which backend and warns once where it cannot hide the host)
    sandboxed: ClassVar[bool] = False

    @property
    def summary(self) -> str:
        """The first line of the class docstring."""
        return (self.__doc__ or "").strip().splitlines()[0] if self.__doc__ else ""

    def check_params(self, params: Params) -> None:
        """Raise KnobError for knob combinations that can never produce an instance."""

    def check_spec(self, spec: dict[str, Any]) -> None:
        """Raise KnobError for a knob spec (values, or ``(lo, hi)`` ranges not yet sampled) that
        asks for something the task cannot honour; called before any sampling, so it sees
        which knobs the user fixed."""

    def generate(self, rng: np.random.Generator, params: Params) -> Problem:
        """Build one instance from ``rng`` (the only source of randomness) and ``params``."""
        raise NotImplementedError

    def context(self, problem: Problem, lang: str) -> dict[str, Any]:
        """The variables the task's templates see (default: the problem's data); ``lang`` lets a
        task word generated sentences (clues, statements) in the prompt's language."""
        return dict(problem.data)

    def templates(self, lang: str = "en") -> int:
        """How many paraphrased templates the task renders from in ``lang``."""
        try:
            return prompts.template_count(self.template_name or self.name, lang)
        except jinja2.TemplateNotFound:  # a task that words its prompt itself, in one way
            return 1

    def prompt(self, problem: Problem, template: int = 0, lang: str = "en") -> str:
        """Render template ``template`` (see :mod:`synlog.tasks.prompts`) in ``lang``."""
        name = self.template_name or self.name
        return prompts.render_prompt(name, template, lang, self.context(problem, lang))

    def prompt_parts(self, problem: Problem, template: int = 0, lang: str = "en") -> prompts.PromptParts:
        """The pieces template ``template`` assembles (intro, data, rules, answer, example)."""
        name = self.template_name or self.name
        return prompts.parts(name, template, lang, self.context(problem, lang))

    def verify(self, problem: dict[str, Any], answer: str) -> Verdict:
        """Judge an extracted answer against the rules of ``problem``."""
        raise NotImplementedError

    def perturb(self, problem: Problem, rng: np.random.Generator) -> list[str]:
        """Wrong answers near the gold (for the contract tests); each must score below 1."""
        return []

    def alternative_forms(self, problem: Problem) -> list[str]:
        """The gold rewritten in each other form the docs promise this task accepts (markdown
        bullets, bold names, a JSON grid...); the contract suite checks each scores 1.0."""
        return []

    def forbidden_forms(self, problem: Problem) -> list[str]:
        """Answers equal in value to the gold but in a form the prompt forbids (``36 - 1`` where
        the prompt asks for one integer, an unreduced fraction, a decimal); the contract suite
        checks each scores below 1 and never yields ``error``."""
        return []

    def degenerate_answers(self, problem: dict[str, Any]) -> dict[str, str]:
        """Answers that ignore the reasoning the task asks for, by name (all knights, all-false
        assignments, ``return 0``...): the audit scores each on every row, beside its shared
        battery, and each must stay at or below :attr:`chance`."""
        return {}

    def hardness(self, problem: dict[str, Any]) -> float:
        """An independent measure of an instance's difficulty (search nodes of a plain solver,
        operations, cells to fill); the audit checks it grows with the level. The default is
        the size of the problem's canonical JSON."""
        return float(len(json.dumps(problem, sort_keys=True, separators=(",", ":"), ensure_ascii=False)))

    def instance_space(self, spec: dict[str, Any]) -> float | None:
        """The number of distinct problems at a resolved knob spec (an estimate is fine), or
        None when the task does not know; `synlog tasks show` prints it per level."""
        return None

    def verify_seconds(self, problem: dict[str, Any]) -> float | None:
        """The longest one ``verify`` of ``problem`` may run by the problem's own limits (a code
        problem's time limits); the verifier pool never times it out sooner. None: no such bound."""
        return None

    def inner_problems(self, problem: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """Problems of other tasks inside this one, as (task, data) (a composed task's first
        part); dedup treats each as seen, so no split holds a problem another split's row
        contains. The default: none."""
        return []

    def check_requirements(self) -> None:
        """Raise a SynlogError naming the fix when a tool that ``verify`` needs is missing."""

    def warm_up(self) -> None:
        """Start what ``verify`` would otherwise start on its first call (the sympy worker, a
        warm sandbox server), so a verifier pool never charges that start to a job."""

    def fallback_extract(self, text: str) -> str | None:
        """The answer when the completion has no tag or box (used only if the caller allows):
        the last line with a letter or digit in it, without stray answer/think tags and without
        the full stop that ends a sentence (``The answer is 7.`` reads ``The answer is 7``)."""
        return last_answer_line(text)


_STRAY_TAGS = re.compile(r"</?\s*(?:answer|think)\s*>", re.I)


def last_answer_line(text: str) -> str | None:
    """The last line of ``text`` that holds a letter or digit once stray ``<answer>``/``</think>``
    tags are removed, with a sentence's final full stop dropped; None when there is none (a
    lone ``</answer>`` or ``.`` is never an answer)."""
    for line in reversed(text.splitlines()):
        clean = _STRAY_TAGS.sub("", line).strip()
        if not any(char.isalnum() for char in clean):
            continue
        if clean.endswith(".") and not clean.endswith(".."):
            clean = clean[:-1].rstrip()
        return clean
    return None


_REGISTRY: dict[str, type[Task]] = {}


def register(cls: type[Task]) -> type[Task]:
    """Class decorator: add a task to the registry under its ``name``."""
    if cls.family not in FAMILIES:
        raise ValueError(f"{cls.__name__}: family must be one of {FAMILIES}, not {cls.family!r}")
    existing = _REGISTRY.get(cls.name)
    if existing is not None and existing.__qualname__ != cls.__qualname__:
        raise ValueError(f"task name {cls.name!r} registered twice ({existing} and {cls})")
    _REGISTRY[cls.name] = cls
    return cls


@cache
def _load_all() -> None:
    import synlog.tasks as package

    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if module.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        importlib.import_module(module.name)


def all_tasks() -> dict[str, type[Task]]:
    """Every registered task class by name, importing every task module once."""
    _load_all()
    return dict(sorted(_REGISTRY.items()))


@cache
def get_task(name: str) -> Task:
    """The task instance registered under ``name``; a close match is suggested on a typo."""
    tasks = all_tasks()
    if name in tasks:
        return tasks[name]()
    close = difflib.get_close_matches(name, tasks, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise UnknownTaskError(f"unknown task '{name}'{hint} (`synlog tasks` lists them all)")


def template_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """Make a helper available to every template as a filter under its function name."""
    prompts.environment().filters[function.__name__] = function
    return function
