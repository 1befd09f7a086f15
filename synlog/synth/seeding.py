"""Deterministic, random-access seeding.

An example is a pure function of (task name, task version, params, seed, index). All of it
goes through :class:`numpy.random.SeedSequence`, whose hashing decorrelates neighbouring
inputs, so seed 8 is not seed 7 shifted by one index (as ``Random(seed + index)`` would be)::

    rng = example_rng("sudoku", 1, {"box": 3, "holes": 0.5}, seed=7, index=42)
    rng.integers(10)   # the same number on every machine, every run

``attempt`` numbers the retries of one example after a rejected candidate.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the byte form hashed for identity."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(value: Any, length: int = 32) -> str:
    """Hex SHA-256 of a value's canonical JSON, truncated to ``length`` characters."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()[:length]


def _words(hex_digest: str) -> list[int]:
    return [int(hex_digest[i : i + 8], 16) for i in range(0, len(hex_digest), 8)]


@lru_cache(maxsize=4096)
def _identity(task: str, version: int, params_json: str) -> tuple[int, ...]:
    """The words of ``digest({"task", "version", "params"})``, cached: a run repeats its params."""
    text = f'{{"params":{params_json},"task":{json.dumps(task, ensure_ascii=False)},"version":{int(version)}}}'
    return tuple(_words(hashlib.sha256(text.encode()).hexdigest()[:32]))


def example_seed_sequence(
    task: str, version: int, params: Mapping[str, Any], seed: int, index: int, attempt: int = 0
) -> np.random.SeedSequence:
    """The SeedSequence of one example attempt."""
    if seed < 0 or index < 0 or attempt < 0:
        raise ValueError("seed, index and attempt must be non-negative")
    identity = _identity(task, version, canonical_json(dict(params)))
    return np.random.SeedSequence([*identity, int(seed)], spawn_key=(int(index), int(attempt)))


def example_rng(
    task: str, version: int, params: Mapping[str, Any], seed: int, index: int, attempt: int = 0
) -> np.random.Generator:
    """A fresh Generator for one example attempt."""
    return np.random.Generator(
        np.random.PCG64(example_seed_sequence(task, version, params, seed, index, attempt))
    )


def stream_rng(*parts: Any) -> np.random.Generator:
    """A Generator keyed by arbitrary JSON-able parts (mixture draws, split permutations)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(_words(digest(list(parts))))))
