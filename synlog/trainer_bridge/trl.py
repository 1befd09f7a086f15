"""TRL reward functions: one callable per reward term, for ``GRPOTrainer(reward_funcs=...)``.

::

    from synlog.trainer_bridge.trl import reward_functions
    funcs, weights = reward_functions({"accuracy": {"weight": 1}, "format": {"weight": 0.2}})
    trainer = GRPOTrainer(model, reward_funcs=funcs, args=GRPOConfig(reward_weights=weights, ...),
                          train_dataset=dataset)   # rows carry synlog's `task` and `problem`

The keyword contract (TRL >= 1.0, checked against 1.16): each function is called with
``prompts``, ``completions`` (strings, or chat message lists), ``completion_ids`` (token id
lists), every dataset column as a keyword list (synlog reads ``task``, ``problem`` and,
when present, ``difficulty`` and ``source``), ``trainer_state``, ``log_extra`` and ``log_metric``; it returns
one float per completion, or ``None`` for rows that are not synlog rows (no ``task``/``problem``)
so other reward functions can score them, and ``None`` for a completion synlog could not score
(an unknown task, a problem that is not a JSON object, an ``error`` verdict: a verifier that
failed), with the reason logged once per distinct reason. ``timeout`` is a verdict (0).

TRL turns ``None`` into NaN and leaves it out (trl/trainer/grpo_trainer.py, TRL 1.16: lines
1629-1630 convert None to NaN; 2756-2759 mark a completion whose every reward is NaN as
unscorable and keep it out of its group's baseline; 2808-2810 give it advantage 0). So that a
failed completion is left out entirely rather than scored by the remaining terms, all three
functions return None for it: the format function, which reads only the text, returns None
where the shared scorer already knows the verdict failed (TRL calls the functions in order,
accuracy first). A failing pool (no worker can start) raises
:class:`~synlog.errors.ScoringError`: training stops rather than learning from nothing. TRL names each function's log ``rewards/<name>``:
the names here are ``accuracy``, ``format`` and ``length``. The accuracy function also logs
``synlog/accuracy/<source>`` through ``log_metric`` (when the TRL version provides it): the row's
``source`` column for imported rows (``gsm8k``, ``humaneval``), its task for generated ones.

What is judged is the model's whole turn, one text for every term:

- chat completions that TRL parsed (a tokenizer with a response template: tool use, or models
  that ship one; ``grpo_trainer.py`` 2228-2241 in TRL 1.16) carry the think block in
  ``reasoning_content`` (``thinking`` for LFM2.5): the text is ``<think>`` + it + ``</think>``
  + ``content``, so ``require_think`` sees it and the answer counts only after it;
- a chat template that opens ``<think>`` in the prompt (``deepseek_r1_distill.jinja``,
  ``qwen3_5_think.jinja``) makes completions of ``…</think><answer>…</answer>``: the text is
  ``<think>`` + the completion, so a completion that never closes the block has no answer and
  no format. ``reward.format.think_in_prompt`` says so (``true``/``false``), or ``auto``
  (default) reads it from each prompt: a text prompt ending in ``<think>``, or a chat prompt
  rendered as the trainer renders it (the ``tokenizer`` given to :func:`reward_functions`, else
  the trainer's own processing class, chat template and ``chat_template_kwargs``).

Verdicts come from a :class:`~synlog.trainer_bridge.scorer.Scorer` (bounded worker
processes), so the functions are safe when TRL calls them from a thread or an async loop;
the three functions share one scorer and its cache, so each completion is verified once (the
format function reads only the text and verifies nothing unless ``on_verdicts`` is set).
"""

from __future__ import annotations

import json
import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from synlog.trainer_bridge.scorer import Scorer, completion_text, failure_reason, is_failure
from synlog.trainer_bridge.shaping import THINK_CLOSE, THINK_OPEN
from synlog.trainer_bridge.spec import RewardSpec, approx_length, problem_key, term_values

logger = logging.getLogger(__name__)
#: distinct reasons logged per set of reward functions; then one line says the rest are not
MAX_REASONS = 32


class ReasonLog:
    """Logs each distinct reason once (shared by the reward functions of one spec)."""

    def __init__(self, limit: int = MAX_REASONS) -> None:
        self.limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, level: int, reason: str) -> None:
        with self._lock:
            if reason in self._seen or len(self._seen) > self.limit:
                return
            self._seen.add(reason)
            full = len(self._seen) > self.limit
        if full:
            logger.warning("synlog reward: more than %d distinct reasons for None rewards; not logging more",
                           self.limit)
        else:
            logger.log(level, "synlog reward: None (TRL leaves the completion out): %s", reason)


#: the message fields TRL's response parsers put a think block in (LFM2.5's is `thinking`)
REASONING_FIELDS = ("reasoning_content", "thinking")


def turn_text(completion: Any, think_opened: bool = False, raw: str | None = None) -> str:
    """The model's whole turn as one text: what every reward term (and the verifier) judges.

    ``completion``: a string, or chat messages (the last one is the model's final turn).
    A parsed think block (``reasoning_content``) is put back in front of the content;
    ``think_opened``: the prompt opened the think block, so it is put in front of the completion.
    ``raw``: the completion decoded from its token ids (special tokens kept), to tell a parser
    that consumed an empty think block (the completion starts with ``</think>``) from a
    completion that never closed it; nothing else in ``raw`` counts.
    """
    content = completion_text(completion)
    message = completion[-1] if isinstance(completion, list) and completion else completion
    if isinstance(message, dict):
        for name in REASONING_FIELDS:
            reasoning = message.get(name)
            if isinstance(reasoning, str):
                return f"{THINK_OPEN}{reasoning}{THINK_CLOSE}{content}"
    if not think_opened:
        return content
    if THINK_CLOSE not in content and raw is not None and raw.lstrip().startswith(THINK_CLOSE):
        return f"{THINK_OPEN}{THINK_CLOSE}{content}"
    return THINK_OPEN + content


def ends_in_open_think(rendered_prompt: str) -> bool:
    """True when a rendered prompt ends by opening the think block (``…assistant\n<think>\n``).

    Only the end counts: a ``<think>`` the user's message mentions does not open anything.
    """
    return rendered_prompt.rstrip().endswith(THINK_OPEN)


class ThinkInPrompt:
    """Whether each prompt opened the think block: fixed by the spec, or read from the prompt
    as the trainer rendered it (shared by the reward functions of one spec)."""

    CACHE = 4096

    def __init__(self, setting: bool | None, tokenizer: Any = None,
                 chat_template_kwargs: Mapping[str, Any] | None = None) -> None:
        self.setting, self.tokenizer = setting, tokenizer
        self.chat_template_kwargs = dict(chat_template_kwargs or {})
        self._cache: dict[str, bool] = {}
        self._lock = threading.Lock()
        self.hinted = False

    def renderer(self, log_extra: Any) -> tuple[Any, dict[str, Any]] | None:
        """The tokenizer and ``apply_chat_template`` keywords TRL renders prompts with: the one
        given, else those of the trainer that passed ``log_extra`` (its bound method)."""
        if self.tokenizer is not None:
            return self.tokenizer, dict(self.chat_template_kwargs)
        trainer = getattr(log_extra, "__self__", None)
        tokenizer = getattr(trainer, "processing_class", None)
        if tokenizer is None or not hasattr(tokenizer, "apply_chat_template"):
            return None
        # as GRPOTrainer._tokenize_prompts (TRL 1.16, grpo_trainer.py 1737-1746)
        kwargs = dict(getattr(trainer, "chat_template_kwargs", None) or {})
        kwargs.update(tools=getattr(trainer, "tools", None) or None, chat_template=getattr(trainer, "chat_template", None))
        return tokenizer, kwargs

    def opened(self, prompts: Sequence[Any], rows: Sequence[int], log_extra: Any = None) -> dict[int, bool]:
        """Row index -> did its prompt open the think block."""
        if self.setting is not None:
            return dict.fromkeys(rows, self.setting)
        render = None
        out = {}
        for i in rows:
            prompt = prompts[i] if i < len(prompts) else None
            if isinstance(prompt, str):
                out[i] = ends_in_open_think(prompt)
                continue
            if not isinstance(prompt, list):
                out[i] = False
                continue
            key = json.dumps(prompt, sort_keys=True, default=repr)
            with self._lock:
                known = self._cache.get(key)
            if known is None:
                render = render or self.renderer(log_extra) or (None, None)
                tokenizer, kwargs = render
                if tokenizer is None:
                    out[i] = False
                    continue
                text = tokenizer.apply_chat_template(conversation=prompt, add_generation_prompt=True,
                                                     tokenize=False, **kwargs)
                known = ends_in_open_think(text if isinstance(text, str) else str(text))
                with self._lock:
                    if len(self._cache) >= self.CACHE:
                        self._cache.clear()
                    self._cache[key] = known
            out[i] = known
        return out

    def decoder(self, log_extra: Any) -> Any:
        render = self.renderer(log_extra)
        return render[0] if render else None


FOREIGN = "a row without synlog's `task`/`problem` columns (left to the other reward functions)"


class TermReward:
    """A TRL reward function computing one term of a :class:`RewardSpec`."""

    def __init__(self, term: str, spec: RewardSpec, scorer: Scorer, on_verdicts: Callable | None = None,
                 log: ReasonLog | None = None, think: ThinkInPrompt | None = None):
        self.term = term
        self.spec = spec
        self.scorer = scorer
        self.on_verdicts = on_verdicts
        self.log = log or ReasonLog()
        self.think = think or ThinkInPrompt(spec.think_in_prompt)
        self.__name__ = term  # TRL logs rewards/<__name__>

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], completion_ids: Sequence[Sequence[int]] | None = None,
                 task: Sequence[str | None] | None = None, problem: Sequence[Any] | None = None,
                 difficulty: Sequence[int | None] | None = None, source: Sequence[str | None] | None = None,
                 log_metric: Callable | None = None, log_extra: Callable | None = None,
                 **_: Any) -> list[float | None]:
        n = len(completions)
        tasks = list(task) if task is not None else [None] * n
        problems = list(problem) if problem is not None else [None] * n
        mine = [i for i in range(n) if tasks[i] and problems[i] is not None]
        out: list[float | None] = [None] * n
        if len(mine) < n:
            self.log(logging.INFO, FOREIGN)
        if not mine:
            return out
        texts = self._texts(prompts, completions, completion_ids, mine, log_extra)
        # the format term reads only the text: verify only when a hook wants the verdicts
        verify = self.term != "format" or self.on_verdicts is not None
        outcomes = (self.scorer.outcomes if verify else self.scorer.peek)(
            [tasks[i] for i in mine], [problems[i] for i in mine], texts)
        kept = []
        for k, outcome in enumerate(outcomes):
            if is_failure(outcome):
                self.log(logging.WARNING, f"task '{tasks[mine[k]]}': {failure_reason(outcome)}")
            else:
                kept.append(k)
        mine, texts = [mine[k] for k in kept], [texts[k] for k in kept]
        verdicts = [outcomes[k] for k in kept] if verify else []
        if not mine:
            return out
        names, rows = [tasks[i] for i in mine], [problems[i] for i in mine]
        levels = [int(difficulty[i]) if difficulty is not None and difficulty[i] is not None else None
                  for i in mine]
        if self.on_verdicts is not None:
            self.on_verdicts(self.term, names, verdicts, levels)
        lengths, groups = [], []
        if self.term == "length":
            use_ids = completion_ids is not None and self.spec.length.unit == "tokens"
            lengths = [len(completion_ids[i]) if use_ids else approx_length(t, self.spec.length.unit)
                       for i, t in zip(mine, texts, strict=True)]
            groups = [problem_key(t, p) for t, p in zip(names, rows, strict=True)]
        values = term_values(self.spec, self.term, verdicts, texts, lengths, levels, groups)
        for i, value in zip(mine, values, strict=True):
            out[i] = value
        if self.term == "accuracy" and log_metric is not None:
            sources = [(source[i] if source is not None else None) or tasks[i] for i in mine]
            _log_per_source(log_metric, sources, [v.correct for v in verdicts])
        return out

    def _texts(self, prompts: Sequence[Any], completions: Sequence[Any], completion_ids: Any,
               mine: list[int], log_extra: Any) -> list[str]:
        opened = self.think.opened(prompts or [], mine, log_extra)
        decoder = None
        texts = []
        for i in mine:
            raw = None
            content = completion_text(completions[i])
            # only a completion that may have had an empty think block parsed away needs its ids
            if opened[i] and THINK_CLOSE not in content and completion_ids is not None and i < len(completion_ids):
                decoder = decoder or self.think.decoder(log_extra)
                if decoder is not None:
                    raw = decoder.decode(list(completion_ids[i]), skip_special_tokens=False)
            texts.append(turn_text(completions[i], opened[i], raw))
        if (self.think.setting is None and not self.think.hinted and not any(opened.values())
                and any(THINK_CLOSE in t and THINK_OPEN not in t for t in texts)):
            self.think.hinted = True
            logger.warning("synlog reward: completions close a <think> block they never opened; if the chat "
                           "template opens it in the prompt, pass tokenizer= to reward_functions or set "
                           "reward.format.think_in_prompt: true")
        return texts


def _log_per_source(log_metric: Callable[[str, float], Any], sources: Sequence[str], correct: Sequence[bool]) -> None:
    """``synlog/accuracy/<source>`` per source of the batch (a generated row's source is its task)."""
    by_source: dict[str, list[bool]] = defaultdict(list)
    for name, ok in zip(sources, correct, strict=True):
        by_source[name].append(ok)
    for name, oks in sorted(by_source.items()):
        log_metric(f"synlog/accuracy/{name}", sum(oks) / len(oks))


def reward_functions(
    spec: RewardSpec | Mapping[str, Any] | None = None,
    scorer: Scorer | None = None,
    on_verdicts: Callable | None = None,
    tokenizer: Any = None,
    chat_template_kwargs: Mapping[str, Any] | None = None,
) -> tuple[list[TermReward], list[float]]:
    """The TRL reward functions of a spec (one per weighted term) and their weights.

    Pass the weights as ``GRPOConfig(reward_weights=...)``. Without a spec: accuracy only.
    ``on_verdicts(term, tasks, verdicts, levels)`` is called with every batch's verdicts and the
    difficulty of each row (None where the data has none), for monitoring and the curriculum.
    ``tokenizer``/``chat_template_kwargs``: how the trainer renders chat prompts, to tell whether
    a prompt opens the think block (``reward.format.think_in_prompt: auto``); without them the
    trainer's own processing class is used (TRL passes its bound ``log_extra``).
    """
    if not isinstance(spec, RewardSpec):
        spec = RewardSpec.from_dict(spec)
    scorer = scorer or Scorer()
    terms = spec.terms() or ["accuracy"]
    log = ReasonLog()
    think = ThinkInPrompt(spec.think_in_prompt, tokenizer, chat_template_kwargs)
    return [TermReward(t, spec, scorer, on_verdicts, log, think) for t in terms], [spec.weight(t) for t in terms]
