"""The ``docker`` backend: one throw-away container per run, through the ``docker`` SDK.

Each run: ``network_mode="none"``, a memory limit with no extra swap, a pids limit, a
read-only root file system, uid/gid 65534, every capability dropped, no-new-privileges,
hard CPU/file-size/open-files ulimits, a private tmpfs ``/tmp``, and the run's fresh work dir
bind-mounted at ``/work`` (the only writable path; removed after the run). The container is
killed at the wall limit or when stdout passes the cap, then removed.

The image (``$SYNLOG_SANDBOX_IMAGE``, default ``synlog-sandbox-python:3``) needs only a Python
at ``/usr/bin/python3``. No registry is needed: ``python -m synlog.sandbox.docker build``
imports a minimal root made of this machine's sandbox interpreter, its shared libraries and
its standard library (``docker import``). Install the SDK with ``pip install synlog[docker]``.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import threading
import time
from functools import cache
from pathlib import Path

from synlog.sandbox.core import (
    CLEAN_ENV,
    MAIN,
    Limits,
    Options,
    RunResult,
    SandboxError,
    Status,
    Streams,
    as_bytes,
    chown_tree,
    classify,
    collect_from,
    hard_rlimits,
    make_workdir,
    remove_workdir,
)

NAME = "docker"
IMAGE = os.environ.get("SYNLOG_SANDBOX_IMAGE", "synlog-sandbox-python:3")
USER = 65534
STDIN_FILE = ".stdin"
#: the container's first process: copy the files from the read-only /in into the /work tmpfs
#: (when the run collects nothing), point stdin at the run's stdin file, exec the command
LAUNCH = ("import os, shutil, sys; src = '/in' if os.path.isdir('/in') else '/work'; "
          "src == '/in' and shutil.copytree('/in', '/work', symlinks=True, dirs_exist_ok=True, "
          "ignore=shutil.ignore_patterns('" + STDIN_FILE + "')); "
          "fd = os.open(src + '/" + STDIN_FILE + "', os.O_RDONLY); os.dup2(fd, 0); "
          "os.close(fd); os.execv(sys.argv[1], sys.argv[1:])")


def _client():
    try:
        import docker
    except ImportError as error:
        raise SandboxError("the docker backend needs the docker SDK: pip install 'synlog[docker]'") from error
    try:
        client = docker.from_env(timeout=30)
        client.ping()
    except Exception as error:  # noqa: BLE001 - any failure to reach the daemon means unavailable
        raise SandboxError(f"no docker daemon reachable: {error}") from error
    return client


@cache
def _status() -> str | None:
    """None when a daemon and the image are there, else why not (checked once per process)."""
    try:
        client = _client()
    except SandboxError as error:
        return str(error)
    try:
        client.images.get(IMAGE)
    except Exception:  # noqa: BLE001 - docker.errors.ImageNotFound and API errors alike
        return f"docker image {IMAGE} is missing: python -m synlog.sandbox.docker build"
    return None


def available() -> bool:
    return _status() is None


def why_unavailable() -> str:
    return _status() or ""


def run(
    program: str | None,
    argv: list[str] | None,
    stdin: str | bytes | None,
    files: dict[str, str | bytes] | None,
    limits: Limits,
    options: Options = Options(),  # noqa: B008 - frozen dataclass
) -> RunResult:
    """Run ``program`` or ``argv`` in a fresh container (see the module docstring)."""
    from docker.types import LogConfig, Ulimit

    client = _client()
    command = list(argv) if argv else ["/usr/bin/python3", "-I", "-S", "-B", MAIN]
    entries = dict(files or {})
    entries[STDIN_FILE] = as_bytes(stdin)
    workdir = make_workdir(program, entries, options.executables)
    container = None
    try:
        chown_tree(workdir, USER)
        # RLIMIT_AS is left out: the container's memory limit replaces it
        ulimits = [Ulimit(name=name.removeprefix("RLIMIT_").lower(), soft=value, hard=value)
                   for name, value in hard_rlimits(limits, with_nproc=False).items() if name != "RLIMIT_AS"]
        quota = f"size={limits.disk_mb}m,nr_inodes={limits.disk_files}"
        scratch = {"/tmp": f"{quota},mode=1777", "/dev/shm": f"{quota},mode=1777"}
        if options.collect:  # the files to bring back must be on the host: the work dir is bound
            volumes = {str(workdir): {"bind": "/work", "mode": "rw"}}
        else:
            volumes = {str(workdir): {"bind": "/in", "mode": "ro"}}
            scratch["/work"] = f"{quota},mode=700,uid={USER},gid={USER}"
        start = time.monotonic()
        container = client.containers.create(
            IMAGE, ["/usr/bin/python3", "-I", "-S", "-c", LAUNCH, *command],
            user=f"{USER}:{USER}", working_dir="/work", environment=dict(CLEAN_ENV, HOME="/work", TMPDIR="/tmp", **options.env),
            network_mode="none", read_only=True, cap_drop=["ALL"], security_opt=["no-new-privileges"],
            mem_limit=f"{limits.memory_mb}m", memswap_limit=f"{limits.memory_mb}m",
            pids_limit=limits.processes + 1,
            ulimits=ulimits,
            tmpfs=scratch,
            volumes=volumes,
            # the log file bounds what the container may write to disk; it is kept well above the
            # output limit so that a program printing in a tight loop cannot rotate it before this
            # process, reading it as it grows, sees the limit crossed (at 2x the limit the reader
            # lost its place under load and the run ended as a timeout)
            log_config=LogConfig(type="json-file", config={"max-size": str(max(limits.output_bytes * 16, 1 << 20))}),
        )
        container.start()
        streams = Streams()
        timer = threading.Timer(limits.wall_s, _kill, (container, streams))
        timer.start()
        try:
            for chunk in container.logs(stdout=True, stderr=False, stream=True, follow=True):
                streams.stdout += chunk
                if len(streams.stdout) > limits.output_bytes:
                    streams.over_limit = True
                    del streams.stdout[limits.output_bytes:]
                    _kill(container, None)
                    break
            state = container.wait(timeout=limits.wall_s + 30)
        finally:
            timer.cancel()
        wall = time.monotonic() - start
        streams.stderr += container.logs(stdout=False, stderr=True)[: limits.output_bytes]
        container.reload()
        exit_code = state.get("StatusCode")
        stderr = streams.stderr.decode("utf-8", "replace")
        status = classify(streams, exit_code, 0.0, limits, stderr, wall)
        if container.attrs.get("State", {}).get("OOMKilled"):
            status = Status.MEMORY
        notes = ["cpu_s and peak_memory_mb are not measured by this backend"]
        if options.binds:
            notes.append("binds are not shown: the image holds only its own interpreter")
        if options.collect:
            notes.append("collecting files: the work dir is a host folder (one file <= file_size_mb)")
        return RunResult(status, streams.stdout.decode("utf-8", "replace"), stderr, exit_code, wall,
                         0.0, 0.0, NAME, notes, collect_from(workdir, options.collect, limits.disk_mb << 20))
    except SandboxError:
        raise
    except Exception as error:  # noqa: BLE001 - daemon/API failures become sandbox_error
        raise SandboxError(f"docker run failed: {type(error).__name__}: {error}") from error
    finally:
        if container is not None:
            try:
                container.remove(force=True)
            except Exception:  # noqa: BLE001 - already gone
                pass
        remove_workdir(workdir)


def _kill(container, streams: Streams | None) -> None:
    if streams is not None:
        streams.timed_out = True
    try:
        container.kill()
    except Exception:  # noqa: BLE001 - it may have exited meanwhile
        pass


def _root_files(python: str) -> list[Path]:
    """The interpreter, its shared libraries and its standard library (no tests, no tk)."""
    real = Path(python).resolve()
    out = [Path(python), real]
    probe = subprocess.run([python, "-I", "-S", "-c", "import sys; print(sys.version_info[:2])"],
                           capture_output=True, text=True, check=True).stdout.strip()
    version = "python{}.{}".format(*[int(x) for x in probe.strip("()").split(",")])
    skip = {"test", "tests", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3", "site-packages",
            "dist-packages"}
    for base in (Path("/usr/lib") / version, Path("/usr/lib") / version / "lib-dynload"):
        if base.is_dir():
            for path in base.rglob("*"):
                if path.is_file() and not skip.intersection(path.relative_to(base).parts):
                    out.append(path)
    binaries = [str(real)] + [str(p) for p in out if p.suffix == ".so"]
    ldd = subprocess.run(["ldd", *binaries], capture_output=True, text=True).stdout
    out += sorted({Path(part) for line in ldd.splitlines() for part in line.split()
                   if part.startswith("/") and not part.endswith(":")})
    return out


def build(python: str = "/usr/bin/python3", tag: str = IMAGE) -> str:
    """Import a minimal image holding ``python`` as /usr/bin/python3; return its tag."""
    client = _client()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for directory in ("work", "tmp", "usr/bin", "etc"):
            info = tarfile.TarInfo(directory)
            info.type, info.mode = tarfile.DIRTYPE, 0o1777 if directory == "tmp" else 0o755
            tar.addfile(info)
        for symlink, target in (("bin", "usr/bin"), ("lib", "usr/lib"), ("lib64", "usr/lib64")):
            if Path("/" + symlink).is_symlink():
                info = tarfile.TarInfo(symlink)
                info.type, info.linkname = tarfile.SYMTYPE, target
                tar.addfile(info)
        seen: set[str] = set()
        for path in _root_files(python):
            # the name under the real directory (/lib → /usr/lib), the content dereferenced
            name = str(Path(os.path.realpath(path.parent)) / path.name).lstrip("/")
            if name in seen or not path.is_file():
                continue
            seen.add(name)
            tar.add(os.path.realpath(path), arcname=name, recursive=False)
        if "usr/bin/python3" not in seen:
            tar.add(str(Path(python).resolve()), arcname="usr/bin/python3")
    repository, _, version = tag.partition(":")
    client.api.import_image_from_data(buffer.getvalue(), repository=repository, tag=version or "latest")
    _status.cache_clear()
    return tag


if __name__ == "__main__":
    if sys.argv[1:2] != ["build"]:
        raise SystemExit("usage: python -m synlog.sandbox.docker build [PYTHON]")
    print(build(*(sys.argv[2:3] or ["/usr/bin/python3"])))
