#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image (Ubuntu, as root), from /autograder/source.
set -euo pipefail
cd "$(dirname "$0")"
apt-get update -q && apt-get install -y -q python3 python3-pip python3-venv
python3 -m venv /autograder/venv
# Editable, so the hidden suites, the rubric and the reference are used from /autograder/source itself.
/autograder/venv/bin/python -m pip install -q -e '.[grade]'
