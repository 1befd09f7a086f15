"""A tiny Qwen2-style causal LM and a character tokenizer, built locally (no hub).

For trying the training path end to end in minutes on a CPU (the tests' GRPO runs, and the
README's `synlog train examples/run.yaml`): the model is randomly initialised and learns
nothing useful; a real small model is `examples/smollm2_grpo.py`::

    python -m synlog.trainer_bridge.tiny_model models/tiny      # writes a model folder
"""

from __future__ import annotations

import string

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<answer>", "</answer>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def tiny_tokenizer():
    """Character-level tokenizer over printable ASCII plus chat and answer tags."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    chars = sorted(set(string.printable))
    vocab = {tok: i for i, tok in enumerate(SPECIALS + ["[UNK]"] + chars)}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    core.pre_tokenizer = pre_tokenizers.Split(Regex("[\\s\\S]"), behavior="isolated")  # "." skips newlines
    core.decoder = decoders.Fuse()
    core.add_special_tokens(SPECIALS)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=core, unk_token="[UNK]", eos_token="<|im_end|>",
                                        pad_token="<|endoftext|>", padding_side="left")
    tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


def tiny_model(tokenizer, seed: int = 0):
    """A 2-layer Qwen2 with hidden size 32 (about 20k parameters plus embeddings)."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(seed)
    config = Qwen2Config(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=2048,
                         tie_word_embeddings=True, eos_token_id=tokenizer.eos_token_id,
                         pad_token_id=tokenizer.pad_token_id, bos_token_id=None)
    return Qwen2ForCausalLM(config)


def save(folder: str, seed: int = 0) -> None:
    """Write the tiny model and its tokenizer to ``folder`` (``from_pretrained`` reads it)."""
    tokenizer = tiny_tokenizer()
    tiny_model(tokenizer, seed).save_pretrained(folder)
    tokenizer.save_pretrained(folder)


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m synlog.trainer_bridge.tiny_model FOLDER")
    save(sys.argv[1])
    print(f"wrote a tiny random Qwen2 model to {sys.argv[1]}")
