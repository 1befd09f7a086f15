"""The languages the code judge runs, as data: one :class:`Language` record each.

A language is a file name, an optional compile command, a run command, the artifacts the
compile step leaves, a toolchain version probe and the few limits it needs beyond the
defaults. Nothing here runs anything; :mod:`._compile` and :mod:`._stdio` read these records::

    lang = LANGUAGES["cpp"]
    lang.source                     # 'main.cpp'  (the solution is written there)
    lang.compile                    # ('g++', '-O2', '-std=gnu++17', '-o', 'main', 'main.cpp')
    lang.run                        # ('./main',)
    available("cpp")                # True when g++ is on the sandbox PATH here

Commands name their tool by its bare name; :func:`tool_path` finds it on the sandbox's PATH
(``/usr/local/bin:/usr/bin:/bin``, never a user's ``~/.cargo`` or ``~/.pyenv``) and resolves
symlinks (Debian's ``/usr/bin/java`` goes through ``/etc/alternatives``). ``{memory_mb}`` in a run command becomes the test's memory limit.

Adding a language is adding a record: the judge, the compile cache and the tests read them all.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field

#: where the sandbox looks for programs (synlog.sandbox.core.CLEAN_ENV)
SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin"


@dataclass(frozen=True)
class Language:
    """How to build and run a solution in one language.

    name: the problem JSON's ``language`` value.
    fence: the code-fence tag shown in prompts (```` ```cpp ````).
    source: the file the solution is written to in the work dir.
    compile: argv of the compile step (run in the work dir holding ``source``), or None.
    run: argv of one test run (the work dir holds the artifacts, and ``source`` when
        ``run_needs_source``).
    artifacts: ``collect`` patterns of what the compile step leaves for the run.
    executables: artifacts written mode 0700 into the run.
    version: argv printing the toolchain's version (part of the compile cache key).
    compile_env, run_env: variables added to the sandbox's clean environment.
    address_space_extra_mb: for runtimes that reserve far more address space than they use
        (JVM, V8, Go): RLIMIT_AS of a test process is the test's memory limit plus this, and
        memory is bounded by the runtime's heap flag, the run's cgroup and the test's peak
        RSS. None: RLIMIT_AS is the test's memory limit.
    binds: host paths the toolchain needs beyond /usr (a toolchain under /opt); the JVM's /etc
        folder is in every jail already.
    memory_overhead_mb: memory the runtime uses beyond its heap flag (added to the run's cgroup).
    processes, open_files: what a test process needs (threads count as processes).
    time_factor, time_extra_s: a test's CPU limit is ``time_limit_s * time_factor +
        time_extra_s`` (JVM start-up costs about half a second of CPU).
    oom_markers: stderr texts that mean the program ran out of memory.
    run_in_harness: Python only: run the solution as ``__main__`` in a fork of the judge's own
        interpreter instead of exec'ing a fresh one per test (the same interpreter and flags,
        -I -S -B; about 2 ms a test instead of about 10).
    """

    name: str
    fence: str
    source: str
    compile: tuple[str, ...] | None
    run: tuple[str, ...]
    artifacts: tuple[str, ...] = ()
    executables: tuple[str, ...] = ()
    version: tuple[str, ...] = ()
    compile_env: dict[str, str] = field(default_factory=dict)
    run_env: dict[str, str] = field(default_factory=dict)
    address_space_extra_mb: int | None = None
    binds: tuple[str, ...] = ()
    memory_overhead_mb: int = 0
    processes: int = 8
    open_files: int = 64
    time_factor: float = 1.0
    time_extra_s: float = 0.0
    oom_markers: tuple[str, ...] = ()
    run_needs_source: bool = False
    run_in_harness: bool = False

    @property
    def tool(self) -> str:
        """The command whose absence makes this language unavailable (the compiler, else the runtime)."""
        return (self.compile or self.run)[0]

    def run_argv(self, memory_mb: int) -> list[str]:
        """The run command for a test memory limit, its tool resolved (see :func:`tool_path`)."""
        argv = [part.replace("{memory_mb}", str(memory_mb)) for part in self.run]
        return [tool_path(argv[0]) or argv[0], *argv[1:]]

    def compile_argv(self) -> list[str] | None:
        if self.compile is None:
            return None
        return [tool_path(self.compile[0]) or self.compile[0], *self.compile[1:]]

    def cpu_limit(self, time_limit_s: float) -> float:
        return time_limit_s * self.time_factor + self.time_extra_s


_GO_ENV = {"GOCACHE": "/tmp/go-cache", "GOPATH": "/tmp/go", "GO111MODULE": "off", "CGO_ENABLED": "0",
           "GOFLAGS": "-buildvcs=false"}

LANGUAGES: dict[str, Language] = {
    language.name: language
    for language in (
        Language("python", "python", "solution.py", None, ("python3", "-I", "-S", "-B", "solution.py"),
                 version=("python3", "--version"), oom_markers=("MemoryError",), run_needs_source=True,
                 run_in_harness=True),
        Language("c", "c", "main.c", ("gcc", "-O2", "-std=gnu17", "-o", "main", "main.c", "-lm"), ("./main",),
                 artifacts=("main",), executables=("main",), version=("gcc", "--version")),
        Language("cpp", "cpp", "main.cpp", ("g++", "-O2", "-std=gnu++17", "-o", "main", "main.cpp"), ("./main",),
                 artifacts=("main",), executables=("main",), version=("g++", "--version"),
                 oom_markers=("std::bad_alloc",)),
        Language("java", "java", "Main.java", ("javac", "-J-Xmx512m", "-J-XX:+UseSerialGC", "-encoding", "UTF-8",
                                               "-d", ".", "Main.java"),
                 ("java", "-Xmx{memory_mb}m", "-Xss64m", "-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1",
                  "-XX:ReservedCodeCacheSize=64m", "-XX:CompressedClassSpaceSize=64m", "-XX:-UsePerfData",
                  "-Xshare:auto", "-cp", ".", "Main"),
                 artifacts=("Main.class", "*.class"), version=("javac", "-version"), address_space_extra_mb=2048,
                 memory_overhead_mb=384, processes=64, open_files=256, time_factor=1.5, time_extra_s=1.0,
                 oom_markers=("java.lang.OutOfMemoryError", "Could not reserve enough space")),
        Language("javascript", "javascript", "main.js", ("node", "--check", "main.js"),
                 ("node", "--max-old-space-size={memory_mb}", "--stack-size=65500", "main.js"),
                 version=("node", "--version"), address_space_extra_mb=4096, memory_overhead_mb=256, processes=32, open_files=128,
                 time_factor=1.0, time_extra_s=0.5, run_needs_source=True,
                 oom_markers=("heap out of memory", "Fatal process out of memory")),
        Language("rust", "rust", "main.rs", ("rustc", "-O", "--edition", "2021", "-C", "strip=symbols", "-o", "main", "main.rs"), ("./main",),
                 artifacts=("main",), executables=("main",), version=("rustc", "--version"),
                 oom_markers=("memory allocation of",)),
        Language("go", "go", "main.go", ("go", "build", "-ldflags=-s -w", "-o", "main", "main.go"), ("./main",),
                 artifacts=("main",), executables=("main",), version=("go", "version"), compile_env=_GO_ENV,
                 run_env={"GOMAXPROCS": "1"}, address_space_extra_mb=1024, processes=32, oom_markers=("out of memory",)),
    )
}


def tool_path(command: str) -> str | None:
    """``command``'s real path on the sandbox's PATH (symlinks resolved), or None."""
    if os.path.isabs(command) or command.startswith("./"):
        return command
    found = shutil.which(command, path=SANDBOX_PATH)
    return os.path.realpath(found) if found else None


def available(language: str) -> bool:
    """Whether the language's tools (compiler and runtime) are installed for the sandbox here."""
    spec = LANGUAGES.get(language)
    if spec is None:
        return False
    tools = [spec.run[0]] + ([spec.compile[0]] if spec.compile else [])
    return all(tool_path(tool) is not None for tool in tools)


def missing_tool(language: str) -> str | None:
    """The first tool of ``language`` that is not installed here, or None."""
    spec = LANGUAGES[language]
    for tool in ([spec.compile[0]] if spec.compile else []) + [spec.run[0]]:
        if tool_path(tool) is None:
            return tool
    return None
