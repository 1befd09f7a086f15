"""Errors a user can cause. Each message says what to do next.

Everything a user can get wrong (a task name, a knob value, an output folder, a malformed
file) raises a :class:`SynlogError` subclass; the CLI turns it into a one-line message and
exit code 2. Anything else escaping is a bug in synlog.
"""

from __future__ import annotations


class SynlogError(Exception):
    """Base class of errors caused by input; the message tells the user how to fix it."""


class UnknownTaskError(SynlogError, KeyError):
    """A task name that is not registered."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class KnobError(SynlogError, ValueError):
    """A knob override that is unknown, mistyped or out of range, or an impossible combination."""


class GenerationError(SynlogError, RuntimeError):
    """A task could not produce a valid instance with the given knobs within the retry budget."""


class Reject(Exception):
    """Raised by ``Task.generate`` to discard a candidate instance and try again.

    The engine retries with a fresh, deterministic random stream, up to a bounded budget;
    when the budget is spent it raises :class:`GenerationError` naming the knobs.
    """


class OutputError(SynlogError, OSError):
    """An output folder that exists, cannot be written, or holds a foreign partial run."""


class DiskFullError(OutputError):
    """The output's file system filled up mid-run; the message names the folder and the space
    still needed, and the run can be continued with ``--resume`` once space is freed."""


class InputFileError(SynlogError, ValueError):
    """A malformed input file (dataset, completions, mixture spec); names the line when it can."""


class UnscorableError(SynlogError, ValueError):
    """A scoring job no task can judge: an unknown task, a problem that is not a JSON object,
    a row that is not synlog's. Never scored 0: the message names the job and the fix.

    ``index`` is the job's position in the batch it came in (None when not known).
    """

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


class ScoringError(SynlogError, RuntimeError):
    """Infrastructure failed while scoring (verifier workers that cannot start or keep dying,
    a verifier that failed on a completion): the completion has no verdict, and 0 would lie."""


class WorkerStartError(ScoringError):
    """No verifier worker process could be started; the message carries the worker's error."""
