"""Session fixtures: the nbgrader round trip of every stage, and of the first stages in every other language;
the executed student notebooks (the releases are the root conftest's).

Each is built once per session and shared, because each costs kernel starts or subprocesses.
"""
import os

import pytest

from autograder.jupyter.nbgrader_source import nbgrader_api, write_source
from autograder.jupyter.roundtrip import round_trip
from course.language import DEFAULT_LANGUAGE
from course.stages import STAGES

from .helpers import TRANSLATED_RUNS, TRANSLATIONS


def _round_trips(course_dir, stages, language):
    """(course directory, {stage name: {student: Outcome}}) after an nbgrader round trip of `stages`."""
    write_source(course_dir, stages, language)
    api = nbgrader_api(course_dir)
    return course_dir, {stage.name: round_trip(api, stage) for stage in stages}


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """(course directory, {stage name: {student: Outcome}}) after an nbgrader round trip of every stage."""
    return _round_trips(tmp_path_factory.mktemp("nbgrader-course"), STAGES, DEFAULT_LANGUAGE)


@pytest.fixture(scope="session")
def translated_courses(tmp_path_factory):
    """{language: (course directory, {stage name: {student: Outcome}})}: the round trips of TRANSLATED_RUNS in
    every other language."""
    return {language: _round_trips(tmp_path_factory.mktemp(f"nbgrader-course-{language}"), TRANSLATED_RUNS, language)
            for language in TRANSLATIONS}


@pytest.fixture(scope="session")
def executed_notebooks(solved_release):
    """{stage name: the student notebook executed top to bottom on the solved release}."""
    import nbformat
    from nbclient import NotebookClient

    notebooks_dir = solved_release / "notebooks"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(solved_release), os.environ.get("PYTHONPATH", "")]),
           "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    executed = {}
    for stage in STAGES:
        notebook = nbformat.read(notebooks_dir / f"{stage.folder}.ipynb", as_version=4)
        client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(notebooks_dir)}})
        client.execute(env=env)
        executed[stage.name] = notebook
    return executed
