"""Progress for long commands: a bar on a terminal, periodic one-line reports elsewhere.

A job scheduler or ``nohup`` log gets neither silence nor a smeared bar, but a line every
``SYNLOG_PROGRESS_SECONDS`` (default 30) seconds and one at the end::

    generate: 12,000/100,000 rows (12%), 2,310 rows/s, ETA 38s

    with progress(total=n, desc="generate", unit="row") as bar:
        bar.update(1)
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

#: seconds between report lines when stderr is not a terminal
DEFAULT_SECONDS = 30.0


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class LineProgress:
    """``tqdm``'s ``update`` for a log file: one line per interval, and one when done."""

    def __init__(self, total: int, desc: str, unit: str, stream: TextIO, every: float):
        self.total, self.desc, self.unit, self.stream, self.every = total, desc, unit, stream, every
        self.n = 0
        self.start = self.last = time.monotonic()

    def update(self, k: int = 1) -> None:
        self.n += k
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self.report(now)

    def report(self, now: float | None = None) -> None:
        elapsed = max((now or time.monotonic()) - self.start, 1e-9)
        rate = self.n / elapsed
        line = f"{self.desc}: {self.n:,}/{self.total:,} {self.unit}s"
        if self.total:
            line += f" ({self.n / self.total:.0%})"
        line += f", {rate:,.0f} {self.unit}s/s" if rate >= 10 else f", {rate:.2g} {self.unit}s/s"
        if self.n < self.total and rate > 0:
            line += f", ETA {_duration((self.total - self.n) / rate)}"
        elif self.n >= self.total:
            line += f", done in {_duration(elapsed)}"
        print(line, file=self.stream, flush=True)

    def close(self) -> None:
        if self.n:
            self.report()


@contextmanager
def progress(total: int, desc: str, unit: str, stream: TextIO | None = None) -> Iterator[Any]:
    """A tqdm bar when ``stream`` (stderr) is a terminal, else a :class:`LineProgress`."""
    stream = stream or sys.stderr
    if stream.isatty():
        from tqdm import tqdm

        with tqdm(total=total, unit=unit, desc=desc, file=stream) as bar:
            yield bar
        return
    try:
        every = float(os.environ.get("SYNLOG_PROGRESS_SECONDS", DEFAULT_SECONDS))
    except ValueError:
        every = DEFAULT_SECONDS
    bar = LineProgress(total, desc, unit, stream, max(every, 0.0))
    yield bar
    bar.close()  # the closing line only when the work finished (an error prints its own line)
