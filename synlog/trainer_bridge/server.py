"""``synlog serve``: an aiohttp server speaking OpenRLHF's remote reward protocol.

Endpoints::

    POST /get_reward   {"query": [...], "prompts": [...], "labels": [...]}
                       -> {"rewards": [...], "scores": [...], "extra_logs": {...}}
    GET  /health       -> {"status": "ok", "in_flight": n, "waiting": n, ...}

Bounded concurrency: at most ``max_concurrency`` requests are scored at a time (verification
runs in a worker thread that feeds the bounded verifier pool, so the event loop stays free);
up to ``max_waiting`` more wait their turn; beyond that a request gets ``503`` with a reason.
A malformed request gets ``400`` (bad JSON, wrong fields, a label no task can judge: an
unknown task, a problem that is not a JSON object) or ``413`` (body too large); a completion
that could not be scored (a verifier that failed, verifier workers that cannot start) gets
``500``. Each comes with ``{"error": reason}``; none is ever answered with a reward of 0.
A body or label nested too deeply to parse is a ``400`` too. The reason is also the HTTP
status line's reason phrase (OpenRLHF logs only that: ``aiohttp.ClientResponseError.message``)
and is logged here (WARNING for a 4xx, ERROR for a 500).

Each response loses its trailing stop text before scoring (``stop_texts``, see
:func:`~synlog.trainer_bridge.openrlhf.strip_stop_text`): OpenRLHF decodes with
``skip_special_tokens=False``, so a response that stopped on EOS ends in ``<|im_end|>`` or the
like.

Connections: a connection that has not completed a request within ``header_timeout_s``
(aiohttp's ``keepalive_timeout``, which runs from the moment a connection opens until a
request arrives, and again between requests) is closed, so slow or silent clients cannot
hold sockets; beyond ``max_connections`` open connections a new one is closed at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from synlog.datasets_out.schema import row_source
from synlog.errors import ScoringError
from synlog.trainer_bridge.openrlhf import STOP_TEXTS, BadRequest, SourceTally, score_request
from synlog.trainer_bridge.scorer import Scorer
from synlog.trainer_bridge.spec import RewardSpec

MAX_BODY_MB = 64
#: seconds a connection may stay open without a complete request (headers and body)
HEADER_TIMEOUT_S = 10.0
#: open connections at most; a trainer uses a handful
MAX_CONNECTIONS = 256
logger = logging.getLogger(__name__)
#: longest reason phrase put on the status line (the JSON body has the whole reason)
MAX_PHRASE = 300


def reason_phrase(reason: str) -> str:
    """``reason`` as an HTTP reason phrase: printable ASCII on one line, at most MAX_PHRASE chars."""
    phrase = "".join(c if " " <= c <= "~" else "?" for c in " ".join(reason.split()))
    return phrase if len(phrase) <= MAX_PHRASE else phrase[:MAX_PHRASE - 3] + "..."


def make_app(scorer: Scorer, spec: RewardSpec | None = None, max_concurrency: int = 4, max_waiting: int = 64,
             rows_by_id: Mapping[str, Mapping[str, Any]] | None = None, max_body_mb: int = MAX_BODY_MB,
             stop_texts: Sequence[str] = STOP_TEXTS, sources: Sequence[str] | None = None):
    """The aiohttp application (``aiohttp.web.run_app(make_app(...))`` serves it).

    ``sources``: the sources whose accuracy every response's ``extra_logs`` carries (default:
    those of ``rows_by_id``'s rows); ``GET /health`` reports the running accuracy per source.
    """
    from aiohttp import web

    spec = spec or RewardSpec()
    if sources is None:
        sources = sorted({row_source(r) for r in rows_by_id.values()}) if rows_by_id else []
    sources = list(sources)
    tally = SourceTally()
    gate = asyncio.Semaphore(max_concurrency)
    state = {"in_flight": 0, "waiting": 0, "served": 0, "rejected": 0}
    stop_texts = tuple(stop_texts)

    def error(status: int, reason: str):
        state["rejected"] += 1
        if status != 503:  # a full queue is load, not a mistake
            (logger.error if status >= 500 else logger.warning)("synlog serve: answering %d: %s", status, reason)
        return web.json_response({"error": reason}, status=status, reason=reason_phrase(reason))

    async def get_reward(request: web.Request):
        try:
            body = await request.json(loads=json.loads)
        except web.HTTPRequestEntityTooLarge:
            return error(413, f"body larger than {max_body_mb} MB; send fewer queries per request")
        except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
            return error(400, "body is not valid JSON")
        except RecursionError:
            return error(400, "body nested too deeply to read; send flat JSON")
        if gate.locked() and state["waiting"] >= max_waiting:
            return error(503, f"server busy ({max_waiting} requests waiting); retry later")
        state["waiting"] += 1
        entered = False
        try:
            async with gate:
                state["waiting"] -= 1
                entered = True
                state["in_flight"] += 1
                try:
                    result = await asyncio.to_thread(score_request, body, spec, scorer, rows_by_id, stop_texts,
                                                     sources, tally)
                finally:
                    state["in_flight"] -= 1
        except BadRequest as exc:
            return error(400, str(exc))
        except RecursionError:
            return error(400, "a label is nested too deeply to read; send flat JSON labels")
        except ScoringError as exc:
            return error(500, f"scoring failed: {exc}")
        finally:
            if not entered:  # cancelled while waiting (the client went away)
                state["waiting"] -= 1
        state["served"] += 1
        return web.json_response(result)

    async def health(_: web.Request):
        return web.json_response({"status": "ok", **state, "max_concurrency": max_concurrency,
                                  "workers": scorer.pool.size, "by_source": tally.summary()})

    app = web.Application(client_max_size=max_body_mb * 1024 * 1024)
    app.router.add_post("/get_reward", get_reward)
    app.router.add_get("/health", health)
    return app


def cap_connections(runner: Any, limit: int) -> None:
    """Close a new connection at once while ``limit`` are open (after ``runner.setup()``)."""
    server = runner.server
    register = server.connection_made

    def connection_made(handler: Any, transport: Any) -> None:
        register(handler, transport)
        if len(server.connections) > limit:
            transport.close()

    server.connection_made = connection_made


async def start(app: Any, host: str, port: int, header_timeout_s: float = HEADER_TIMEOUT_S,
                max_connections: int = MAX_CONNECTIONS, handle_signals: bool = False) -> Any:
    """Serve ``app`` on host:port with the connection bounds; returns the runner (``cleanup()``
    stops it). Raises OSError when the address cannot be bound. ``handle_signals`` (main
    thread only) turns SIGINT/SIGTERM into a clean stop."""
    from aiohttp import web

    runner = web.AppRunner(app, keepalive_timeout=header_timeout_s, handle_signals=handle_signals)
    await runner.setup()
    cap_connections(runner, max_connections)
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner


def serve(host: str, port: int, scorer: Scorer, spec: RewardSpec | None = None, max_concurrency: int = 4,
          max_waiting: int = 64, rows_by_id: Mapping[str, Mapping[str, Any]] | None = None,
          print_fn: Any = print, header_timeout_s: float = HEADER_TIMEOUT_S,
          max_connections: int = MAX_CONNECTIONS, stop_texts: Sequence[str] = STOP_TEXTS,
          sources: Sequence[str] | None = None) -> None:
    """Run the server until interrupted (Ctrl-C)."""
    from aiohttp.web_runner import GracefulExit

    app = make_app(scorer, spec, max_concurrency, max_waiting, rows_by_id, stop_texts=stop_texts, sources=sources)
    loop = asyncio.new_event_loop()
    try:
        runner = loop.run_until_complete(start(app, host, port, header_timeout_s, max_connections,
                                               handle_signals=True))
        print_fn(f"serving on http://{host}:{port}")
        try:
            loop.run_forever()
        except (KeyboardInterrupt, GracefulExit):
            pass
        finally:
            loop.run_until_complete(runner.cleanup())
    finally:
        loop.close()
