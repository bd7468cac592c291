"""`python -m autograder demo`: the reference solutions against the public tests, with points per stage.

Writes a solved release into a temporary directory and runs its public tests there, exactly as a
student who had finished every stage would.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

from .release import release


def add_arguments(parser):
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="write the solved release to DIR (must be empty) and keep it")


def run(args):
    with tempfile.TemporaryDirectory(prefix="dlscratch-demo-") as scratch:
        dest = args.keep or Path(scratch) / "student"
        release(dest, solved=True)
        print(f"solved release written to {dest}; running its public tests", flush=True)
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=dest)
    return result.returncode
