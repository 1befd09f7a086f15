"""The compile step: a sandboxed run of its own, and a cache so a source compiles once.

``compile_source`` writes the solution to the language's file name in an empty work dir and
runs the compile command confined by :data:`COMPILE_LIMITS` (30 s, 2 GB of address space,
64 processes, 256 MB of disk); the artifacts come back through ``collect`` and the test run
gets them as files::

    built = compile_source(LANGUAGES["c"], "int main(){return 0;}", backend="warm")
    built.ok, list(built.files), built.cached          # True, ['main'], False
    compile_source(LANGUAGES["c"], "int main(){return 0;}", backend="warm").cached   # True

The cache key is the sha256 of (language, toolchain version string, compile argv, source);
the version string is probed once per process and backend, in the sandbox, so a changed
toolchain never reuses an old binary. Entries live in memory (LRU) and on disk under
``$SYNLOG_CACHE_DIR/compile`` (default ``~/.cache/synlog/compile``), written atomically (a
temporary file, then ``os.replace``) and bounded (``$SYNLOG_COMPILE_CACHE_MB``, default 2 GB:
the least recently used go first). Compile errors are cached too (pass@k over one wrong
solution compiles once, also when its k judges run at the same time); a compile that ran out
of time or memory is cached in memory only, since a loaded machine may have caused it.
Sandbox failures are never cached.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from synlog.sandbox import Limits, Status, run
from synlog.tasks.code._languages import Language

COMPILE_LIMITS = Limits(wall_s=30.0, cpu_s=30.0, memory_mb=2048, address_space_mb=4096, output_bytes=200_000,
                        file_size_mb=128, open_files=256, processes=64, disk_mb=256, disk_files=8192)
#: lines of the compiler's message kept in a verdict
MESSAGE_LINES = 20
MESSAGE_CHARS = 2000
#: compiled sources kept in memory
MEMORY_ENTRIES = 128
CACHE_ENV = "SYNLOG_CACHE_DIR"
#: the disk cache's size bound: the least recently used entries go first (checked every PRUNE_EVERY writes)
BUDGET_ENV, DISK_BUDGET_MB, PRUNE_EVERY = "SYNLOG_COMPILE_CACHE_MB", 2048.0, 200
#: bump when the entry format changes
FORMAT = 1


@dataclass
class Compiled:
    """The outcome of a compile step.

    ok: the compiler succeeded and left every artifact.
    files: the artifacts by name (what the test run gets).
    message: the first lines of the compiler's output (a compile error's text).
    sandbox_error: the sandbox could not run the compiler (infrastructure, not the source).
    cached: served from the cache.
    """

    ok: bool
    files: dict[str, bytes] = field(default_factory=dict)
    message: str = ""
    sandbox_error: str = ""
    cached: bool = False
    transient: bool = False


_memory: OrderedDict[str, Compiled] = OrderedDict()
#: keys being compiled now, so concurrent judges of one source (pass@k) compile it once
_running: dict[str, threading.Event] = {}
_versions: dict[tuple[str, str], str] = {}
_lock = threading.Lock()
#: compile runs done by this process (tests read it to see the cache work)
stats = {"compiles": 0, "memory_hits": 0, "disk_hits": 0, "stores": 0}


def cache_dir() -> Path:
    base = os.environ.get(CACHE_ENV) or os.path.join(os.path.expanduser("~"), ".cache", "synlog")
    return Path(base) / "compile"


def toolchain_version(language: Language, backend: str) -> str | None:
    """The first line of the toolchain's version output, probed in the sandbox once per
    process and backend; None when the probe fails (the toolchain is missing or broken)."""
    key = (language.name, backend)
    with _lock:
        if key in _versions:
            return _versions[key]
    from synlog.tasks.code._languages import tool_path

    argv = [tool_path(language.version[0]) or language.version[0], *language.version[1:]]
    result = run(argv=argv, limits=COMPILE_LIMITS, backend=backend, env=dict(language.compile_env),
                 binds=language.binds)
    text = (result.stdout.strip() or result.stderr.strip()).splitlines()
    if result.status is not Status.OK or not text:
        return None
    with _lock:
        _versions[key] = text[0][:200]
    return text[0][:200]


def cache_key(language: Language, version: str, argv: list[str], source: str) -> str:
    blob = json.dumps([FORMAT, language.name, version, argv, source], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def _first_lines(text: str) -> str:
    return "\n".join(text.strip().splitlines()[:MESSAGE_LINES])[:MESSAGE_CHARS]


def _remember(key: str, entry: Compiled) -> None:
    with _lock:
        _memory[key] = entry
        _memory.move_to_end(key)
        while len(_memory) > MEMORY_ENTRIES:
            _memory.popitem(last=False)


def _load(key: str) -> Compiled | None:
    path = cache_dir() / key[:2] / f"{key}.json"
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("format") != FORMAT:
            return None
        files = {name: base64.b64decode(blob) for name, blob in data["files"].items()}
        entry = Compiled(bool(data["ok"]), files, str(data["message"]))
        os.utime(path)  # pruning deletes the least recently used first
        return entry
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _store(key: str, entry: Compiled) -> None:
    """Write the entry atomically; a cache that cannot be written is skipped, not an error."""
    folder = cache_dir() / key[:2]
    payload = {"format": FORMAT, "ok": entry.ok, "message": entry.message,
               "files": {name: base64.b64encode(blob).decode("ascii") for name, blob in entry.files.items()}}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(payload, out)
            os.replace(temporary, folder / f"{key}.json")
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        return
    with _lock:
        stats["stores"] += 1
        due = stats["stores"] % PRUNE_EVERY == 0
    if due:
        prune()


def prune(budget_mb: float | None = None) -> None:
    """Delete the least recently used entries until the disk cache holds at most
    ``budget_mb`` (default ``$SYNLOG_COMPILE_CACHE_MB``, else :data:`DISK_BUDGET_MB`)."""
    if budget_mb is None:
        try:
            budget_mb = float(os.environ.get(BUDGET_ENV, DISK_BUDGET_MB))
        except ValueError:
            budget_mb = DISK_BUDGET_MB
    entries = []
    for path in cache_dir().glob("*/*.json"):
        try:
            info = path.stat()
        except OSError:
            continue
        entries.append((info.st_mtime, info.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries, key=lambda entry: entry[0]):
        if total <= budget_mb * (1 << 20):
            break
        try:
            path.unlink()
        except OSError:
            continue
        total -= size


def compile_source(language: Language, source: str, *, backend: str, version: str | None = None) -> Compiled:
    """Compile ``source`` (cached; see the module docstring). ``language.compile`` must be set."""
    argv = language.compile_argv()
    if argv is None:
        raise ValueError(f"{language.name} has no compile step")
    if version is None:
        version = toolchain_version(language, backend)
        if version is None:
            probe = " ".join(language.version)
            return Compiled(False, sandbox_error=f"{language.tool} does not run in the {backend} sandbox here "
                                                 f"(`{probe}` failed there); judge {language.name} on another backend")
    key = cache_key(language, version, argv, source)
    while True:
        with _lock:
            hit = _memory.get(key)
            if hit is not None:
                _memory.move_to_end(key)
                stats["memory_hits"] += 1
                return Compiled(hit.ok, hit.files, hit.message, cached=True)
            running = _running.get(key)
            if running is None:  # ours to build; others wanting the same source wait for it
                running = _running[key] = threading.Event()
                break
        running.wait()  # then a memory hit, or (its sandbox failed) ours to try
    try:
        return _fetch_or_build(key, language, argv, source, backend)
    finally:
        with _lock:
            _running.pop(key, None)
        running.set()


def _fetch_or_build(key: str, language: Language, argv: list[str], source: str, backend: str) -> Compiled:
    stored = _load(key)
    if stored is not None:
        stats["disk_hits"] += 1
        _remember(key, stored)
        return Compiled(stored.ok, stored.files, stored.message, cached=True)
    entry = _compile(language, argv, source, backend)
    if entry.sandbox_error:
        return entry
    _remember(key, entry)
    if not entry.transient:
        _store(key, entry)
    return entry


def _compile(language: Language, argv: list[str], source: str, backend: str) -> Compiled:
    with _lock:
        stats["compiles"] += 1
    result = run(argv=argv, files={language.source: source}, limits=COMPILE_LIMITS, backend=backend,
                 env=dict(language.compile_env), collect=language.artifacts, binds=language.binds)
    message = _first_lines(result.stderr + ("\n" + result.stdout if result.stdout.strip() else ""))
    if result.status is Status.SANDBOX_ERROR:
        return Compiled(False, sandbox_error=f"the compile step could not run: {result.stderr[:200]}")
    if result.status is Status.TIMEOUT:
        return Compiled(False, message=f"compilation ran past {COMPILE_LIMITS.wall_s:g}s", transient=True)
    if result.status is Status.MEMORY:
        return Compiled(False, message="the compiler ran out of memory", transient=True)
    if result.status is Status.OUTPUT_LIMIT:
        return Compiled(False, message="the compiler's output exceeded its limit\n" + message)
    if result.status is not Status.OK or result.exit_code != 0:
        return Compiled(False, message=message or f"the compiler exited with {result.exit_code}")
    missing = [pattern for pattern in language.artifacts
               if not any(_matches(name, pattern) for name in result.files)]
    if missing:
        return Compiled(False, message=f"the compiler left no {', '.join(missing)}\n{message}".strip())
    return Compiled(True, dict(result.files), message)


def _matches(name: str, pattern: str) -> bool:
    import fnmatch

    return fnmatch.fnmatchcase(name, pattern)


def clear_memory_cache() -> None:
    """Forget the in-memory entries and probed versions (tests use it to reach the disk cache)."""
    with _lock:
        _memory.clear()
        _versions.clear()
