"""The instructors' grading workflow template validates offline, lifts the user-namespace restriction
before grading, grades the commit the push record says the remote held at the deadline, refuses unsandboxed
grades, and calls the grader with options it has."""
import re
import shlex

import pytest
import yaml

from autograder.__main__ import build_parser
from autograder.batch import sandboxed, store
from autograder.identity import grader_identity
from course_points import report
from course_points.verdict import Verdict
from autograder.sandbox.isolation import Isolation
from course.paths import TEMPLATES
from tests.notebooks.test_workflows import check_jsonschema

WORKFLOW = TEMPLATES / "instructor_grading.yml"


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load(WORKFLOW.read_text())


@pytest.mark.slow
def test_the_workflow_validates_offline():
    result = check_jsonschema(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_runs_on_a_schedule_and_on_demand(workflow):
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as True
    assert "schedule" in triggers and "workflow_dispatch" in triggers


def test_grading_lifts_the_namespace_restriction_first_and_then_requires_the_sandbox(workflow):
    runs = [step.get("run", "") for step in workflow["jobs"]["grade"]["steps"]]
    sysctl = runs.index("sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0")
    grade = next(i for i, run in enumerate(runs) if "autograder grade-all" in run)
    check = runs.index("python -m autograder.batch.sandboxed shard-out")
    assert sysctl < grade < check


def test_grading_takes_the_commit_from_the_push_record_of_the_deadline(workflow):
    # A committer date is the student's to write: the snapshot job records what the remote held.
    snapshot = " ".join(step.get("run", "") for step in workflow["jobs"]["snapshot"]["steps"])
    assert "/activity?per_page=100" in snapshot and "python -m autograder.batch.snapshot activity" in snapshot
    assert "snapshot" in workflow["jobs"]["grade"]["needs"]
    grade = next(step["run"] for step in workflow["jobs"]["grade"]["steps"] if "grade-all" in step.get("run", ""))
    assert "--deadline-snapshot deadline-snapshot.csv" in grade


def _commands(workflow):
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for line in step.get("run", "").replace("\\\n", " ").splitlines():
                if line.strip().startswith("python -m autograder "):
                    yield line


def test_every_grader_command_parses(workflow):
    commands = list(_commands(workflow))
    assert {shlex.split(command)[3] for command in commands} == {"grade-all", "merge", "post"}
    env = workflow["env"]

    def value(match):
        """The workflow's own value for $NAME or ${{ ... env.NAME }}; a shard number for the matrix."""
        name = match.group(2) or (re.search(r"env\.([A-Z_]+)", match.group(1) or "") or [None, None])[1]
        return env[name] if name else "1"
    for command in commands:
        concrete = re.sub(r"(\$\{\{[^}]*\}\})|\$([A-Z_]+)", value, command)
        build_parser().parse_args(shlex.split(concrete)[3:])


def test_the_token_is_only_ever_in_a_step_environment(workflow):
    text = WORKFLOW.read_text()
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "secrets." not in step.get("run", "") + str(step.get("with", {}))
    mentions = sum(str(step.get("env", {})).count("secrets.CLASSROOM_TOKEN")
                   for job in workflow["jobs"].values() for step in job["steps"])
    assert mentions == text.count("secrets.CLASSROOM_TOKEN") == 4


def _save(output, student, isolation):
    tests = [Verdict("test_stage1.py::test_a", "stage1", 10, 10.0, "passed")]
    graded = report.Report(tests=tests, notes=[isolation.describe()], grader=grader_identity(),
                           isolation=isolation.as_data())
    store.save(output, student, graded, {"key": {}, "source": "graded"})


def test_the_sandbox_check_reads_the_recorded_tier_not_the_words(tmp_path, capsys):
    assert sandboxed.main([str(tmp_path)]) == 1
    assert capsys.readouterr().err == "not graded under sandbox: no results at all\n"
    _save(tmp_path, "ann", Isolation("sandbox"))
    assert sandboxed.main([str(tmp_path)]) == 0
    _save(tmp_path, "bob", Isolation("rlimits", reason="bwrap: setting up uid map: Permission denied"))
    _save(tmp_path, "cid", Isolation("uid", host_uid=True))
    assert sandboxed.main([str(tmp_path)]) == 1
    assert capsys.readouterr().err == "not graded under sandbox: bob (rlimits), cid (uid)\n"
    assert sandboxed.main([str(tmp_path), "--accept", "sandbox,uid"]) == 1
    assert capsys.readouterr().err == "not graded under sandbox,uid: bob (rlimits)\n"
    # A result whose text claims the sandbox but whose data does not record it does not count.
    forged = report.Report(tests=[], notes=[Isolation("sandbox").describe()], grader=grader_identity())
    store.save(tmp_path, "bob", forged, {"key": {}, "source": "graded"})
    assert sandboxed.main([str(tmp_path), "--accept", "sandbox,uid"]) == 1
    assert capsys.readouterr().err == "not graded under sandbox,uid: bob (unrecorded)\n"
