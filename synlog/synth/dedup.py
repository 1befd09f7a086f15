"""The run's dedup index: every problem key kept so far, in bounded memory.

A key is a 128-bit problem fingerprint (:func:`synlog.synth.example.fingerprint`, as 16
bytes). The newest keys live in a Python set, about 100 bytes each and at most
``memory_keys`` of them (2**20 by default: about 100 MB). Past that bound the set is written
out as a sorted run of 16 bytes a key (``numpy`` arrays on disk, memory-mapped), so RAM stays
bounded however many rows a run keeps, and a lookup is a binary search per run. Runs of
similar size are merged (up to ``MAX_MERGED`` keys each), so a run of ``n`` rows keeps about
``log2(n / memory_keys)`` runs on disk.

Keys are looked up a batch at a time: :meth:`FingerprintIndex.prefetch` searches the runs on
disk for every key of a batch at once (vectorised), after which ``key in index`` and
:meth:`~FingerprintIndex.add` are set operations; a spill happens only in
:meth:`~FingerprintIndex.settle`, between batches.

    index = FingerprintIndex(folder)
    index.prefetch(keys)            # the keys the next checks will ask about
    if key not in index: index.add(key)
    index.settle()                  # may move the set to disk
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import numpy as np

#: keys kept in the in-memory set before it is spilled to a sorted run on disk
MEMORY_KEYS = 1 << 20
#: runs are merged while the result stays under this many keys (16 bytes each: 128 MB)
MAX_MERGED = 8 << 20
KEY_BYTES = 16


def key_of(fingerprint: str) -> bytes:
    """The 16-byte key of a 32-hex-digit fingerprint."""
    return bytes.fromhex(fingerprint)


def _as_pairs(keys: list[bytes]) -> np.ndarray:
    """Keys as a (2, n) array of unsigned 64-bit halves (high, low)."""
    if not keys:
        return np.empty((2, 0), dtype=np.uint64)
    pairs = np.frombuffer(b"".join(keys), dtype=">u8").reshape(-1, 2).astype(np.uint64)
    return np.ascontiguousarray(pairs.T)


def _sorted(pairs: np.ndarray) -> np.ndarray:
    return pairs[:, np.lexsort((pairs[1], pairs[0]))]


class FingerprintIndex:
    """A set of 16-byte keys that spills to sorted runs in ``folder`` past ``memory_keys``."""

    def __init__(self, folder: str | Path, memory_keys: int = MEMORY_KEYS):
        self.folder = Path(folder)
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        self.memory_keys = max(1, memory_keys)
        self._recent: set[bytes] = set()
        self._found: set[bytes] = set()
        self._runs: list[tuple[Path, np.ndarray]] = []
        self._made = 0

    def __len__(self) -> int:
        return len(self._recent) + sum(run.shape[1] for _, run in self._runs)

    def __contains__(self, key: bytes) -> bool:
        return key in self._recent or key in self._found

    def add(self, key: bytes) -> None:
        self._recent.add(key)

    def update(self, keys: Iterable[bytes]) -> None:
        """Add many keys at once, spilling as needed (rebuilding the index on resume)."""
        for key in keys:
            self._recent.add(key)
            if len(self._recent) >= self.memory_keys:
                self._spill()

    def prefetch(self, keys: Iterable[bytes]) -> None:
        """Search the runs on disk for ``keys``; until the next prefetch, ``in`` answers for
        them without touching the disk again."""
        keys = list(keys)
        self._found = set()
        if not self._runs or not keys:
            return
        queries = _as_pairs(keys)
        hit = np.zeros(len(keys), dtype=bool)
        for _, run in self._runs:
            hit |= _search(run, queries)
        self._found = {key for key, found in zip(keys, hit.tolist(), strict=True) if found}

    def settle(self) -> None:
        """Spill the in-memory keys to disk when they passed the bound (call between batches)."""
        if len(self._recent) >= self.memory_keys:
            self._spill()

    def bytes_on_disk(self) -> int:
        return sum(path.stat().st_size for path, _ in self._runs)

    def _spill(self) -> None:
        run = _sorted(_as_pairs(list(self._recent)))
        self._recent = set()
        while self._runs and self._runs[-1][1].shape[1] <= 2 * run.shape[1] \
                and self._runs[-1][1].shape[1] + run.shape[1] <= MAX_MERGED:
            path, older = self._runs.pop()
            run = _sorted(np.concatenate([np.asarray(older), run], axis=1))
            del older
            path.unlink()
        self._runs.append(self._write(run))

    def _write(self, run: np.ndarray) -> tuple[Path, np.ndarray]:
        self._made += 1
        path = self.folder / f"run-{self._made:06d}.npy"
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as out:
            np.save(out, run)
        os.replace(tmp, path)
        return path, np.load(path, mmap_mode="r")


def _search(run: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Which of ``queries`` (2, q) occur in the sorted ``run`` (2, m)."""
    high, low = run[0], run[1]
    size = high.shape[0]
    if size == 0:
        return np.zeros(queries.shape[1], dtype=bool)
    pos = np.minimum(np.searchsorted(high, queries[0]), size - 1)
    same_high = high[pos] == queries[0]
    hit = same_high & (low[pos] == queries[1])
    for q in np.flatnonzero(same_high & ~hit).tolist():  # several keys share the high half: rare
        p = int(pos[q])
        while p < size and high[p] == queries[0, q]:
            if low[p] == queries[1, q]:
                hit[q] = True
                break
            p += 1
    return hit
