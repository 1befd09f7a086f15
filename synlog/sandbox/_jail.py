"""The jail: a private root holding only the toolchain, read-only, and the run's work dir.

Stdlib only and never imports synlog: the ``process`` backend's launcher and the ``warm``
server run this file's source under the sandbox interpreter (``python -I -S -B -c``), and the
host imports it for :func:`seccomp_program` (bubblewrap loads the same filter).

What one run sees, built inside new mount, pid, network, IPC and UTS namespaces::

    /usr (+ /bin /lib /lib64 /sbin as on the host)   the toolchain, read-only, nosuid
    /etc                                               ld.so.cache, alternatives, a passwd line
    <binds>                                            each extra installation, read-only
    /work  /tmp  /dev/shm                              one size- and inode-capped tmpfs (the quota)
    /dev                                               null zero full random urandom, fd links
    /proc                                              this pid namespace's own

Nothing else of the host exists in it: ``pivot_root`` into a fresh tmpfs, then the old root is
detached. The program then runs under every rlimit soft = hard, a uid of its own, no
capabilities, no-new-privs, and a seccomp filter (:func:`seccomp_program`) that refuses new user
namespaces (so no private tmpfs or mounts of its own), ``setns``, keyrings (``add_key``,
``keyctl``, ``request_key``: kernel keyring data would outlive the run), ``clone3`` (whose flags
a filter cannot read; libc falls back to ``clone``), and the x32 / 32-bit syscall tables.
"""

import base64
import ctypes
import fnmatch
import glob  # noqa: F401 - etc_entries imports it before the pivot
import json
import os
import platform
import resource
import signal
import struct
import sys  # noqa: F401 - the launcher reads sys.argv

LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long
LIBC.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]

CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC = 0x20000, 0x02000000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP = 1, 4, 38, 22
PR_CAPBSET_DROP = 24
SECCOMP_MODE_FILTER = 2
#: device nodes a program may open (bind-mounted from the host's /dev)
DEVICES = ("null", "zero", "full", "random", "urandom")
#: the top-level host paths that merged-/usr systems make symlinks into /usr
USR_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
#: /etc entries a toolchain reads (absent ones are skipped); nothing else of /etc is shown
ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime")
#: /etc folders of toolchains (the JVM's jvm.cfg and java.security live in /etc/java-17-openjdk)
ETC_GLOBS = ("java-*",)


def etc_entries():
    """The /etc names the jail shows (those that exist here)."""
    names = [name for name in ETC if os.path.exists("/etc/" + name)]
    for pattern in ETC_GLOBS:
        names += sorted(os.path.basename(path) for path in glob.glob("/etc/" + pattern) if os.path.isdir(path))
    return names

# --- seccomp -------------------------------------------------------------------------------
# per architecture: audit arch, and the syscall numbers the filter refuses
ARCHES = {
    "x86_64": {"audit": 0xC000003E, "x32_bit": 0x40000000, "clone": 56, "unshare": 272, "clone3": 435,
               "setns": 308, "add_key": 248, "request_key": 249, "keyctl": 250},
    "aarch64": {"audit": 0xC00000B7, "x32_bit": None, "clone": 220, "unshare": 97, "clone3": 435,
                "setns": 268, "add_key": 217, "request_key": 218, "keyctl": 219},
}
EPERM, ENOSYS = 1, 38
RET_ALLOW, RET_ERRNO, RET_KILL_PROCESS = 0x7FFF0000, 0x00050000, 0x80000000
LD_W_ABS, JEQ_K, JGE_K, JSET_K, RET_K = 0x20, 0x15, 0x35, 0x45, 0x06


def seccomp_program(machine=None):
    """The filter as raw ``struct sock_filter`` bytes (8 bytes per instruction), or None where
    the architecture is not one we know the syscall numbers of."""
    arch = ARCHES.get(machine or platform.machine())
    if arch is None:
        return None
    code = []

    def op(kind, k, jt=0, jf=0):
        code.append((kind, jt, jf, k))

    op(LD_W_ABS, 4)                                   # seccomp_data.arch
    op(JEQ_K, arch["audit"], 1, 0)
    op(RET_K, RET_KILL_PROCESS)                       # another syscall table (i386 via int 0x80)
    op(LD_W_ABS, 0)                                   # seccomp_data.nr
    if arch["x32_bit"]:
        op(JGE_K, arch["x32_bit"], 0, 1)
        op(RET_K, RET_ERRNO | ENOSYS)
    op(JEQ_K, arch["clone3"], 0, 1)
    op(RET_K, RET_ERRNO | ENOSYS)
    for name in ("setns", "add_key", "request_key", "keyctl"):
        op(JEQ_K, arch[name], 0, 1)
        op(RET_K, RET_ERRNO | EPERM)
    # clone(flags, ...) and unshare(flags): refuse CLONE_NEWUSER (low word of args[0])
    op(JEQ_K, arch["clone"], 1, 0)
    op(JEQ_K, arch["unshare"], 0, 3)
    op(LD_W_ABS, 16)
    op(JSET_K, CLONE_NEWUSER, 0, 1)
    op(RET_K, RET_ERRNO | EPERM)
    op(RET_K, RET_ALLOW)
    return b"".join(struct.pack("HBBI", *instruction) for instruction in code)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def load_seccomp(program):
    """Install ``program`` (needs no-new-privs set first); raise OSError when the kernel refuses."""
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if LIBC.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "seccomp filter refused")


# --- mounts --------------------------------------------------------------------------------
def check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def mount(source, target, fstype, flags, data=None):
    check(LIBC.mount(source.encode() if source else None, target.encode(),
                     fstype.encode() if fstype else None, flags, data.encode() if data else None),
          f"mount {target}")


def umount(target):
    check(LIBC.umount2(target.encode(), MNT_DETACH), f"umount {target}")


def unshare(flags):
    check(LIBC.unshare(flags), "unshare")


def bind_readonly(source, target):
    """Bind ``source`` at ``target`` (creating it) read-only, nosuid, nodev."""
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        open(target, "a").close()
    mount(source, target, None, MS_BIND | MS_REC)
    mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def pivot_root(new_root):
    """Make ``new_root`` the root of this mount namespace and detach everything else."""
    number = {"x86_64": 155, "aarch64": 41}.get(platform.machine())
    if number is None:
        raise OSError(38, "pivot_root: unknown architecture")
    old = os.path.join(new_root, ".old-root")
    os.mkdir(old)
    check(LIBC.syscall(number, new_root.encode(), old.encode()), "pivot_root")
    os.chdir("/")
    umount("/.old-root")
    os.rmdir("/.old-root")


def build_root(mountpoint, binds, uid, passwd_uid, userns=False):
    """A root in a fresh tmpfs at ``mountpoint`` (an existing dir of this mount namespace):
    the toolchain read-only, /dev and /etc minimal, empty mount points for /proc, /work,
    /tmp and /dev/shm. Call :func:`pivot_root` on it next."""
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("synlog-root", mountpoint, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=755")
    root = mountpoint
    for name in USR_LINKS:
        host = "/" + name
        if os.path.islink(host):
            os.symlink(os.readlink(host), os.path.join(root, name))
        elif os.path.isdir(host):
            bind_readonly(host, root + host)
    bind_readonly("/usr", root + "/usr")
    os.makedirs(root + "/etc", exist_ok=True)
    for name in etc_entries():
        bind_readonly("/etc/" + name, root + "/etc/" + name)
    for path in binds:
        real = os.path.realpath(path)
        if os.path.exists(real) and not os.path.exists(root + real):
            bind_readonly(real, root + real)
    with open(root + "/etc/passwd", "w") as out:
        out.write("root:x:0:0::/:/usr/sbin/nologin\n")
        if passwd_uid is not None:
            out.write(f"sandbox:x:{passwd_uid}:{passwd_uid}::/work:/usr/sbin/nologin\n")
    with open(root + "/etc/group", "w") as out:
        out.write("root:x:0:\n" + (f"sandbox:x:{passwd_uid}:\n" if passwd_uid is not None else ""))
    with open(root + "/etc/hosts", "w") as out:
        out.write("127.0.0.1 localhost\n")
    dev = root + "/dev"
    os.makedirs(dev)
    mount("synlog-dev", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=755")
    for name in DEVICES:
        if os.path.exists("/dev/" + name):
            open(dev + "/" + name, "w").close()
            mount("/dev/" + name, dev + "/" + name, None, MS_BIND)
    for index, name in enumerate(("stdin", "stdout", "stderr")):
        os.symlink(f"/proc/self/fd/{index}", f"{dev}/{name}")
    os.symlink("/proc/self/fd", dev + "/fd")
    for path in ("/proc", "/work", "/tmp", "/dev/shm", "/.scratch"):
        os.makedirs(root + path, exist_ok=True)
    mount(None, dev, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC)
    return root


def mount_proc():
    """This pid namespace's own /proc (False where the kernel refuses, e.g. a masked /proc)."""
    try:
        mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        return True
    except OSError:
        return False


def mount_scratch(disk_mb, inodes, uid):
    """One tmpfs of ``disk_mb`` MB and ``inodes`` files holding /work (0700, the run's uid),
    /tmp and /dev/shm (1777): everything the run can write, under one quota."""
    mount("synlog-scratch", "/.scratch", "tmpfs", MS_NOSUID | MS_NODEV,
          f"size={int(disk_mb)}m,nr_inodes={int(inodes)},mode=755")
    owner = 0 if uid is None else uid
    for name, mode in (("work", 0o700), ("tmp", 0o1777), ("shm", 0o1777)):
        path = "/.scratch/" + name
        os.mkdir(path)
        os.chown(path, owner, owner)
        os.chmod(path, mode)
    for name, target in (("work", "/work"), ("tmp", "/tmp"), ("shm", "/dev/shm")):
        mount("/.scratch/" + name, target, None, MS_BIND)
    umount("/.scratch")


def unmount_scratch():
    for target in ("/work", "/tmp", "/dev/shm"):
        try:
            umount(target)
        except OSError:
            pass


def write_files(files, executables, uid):
    """The job's files into /work (names were checked by the host: relative, inside)."""
    owner = 0 if uid is None else uid
    for name, encoded in files.items():
        path = os.path.join("/work", name)
        parent = os.path.dirname(path)
        if not os.path.isdir(parent):
            os.makedirs(parent)
            walk = parent
            while walk != "/work":
                os.chown(walk, owner, owner)
                walk = os.path.dirname(walk)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                     0o700 if name in executables else 0o600)
        try:
            data = memoryview(base64.b64decode(encoded))
            while data:
                data = data[os.write(fd, data):]
            os.fchown(fd, owner, owner)
        finally:
            os.close(fd)


def collect_files(patterns, limit_bytes):
    """Regular files under /work matching a pattern (relative names), at most ``limit_bytes``
    in all; symlinks and anything else are never followed."""
    out, total = {}, 0
    if not patterns:
        return out
    for top, _dirs, names in os.walk("/work", followlinks=False):
        for name in names:
            rel = os.path.relpath(os.path.join(top, name), "/work")
            if not any(fnmatch.fnmatchcase(rel, pattern) for pattern in patterns):
                continue
            try:
                fd = os.open(os.path.join(top, name), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except OSError:
                continue
            try:
                if not (os.fstat(fd).st_mode & 0o170000) == 0o100000:
                    continue
                data = b""
                while len(data) <= limit_bytes - total:
                    chunk = os.read(fd, 1 << 20)
                    if not chunk:
                        break
                    data += chunk
            finally:
                os.close(fd)
            total += len(data)
            if total > limit_bytes:
                return {"": "collected files exceed the limit"}
            out[rel] = base64.b64encode(data).decode()
    return out


# --- the program's own process ---------------------------------------------------------------
def confine(job):
    """In the program's process, as the last step before it runs: session, rlimits, uid,
    capabilities, no-new-privs, seccomp. Raises OSError when any step fails."""
    os.setsid()
    os.chdir(job.get("cwd", "/work"))
    for name, value in job["rlimits"].items():
        resource.setrlimit(getattr(resource, name), (value, value))
    uid = job.get("uid")
    if uid is not None:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    else:
        drop_capabilities()
    check(LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    check(LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "pdeathsig")
    program = job.get("seccomp")
    if program:
        load_seccomp(base64.b64decode(program))


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def drop_capabilities():
    """No capabilities now or after exec (a run that keeps uid 0 inside a user namespace)."""
    for cap in range(64):
        if LIBC.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break
    header = _CapHeader(0x20080522, 0)
    data = (_CapData * 2)()
    check(LIBC.capset(ctypes.byref(header), data), "capset")


#: the namespaces every jail is built in (a user namespace too where we are not root)
JAIL_NAMESPACES = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS


def enter_namespaces(userns):
    """Unshare the jail's namespaces; ``userns`` (not root): inside a user namespace mapping our
    uid and gid to 0, so the jail's mounts are ours to make."""
    uid, gid = os.getuid(), os.getgid()
    unshare(JAIL_NAMESPACES | (CLONE_NEWUSER if userns else 0))
    if userns:
        for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"), ("gid_map", f"0 {gid} 1")):
            with open(f"/proc/self/{name}", "w") as out:
                out.write(text)


def kill_all():
    """As pid 1 of the run's pid namespace: kill every other process in it, and reap them all
    (orphans are re-parented to us)."""
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    while True:
        try:
            os.wait4(-1, 0)
        except ChildProcessError:
            return
        except InterruptedError:
            continue


def close_all_but(keep):
    """Close every descriptor above 2 but ``keep``, whatever its number (the host's descriptors
    passed to the launcher can be far above 1024 in a process with many files open)."""
    top = max(os.sysconf("SC_OPEN_MAX"), keep + 2)
    os.closerange(3, keep)
    os.closerange(keep + 1, top)


def join_cgroups(procs_files):
    """Move this process into the run's cgroups (``cgroup.procs`` paths; before any fork)."""
    for path in procs_files:
        with open(path, "w") as out:
            out.write(str(os.getpid()))


def read_job(fd):
    """The job: JSON in a memfd the host wrote (read from offset 0)."""
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return json.loads(b"".join(chunks))


def write_reply(fd, reply):
    data = memoryview(json.dumps(reply).encode())
    while data:
        data = data[os.write(fd, data):]
