"""Running untrusted programs: model-written code is hostile input.

One call runs a Python program (or a command) confined, and says how it ended::

    from synlog.sandbox import Limits, run

    result = run("print(sum(range(10)))", limits=Limits(wall_s=2, memory_mb=256))
    result.status, result.stdout, result.backend      # (Status.OK, '45\\n', 'bwrap'), say

``program`` is Python source run by a fixed interpreter (``main.py`` in the work dir);
``argv`` instead runs that command (absolute path or on PATH). ``files`` are written into the
run's private, empty work dir, which is the cwd. Backends (``docs/sandbox.md`` states what each
isolates, with the attack suite's results):

- ``process``: hard rlimits, a uid of its own, new session, network/pid/mount namespaces;
- ``bwrap``: the same inside bubblewrap (read-only system, private /tmp and /dev, all
  namespaces unshared, capabilities dropped);
- ``docker``: a container with no network, memory and pids limits, read-only root, non-root;
- ``warm``: the process backend's confinement applied in children forked from a warm
  interpreter (no interpreter start-up per run) — for scoring batches.

``backend="auto"`` (or ``$SYNLOG_SANDBOX_BACKEND``) picks the strongest available one and every
result names the backend that ran it.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

from synlog.sandbox.core import Limits, Options, RunResult, SandboxError, Status

BACKENDS = ("docker", "bwrap", "process", "warm")
#: strongest first; ``warm`` is chosen only by name (it trades exec isolation for speed)
AUTO_ORDER = ("docker", "bwrap", "process")


def _backend_module(name: str) -> ModuleType:
    """The module implementing backend ``name`` (imported on first use)."""
    return importlib.import_module(f"{__name__}.{name}")


def available_backends() -> list[str]:
    """The backends that can run here, strongest first."""
    return [name for name in BACKENDS if _backend_module(name).available()]


def resolve_backend(backend: str = "auto") -> str:
    """The backend ``auto`` stands for here (or ``backend`` itself, checked)."""
    if backend == "auto":
        backend = os.environ.get("SYNLOG_SANDBOX_BACKEND", "auto")
    if backend == "auto":
        have = available_backends()
        for name in AUTO_ORDER:
            if name in have:
                return name
        raise SandboxError("no sandbox backend works here: install util-linux (prlimit, setpriv)")
    if backend not in BACKENDS:
        raise ValueError(f"unknown sandbox backend {backend!r}; choose one of auto, {', '.join(BACKENDS)}")
    return backend


def weaknesses(backend: str = "auto") -> list[str]:
    """What ``backend`` cannot isolate on this machine (empty: the full jail), for one warning
    per command rather than a note per result."""
    name = resolve_backend(backend)
    if name == "docker":
        return []
    from synlog.sandbox import process, resources

    mode = process.jail_mode()
    if mode is None:
        return [process.UNJAILED]
    out = []
    if mode == "userns":
        out.append("not root: jailed in a user namespace, without a uid of its own or cgroups")
    elif not resources.available():
        out.append(resources.NO_CGROUPS)
    return out


def describe(backend: str = "auto") -> str:
    """One line naming the backend ``backend`` stands for and how it isolates here."""
    name = resolve_backend(backend)
    if name == "docker":
        return "docker (a container per run: no network, read-only root, memory and pids cgroups)"
    from synlog.sandbox import process, resources

    mode = process.jail_mode()
    if mode is None:
        return f"{name} (rlimits only: no namespaces here)"
    parts = ["host hidden (a root of the toolchain, read-only, and the run's own tmpfs)"]
    parts.append("a uid per run" if mode == "root" else "a user namespace, no uid of its own")
    if mode == "root" and resources.available():
        parts.append("memory and pids cgroups")
    return f"{name} ({', '.join(parts)})"


def run(
    program: str | None = None,
    *,
    argv: list[str] | None = None,
    stdin: str | bytes | None = None,
    files: dict[str, str | bytes] | None = None,
    limits: Limits = Limits(),  # noqa: B008 - frozen dataclass, safe as a default
    backend: str = "auto",
    env: dict[str, str] | None = None,
    executables: tuple[str, ...] | list[str] = (),
    collect: tuple[str, ...] | list[str] = (),
    binds: tuple[str, ...] | list[str] = (),
) -> RunResult:
    """Run ``program`` (Python source) or ``argv`` confined by ``limits`` on ``backend``.

    ``env``, ``executables``, ``collect`` and ``binds`` are :class:`Options` (extra environment,
    files written executable, files to bring back in ``RunResult.files``, extra read-only host
    paths). Never raises for anything the program does; a backend that cannot start yields
    ``Status.SANDBOX_ERROR`` with the reason in ``stderr``.
    """
    if (program is None) == (argv is None):
        raise ValueError("give exactly one of program (Python source) or argv (a command)")
    name = resolve_backend(backend)
    options = Options(dict(env or {}), tuple(executables), tuple(collect), tuple(binds))
    try:
        return _backend_module(name).run(program, argv, stdin, files, limits, options)
    except SandboxError as error:
        return RunResult(Status.SANDBOX_ERROR, stderr=str(error), backend=name)


__all__ = ["BACKENDS", "Limits", "Options", "RunResult", "SandboxError", "Status", "available_backends", "describe",
           "resolve_backend", "run", "weaknesses"]
