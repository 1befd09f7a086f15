"""`synlog serve` called exactly as OpenRLHF 0.11 calls a remote reward server.

OpenRLHF v0.11.0 (3c3be6234e0cb353e76bb8019947db9dfe99fca7):

- ``openrlhf/datasets/prompts_dataset.py:26-46`` (``preprocess_data``): with
  ``--data.apply_chat_template`` the row's ``--data.input_key`` messages go through
  ``tokenizer.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)`` (string
  contents without ``<image>`` unchanged, ``:7-23``); the label is ``data[--data.label_key]``.
- ``openrlhf/utils/agent.py:211`` tokenizes the prompt with ``add_special_tokens=False``;
  ``:243-250`` appends vLLM's output token ids (which end in the EOS id when generation stopped
  on EOS, ``finish_reason == "stop"``); ``:283`` decodes the whole sequence with
  ``skip_special_tokens=False`` -- so the query ends in the EOS text -- and ``:285-287`` sends
  ``[query], [prompt], [label]``: one sample per request.
- ``openrlhf/utils/agent.py:338-353`` (``_post_request``): ``aiohttp.ClientSession().post(url,
  json=payload)``, ``raise_for_status()``, ``json()``; on an ``aiohttp.ClientError`` it logs the
  error (whose message is the HTTP reason phrase) and retries, 5 times, then raises.
- The flags (``openrlhf/cli/train_ppo_ray.py:519``, ``:527``, ``:542-547``):
  ``--reward.remote_url``, ``--data.prompt_dataset``, ``--data.input_key``,
  ``--data.label_key``, ``--data.apply_chat_template``.
"""

from __future__ import annotations

import asyncio
import copy
import json

import pytest
from click.testing import CliRunner

pytest.importorskip("aiohttp", reason="needs the serve extra (aiohttp)")
pytest.importorskip("transformers", reason="OpenRLHF's side needs a real tokenizer")

from synlog.cli.main import cli  # noqa: E402
from synlog.trainer_bridge.openrlhf import (  # noqa: E402
    STOP_TEXTS,
    openrlhf_row,
    reward_func,
    strip_stop_text,
    tokenizer_stop_texts,
)
from synlog.trainer_bridge.server import make_app  # noqa: E402
from synlog.trainer_bridge.spec import RewardSpec  # noqa: E402
from synlog.trainer_bridge.tiny_model import tiny_tokenizer  # noqa: E402

SPEC = RewardSpec.from_dict({"format": {"weight": 0.5}})


@pytest.fixture(scope="module")
def tokenizer():
    """A character-level ChatML tokenizer (eos <|im_end|>, pad <|endoftext|>) that round-trips
    every prompt, as a real one does: tiny_tokenizer's, splitting newlines too."""
    from tokenizers import Regex, pre_tokenizers

    tok = tiny_tokenizer()
    tok.backend_tokenizer.pre_tokenizer = pre_tokenizers.Split(Regex("[\\s\\S]"), behavior="isolated")
    return tok


def openrlhf_prompt(tokenizer, data: dict) -> tuple[str, str]:
    """prompts_dataset.py:26-46 with input_key='prompt', label_key='label', apply_chat_template."""
    chat = copy.deepcopy(data["prompt"])
    assert all("<image>" not in m["content"] for m in chat)  # _str_to_content_list leaves them as they are
    prompt = tokenizer.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)
    return prompt, data["label"]


def openrlhf_query(tokenizer, prompt: str, response: str, stopped_on_eos: bool = True) -> str:
    """agent.py:211, :243-250, :283: prompt ids + vLLM's output ids, decoded with special tokens."""
    prompt_ids = tokenizer(text=prompt, add_special_tokens=False)["input_ids"]
    action_ids = tokenizer(text=response, add_special_tokens=False)["input_ids"]
    if stopped_on_eos:
        action_ids = action_ids + [tokenizer.eos_token_id]
    return tokenizer.decode(prompt_ids + action_ids, skip_special_tokens=False)


def post_like_openrlhf(app, requests):
    """agent.py:338-344, one session per request as there, against ``app`` on a real 127.0.0.1
    socket; ``requests``: (queries, prompts, labels) each. One (status, body, reason phrase) each."""
    import aiohttp
    from aiohttp.test_utils import TestServer

    async def post(url, payload):
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=180)) as session:
            async with session.post(url, json=payload) as response:
                try:
                    response.raise_for_status()
                except aiohttp.ClientResponseError as exc:  # what OpenRLHF logs
                    return exc.status, await response.json(), exc.message
                return response.status, await response.json(), None

    async def run():
        async with TestServer(app) as server:
            url = str(server.make_url("/get_reward"))
            return [await post(url, {"query": q, "prompts": p, "labels": lab}) for q, p, lab in requests]

    return asyncio.run(run())


def test_a_response_that_stopped_on_eos_is_well_formatted_and_junk_after_the_answer_is_not(scorer, rows, tokenizer):
    row = openrlhf_row(rows[0])
    prompt, label = openrlhf_prompt(tokenizer, row)
    gold = f"<answer>{rows[0]['answer']}</answer>"
    responses = [
        (gold, True),                              # stopped on EOS: ends in <|im_end|>
        (gold + "\n", True),
        (gold + "junk", True),                     # text after the answer, then EOS
        (gold + "<|im_end|>", True),               # a second stop text before the real one
        (gold + "<|im_end|>junk", True),           # junk after a fake stop text
        (gold, False),                             # cut at max tokens: no EOS
        ("<answer>nope</answer>", True),
    ]
    queries = [openrlhf_query(tokenizer, prompt, r, eos) for r, eos in responses]
    assert all(q.startswith(prompt) for q in queries)  # the prompt round-trips, as with a real tokenizer
    assert queries[0].endswith(gold + "<|im_end|>")  # what OpenRLHF really sends
    results = post_like_openrlhf(make_app(scorer, SPEC), [([q], [prompt], [label]) for q in queries])
    assert all(status == 200 for status, _, _ in results)
    formats = [body["extra_logs"]["synlog_format"][0] for _, body, _ in results]
    assert formats == [1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0]
    assert [body["scores"][0] for _, body, _ in results] == [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0]


def test_stop_texts_are_configurable(scorer, rows, tokenizer):
    row = openrlhf_row(rows[0])
    prompt, label = openrlhf_prompt(tokenizer, row)
    gold = f"<answer>{rows[0]['answer']}</answer>"
    eos_query = openrlhf_query(tokenizer, prompt, gold)
    custom_query = prompt + gold + "<end>"
    for stop_texts, expected in [(("<end>",), [0.0, 1.0]), ((), [0.0, 0.0]), (STOP_TEXTS, [1.0, 0.0])]:
        results = post_like_openrlhf(make_app(scorer, SPEC, stop_texts=stop_texts),
                                     [([q], [prompt], [label]) for q in (eos_query, custom_query)])
        got = [body["extra_logs"]["synlog_format"][0] for _, body, _ in results]
        assert got == expected, stop_texts


def test_strip_stop_text_cuts_one_stop_text_at_the_very_end_only():
    assert strip_stop_text("<answer>4</answer><|eot_id|>") == "<answer>4</answer>"
    assert strip_stop_text("<answer>4</answer></s>  ") == "<answer>4</answer>"
    assert strip_stop_text("<answer>4</answer><|im_end|><|endoftext|>") == "<answer>4</answer><|im_end|>"
    assert strip_stop_text("<answer>4</answer><|im_end|>x") == "<answer>4</answer><|im_end|>x"
    assert strip_stop_text("<answer>4</answer>") == "<answer>4</answer>"
    assert strip_stop_text("a<end>", ["<end>"]) == "a" and strip_stop_text("a<|im_end|>", []) == "a<|im_end|>"


def test_a_label_naming_an_unknown_task_gets_400_naming_it_never_a_zero(scorer, rows, tokenizer):
    row = openrlhf_row(rows[0])
    prompt, _ = openrlhf_prompt(tokenizer, row)
    query = openrlhf_query(tokenizer, prompt, "<answer>1</answer>")
    unknown = json.dumps({"task": "arithmetik", "problem": rows[0]["problem"]})
    other = json.dumps({"task": "sudok", "problem": "{}"})
    (status, body, phrase), mixed = post_like_openrlhf(make_app(scorer, SPEC), [
        ([query], [prompt], [unknown]),
        ([query] * 3, [prompt] * 3, [row["label"], unknown, other])])
    assert status == 400
    assert "labels[0]: unknown task 'arithmetik'; did you mean 'arithmetic'?" in body["error"]
    assert "--import MODULE" in body["error"]
    assert "unknown task 'arithmetik'" in phrase  # OpenRLHF's log line shows the reason
    # a batch from another client, mixing good and bad labels: refused whole, every bad task named
    status, body, _ = mixed
    assert status == 400 and "labels[1]" in body["error"]
    assert "2 of 3 labels name unknown tasks: 'arithmetik', 'sudok'" in body["error"]


def test_file_option_strips_the_stop_text_too(scorer, rows, tokenizer, monkeypatch):
    """agent.py:303-320: ``reward_func([query], [prompt], [label])`` in a thread."""
    import synlog.trainer_bridge.openrlhf as module

    monkeypatch.setattr(module, "default_scorer", lambda: scorer)
    monkeypatch.setenv("SYNLOG_REWARD_SPEC", "")
    row = openrlhf_row(rows[0])
    prompt, label = openrlhf_prompt(tokenizer, row)
    query = openrlhf_query(tokenizer, prompt, f"<answer>{rows[0]['answer']}</answer>")
    out = reward_func([query], [prompt], [label])
    assert out["scores"].tolist() == [1.0]


def test_tokenizer_folder_gives_its_eos_and_pad_texts(tmp_path, tokenizer):
    tokenizer.save_pretrained(tmp_path / "tok")  # transformers' own files
    assert tokenizer_stop_texts(tmp_path / "tok") == ("<|im_end|>", "<|endoftext|>")
    # a model folder whose generation_config lists several EOS ids (as Qwen2.5's does)
    model = tmp_path / "model"
    model.mkdir()
    (model / "tokenizer.json").write_text(json.dumps({"added_tokens": [{"id": 7, "content": "<|im_end|>"},
                                                                        {"id": 9, "content": "<|endoftext|>"}]}))
    (model / "generation_config.json").write_text(json.dumps({"eos_token_id": [7, 9]}))
    assert tokenizer_stop_texts(model) == ("<|im_end|>", "<|endoftext|>")


@pytest.mark.parametrize("args, message", [
    (["--tokenizer", "{tmp}/missing"], "not a folder"),
    (["--tokenizer", "{tmp}"], "no eos_token or pad_token"),
    (["--no-strip", "--strip-suffix", "<x>"], "--no-strip"),
    (["--strip-suffix", ""], "--strip-suffix needs a text"),
    (["--import", "no_such_module_xyz"], "--import no_such_module_xyz: no such module"),
])
def test_serve_option_mistakes_are_one_line_errors_before_a_bind(tmp_path, args, message):
    result = CliRunner().invoke(cli, ["serve", "--port", "1"] + [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 2 and message in result.output, result.output
