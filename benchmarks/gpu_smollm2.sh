#!/bin/bash
# SmolLM2-135M GRPO on a GPU machine that has torch/transformers/accelerate but no registry
# (this workplace's device machine). What travels: the repo, wheels in .whl/ (trl, datasets,
# python-sat, english-words, gguf, dill, multiprocess for Python 3.12) and the GGUF in two
# pieces .dev1/part + .dev2/part (the carry limit is 64 MiB a call), so it takes two calls on
# the same warm machine: the first carries .whl and .dev1 and runs `--stage`, which keeps them
# in /tmp; the second carries .dev2 and trains. Usage, in the repo root:
#   bash benchmarks/gpu_smollm2.sh --stage
#   bash benchmarks/gpu_smollm2.sh OUTDIR [example args...]
set -euo pipefail
mkdir -p /tmp/m
if [ "$1" = --stage ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
  cp .dev1/part /tmp/m/part1
  exit 0
fi
out=$1; shift
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
gguf=/tmp/m/SmolLM2-135M-Instruct.Q4_1.gguf
if [ ! -s "$gguf" ]; then
  cat /tmp/m/part1 .dev2/part > "$gguf.partial" && mv "$gguf.partial" "$gguf"
fi
echo "$(sha256sum "$gguf" | cut -c1-16) (want b179c9523d0e6a0f)"
nvidia-smi -L
python3 -c "import torch, transformers, trl, datasets; print('torch', torch.__version__, 'transformers', transformers.__version__, 'trl', trl.__version__, 'datasets', datasets.__version__)"
python3 examples/smollm2_grpo.py --gguf-dir /tmp/m --png "$out/curve.png" "$@" 2>&1 | grep -v -E "it/s\]|Converting|Loading weights" | tee "$out/log.txt"
