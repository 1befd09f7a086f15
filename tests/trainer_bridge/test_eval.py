"""`synlog eval` against a real OpenAI-compatible server.

The server is ``transformers serve`` with the tiny model built locally
(synlog/trainer_bridge/tiny_model.py), started by this module on 127.0.0.1. Faults a healthy
server does not produce on demand (500s, hangs, a refused key) come from ``FaultProxy``, a
real HTTP server in front of it that forwards every request it does not fail on purpose: a
fault injector, named as such.

Specification:
- every (row, sample) gets one completion, cached as JSONL, scored by the verifiers; the run
  folder holds verdicts and a summary with accuracy per task and level;
- a rerun asks the server nothing; more samples ask only for the new ones; other sampling
  settings ask again;
- at most --concurrency requests are in flight;
- a server that returns 500 and recovers costs retries, not completions; one that hangs or
  keeps failing ends the run with a one-line error and no verdicts;
- after kill -9 the same command resumes, asking again at most what was in flight;
- the API key is sent and never printed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from synlog.cli.main import cli
from synlog.trainer_bridge.model_runner import CompletionCache

pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("torch", "transformers", "fastapi", "uvicorn", "openai")),
    reason="needs torch, transformers and transformers serve's server (fastapi, uvicorn, openai: the dev extra)")

ROWS, MAX_TOKENS = 4, "2"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``transformers serve`` pinned to the tiny model; its base URL."""
    from synlog.trainer_bridge.tiny_model import save

    folder = tmp_path_factory.mktemp("tiny") / "model"
    save(str(folder))
    port = free_port()
    executable = shutil.which("transformers")
    if executable is None:
        pytest.skip("the transformers CLI is not on PATH")
    log = open(folder.parent / "serve.log", "w")
    process = subprocess.Popen([executable, "serve", str(folder), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    deadline = time.monotonic() + 240
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"transformers serve did not start: {(folder.parent / 'serve.log').read_text()[-800:]}")
                time.sleep(0.5)
        yield {"url": f"http://127.0.0.1:{port}/v1", "model": str(folder)}
    finally:
        process.terminate()
        process.wait(30)
        log.close()


class FaultProxy:
    """A fault injector: a real HTTP server that forwards POSTs to ``target`` unless told to
    fail them (``fail`` the next N with 500, ``hang`` every request, ``delay`` each), and
    records how many it forwarded, how many were in flight at most, and the headers seen."""

    def __init__(self, target: str):
        self.target = target
        self.fail = 0
        self.hang = False
        self.delay = 0.0
        self.forwarded = 0
        self.failed = 0
        self.in_flight = 0
        self.most_in_flight = 0
        self.authorizations: list[str] = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with proxy.lock:
                    proxy.authorizations.append(self.headers.get("Authorization", ""))
                    proxy.in_flight += 1
                    proxy.most_in_flight = max(proxy.most_in_flight, proxy.in_flight)
                    failing = proxy.fail > 0
                    proxy.fail -= failing
                    proxy.failed += failing
                try:
                    if proxy.hang:
                        time.sleep(30)
                        return
                    if failing:
                        self.send_response(500)
                        self.end_headers()
                        return
                    time.sleep(proxy.delay)
                    request = urllib.request.Request(proxy.target + self.path.removeprefix("/v1"), data=body,
                                                     headers={"Content-Type": "application/json"})
                    try:
                        with urllib.request.urlopen(request, timeout=60) as reply:
                            status, payload = 200, reply.read()
                    except urllib.error.HTTPError as refused:  # the server's own errors pass through
                        status, payload = refused.code, refused.read()
                    with proxy.lock:
                        proxy.forwarded += 1
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with proxy.lock:
                        proxy.in_flight -= 1

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def proxy(server):
    fault = FaultProxy(server["url"])
    yield fault
    fault.close()


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "b"
    result = CliRunner().invoke(cli, ["bench", "build", "-o", str(out), "--tasks", "arithmetic,knights_knaves",
                                      "--levels", "1", "--per-cell", str(ROWS // 2), "-w", "1"])
    assert result.exit_code == 0, result.output
    return out


def run_eval(bench, run, url, model, *extra):
    args = ["eval", str(bench), "-o", str(run), "--base-url", url, "--model", model, "--max-tokens", MAX_TOKENS,
            "-w", "0", "--retries", "3", *map(str, extra)]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def cached(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "completions.jsonl").read_text().splitlines()]


def test_eval_caches_scores_and_resumes_without_asking_again(bench, proxy, server, tmp_path):
    run = tmp_path / "run"
    result = run_eval(bench, run, proxy.url, server["model"], "-k", 2)
    assert result.exit_code == 0, result.output
    assert proxy.forwarded == ROWS * 2
    records = cached(run)
    assert sorted((r["id"], r["sample"]) for r in records) == sorted(
        {(r["id"], s) for r in records for s in (0, 1)})
    summary = json.loads((run / "summary.json").read_text())
    assert summary["completions"] == ROWS * 2 and summary["problems"] == ROWS and "pass@2" in summary
    assert {(c["task"], c["difficulty"]) for c in summary["by_task_difficulty"]} == {
        ("arithmetic", 1), ("knights_knaves", 1)}
    assert (run / "verdicts.parquet").exists()

    again = run_eval(bench, run, proxy.url, server["model"], "-k", 2)
    assert again.exit_code == 0 and proxy.forwarded == ROWS * 2  # all from the cache
    assert f"0 asked now, {ROWS * 2} from the cache" in again.output
    more = run_eval(bench, run, proxy.url, server["model"], "-k", 3)
    assert more.exit_code == 0 and proxy.forwarded == ROWS * 3  # only sample 2 is new
    other = run_eval(bench, run, proxy.url, server["model"], "-k", 1, "--temperature", 0.5)
    assert other.exit_code == 0 and proxy.forwarded == ROWS * 4  # other settings: asked again
    assert len(cached(run)) == ROWS * 4


@pytest.mark.slow
def test_concurrency_bounds_the_requests_in_flight(bench, proxy, server, tmp_path):
    proxy.delay = 0.4
    result = run_eval(bench, tmp_path / "run", proxy.url, server["model"], "-k", 3, "--concurrency", 3)
    assert result.exit_code == 0, result.output
    assert proxy.most_in_flight == 3


def test_a_server_that_fails_then_recovers_costs_retries_only(bench, proxy, server, tmp_path):
    proxy.fail = 3
    result = run_eval(bench, tmp_path / "run", proxy.url, server["model"], "--concurrency", 1)
    assert result.exit_code == 0, result.output
    assert proxy.failed == 3 and proxy.forwarded == ROWS and len(cached(tmp_path / "run")) == ROWS


@pytest.mark.slow
def test_a_server_that_keeps_failing_or_hangs_is_a_one_line_error(bench, proxy, server, tmp_path):
    proxy.fail = 1000
    result = run_eval(bench, tmp_path / "a", proxy.url, server["model"], "--retries", 1, "--concurrency", 1)
    assert result.exit_code == 2 and "failed 2 times; last: HTTP 500" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "a" / "summary.json").exists()
    proxy.fail, proxy.hang = 0, True
    start = time.monotonic()
    result = run_eval(bench, tmp_path / "b", proxy.url, server["model"], "--retries", 1, "--request-timeout", 1,
                      "--concurrency", 1)
    assert result.exit_code == 2 and "failed 2 times" in result.output and "timed out" in result.output.lower()
    assert time.monotonic() - start < 20 and cached(tmp_path / "b") == []


def test_the_api_key_is_sent_and_never_printed(bench, proxy, server, tmp_path, monkeypatch):
    monkeypatch.setenv("SYNLOG_TEST_KEY", "sk-very-secret")
    proxy.fail = 1000
    result = run_eval(bench, tmp_path / "run", proxy.url, server["model"], "--api-key-env", "SYNLOG_TEST_KEY",
                      "--retries", 0)
    assert result.exit_code == 2
    assert proxy.authorizations and set(proxy.authorizations) == {"Bearer sk-very-secret"}
    assert "sk-very-secret" not in result.output


def test_a_wrong_model_name_stops_at_once(bench, proxy, server, tmp_path):
    result = run_eval(bench, tmp_path / "run", proxy.url, "no-such-model")
    assert result.exit_code == 2 and "refused the request: HTTP 4" in result.output
    assert proxy.forwarded <= 8  # no retries: at most the requests already in flight


@pytest.mark.slow
def test_kill_9_then_the_same_command_resumes(bench, proxy, server, tmp_path):
    proxy.delay = 0.5
    run = tmp_path / "run"
    command = [sys.executable, "-m", "synlog", "eval", str(bench), "-o", str(run), "--base-url", proxy.url,
               "--model", server["model"], "--max-tokens", MAX_TOKENS, "-k", "3", "--concurrency", "1", "-w", "0"]
    victim = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not (run / "completions.jsonl").exists() or len(cached(run)) < 3):
        time.sleep(0.1)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    while proxy.in_flight:  # the dead client's last request still reaches the server
        time.sleep(0.1)
    before = {(r["id"], r["sample"]) for r in cached(run)}
    assert 3 <= len(before) < ROWS * 3
    proxy.delay = 0.0
    asked_before = proxy.forwarded
    resumed = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    after = cached(run)
    assert len(after) == len({(r["id"], r["sample"]) for r in after}) == ROWS * 3
    assert proxy.forwarded - asked_before == ROWS * 3 - len(before)


def test_a_line_cut_short_by_a_kill_is_dropped_when_the_cache_opens(tmp_path):
    path = tmp_path / "completions.jsonl"
    whole = json.dumps({"id": "a", "sample": 0, "settings": "s", "completion": "x"})
    path.write_text(whole + "\n" + '{"id": "b", "sample": 0, "sett')
    with CompletionCache(path) as cache:
        assert cache.get("a", 0, "s")["completion"] == "x" and cache.get("b", 0, "s") is None
        cache.add({"id": "b", "sample": 0, "settings": "s", "completion": "y"})
    lines = path.read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", "b"]


def test_a_folder_whose_cache_is_something_else_is_refused(bench, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "completions.jsonl").write_text("not json\n")
    result = run_eval(bench, run, "http://127.0.0.1:9/v1", "m")
    assert result.exit_code == 2 and "not a synlog completion cache" in result.output
