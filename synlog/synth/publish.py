"""Publishing a finished dataset folder in one atomic step, and repairing a crashed publish.

A run writes its files into ``.<out>.tmp-<pid>`` and renames that, once complete, to
``.<out>.new-<pid>``: a ``.new`` folder is always a *complete* new output. Then:

* no ``<out>`` yet: ``rename(.new, out)``, one atomic step;
* ``<out>`` exists (``--overwrite``): on Linux ``renameat2(RENAME_EXCHANGE)`` swaps the two
  folders in one atomic step (the old output lands in ``.new``, is renamed ``.old-<pid>`` and
  removed). Where the exchange is not available (another OS, a file system without it) the
  fallback is two renames, ``out → .old-<pid>`` then ``.new → out``, with a window between
  them in which ``<out>`` is missing.

A crash leaves at most these dot-folders beside ``<out>``. :func:`recover` (run at the start of
every run into ``<out>``) completes or rolls back what a dead process left, so ``<out>`` is
always either the old complete output or the new complete one:

* ``.tmp-<pid>``: incomplete, removed;
* ``.new-<pid>``: complete; moved to ``<out>`` when ``<out>`` is missing (the fallback's window),
  removed otherwise;
* ``.old-<pid>``: the previous output; moved back when ``<out>`` is missing, removed otherwise.

Folders of a live process are left alone. :func:`fault_point` is a fault-injection hook for
tests: it kills the process at a named step when ``SYNLOG_FAULT_INJECT`` asks it to.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import signal
import sys
from functools import lru_cache
from pathlib import Path

#: fault-injection hook (tests only): "kill@<point>[,kill@<point>...][,no-exchange]"
FAULT_ENV = "SYNLOG_FAULT_INJECT"
#: the named points of :func:`publish` where ``kill@<point>`` fires
FAULT_POINTS = ("staged", "exchanged", "moved-aside", "published")

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, getattr(errno, "ENOTSUP", errno.EINVAL),
                getattr(errno, "EOPNOTSUPP", errno.EINVAL)}


def _faults() -> list[str]:
    return [f.strip() for f in os.environ.get(FAULT_ENV, "").split(",") if f.strip()]


def fault_point(name: str) -> None:
    """Fault-injection hook: SIGKILL this process here if ``SYNLOG_FAULT_INJECT`` names ``kill@name``.

    Lets a test crash a real generation at an exact step of publishing. Unset, it does nothing.
    """
    if f"kill@{name}" in _faults():
        os.kill(os.getpid(), signal.SIGKILL)


@lru_cache(maxsize=1)
def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # glibc older than 2.28, or musl without it
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _rename2(source: Path, target: Path, flags: int) -> bool:
    """``renameat2(source, target, flags)``; False when this system or file system lacks it."""
    function = _renameat2()
    if function is None or "no-exchange" in _faults():
        return False
    if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(target))


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically; False where the system cannot (then nothing moved)."""
    return _rename2(a, b, _RENAME_EXCHANGE)


def rename_new(source: Path, target: Path) -> None:
    """Rename ``source`` to a ``target`` that must not exist (never silently replacing one)."""
    if _rename2(source, target, _RENAME_NOREPLACE):
        return
    if target.exists():
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
    os.rename(source, target)


def work_names(out: Path, pid: int | None = None) -> tuple[Path, Path, Path]:
    """The (tmp, new, old) folders of a run with ``pid`` publishing into ``out``."""
    pid = os.getpid() if pid is None else pid
    return tuple(out.with_name(f".{out.name}.{kind}-{pid}") for kind in ("tmp", "new", "old"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _leftovers(out: Path) -> dict[str, dict[int, Path]]:
    """The work folders beside ``out``, by kind and pid."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(tmp|new|old)-(\d+)")
    found: dict[str, dict[int, Path]] = {"tmp": {}, "new": {}, "old": {}}
    try:
        entries = list(out.parent.iterdir())
    except OSError:  # no parent yet: nothing left over
        return found
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match:
            found[match.group(1)][int(match.group(2))] = entry
    return found


def recover(out: Path, pids: set[int] | None = None) -> bool:
    """Finish or undo what crashed publishes into ``out`` left behind (see the module docstring).

    ``pids`` limits the repair to those processes (a run repairs its own failed publish);
    by default every dead process's folders are repaired (call it before publishing). True when a crashed run's complete
    new output was moved into place (that run's data is then published after all).
    """
    rolled_forward = False
    found = _leftovers(out)

    def mine(pid: int) -> bool:
        if pids is not None:
            return pid in pids
        # folders under this process's own pid predate it (a crashed process the pid was reused from)
        return pid == os.getpid() or not _alive(pid)

    for pid, folder in sorted(found["tmp"].items()):
        if mine(pid):
            shutil.rmtree(folder, ignore_errors=True)
    for pid, folder in sorted(found["new"].items()):
        if mine(pid):
            if out.exists():
                shutil.rmtree(folder, ignore_errors=True)
            else:
                rename_new(folder, out)
                rolled_forward = True
    for pid, folder in sorted(found["old"].items()):
        if mine(pid):
            if out.exists():
                shutil.rmtree(folder, ignore_errors=True)
            else:
                rename_new(folder, out)
    return rolled_forward


def publish(staging: Path, out: Path, replace: bool) -> None:
    """Make the complete folder ``staging`` (a :func:`work_names` tmp) the folder ``out``.

    ``replace``: ``out`` may exist and is replaced; otherwise its appearing is an error
    (FileExistsError). On failure, ``out`` is left as it was (or restored).
    """
    _, ready, old = work_names(out)
    os.rename(staging, ready)
    fault_point("staged")
    try:
        if out.exists():
            if not replace:
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(out))
            if exchange(ready, out):
                fault_point("exchanged")
                os.rename(ready, old)
            else:
                os.rename(out, old)
                fault_point("moved-aside")
                os.rename(ready, out)
        else:
            rename_new(ready, out)
    except BaseException:
        recover(out, pids={os.getpid()})  # roll forward or back; never leave out missing
        raise
    fault_point("published")
    shutil.rmtree(old, ignore_errors=True)
