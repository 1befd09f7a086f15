"""Running a model on dataset rows: backends, sampling settings and the completion cache.

``synlog eval`` asks a backend for ``k`` completions of every row and writes each one to the
cache the moment it arrives, so an interrupted run (Ctrl-C, a crash, ``kill -9``) resumes
without asking again::

    settings = Sampling(temperature=0.7, top_p=0.95, max_tokens=512, k=4)
    backend = OpenAIBackend("http://127.0.0.1:8000/v1", "my-model", concurrency=8)
    with CompletionCache(run / "completions.jsonl") as cache:
        complete(rows, backend, settings, cache, progress=bar.update)

**The cache** is JSON lines, one completion a line: ``{"id", "sample", "settings", "model",
"completion", "finish_reason", "tokens"}``. A completion is keyed by (row id, sample index,
settings key); the settings key digests the model and every sampling setting, so a run with
other settings never reuses a completion made under different ones. Each line is written with
one ``write`` and flushed; a line cut short by a kill is dropped (and truncated away) when the
cache is opened again.

**Backends** share one method, ``complete(messages, settings, sample) -> Generation``:

- :class:`OpenAIBackend`: any OpenAI-compatible ``/chat/completions`` endpoint (vLLM, SGLang,
  llama.cpp, ``transformers serve``, a hosted API). The chat template is the server's. The API
  key is read from an environment variable and never logged. Requests run ``concurrency`` at a
  time; a connection error, a timeout, 429 or a 5xx is retried ``retries`` times with
  exponential backoff; a 4xx other than 429 is a configuration error and stops the run.
- :class:`TransformersBackend`: a local model folder (or a GGUF file in it) run by
  ``transformers`` on CPU or GPU, ``batch_size`` prompts per ``generate`` call, the chat
  template of the model's tokenizer. Never a hub lookup.
- :class:`VLLMBackend`: vLLM's offline ``LLM`` on a GPU (extra ``[vllm]``), a batch per
  ``LLM.chat`` call, a seed per (row, sample).

A backend with ``complete_many`` (a batch at a time) is driven batch by batch; one with only
``complete`` (a request at a time) by ``concurrency`` threads.
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from synlog.errors import InputFileError, SynlogError
from synlog.synth.seeding import digest


class BackendError(SynlogError, RuntimeError):
    """The model backend failed for good (after retries) or is misconfigured."""


@dataclass(frozen=True)
class Sampling:
    """How completions are sampled; ``k`` completions per row."""

    temperature: float = 0.0
    top_p: float = 1.0
    max_tokens: int = 1024
    k: int = 1
    system_prompt: str | None = None

    def key(self, model: str) -> str:
        """What a cached completion must match to be reused (k aside: more samples extend)."""
        fields = {name: value for name, value in asdict(self).items() if name != "k"}
        return digest([model, fields], 12)


@dataclass(frozen=True)
class Generation:
    text: str
    finish_reason: str | None = None
    tokens: int | None = None


class Backend(Protocol):
    model: str
    concurrency: int

    def complete(self, messages: list[dict[str, str]], settings: Sampling, sample: int) -> Generation: ...


def messages_of(row: dict[str, Any], settings: Sampling) -> list[dict[str, str]]:
    """The chat messages of a row: its ``messages`` column where it has one, else its prompt as
    one user message; ``settings.system_prompt`` goes first when the row has no system message."""
    messages = row.get("messages")
    if isinstance(messages, str):
        messages = json.loads(messages)
    if not messages:
        messages = [{"role": "user", "content": row["prompt"]}]
    messages = [{"role": m["role"], "content": m["content"]} for m in messages]
    if settings.system_prompt and messages[0]["role"] != "system":
        messages.insert(0, {"role": "system", "content": settings.system_prompt})
    return messages


# ----------------------------------------------------------------------------- the cache
class CompletionCache:
    """Completions on disk as JSON lines, written as they arrive (see the module docstring)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._done: dict[tuple[str, int, str], dict[str, Any]] = {}
        self._file = None

    def __enter__(self) -> CompletionCache:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._load()
        self._file = open(self.path, "a", encoding="utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _load(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        whole = data[: data.rfind(b"\n") + 1]  # a line a kill cut short has no newline yet
        if len(whole) < len(data):
            with open(self.path, "r+b") as out:
                out.truncate(len(whole))
        for number, line in enumerate(whole.decode("utf-8", errors="replace").splitlines(), 1):
            try:
                record = json.loads(line)
                key = (str(record["id"]), int(record["sample"]), str(record["settings"]))
            except (ValueError, KeyError, TypeError):
                raise InputFileError(f"{self.path}:{number}: not a completion record; this file is"
                                     " not a synlog completion cache (pass another output folder)") from None
            self._done[key] = record

    def get(self, row_id: str, sample: int, settings_key: str) -> dict[str, Any] | None:
        return self._done.get((row_id, sample, settings_key))

    def add(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            self._file.write(line)
            self._file.flush()
            self._done[(record["id"], record["sample"], record["settings"])] = record

    def records(self, row_ids: Iterable[str], k: int, settings_key: str) -> list[dict[str, Any]]:
        """The cached completions of ``row_ids`` × samples 0..k-1, in that order (missing ones left out)."""
        out = []
        for row_id in row_ids:
            for sample in range(k):
                record = self.get(row_id, sample, settings_key)
                if record is not None:
                    out.append(record)
        return out


def complete(rows: list[dict[str, Any]], backend: Backend, settings: Sampling, cache: CompletionCache,
             progress: Callable[[int], None] | None = None) -> int:
    """Ask ``backend`` for every (row, sample) the cache lacks, ``backend.concurrency`` at a
    time, caching each as it arrives; return how many were asked. The first failure (after the
    backend's retries) cancels what has not started and is raised; what finished is kept."""
    key = settings.key(backend.model)
    todo = [(row, sample) for row in rows for sample in range(settings.k) if cache.get(row["id"], sample, key) is None]
    if progress is not None:
        progress(len(rows) * settings.k - len(todo))

    def one(row: dict[str, Any], sample: int) -> None:
        generation = backend.complete(messages_of(row, settings), settings, sample)
        cache.add({"id": row["id"], "sample": sample, "settings": key, "model": backend.model,
                   "completion": generation.text, "finish_reason": generation.finish_reason,
                   "tokens": generation.tokens})
        if progress is not None:
            progress(1)

    if hasattr(backend, "complete_many"):
        size = max(1, backend.batch_size)
        for start in range(0, len(todo), size):
            batch = todo[start:start + size]
            generations = backend.complete_many([messages_of(row, settings) for row, _ in batch], settings,
                                                [(row["id"], sample) for row, sample in batch])
            for (row, sample), generation in zip(batch, generations, strict=True):
                cache.add({"id": row["id"], "sample": sample, "settings": key, "model": backend.model,
                           "completion": generation.text, "finish_reason": generation.finish_reason,
                           "tokens": generation.tokens})
            if progress is not None:
                progress(len(batch))
        return len(todo)

    pending = iter(todo)
    with ThreadPoolExecutor(max_workers=max(1, backend.concurrency)) as pool:
        running: set[Future] = set()
        try:
            while True:
                while len(running) < backend.concurrency:  # at most `concurrency` queued, so Ctrl-C is prompt
                    job = next(pending, None)
                    if job is None:
                        break
                    running.add(pool.submit(one, *job))
                if not running:
                    break
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    future.result()
        except BaseException:
            for future in running:
                future.cancel()
            raise
    return len(todo)


# ----------------------------------------------------------------------------- OpenAI-compatible
class OpenAIBackend:
    """Chat completions from an OpenAI-compatible HTTP endpoint (see the module docstring)."""

    def __init__(self, base_url: str, model: str, *, api_key_env: str | None = "OPENAI_API_KEY",
                 concurrency: int = 8, retries: int = 4, timeout: float = 120.0, backoff: float = 0.5):
        if not base_url.startswith(("http://", "https://")):
            raise BackendError(f"the base URL must start with http:// or https://; got {base_url!r}")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.concurrency, self.retries, self.timeout, self.backoff = concurrency, retries, timeout, backoff
        self._key = os.environ.get(api_key_env, "") if api_key_env else ""

    def _request(self, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        request = urllib.request.Request(self.url, data=json.dumps(body).encode(), headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - the user's URL
            return json.loads(response.read().decode("utf-8"))

    def complete(self, messages: list[dict[str, str]], settings: Sampling, sample: int) -> Generation:
        body = {"model": self.model, "messages": messages, "max_tokens": settings.max_tokens,
                "temperature": settings.temperature, "top_p": settings.top_p}
        for attempt in range(self.retries + 1):
            try:
                answer = self._request(body)
                choice = answer["choices"][0]
                usage = answer.get("usage") or {}
                return Generation(choice["message"].get("content") or "", choice.get("finish_reason"),
                                  usage.get("completion_tokens"))
            except urllib.error.HTTPError as error:
                if error.code != 429 and error.code < 500:
                    detail = error.read(300).decode("utf-8", errors="replace")
                    raise BackendError(f"{self.url} refused the request: HTTP {error.code} {detail}"
                                       " (check the model name, the API key variable and the URL)") from None
                failure = f"HTTP {error.code}"
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
                failure = f"{type(error).__name__}: {getattr(error, 'reason', error)}"
            except (ValueError, KeyError, IndexError, TypeError, AttributeError):
                failure = "a reply that is not a chat completion"
            if attempt < self.retries:
                time.sleep(self.backoff * 2 ** attempt)
        raise BackendError(f"{self.url} failed {self.retries + 1} times; last: {failure}")


# ----------------------------------------------------------------------------- transformers
class TransformersBackend:
    """Batched generation with ``transformers`` from a local folder (see the module docstring)."""

    concurrency = 1

    def __init__(self, folder: str, *, gguf_file: str | None = None, device: str = "auto", batch_size: int = 8):
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError:
            raise BackendError("the transformers backend needs torch and transformers:"
                               " pip install 'synlog[train]'") from None
        if not Path(folder).is_dir():
            raise BackendError(f"--model must be a local model folder for the transformers backend; '{folder}' is not")
        if gguf_file and not (Path(folder) / gguf_file).is_file():
            raise BackendError(f"'{gguf_file}' is not a file inside '{folder}'")
        self.model = folder if not gguf_file else f"{folder}:{gguf_file}"
        self.batch_size = batch_size
        self.device = ("cuda" if torch.cuda.is_available() else "cpu") if device == "auto" else device
        kwargs: dict[str, Any] = {"local_files_only": True, **({"gguf_file": gguf_file} if gguf_file else {})}
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(folder, **kwargs)
            self.network = AutoModelForCausalLM.from_pretrained(folder, **kwargs).to(self.device).eval()
        except (OSError, ValueError) as error:
            raise BackendError(f"cannot load a model from '{folder}': {error}") from None
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token

    def complete_many(self, conversations: list[list[dict[str, str]]], settings: Sampling,
                      keys: list[tuple[str, int]]) -> list[Generation]:
        """One completion per conversation; sampling is seeded by the batch's (row id, sample)
        keys, so a rerun of the same batch draws the same text."""
        import torch

        texts = [self.tokenizer.apply_chat_template(c, tokenize=False, add_generation_prompt=True) for c in conversations]
        inputs = self.tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(self.device)
        sampling = settings.temperature > 0
        options: dict[str, Any] = {"max_new_tokens": settings.max_tokens, "do_sample": sampling,
                                   "pad_token_id": self.tokenizer.pad_token_id}
        if sampling:
            options.update(temperature=settings.temperature, top_p=settings.top_p)
            torch.manual_seed(int(digest(keys, 8), 16))
        with torch.no_grad():
            output = self.network.generate(**inputs, **options)
        new = output[:, inputs["input_ids"].shape[1]:]
        out = []
        for tokens in new:
            ids = tokens.tolist()
            ended = self.tokenizer.eos_token_id in ids
            if ended:
                ids = ids[: ids.index(self.tokenizer.eos_token_id)]
            ids = [t for t in ids if t != self.tokenizer.pad_token_id]
            out.append(Generation(self.tokenizer.decode(ids, skip_special_tokens=True),
                                  "stop" if ended else "length", len(ids)))
        return out


# ----------------------------------------------------------------------------- vLLM
class VLLMBackend:
    """vLLM's offline engine on a GPU (extra ``[vllm]``): the fast path for big runs. A batch is
    one ``LLM.chat`` call; each (row, sample) gets its own seed, so reruns draw the same text."""

    concurrency = 1

    def __init__(self, folder: str, *, batch_size: int = 256, **engine: Any):
        try:
            from vllm import LLM
        except ImportError:
            raise BackendError("the vllm backend needs vLLM on a GPU machine: pip install 'synlog[vllm]'") from None
        if not Path(folder).is_dir():
            raise BackendError(f"--model must be a local model folder for the vllm backend; '{folder}' is not")
        self.model, self.batch_size = folder, batch_size
        self.engine = LLM(model=folder, **engine)

    def complete_many(self, conversations: list[list[dict[str, str]]], settings: Sampling,
                      keys: list[tuple[str, int]]) -> list[Generation]:
        from vllm import SamplingParams

        params = [SamplingParams(temperature=settings.temperature, top_p=settings.top_p,
                                 max_tokens=settings.max_tokens, seed=int(digest(key, 8), 16) % 2**31)
                  for key in keys]
        outputs = self.engine.chat(conversations, sampling_params=params, use_tqdm=False)
        return [Generation(o.outputs[0].text, o.outputs[0].finish_reason, len(o.outputs[0].token_ids))
                for o in outputs]
