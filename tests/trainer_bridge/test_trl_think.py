"""The think block as TRL hands it over: parsed into ``reasoning_content``, or opened by the prompt.

Every test here runs TRL's own code: a real ``GRPOTrainer`` (the tiny local model, CPU) whose
``_calculate_rewards`` calls synlog's reward functions, with completions built the way
``GRPOTrainer._generate`` builds them. Cited lines are of TRL 1.16.0 as installed
(``trl/trainer/grpo_trainer.py``); the same code is at lines 2175-2189 of TRL main at
commit f2cd57710ae345ea6428ae95363267fcf38a3dc8.
"""

from __future__ import annotations

import logging

import pytest

pytest.importorskip("trl", reason="needs the train extra (trl)")
pytest.importorskip("torch", reason="needs the train extra (torch)")

import synlog  # noqa: E402
from synlog.trainer_bridge.scorer import Scorer  # noqa: E402
from synlog.trainer_bridge.shaping import format_reward  # noqa: E402
from synlog.trainer_bridge.train import trainer_row  # noqa: E402
from synlog.trainer_bridge.trl import ends_in_open_think, reward_functions, turn_text  # noqa: E402

ROWS = list(synlog.generate("arithmetic", difficulty=1, n=2, seed=11))
ANSWER = ROWS[0]["answer"]
WRONG = str(int(ANSWER) + 1)


def trl_template(name: str) -> str:
    from trl import chat_template_utils

    return getattr(chat_template_utils, f"{name}_chat_template")


def make_trainer(tmp_path_factory, template: str, reward: dict, parsed: bool):
    """A real GRPOTrainer over the tiny model whose tokenizer renders with a TRL chat template;
    ``parsed``: the tokenizer also has TRL's response template (as ``add_response_schema`` sets
    it), so TRL parses completions into messages."""
    import datasets
    from trl import GRPOConfig, GRPOTrainer
    from trl.chat_template_utils import add_response_schema

    from synlog.trainer_bridge import tiny_model as tiny

    # the tiny tokenizer marks <answer> tags special (skip_special_tokens would drop them): a real
    # model's tokenizer spells them as text, so build it without them
    specials, tiny.SPECIALS = tiny.SPECIALS, [t for t in tiny.SPECIALS if "answer" not in t]
    try:
        tokenizer = tiny.tiny_tokenizer()
    finally:
        tiny.SPECIALS = specials
    tokenizer.chat_template = trl_template(template)
    if parsed:
        add_response_schema(tokenizer)
        assert tokenizer.response_template is not None
    funcs, weights = reward_functions(reward, Scorer(workers=0))
    args = GRPOConfig(output_dir=str(tmp_path_factory.mktemp("grpo")), use_cpu=True, bf16=False, report_to="none",
                      num_generations=2, per_device_train_batch_size=2, max_steps=1, reward_weights=weights)
    trainer = GRPOTrainer(model=tiny.tiny_model(tokenizer), reward_funcs=funcs, args=args, processing_class=tokenizer,
                          train_dataset=datasets.Dataset.from_list([trainer_row(r) for r in ROWS]))
    return trainer, tokenizer


def score(trainer, tokenizer, texts, parsed: bool):
    """Rewards of completions (one per text) of ROWS[0]'s prompt, through TRL's own code:
    prompt ids as ``_tokenize_prompts`` (1737-1746), completions as ``_generate`` (2228-2247):
    ``parse_response(tokenizer, ids, prefix=prompt_ids[i])`` when the tokenizer has a response
    template, else ``batch_decode(skip_special_tokens=True)`` into assistant messages; then
    ``_calculate_rewards`` (1579-1683) calls every reward function. Returns rows of
    [accuracy, format]."""
    from trl.chat_template_utils import parse_response

    inputs = [trainer_row(ROWS[0])] * len(texts)
    prompts = [x["prompt"] for x in inputs]
    prompt_ids = tokenizer.apply_chat_template(conversation=prompts, add_generation_prompt=True, tokenize=True,
                                               return_dict=True)["input_ids"]
    completion_ids = [tokenizer(t, add_special_tokens=False)["input_ids"] for t in texts]
    if parsed:
        completions = [[parse_response(tokenizer, ids, prefix=prompt_ids[i])] for i, ids in enumerate(completion_ids)]
    else:
        contents = tokenizer.batch_decode(completion_ids, skip_special_tokens=True)
        completions = [[{"role": "assistant", "content": c}] for c in contents]
    rewards = trainer._calculate_rewards(inputs, prompts, completions, completion_ids)
    return rewards.tolist()


@pytest.fixture(scope="module")
def qwen3_parsed(tmp_path_factory):
    return make_trainer(tmp_path_factory, "qwen3", {"format": {"weight": 1, "require_think": True}}, parsed=True)


def test_parsed_reasoning_content_satisfies_require_think(qwen3_parsed):
    """Item 1: with a response template TRL moves the think block into ``reasoning_content``
    (grpo_trainer.py 2228-2241); require_think must still see it."""
    trainer, tokenizer = qwen3_parsed
    rewards = score(trainer, tokenizer, [f"<think>easy</think>\n<answer>{ANSWER}</answer><|im_end|>",
                                         f"<answer>{ANSWER}</answer><|im_end|>"], parsed=True)
    assert rewards == [[1.0, 1.0], [1.0, 0.0]]   # [accuracy, format]: no think block, no format


def test_an_answer_inside_the_parsed_think_block_counts_nowhere(qwen3_parsed):
    """Reading reasoning_content must not let the think block answer (or answer twice)."""
    trainer, tokenizer = qwen3_parsed
    rewards = score(trainer, tokenizer, [f"<think><answer>{ANSWER}</answer></think><|im_end|>",
                                         f"<think><answer>{ANSWER}</answer></think>\n<answer>{WRONG}</answer><|im_end|>",
                                         f"<think>r</think>\n<answer>{ANSWER}</answer>junk<|im_end|>"], parsed=True)
    assert rewards == [[0.0, 0.0], [0.0, 0.0], [1.0, 0.0]]


@pytest.fixture(scope="module")
def deepseek_unparsed(tmp_path_factory):
    return make_trainer(tmp_path_factory, "deepseek_r1_distill", {"format": {"weight": 1}}, parsed=False)


def test_a_template_that_opens_think_in_the_prompt_pays_completions_that_close_it(deepseek_unparsed):
    """Item 2: deepseek_r1_distill.jinja ends the prompt with ``<｜Assistant｜><think>\\n``; the
    decoded completion (grpo_trainer.py 2244-2245) is ``…</think><answer>…</answer>``. Detected
    from the prompt rendered with the trainer's own processing class (no setting needed)."""
    trainer, tokenizer = deepseek_unparsed
    rewards = score(trainer, tokenizer, [f"so {ANSWER}</think>\n<answer>{ANSWER}</answer>",
                                         f"<answer>{ANSWER}</answer>",                    # never closed
                                         f"so<answer>{ANSWER}</answer></think>",           # answer inside
                                         f"<think>a</think><answer>{ANSWER}</answer>",     # a second think
                                         f"a</think><answer>{WRONG}</answer>"], parsed=False)
    assert rewards == [[1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]


@pytest.fixture(scope="module")
def qwen3_5_think_parsed(tmp_path_factory):
    return make_trainer(tmp_path_factory, "qwen3_5_think", {"format": {"weight": 1}}, parsed=True)


def test_parsed_completions_of_a_prompt_that_opened_think(qwen3_5_think_parsed):
    """qwen3_5_think.jinja opens ``<think>`` in the prompt and TRL's response template parses
    with the prompt as prefix: a closed block is in reasoning_content, an unclosed one takes the
    whole completion, and an empty one (``</think>`` straight away) leaves only content (told
    apart from an unclosed one by the completion's token ids)."""
    trainer, tokenizer = qwen3_5_think_parsed
    rewards = score(trainer, tokenizer, [f"so</think>\n<answer>{ANSWER}</answer><|im_end|>",
                                         f"<answer>{ANSWER}</answer><|im_end|>",
                                         f"</think><answer>{ANSWER}</answer><|im_end|>"], parsed=True)
    assert rewards == [[1.0, 1.0], [0.0, 0.0], [1.0, 1.0]]


def trl_text_call(func, prompts, completions):
    """A non-conversational dataset: TRL passes the prompt text and decoded strings (2247)."""
    n = len(completions)
    return func(prompts=prompts, completions=completions, completion_ids=[[0]] * n,
                task=[ROWS[0]["task"]] * n, problem=[ROWS[0]["problem"]] * n, difficulty=[1] * n,
                trainer_state=None, log_extra=lambda column, values: None, log_metric=lambda name, value: None)


def test_text_prompts_that_end_in_think_are_detected_and_settings_override():
    with Scorer(workers=0) as scorer:
        auto = reward_functions({"format": {"weight": 1}}, scorer)[0][1]
        forced = reward_functions({"format": {"weight": 1, "think_in_prompt": True}}, scorer)[0][1]
        off = reward_functions({"format": {"weight": 1, "think_in_prompt": False}}, scorer)[0][1]
        closing = [f"a</think><answer>{ANSWER}</answer>"]
        assert trl_text_call(auto, ["Solve.\nAssistant: <think>\n"], closing) == [1.0]
        assert trl_text_call(auto, ["Answer in <think> then <answer>.\nAssistant:"], closing) == [0.0]
        assert trl_text_call(forced, ["Assistant:"], closing) == [1.0]
        assert trl_text_call(off, ["Assistant: <think>\n"], closing) == [0.0]


def test_without_a_renderer_a_hint_says_how_to_detect_an_opened_think(caplog):
    with Scorer(workers=0) as scorer:
        fmt = reward_functions({"format": {"weight": 1}}, scorer)[0][1]
        chat = [[{"role": "user", "content": "q"}]]
        with caplog.at_level(logging.WARNING, logger="synlog.trainer_bridge.trl"):
            assert trl_text_call(fmt, chat, [f"a</think><answer>{ANSWER}</answer>"]) == [0.0]
        assert "think_in_prompt: true" in caplog.text


def test_think_helpers_refuse_what_a_hostile_completion_tries():
    assert ends_in_open_think("<|im_start|>assistant\n<think>\n")
    assert not ends_in_open_think("<|im_start|>assistant\n<think>\n\n</think>\n\n")   # thinking off
    parsed_unclosed = [{"role": "assistant", "reasoning_content": f"<answer>{ANSWER}</answer>", "content": ""}]
    assert format_reward(turn_text(parsed_unclosed, think_opened=True)) == 0.0
    assert format_reward(turn_text([{"role": "assistant", "content": f"<answer>{ANSWER}</answer>"}], True,
                                   raw=f"<answer>{ANSWER}</answer>")) == 0.0     # unclosed, not an empty think
    # a close the decoder dropped after the answer is no empty think block in front of it
    assert format_reward(turn_text([{"role": "assistant", "content": f"r<answer>{ANSWER}</answer>"}], True,
                                   raw=f"r<answer>{ANSWER}</answer></think>")) == 0.0
    assert turn_text([{"role": "assistant", "content": "<answer>1</answer>"}], True,
                     raw="\n</think><answer>1</answer><|im_end|>") == "<think></think><answer>1</answer>"
    assert format_reward("x</think><answer>1</answer>", think_opened=True) == 1.0
    assert format_reward("x<answer>1</answer>", think_opened=True) == 0.0
    assert format_reward("<answer>1</answer>x</think>", think_opened=True) == 0.0
