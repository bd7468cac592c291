"""How the course's files and stubs are named: the student package, an exercise module's file, a stage's
hidden suite, and what a stub raises. One place for each rule; ships in every release."""
import re
from pathlib import Path

from .language import DEFAULT_LANGUAGE, N_, in_every_language, translation

# The package students fill in (the release's dlscratch/, the grader's copy of a submission's modules).
STUDENT_PACKAGE = "dlscratch"
# What a stub raises (course/stubs.py writes it with stub_message, in the release's language):
# "Stage 4: implement Affine.backward".
STUB_MESSAGE = N_("Stage {stage}: implement {name}")


def _stub_regex(template):
    return re.escape(template).replace(re.escape("{stage}"), r"\d+").replace(re.escape("{name}"), r"([\w.]+)")


# A stub's message in any language of the course (a student may grade a release written in another).
STUB_PATTERN = re.compile("|".join(_stub_regex(template) for template in in_every_language(STUB_MESSAGE)))


def module_file(module):
    """The file name of module `module` (a bare name) in the student package: "layers" -> "layers.py"."""
    return f"{module}.py"


def suite_file(stage_name):
    """The file name of a stage's hidden suite: "stage2" -> "test_stage2.py"."""
    return f"test_{stage_name}.py"


def suite_stage(path):
    """The stage name a hidden suite's file names (the inverse of suite_file): ".../test_stage2.py" -> "stage2"."""
    return Path(str(path)).stem.removeprefix("test_")


def stub_message(stage_number, name, language=DEFAULT_LANGUAGE):
    """The NotImplementedError message of a stub in `language`: "Stage 4: implement Affine.backward"."""
    return translation(language).gettext(STUB_MESSAGE).format(stage=stage_number, name=name)


def stub_function(message):
    """The function a stub's message (in any language) names, or None for any other message."""
    stub = STUB_PATTERN.fullmatch(message.strip())
    return next(group for group in stub.groups() if group) if stub else None
