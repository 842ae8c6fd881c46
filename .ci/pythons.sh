#!/usr/bin/env bash
# Every supported Python besides the one the whole suite ran on: build the wheel once, install
# it into a fresh venv per interpreter in a temp directory, compile an example there, and run
# the fast subset of the tests (CLI, examples, language server start and stop) against it.
# A supported interpreter that cannot be found fails the run; 3.14 is tried where it exists.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

find_python() {  # the interpreter for version $1 (3.12), or nothing
  local candidate
  for candidate in "$HOME"/.pyenv/versions/"$1".*/bin/python "$(command -v "python$1" || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] \
        && "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$1'.split('.'))))" \
        2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
}

rm -rf dist
python3 -m pip wheel --quiet --no-deps -w dist .
wheel=$(ls "$root"/dist/musicplan-*.whl)

FAST_TESTS=(tests/cli/test_cli.py tests/test_examples.py tests/editor/test_lsp.py)

for version in 3.11 3.12 3.13 3.14; do
  python=$(find_python "$version")
  if [ -z "$python" ]; then
    if [ "$version" = 3.14 ]; then
      echo "-- Python 3.14: no interpreter on this machine, not tried"
      continue
    fi
    echo "error: Python $version is supported but no interpreter was found" \
      "(looked for ~/.pyenv/versions/$version.*/bin/python and python$version)" >&2
    exit 1
  fi
  echo "-- Python $version ($python)"
  work=$(mktemp -d)
  "$python" -m venv "$work/venv"
  "$work/venv/bin/python" -m pip install --quiet "$wheel[lsp]" pytest hypothesis
  cp examples/similar.mpl "$work/"
  (cd "$work" && "$work/venv/bin/mpl" compile similar.mpl > similar.json \
    && "$work/venv/bin/python" -c "import json; assert json.load(open('similar.json'))['chunks']")
  rc=0
  (cd "$work" && printf 'keep 0-30s\n' | "$work/venv/bin/mpl" check -) || rc=$?
  test "$rc" -eq 1  # a user error is exit 1, with a diagnostic, not a traceback
  # The tests import the installed wheel: run them from the temp directory, where no
  # source tree shadows it.
  (cd "$work" && "$work/venv/bin/python" -c "import musicplan, sys; \
sys.exit(0 if '$work' in musicplan.__file__ else 'tests would import the source tree')" \
    && "$work/venv/bin/python" -m pytest -q -p no:cacheprovider --rootdir "$root" \
      "${FAST_TESTS[@]/#/$root/}")
  rm -rf "$work"
done
