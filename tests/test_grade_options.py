"""The grading options: one object from the command line, to a batch job as JSON and back."""
import argparse
import json

from autograder.grading import options as grade_options
from autograder.grading.options import GradeOptions
from autograder.grading.session import Settings
from autograder.sandbox.launcher import Limits


def _parse(*argv):
    parser = argparse.ArgumentParser()
    grade_options.add_arguments(parser)
    return GradeOptions.from_args(parser.parse_args(argv))


def test_the_command_line_gives_the_options_and_json_carries_them_unchanged():
    options = _parse("--stage", "2", "--stage", "stage4", "--timeout", "1.5", "--isolation", "uid,rlimits",
                     "--memory-mb", "512")
    assert options == GradeOptions(stage=("stage2", "stage4"), timeout=1.5, memory_mb=512, isolation=("uid", "rlimits"))
    assert GradeOptions.from_json(json.loads(json.dumps(options.to_json()))) == options


def test_the_defaults_are_the_settings_defaults():
    settings = _parse().settings()
    assert (settings.call_timeout, settings.function_budget, settings.grade_budget) == (
        None, Settings.function_budget, Settings.grade_budget)
    assert settings.limits == Limits()
