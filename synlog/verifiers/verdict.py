"""The result of checking one answer.

A :class:`Verdict` is what every ``Task.verify`` returns and what every reward adapter reads::

    Verdict.ok()                                 # score 1.0, correct
    Verdict.wrong("clause 3 is false", clause=3) # score 0.0, reason "wrong"
    Verdict.unparseable("expected 81 digits")    # the answer could not be read

``details`` is for humans and for opt-in partial credit in the reward layer (e.g.
``details["fraction"]``); tasks never bake partial-credit constants into ``score``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Reason(str, Enum):
    """Why a verdict is what it is. A small, closed set so reports can count them."""

    OK = "ok"
    WRONG = "wrong"
    NO_ANSWER = "no_answer"
    UNPARSEABLE = "unparseable"
    INVALID = "invalid"
    TIMEOUT = "timeout"
    ERROR = "error"


@dataclass
class Verdict:
    """Score in [0, 1], whether it counts as correct, a reason, and details for humans."""

    score: float
    correct: bool
    reason: Reason
    details: dict[str, Any] = field(default_factory=dict)
    extraction: str | None = None

    @classmethod
    def ok(cls, **details: Any) -> Verdict:
        return cls(1.0, True, Reason.OK, details)

    @classmethod
    def wrong(cls, why: str = "", **details: Any) -> Verdict:
        return cls(0.0, False, Reason.WRONG, {"why": why, **details} if why else details)

    @classmethod
    def invalid(cls, why: str, **details: Any) -> Verdict:
        """The answer was read but breaks the answer format's rules (e.g. uses a number twice)."""
        return cls(0.0, False, Reason.INVALID, {"why": why, **details})

    @classmethod
    def unparseable(cls, why: str, **details: Any) -> Verdict:
        return cls(0.0, False, Reason.UNPARSEABLE, {"why": why, **details})

    @classmethod
    def no_answer(cls, why: str = "no answer found") -> Verdict:
        return cls(0.0, False, Reason.NO_ANSWER, {"why": why})

    @classmethod
    def timeout(cls, seconds: float) -> Verdict:
        return cls(0.0, False, Reason.TIMEOUT, {"why": f"verifier exceeded {seconds:g}s"})

    @classmethod
    def error(cls, why: str) -> Verdict:
        return cls(0.0, False, Reason.ERROR, {"why": why})

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["reason"] = self.reason.value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        return cls(
            float(data["score"]),
            bool(data["correct"]),
            Reason(data["reason"]),
            dict(data.get("details") or {}),
            data.get("extraction"),
        )


def partial_credit(verdict: Verdict) -> float:
    """The fraction of the answer a verifier reported right (0 when it reported none).

    Read from ``details["fraction"]``, or ``details["passed"] / details["total"]`` (code tasks:
    tests passed). Clipped to [0, 1]. A correct verdict is 1.
    """
    if verdict.correct:
        return 1.0
    details = verdict.details or {}
    value = details.get("fraction")
    if value is None and details.get("total"):
        try:
            value = float(details.get("passed", 0)) / float(details["total"])
        except (TypeError, ValueError, ZeroDivisionError):
            value = None
    try:
        return min(1.0, max(0.0, float(value))) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0
