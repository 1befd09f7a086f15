#!/bin/bash
# The 16-core scaling measurement (issue "Beyond one machine"), for a machine with no registry
# (this workplace's GPU machine: 16 cores, Python 3.12, torch and transformers but not synlog's
# own dependencies; tqdm and pyyaml come with transformers). Two steps:
#
#   here:   bash benchmarks/scale_device.sh --wheels [PYTHON_VERSION]   # default 3.12: fills .whl/
#   there:  bash benchmarks/scale_device.sh OUTDIR                      # carry .whl
#
# There it installs the wheels into /tmp/site (no index, no deps), then runs, one after the
# other, the engine's speed by worker count (sudoku level 4, 20,000 rows) and the verifier
# pool's (a batch of 1,024 sudoku completions) at 1, 2, 4, 8 and 16 workers, each table into
# OUTDIR and on stdout. Record both in benchmarks/RESULTS.md with the machine. pyarrow is pinned
# to 19.0.1: its wheel (42 MB) keeps .whl under the 64 MiB a device call may carry.
set -euo pipefail
if [ "${1:-}" = --wheels ]; then
  version=${2:-3.12}
  rm -rf .whl && mkdir -p .whl
  python3 -m pip download -q --only-binary=:all: --no-deps --python-version "$version" \
    --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux_2_28_x86_64 \
    -d .whl "pyarrow==19.0.1" python-sat english-words better-profanity wordfilter click
  du -sh .whl
  exit 0
fi
out=${1:?usage: scale_device.sh OUTDIR (or --wheels to prepare them)}
mkdir -p "$out" /tmp/site
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
nproc
python3 -c "import synlog, pyarrow, pysat; print('synlog', synlog.__version__, 'pyarrow', pyarrow.__version__)"
python3 benchmarks/scale.py speed --task sudoku -d 4 -n 20000 --workers 1,2,4,8,16 | tee "$out/speed.md"
python3 benchmarks/scale.py verify --task sudoku -d 4 --workers 1,2,4,8,16 | tee "$out/verify.md"
