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


class InputFileError(SynlogError, ValueError):
    """A malformed input file (dataset, completions, mixture spec); names the line when it can."""
