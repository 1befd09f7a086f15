"""`synlog serve`: OpenRLHF's remote reward protocol over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("aiohttp", reason="needs the serve extra (aiohttp)")

from synlog.trainer_bridge.openrlhf import (  # noqa: E402
    BadRequest,
    parse_label,
    reward_func,
    score_request,
    strip_prompt,
)
from synlog.trainer_bridge.server import make_app  # noqa: E402
from synlog.trainer_bridge.spec import RewardSpec  # noqa: E402
from tests.helpers.http import free_port, post  # noqa: E402


@pytest.fixture(scope="module")
def server(scorer, rows):
    """The app on a real socket, served from a background event loop."""
    from aiohttp import web

    port = free_port()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    by_id = {r["id"]: r for r in rows}
    spec = RewardSpec.from_dict({"format": {"weight": 0.5}})

    async def start():
        runner = web.AppRunner(make_app(scorer, spec, max_concurrency=2, max_waiting=32, rows_by_id=by_id,
                                        max_body_mb=1))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner

    def serve():
        asyncio.set_event_loop(loop)
        runner = loop.run_until_complete(start())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(30)
    yield f"http://127.0.0.1:{port}"
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)


def label(row):
    return json.dumps({"task": row["task"], "problem": row["problem"], "difficulty": row["difficulty"]})


def test_health(server):
    with urllib.request.urlopen(server + "/health", timeout=10) as response:
        body = json.loads(response.read())
    assert body["status"] == "ok" and body["max_concurrency"] == 2


def test_rewards_strip_the_prompt_and_score_with_synlog(server, rows):
    prompts = [r["prompt"] for r in rows[:3]]
    responses = [f"<answer>{rows[0]['answer']}</answer>", "<answer>nope</answer>", f"so {rows[2]['answer']}"]
    status, body = post(server, {"query": [p + r for p, r in zip(prompts, responses, strict=True)],
                                 "prompts": prompts, "labels": [label(r) for r in rows[:3]]})
    assert status == 200
    # the prompt's own example answer (<answer>-7/3</answer>) must not be scored: the prompt is stripped
    assert body["scores"] == [1.0, 0.0, 0.0]
    assert body["rewards"] == [1.5, 0.5, 0.0]
    assert body["extra_logs"]["synlog_acc"] == [1.0, 0.0, 0.0]


def test_labels_may_be_row_ids_of_the_served_dataset(server, rows):
    status, body = post(server, {"query": [f"<answer>{rows[1]['answer']}</answer>"], "labels": [rows[1]["id"]]})
    assert status == 200 and body["scores"] == [1.0]


@pytest.mark.parametrize("payload, raw, reason", [
    (None, b"{not json", "not valid JSON"),
    ([1, 2], None, "JSON object"),
    ({"labels": []}, None, "'query'"),
    ({"query": ["a"], "labels": []}, None, "one label per query"),
    ({"query": ["a"], "labels": ["zzz"]}, None, "labels[0]"),
    ({"query": ["a"], "labels": [json.dumps({"task": "arithmetic"})]}, None, "'problem'"),
    ({"query": ["a"], "labels": [json.dumps({"task": 3, "problem": {}})]}, None, "'task'"),
    ({"query": ["a"], "prompts": [1], "labels": ["x"]}, None, "'prompts'"),
])
def test_malformed_requests_get_400_with_a_reason(server, payload, raw, reason):
    status, body = post(server, payload, raw)
    assert status == 400 and reason in body["error"]


@pytest.mark.parametrize("problem, reason", [({}, "unknown task 'nosuch'"), ("[1]", "not an object"),
                                             ("{bad", "not valid JSON")])
def test_labels_no_task_can_judge_get_400_not_a_zero_reward(server, rows, problem, reason):
    task = "nosuch" if problem == {} else "arithmetic"
    good = label(rows[0])
    status, body = post(server, {"query": ["<answer>1</answer>"] * 2,
                                 "labels": [good, json.dumps({"task": task, "problem": problem})]})
    assert status == 400 and "labels[1]" in body["error"] and reason in body["error"]


def scenario(pool, payload):
    """One request to an app whose scorer uses ``pool`` (in-process aiohttp test server)."""
    from aiohttp.test_utils import TestClient, TestServer

    from synlog.trainer_bridge.scorer import Scorer

    async def run():
        async with TestClient(TestServer(make_app(Scorer(pool=pool)))) as client:
            response = await client.post("/get_reward", json=payload)
            return response.status, await response.json()

    return asyncio.run(run())


def test_a_failed_verifier_or_a_dead_pool_gets_500_with_the_reason(faulty_scorer, rows):
    from synlog.errors import WorkerStartError

    faulty = json.dumps({"task": "test_faulty_verifier", "problem": "{}"})
    status, body = scenario(faulty_scorer.pool, {"query": ["<answer>ok</answer>", "<answer>raise</answer>"],
                                                 "labels": [faulty, faulty]})
    assert status == 500 and "query 1" in body["error"] and "verifier bug" in body["error"]

    class DeadPool:
        size = 1

        def score_many(self, jobs, strict=True):
            raise WorkerStartError("verifier workers could not start: ModuleNotFoundError")

    status, body = scenario(DeadPool(), {"query": ["<answer>1</answer>"], "labels": [label(rows[0])]})
    assert status == 500 and "could not start" in body["error"]
    status, body = scenario(faulty_scorer.pool, {"query": ["<answer>hang</answer>"], "labels": [faulty]})
    assert status == 200 and body["scores"] == [0.0]  # a timeout is a verdict, not a failure


def test_oversized_body_gets_413(server):
    status, body = post(server, {"query": ["x" * (2 * 1024 * 1024)], "labels": ["x"]})
    assert status == 413 and "MB" in body["error"]


def test_concurrent_clients_all_get_their_own_answers(server, rows):
    def one(k):
        row = rows[k % len(rows)]
        good = k % 2 == 0
        text = f"<answer>{row['answer']}</answer>" if good else f"<answer>{k}/7777</answer>"
        status, body = post(server, {"query": [row["prompt"] + text + " " * k], "prompts": [row["prompt"]],
                                     "labels": [label(row)]})
        return status, body["scores"], good

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(one, range(24)))
    assert all(status == 200 for status, _, _ in results)
    assert all(scores == [1.0 if good else 0.0] for _, scores, good in results)
    with urllib.request.urlopen(server + "/health", timeout=10) as response:
        assert json.loads(response.read())["in_flight"] == 0


def test_strip_prompt_and_labels():
    assert strip_prompt("PROMPT answer", "PROMPT") == " answer"
    assert strip_prompt("<s>PROMPT answer", "PROMPT") == " answer"
    assert strip_prompt("answer", None) == "answer"
    assert parse_label({"task": "sat", "problem": "{}", "difficulty": 3}) == ("sat", "{}", 3, "sat")
    assert parse_label({"task": "math_answer", "problem": "{}", "source": "gsm8k"}).source == "gsm8k"
    with pytest.raises(BadRequest):
        parse_label("[1]")


def test_file_option_reward_func_returns_tensors(rows, scorer, monkeypatch):
    torch = pytest.importorskip("torch", reason="OpenRLHF's file option returns torch tensors")
    import synlog.trainer_bridge.openrlhf as module

    monkeypatch.setattr(module, "default_scorer", lambda: scorer)
    out = reward_func([rows[0]["prompt"] + f"<answer>{rows[0]['answer']}</answer>"], [rows[0]["prompt"]], [label(rows[0])])
    assert isinstance(out["rewards"], torch.Tensor) and out["rewards"].tolist() == [1.0]
    assert out["scores"].tolist() == [1.0] and "synlog_acc" in out["extra_logs"]
    assert score_request({"query": [], "labels": []}, scorer=scorer) == {"rewards": [], "scores": [], "extra_logs": {"synlog_acc": []}}


def test_requests_beyond_the_queue_get_503(rows):
    import time

    from aiohttp.test_utils import TestClient, TestServer

    from synlog.trainer_bridge.scorer import Scorer
    from synlog.verifiers.verdict import Verdict

    class SlowPool:
        size = 1

        def score_many(self, jobs, strict=True):
            time.sleep(0.5)
            return [Verdict.ok() for _ in jobs]

        def close(self):
            pass

    async def scenario():
        app = make_app(Scorer(pool=SlowPool()), max_concurrency=1, max_waiting=1)
        async with TestClient(TestServer(app)) as client:
            payload = {"query": ["<answer>1</answer>"], "labels": [label(rows[0])]}
            responses = await asyncio.gather(*(client.post("/get_reward", json=payload) for _ in range(3)))
            return sorted([r.status for r in responses]), [await r.json() for r in responses]

    statuses, bodies = asyncio.run(scenario())
    assert statuses == [200, 200, 503]
    assert any("busy" in b.get("error", "") for b in bodies)
