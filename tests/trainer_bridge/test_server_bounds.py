"""`synlog serve` under abuse: memory that stays flat, deep nesting, slow and surplus clients.

Every test runs the real aiohttp server on 127.0.0.1 (``synlog.trainer_bridge.server.start``,
the same start-up ``synlog serve`` uses) in a background event loop, and talks to it over
real sockets.
"""

from __future__ import annotations

import asyncio
import gc
import json
import socket
import threading
import time

import pytest

pytest.importorskip("aiohttp", reason="needs the serve extra (aiohttp)")

from synlog.trainer_bridge.scorer import Scorer  # noqa: E402
from synlog.trainer_bridge.server import make_app, start  # noqa: E402
from tests.helpers.http import free_port, post  # noqa: E402


def running(scorer, **bounds):
    """A context manager serving make_app(scorer) with ``bounds`` passed to ``start``."""

    class Served:
        def __enter__(self):
            self.port = free_port()
            self.loop = asyncio.new_event_loop()
            ready = threading.Event()

            def serve():
                asyncio.set_event_loop(self.loop)
                self.runner = self.loop.run_until_complete(
                    start(make_app(scorer, max_body_mb=8), "127.0.0.1", self.port, **bounds))
                ready.set()
                self.loop.run_forever()
                self.loop.run_until_complete(self.runner.cleanup())

            self.thread = threading.Thread(target=serve, daemon=True)
            self.thread.start()
            assert ready.wait(30)
            return f"http://127.0.0.1:{self.port}", self.port

        def __exit__(self, *exc):
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)

    return Served()


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def test_unique_huge_completions_do_not_grow_memory_for_good(rows):
    """The review: 100 unique 5 MB completions raised the server's RSS from 171 to 706 MB for
    good (the cache kept every completion's text). The cache now keeps hashes, within bytes."""
    label = json.dumps({"task": rows[0]["task"], "problem": rows[0]["problem"]})
    with Scorer(workers=1, timeout=10, cache_mb=1) as scorer, running(scorer) as (url, _):
        def send(i: int) -> None:
            query = f"{i} " + "x" * (5 * 2**20) + f"<answer>{rows[0]['answer']}</answer>"
            status, body = post(url, raw=json.dumps({"query": [query], "labels": [label]}).encode())
            assert status == 200, body

        for i in range(5):
            send(i)
        gc.collect()
        before = rss_mb()
        for i in range(5, 45):
            send(i)
        gc.collect()
        grown = rss_mb() - before
        assert grown < 60, f"RSS grew {grown:.0f} MB over 40 unique 5 MB completions"
        assert scorer._cache_bytes <= scorer.cache_limit


def test_the_cache_is_bounded_in_bytes_and_still_serves_repeats(rows):
    with Scorer(workers=0, cache_mb=0.01) as scorer:
        answers = [f"<answer>{i}</answer>" for i in range(400)]
        scorer.outcomes([rows[0]["task"]] * 400, [rows[0]["problem"]] * 400, answers)
        assert 0 < len(scorer._cache) < 400 and scorer._cache_bytes <= scorer.cache_limit
        last = answers[-1:]
        assert scorer.peek([rows[0]["task"]], [rows[0]["problem"]], last)[0] is not None


@pytest.mark.parametrize("body", [
    b"[" * 150_000 + b"]" * 150_000,
    b'{"query": ["q"], "labels": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
])
def test_deeply_nested_bodies_are_a_400(scorer, body):
    with running(scorer) as (url, _):
        status, answer = post(url, raw=body)
    assert status == 400, answer
    assert "error" in answer


def test_a_deeply_nested_label_string_is_a_400(scorer):
    label = "[" * 100_000 + "]" * 100_000
    with running(scorer) as (url, _):
        status, answer = post(url, raw=json.dumps({"query": ["q"], "labels": [label]}).encode())
    assert status == 400, answer


def _closed(sock: socket.socket, wait_s: float) -> bool:
    sock.settimeout(wait_s)
    try:
        return sock.recv(1024) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def test_slow_clients_are_disconnected_after_the_header_timeout(scorer):
    """The review: 300 slow connections were all still open after 30 s."""
    with running(scorer, header_timeout_s=1.0) as (_, port):
        slow = []
        for _ in range(30):
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(b"POST /get_reward HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # never finished
            slow.append(sock)
        deadline = time.monotonic() + 10
        still_open = list(slow)
        while still_open and time.monotonic() < deadline:
            still_open = [s for s in still_open if not _closed(s, 0.2)]
        for sock in slow:
            sock.close()
    assert not still_open, f"{len(still_open)} of 30 slow connections still open"


def test_connections_beyond_the_cap_are_closed_at_once(scorer, rows):
    with running(scorer, max_connections=8, header_timeout_s=30) as (url, port):
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(8)]
        time.sleep(0.3)
        extra = socket.create_connection(("127.0.0.1", port))
        assert _closed(extra, 5.0), "the ninth connection was kept"
        assert not _closed(idle[0], 0.2), "a connection within the cap was dropped"
        for sock in idle:
            sock.close()
        time.sleep(0.3)
        label = json.dumps({"task": rows[0]["task"], "problem": rows[0]["problem"]})
        status, _ = post(url, raw=json.dumps({"query": ["<answer>1</answer>"], "labels": [label]}).encode())
        assert status == 200  # served again once the idle ones left
        extra.close()
