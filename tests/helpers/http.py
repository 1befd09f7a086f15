"""Talking to a real reward server on 127.0.0.1 from the tests."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url, payload=None, raw: bytes | None = None):
    """POST ``payload`` as JSON (or ``raw`` bytes) to ``url/get_reward``: (status, JSON body)."""
    data = raw if raw is not None else json.dumps(payload).encode()
    request = urllib.request.Request(url + "/get_reward", data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())
