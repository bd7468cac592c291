"""What of the course a container-tier worker could read: checked from outside before that tier grades.

The container tier has no private root: the worker is kept from the course's files by Landlock where
the kernel has it, else by their permissions. Either way the grader does not take it on trust: a worker
confined exactly as for grading tries to read the hidden suites, the rubric, the reference and the
grader's own code, and the tier is refused if any of them opens.
"""
import json
import subprocess
from pathlib import Path

import solutions
from course.paths import HIDDEN_DIR

from .launcher import Limits, clean_up, scrubbed_environment, worker_command


def course_files():
    """Files and folders of the course a worker must not read (paths as strings)."""
    grader = Path(__file__).resolve().parents[1]
    reference = Path(solutions.__file__).resolve().parent
    return [str(path) for path in (HIDDEN_DIR, HIDDEN_DIR / "rubric.toml", HIDDEN_DIR / "test_stage1.py",
                                   reference, reference / "__init__.py", grader, grader / "grading" / "grade.py")]


def readable_course_files(isolation):
    """[path] of course_files() a worker confined by `isolation` (the container tier) can read.

    Raises OSError with the reason where such a worker does not start (e.g. it cannot reach the interpreter)."""
    uid = isolation.worker_uid()
    command, config, workdir, _ = worker_command(isolation, {}, Limits(), uid, True)
    config["probe_paths"] = course_files()
    command[-1] = json.dumps(config)
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30, cwd="/",
                                env=scrubbed_environment(config["workdir"]))
    except subprocess.SubprocessError as error:
        raise OSError(str(error)) from None
    finally:
        clean_up(None, uid, workdir)
    try:
        return list(json.loads(result.stdout.strip().splitlines()[-1]))
    except (ValueError, IndexError):
        raise OSError((result.stderr.strip().splitlines() or [f"exit code {result.returncode}"])[-1]) from None
