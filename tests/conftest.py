import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path


import pytest
from hypothesis import settings

from autograder.release.write import release
from course.paths import REPO_ROOT
from course.student_package import write_student_package
from course.toml_compat import tomllib

# Deadlines flake on a loaded 2-core CI machine; the example count keeps the suite quick.
settings.register_profile("ci", deadline=None, max_examples=50, print_blob=True)
settings.register_profile("dev", deadline=None, max_examples=25)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PYENV_VERSIONS = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
VENV_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dlscratch-venvs"


def installed_pythons():
    """{"3.12": interpreter path} of the CPythons on this machine: pyenv's versions, then PATH's python3.N
    (pyenv's shims skipped: they only run the selected version)."""
    found = {}
    for path in sorted(PYENV_VERSIONS.glob("3.*.*/bin/python")):
        found.setdefault(".".join(path.parent.parent.name.split(".")[:2]), path)
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        for path in sorted(Path(folder).glob("python3.[0-9]*")) if "shims" not in folder else ():
            if re.fullmatch(r"python3\.\d+", path.name) and os.access(path, os.X_OK):
                found.setdefault(path.name[len("python"):], path)
    return found


def version_key(version):
    """"3.10" -> (3, 10), so that 3.10 sorts after 3.9."""
    return tuple(int(part) for part in version.split("."))


def ci_pythons():
    """The Python versions CI checks besides the one running the suite: the oldest the course supports
    (pyproject's requires-python) and the newest on this machine."""
    oldest = re.fullmatch(r">=(\d+\.\d+)", PYPROJECT["project"]["requires-python"]).group(1)
    newest = max(installed_pythons(), key=version_key, default=oldest)
    return sorted({oldest, newest}, key=version_key)


def course_requirements():
    """What grading and a student's public tests need: the course's dependencies and its `grade` and
    `student` extras, as requirement strings (markers included)."""
    project = PYPROJECT["project"]
    extras = project["optional-dependencies"]
    return sorted({*project["dependencies"], *extras["grade"], *extras["student"]})


def course_venv(version):
    """The python of a venv of Python `version` ("3.10") holding course_requirements(), not the course
    (callers run a release, or the course source with PYTHONPATH). Built once per interpreter and
    requirement list under ~/.cache/dlscratch-venvs, shared by every checkout (never /tmp, which the
    sandbox hides); skips where that Python is absent. xdist workers wait for each other's build on a lock."""
    base = installed_pythons().get(version)
    if base is None:
        pytest.skip(f"no Python {version} on this machine (pyenv or PATH)")
    exact = subprocess.run([str(base), "-c", "import platform; print(platform.python_version())"],
                           capture_output=True, text=True, check=True).stdout.strip()
    key = hashlib.sha256("\n".join(course_requirements()).encode()).hexdigest()[:12]
    venv = VENV_CACHE / f"{exact}-{key}"
    VENV_CACHE.mkdir(parents=True, exist_ok=True)
    with open(VENV_CACHE / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # a venv is not relocatable: built in place, and whole once the marker exists
        if not (venv / "complete").exists():
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([str(base), "-m", "venv", str(venv)], check=True, capture_output=True)
            install = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                                      "--disable-pip-version-check", *course_requirements()],
                                     capture_output=True, text=True, timeout=900)
            assert install.returncode == 0, install.stderr[-3000:]
            (venv / "complete").touch()
    return venv / "bin" / "python"


def run(command, cwd=None, env=None, timeout=300):
    """Run `command` (a list; paths allowed) -> the CompletedProcess, text output captured. `env` adds to (or
    overrides) this process's environment."""
    return subprocess.run(list(map(str, command)), cwd=cwd, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=timeout)


def run_python(*args, python=sys.executable, **options):
    """`python ARGS...` (this suite's interpreter unless `python` names another) -> run()'s CompletedProcess;
    `options` are run()'s."""
    return run([python, *args], **options)


# What a copy of the repository needs to run its commands and tests (tests that edit the course's own
# sources, as a course's authors would, do it in such a copy); what is scratch and never copied.
REPOSITORY_PARTS = ("autograder", "course", "course_feedback", "course_points", "solutions", "assignments", "datasets",
                    "teaching", "tests", "README.md", "pyproject.toml")
SCRATCH = ("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")


def copy_repository(root):
    """Copy the repository's parts (REPOSITORY_PARTS, without scratch) into the new folder `root` -> root."""
    for name in REPOSITORY_PARTS:
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(REPO_ROOT / name, root / name, ignore=shutil.ignore_patterns(*SCRATCH))
        else:
            shutil.copy2(REPO_ROOT / name, root / name)
    return root


def run_in_copy(root, *args):
    """`python ARGS...` in the copy of the repository at `root`, its code first on the path -> CompletedProcess."""
    path = os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])
    return run_python(*args, cwd=root, env={"PYTHONPATH": path}, timeout=600)


def public_tests(release_dir, *args, python=sys.executable, env=None):
    """Run a release's public tests with `python` (`env` added to the environment); -> (exit code, points
    report as a dict, stdout)."""
    result = run_python("-m", "pytest", "-q", "-p", "no:cacheprovider", "--points-report", "points.json", *args,
                        python=python, cwd=release_dir, env=env)
    assert result.returncode in (0, 1), result.stdout[-2000:] + result.stderr[-2000:]
    return result.returncode, json.loads((Path(release_dir) / "points.json").read_text()), result.stdout


def _written(tmp_path_factory, writer, name, solved):
    """writer(path, solved=solved) of a path `name` in a new folder -> the path."""
    path = tmp_path_factory.mktemp("solved" if solved else "stubs") / name
    writer(path, solved=solved)
    return path


def release_in(language, dest, **options):
    """release(dest, language=language, **options) (language None: release's own default)."""
    return release(dest, language=language, **options)


def append_code(release_dir, module, code):
    """Append `code` to the release's dlscratch/<module>.py (a later def replaces the module's own) -> the
    number of the module's last line."""
    path = Path(release_dir) / "dlscratch" / f"{module}.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + code, encoding="utf-8")
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="session")
def stub_release(tmp_path_factory):
    """A student repository as `release` writes it (stubs)."""
    return _written(tmp_path_factory, release, "student", solved=False)


@pytest.fixture(scope="session")
def solved_release(tmp_path_factory):
    """The same with the reference bodies (`release --solved`)."""
    return _written(tmp_path_factory, release, "student", solved=True)


@pytest.fixture(scope="session")
def stub_package(tmp_path_factory):
    """A dlscratch/ package of the stubs."""
    return _written(tmp_path_factory, write_student_package, "dlscratch", solved=False)


@pytest.fixture(scope="session")
def solved_package(tmp_path_factory):
    """A dlscratch/ package with the reference bodies (the --solved release's package)."""
    return _written(tmp_path_factory, write_student_package, "dlscratch", solved=True)
