"""`python -m autograder.batch.job`: one job of a batch run, grading submission after submission.

A long-lived process pays the interpreter's and pytest's start-up once. It reads one JSON line of
configuration, then one JSON task per line ({"student", "path", "deadline", "pinned"}), grades each exactly
as `grade` does, stores the result itself (atomically) and answers {"student"} on its protocol pipe.
"""
import ctypes
import json
import os
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from ..cleanup import remove_tree
from ..grading.grade import grade, not_graded
from ..grading.language import speaking
from ..grading.options import GradeOptions
from ..release.manifest import parse_manifest
from . import integrity, sources, store
from .checkout import CheckoutError, as_of
from .entries import parse_deadline

PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """Killing the batch run (even with SIGKILL) ends its jobs too, not orphans still grading."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:
            os._exit(1)


def grade_entry(task, config, settings, manifest, language):
    """Grade one task and store its result, feedback in `language`; the student's submission is never charged
    for a grader fault."""
    with speaking(language):
        _grade_entry(task, config, settings, manifest)


def _grade_entry(task, config, settings, manifest):
    started = time.monotonic()
    deadline = parse_deadline(task["deadline"]) if task["deadline"] else None
    scratch = Path(tempfile.mkdtemp(prefix="dlscratch-batch-"))
    batch = {"key": task["key"], "entry": Path(task["path"]).name, "deadline": task["deadline"],
             "commit": None, "later_commits": False, "source": "", "deadline_source": None,
             "integrity": {"checked": False, "changed": [], "missing": []}}
    found = {}
    try:
        path, when = as_of(Path(task["path"]), deadline, scratch, task.get("pinned"))
        batch.update(commit=when.commit, later_commits=when.later_commits, source=when.source,
                     deadline_source=when.deadline_source)
        if when.problem:
            report = not_graded(config["stages"], when.problem, settings)
        else:
            report = grade(path, config["stages"], settings)
            batch["integrity"] = integrity.check(path, manifest, scratch / "integrity")
            found = sources.collect(path, scratch / "sources")
    except CheckoutError as error:
        batch["source"] = "the repository could not be read"
        report = store.grader_error_report(config["stages"], str(error))
    except Exception as error:  # noqa: BLE001 - any fault of the grader is a grader-error, never the student's
        report = store.grader_error_report(config["stages"], f"the grader failed: {error!r}")
        traceback.print_exc()
    finally:
        remove_tree(scratch)
    batch["duration"] = round(time.monotonic() - started, 3)
    sources.save(config["output"], task["student"], found)  # before the result, which marks the student done
    store.save(config["output"], task["student"], report, batch)


def main():
    _die_with_parent()
    # The protocol gets a private copy of stdout; anything else printed goes to stderr.
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    config = json.loads(sys.stdin.readline())
    options = GradeOptions.from_json(config["options"])
    settings = options.settings()
    manifest = parse_manifest(json.dumps(config["manifest"]))
    for line in sys.stdin:
        task = json.loads(line)
        grade_entry(task, config, settings, manifest, options.language)
        protocol.write(json.dumps({"student": task["student"]}) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()
