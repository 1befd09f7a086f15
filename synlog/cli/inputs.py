"""What the commands check about a user's files, folders and sockets before any work.

Each check fails with a one-line :class:`~synlog.errors.SynlogError` saying what to do; the
files themselves are read by :mod:`synlog.datasets_out.userfiles` (encoding, syntax, size).
"""

from __future__ import annotations

import errno
import math
import socket
from collections.abc import Mapping
from pathlib import Path

from synlog.datasets_out.io import check_output_folder
from synlog.datasets_out.userfiles import load_document
from synlog.errors import InputFileError, OutputError, SynlogError
from synlog.synth.plan import MAX_SEED
from synlog.tasks.knobs import shown

#: train config sections that are mappings, and an example of each for the message
TRAIN_SECTIONS = {
    "data": "{task: arithmetic, difficulty: 1, n: 512} or {path: data/arith}",
    "curriculum": "{tasks: {arithmetic: 1.0}}",
    "reward": "{accuracy: {weight: 1.0}}",
    "verifier": "{workers: 2, timeout: 10}",
    "grpo": "{max_steps: 100}",
}
TRAIN_TEXT_FIELDS = ("model", "gguf_file", "tokenizer", "output_dir")


def report_folder(output: str | None, option: str = "-o") -> None:
    """Refuse an output folder for a report or export that could not be made (before any work)."""
    if output:
        check_output_folder(Path(output), option, suffix_bytes=0)


def writing_into(folder: str | Path, exc: OSError) -> OutputError:
    """The one-line error for a failed write into an output folder (a full disk, say)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(f"no space left while writing into '{folder}'; free some space and rerun")
    return OutputError(f"cannot write into '{folder}': {exc.strerror or exc}; choose another -o")


def load_reward_spec(path: str | Path):
    """A ``RewardSpec`` from a YAML/JSON file (the whole file, or its ``reward:`` key)."""
    from synlog.trainer_bridge.spec import RewardSpec

    data = load_document(path, "reward spec", as_json=False) or {}
    if isinstance(data, Mapping) and "reward" in data:
        data = data["reward"] or {}
    if not isinstance(data, Mapping):
        raise InputFileError(
            f"{path}: a reward spec is a mapping like {{accuracy: {{weight: 1.0}}, format: {{weight: 0.2}}}};"
            f" got {type(data).__name__}"
        )
    _check_reward_shape(data, path)
    return checked_reward(RewardSpec.from_dict(data), path)


def _check_reward_shape(reward: Mapping, path: str | Path) -> None:
    """The one nested shape the reward spec parser trusts: ``length.budgets`` is a mapping."""
    length = reward.get("length")
    if isinstance(length, Mapping) and length.get("budgets") is not None and not isinstance(length["budgets"], Mapping):
        raise InputFileError(f"{path}: reward.length.budgets maps levels to lengths, e.g. {{1: 64, 5: 256}};"
                             f" got {shown(length['budgets'])}")


def checked_reward(spec, path: str | Path):
    """``spec`` if its numbers are finite real numbers (text like '1e400' parses to inf)."""
    numbers = {"accuracy.weight": spec.accuracy_weight, "format.weight": spec.format_weight,
               "length.weight": spec.length.weight, "length.target": spec.length.target,
               "length.tolerance": spec.length.tolerance,
               **{f"length.budgets.{level}": budget for level, budget in spec.length.budgets.items()}}
    for name, number in numbers.items():
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
            raise InputFileError(f"{path}: reward.{name} must be a finite number; got {shown(number)}")
    return spec


def load_train_config(path: str | Path):
    """A ``TrainConfig`` from a YAML/JSON file, its sections' shapes checked first."""
    from synlog.trainer_bridge.train import TrainConfig

    data = load_document(path, "train config", as_json=False)
    if not isinstance(data, Mapping):
        raise InputFileError(f"train config '{path}' must be a mapping (model:, data:, reward:, grpo:)")
    for name, example in TRAIN_SECTIONS.items():
        value = data.get(name)
        if value is not None and not isinstance(value, Mapping):
            raise InputFileError(f"{path}: '{name}' must be a mapping like {example}; got {shown(value)}")
    for name in TRAIN_TEXT_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise InputFileError(f"{path}: '{name}' must be text (a path or a name); got {shown(value)}")
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise InputFileError(f"{path}: 'seed' must be an integer from 0 to {MAX_SEED}; got {shown(seed)}")
    if isinstance(data.get("reward"), Mapping):
        _check_reward_shape(data["reward"], path)
    config = TrainConfig.from_dict(data)
    checked_reward(config.reward, path)
    return config


def check_listen(host: str, port: int) -> None:
    """Refuse, before loading anything, a host that does not resolve or a port already taken."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError, ValueError) as exc:  # ValueError: a NUL in the name
        reason = exc.strerror if isinstance(exc, socket.gaierror) else "not a valid host name"
        raise SynlogError(
            f"--host {shown(host)} does not resolve ({reason}); use an address such as 127.0.0.1 or 0.0.0.0"
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise SynlogError(
                    f"port {port} on {host} is already in use; stop what listens there or pass another --port"
                ) from None
            raise SynlogError(
                f"cannot listen on {host}:{port} ({exc.strerror}); pass another --host or --port"
            ) from None


def serve_errors(host: str, port: int, exc: OSError) -> SynlogError | None:
    """The one-line error for a server that could not bind after all (a race with another one)."""
    if isinstance(exc, socket.gaierror):
        return SynlogError(f"--host {shown(host)} does not resolve ({exc.strerror}); use an address such as 127.0.0.1")
    if exc.errno in (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES):
        return SynlogError(f"cannot listen on {host}:{port} ({exc.strerror}); pass another --host or --port")
    return None
