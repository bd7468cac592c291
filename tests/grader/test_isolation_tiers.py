"""Isolation wherever a course grades: any interpreter location in the sandbox, no score without the
promised isolation, and the container tier for machines that refuse bubblewrap.

The machines a course grades on are made here in a private mount namespace (root and util-linux's
`unshare`): bubblewrap's binary covered by /dev/null is a container that refuses it, and a folder the
interpreter lives under (pyenv's in /root, mode 0700) opened to other users is a system or /opt Python.
"""
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from course.rubric import load_rubric
from autograder.sandbox.exposure import course_files
from autograder.sandbox.isolation import Isolation, find_bwrap, probe
from autograder.sandbox.worker.confine import landlock_abi

from ..conftest import run_python
from .conftest import lost, stage_scores

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"),
                                 reason="making a machine in a mount namespace needs root and unshare")]
FULL = {"stage1": (8.0, 8.0), "stage2": (24.0, 24.0)}
SECRETS = {"rubric": "autograder/hidden/rubric.toml", "hidden test": "autograder/hidden/test_stage1.py",
           "reference": "solutions/gates.py"}


def _closed_ancestors(path):
    """[(folder others cannot pass, its child on the way to `path`)]."""
    path = Path(os.path.realpath(path))
    return [(parent, path.parts[len(parent.parts)]) for parent in path.parents
            if parent != path and not parent.stat().st_mode & 0o001]


def run_on_machine(argv, *, without_bwrap=False, open_interpreter=False):
    """Run argv (the grader) in a private mount namespace made into another machine -> CompletedProcess."""
    script, keep = ["set -e"], tempfile.mkdtemp(prefix="machine-")
    for number, (folder, child) in enumerate(_closed_ancestors(sys.base_prefix) if open_interpreter else []):
        held, inner = f"{keep}/{number}", shlex.quote(str(folder / child))
        script += [f"mkdir -p {held}", f"mount --bind {inner} {held}",
                   f"mount -t tmpfs -o mode=0711 tmpfs {shlex.quote(str(folder))}", f"mkdir {inner}",
                   f"mount --bind {held} {inner}"]
    if without_bwrap:  # last: the binds above do not carry mounts below them
        script.append(f"mount --bind /dev/null {shlex.quote(find_bwrap())}")
    script.append('exec "$@"')
    try:
        return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", "\n".join(script),
                               "sh", *map(str, argv)], capture_output=True, text=True, timeout=300, cwd="/")
    finally:
        shutil.rmtree(keep, ignore_errors=True)


def grade_on_machine(submission, *options, **machine):
    """(exit code, results.json, stderr) of `grade SUBMISSION --stage 1 --stage 2 OPTIONS` on a made machine."""
    result = run_on_machine([sys.executable, "-m", "autograder", "grade", submission, "--format", "json",
                             "--stage", "1", "--stage", "2", *options], **machine)
    return result.returncode, json.loads(result.stdout or "{}"), result.stderr


def test_a_venv_and_numpy_under_tmp_grade_in_the_sandbox(solved_package):
    # A throwaway venv under /tmp, with its NumPy there too: the sandbox's private /tmp hid both once.
    with tempfile.TemporaryDirectory(prefix="venv-under-tmp-") as scratch:
        venv, site = Path(scratch) / "venv", Path(scratch) / "site"
        subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], check=True)
        numpy_dir = Path(np.__file__).parent
        for folder in [numpy_dir, numpy_dir.with_name("numpy.libs")]:
            if folder.is_dir():
                shutil.copytree(folder, site / folder.name, symlinks=True)
        env = {**os.environ, "PYTHONPATH": str(site)}
        command = [venv / "bin" / "python", "-m", "autograder", "grade", solved_package.parent, "--format", "json",
                   "--stage", "1", "--stage", "2"]
        result = subprocess.run(list(map(str, command)), capture_output=True, text=True, timeout=300, env=env)
        where = subprocess.run([str(venv / "bin" / "python"), "-c", "import numpy; print(numpy.__file__)"],
                               capture_output=True, text=True, env=env).stdout
    assert where.startswith(str(site)), where
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["extra_data"]["isolation"]["mode"] == "sandbox"
    assert stage_scores(report) == FULL, lost(report)


def test_without_bubblewrap_nothing_is_scored_and_the_grade_says_why(solved_package):
    code, report, stderr = grade_on_machine(solved_package.parent, without_bwrap=True)
    assert code == 3
    assert [line for line in stderr.splitlines() if line] == [stderr.strip()]
    assert stderr.startswith("not graded: isolation: refused") and "--isolation sandbox,uid" in stderr
    assert report["extra_data"]["status"] == "grader-error"
    assert report["extra_data"]["isolation"]["mode"] == "refused"
    assert {test["status"] for test in report["tests"]} == {"grader-error"}
    assert report["score"] == 0 and report["max_score"] == sum(
        entry.points for entry in load_rubric().values() if entry.stage in FULL)


def test_the_container_tier_grades_in_full_where_bubblewrap_is_refused(solved_package):
    code, report, stderr = grade_on_machine(solved_package.parent, "--isolation", "sandbox,uid",
                                            without_bwrap=True, open_interpreter=True)
    assert code == 0, stderr
    isolation = report["extra_data"]["isolation"]
    assert isolation["mode"] == "uid" and isolation["uid"] == "host" and isolation["seccomp"]
    assert "bwrap" in isolation["reason"]  # why the stronger tier did not run
    assert stage_scores(report) == FULL, lost(report)
    assert "isolation: container tier" in report["output"]


def _printing_gates(paths):
    """gates.py's AND prints each path's first bytes, or the error reading it, then answers right."""
    reads = "\n".join(f"    try:\n        print('READ', {str(p)!r}, open({str(p)!r}).read(60))\n"
                      f"    except OSError as error:\n        print('DENIED', {str(p)!r}, type(error).__name__)"
                      for p in paths)
    return f"_and = AND\n\ndef AND(x1, x2):\n{reads}\n    return _and(x1, x2)\n"


@pytest.mark.parametrize("tiers", ["uid", "sandbox"])
def test_a_submission_that_prints_the_course_files_gets_errors_not_text(make_submission, tiers):
    root = Path(__file__).resolve().parents[2]
    secrets = [root / relative for relative in SECRETS.values()]
    submission = make_submission(append={"gates": _printing_gates(secrets)})
    code, report, stderr = grade_on_machine(submission, "--isolation", tiers, without_bwrap=tiers == "uid",
                                            open_interpreter=True)
    assert code == 0, stderr
    assert report["extra_data"]["isolation"]["mode"] == tiers
    shown = json.dumps(report)
    for path in secrets:
        assert f"DENIED {path}" in shown
        assert f"READ {path}" not in shown and path.read_text()[:60].strip() not in shown


@pytest.mark.skipif(not landlock_abi(), reason="this kernel has no Landlock")
def test_without_landlock_the_container_tier_checks_permissions_from_outside():
    # The course is world-readable here: without Landlock a worker uid would read it, and the check says so.
    result = run_on_machine([sys.executable, "-c", (
        "import json; from autograder.sandbox.exposure import readable_course_files\n"
        "from autograder.sandbox.isolation import Isolation\n"
        "for landlock in (0, __import__('autograder.sandbox.worker.confine', fromlist=['x']).landlock_abi()):\n"
        "    print(json.dumps(readable_course_files(Isolation('uid', host_uid=True, seccomp=True, landlock=landlock))))")],
        open_interpreter=True)
    assert result.returncode == 0, result.stderr
    without, with_landlock = map(json.loads, result.stdout.splitlines())
    assert without == course_files() and with_landlock == []


def test_an_unknown_tier_is_a_usage_error(solved_package):
    result = run_python("-m", "autograder", "grade", solved_package.parent, "--isolation", "sandbox,docker", timeout=60)
    assert result.returncode == 2
    assert "unknown isolation docker: choose from sandbox, uid, rlimits" in result.stderr


def test_the_tier_is_recorded_as_data():
    assert Isolation("uid", host_uid=True, seccomp=True, landlock=7).as_data() == {
        "mode": "uid", "uid": "host", "seccomp": True, "landlock": 7, "cgroup_limits": [], "reason": ""}
    assert probe(("rlimits",)).as_data()["uid"] == "grader"
