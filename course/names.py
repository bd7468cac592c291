"""How the course's files and stubs are named: the student package, an exercise module's file, a stage's
hidden suite, and what a stub raises. One place for each rule; ships in every release."""
import re
from pathlib import Path

# The package students fill in (the release's dlscratch/, the grader's copy of a submission's modules).
STUDENT_PACKAGE = "dlscratch"
# What a stub raises (course/stubs.py writes it with stub_message): "Stage 4: implement Affine.backward".
STUB_PATTERN = re.compile(r"Stage \d+: implement ([\w.]+)")


def module_file(module):
    """The file name of module `module` (a bare name) in the student package: "layers" -> "layers.py"."""
    return f"{module}.py"


def suite_file(stage_name):
    """The file name of a stage's hidden suite: "stage2" -> "test_stage2.py"."""
    return f"test_{stage_name}.py"


def suite_stage(path):
    """The stage name a hidden suite's file names (the inverse of suite_file): ".../test_stage2.py" -> "stage2"."""
    return Path(str(path)).stem.removeprefix("test_")


def stub_message(stage_number, name):
    """The NotImplementedError message of a stub: "Stage 4: implement Affine.backward"."""
    return f"Stage {stage_number}: implement {name}"
