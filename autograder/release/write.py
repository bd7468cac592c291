"""Write the student repository: the stub package (or, solved, the reference bodies), the public tests of
every stage, the notebook of every stage, the datasets package, the points plugin with the feedback engine
and the stage table, a student README listing the stages and their points, the GitHub workflow that runs
the public tests on every push and, last, the release manifest (every file written, with its sha256).

A release speaks one language (`--lang`, course/language.py): its stubs' messages, notebooks and README are
in it, course/release_language names it, and the catalogues it ships (every language's, so DLSCRATCH_LANG
can choose another) hold only the messages of the code it ships.

A release never destroys a student's work. It is built in a temporary folder first; --force into a DEST
holding files the student changed refuses, or with --backup moves them to DEST/.release-backup/<time>/
first; --update refreshes what the student has not changed and writes new versions beside the rest.
"""
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from course.language import DEFAULT_LANGUAGE, RELEASE_LANGUAGE_FILE, release_language, translation
from course.names import STUDENT_PACKAGE
from course.paths import (ASSIGNMENTS_DIR, DATASETS_DIR, REPO_ROOT, SHIPPED_PACKAGES, STUDENT_SIDE_MODULES, TEMPLATES,
                          student_notebooks_dir)
from course.rubric import load_rubric
from course.stages import STAGES
from course.student_package import write_student_package
from course.toml_compat import tomllib
from course.usage import UsageError

from . import working_copy
from .catalogue import mo_bytes, mo_path, shipped_catalogue, translated_languages
from .manifest import read_manifest, write_manifest

IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")


def _check_destination(dest, force):
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"release: {dest} exists and is not a directory")
    if dest.exists() and any(dest.iterdir()) and not force:
        raise UsageError(f"release: {dest} is not empty (pass --update to bring it to this release, "
                         "or --force to overwrite what the student has not changed)")


def _stage_points(dest):
    """Collect the public tests in DEST and return the per-stage totals the points plugin reports."""
    report_path = dest / ".points.json"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "--points-report", str(report_path)],
        cwd=dest, capture_output=True, text=True)
    if result.returncode != 0 or not report_path.exists():
        lines = (result.stdout + result.stderr).strip().splitlines() or ["no output"]
        missing = next((line.split("No module named", 1)[1].strip() for line in lines if "No module named" in line),
                       None)
        if missing:
            raise UsageError(f"release: collecting the public tests failed: no module named {missing} (install "
                               "the course with its student extra: python -m pip install -e '.[student]')")
        raise UsageError(f"release: collecting the public tests failed: {lines[-1]}")
    stages = json.loads(report_path.read_text())["extra_data"]["stages"]
    report_path.unlink()
    # importing the tests lets hypothesis write its cache (.hypothesis/constants/): not part of the release
    shutil.rmtree(dest / ".hypothesis", ignore_errors=True)
    return stages


def _student_readme(stage_points, language):
    graded = graded_points()
    gettext = translation(language).gettext
    rows = []
    for stage in STAGES:
        points = stage_points.get(stage.name, {"max_score": 0, "total": 0})
        modules = ", ".join(f"`{STUDENT_PACKAGE}/{module}.py`" for module in stage.modules)
        rows.append(f"| `{stage.name}` | {gettext(stage.title)} | {modules} | `{stage.folder}/` | "
                    f"{points['total']} | {points['max_score']:g} | {graded.get(stage.name, 0):g} |")
    rows.append(f"| | **{gettext('total')}** | | | {sum(points['total'] for points in stage_points.values())} | "
                f"{sum(points['max_score'] for points in stage_points.values()):g} | {sum(graded.values()):g} |")
    template = student_readme_template(language).read_text(encoding="utf-8")
    return (template.replace("{{STAGE_TABLE}}", "\n".join(rows)).replace("{{CALL_TIMEOUT}}", _call_timeouts())
            .replace("{{GRADED_TOTAL}}", f"{sum(graded.values()):g}"))


def student_readme_template(language):
    """The student README's template in `language`: student_README.md, student_README.<language>.md else."""
    return TEMPLATES / ("student_README.md" if language == DEFAULT_LANGUAGE else f"student_README.{language}.md")


def _call_timeouts():
    """The per-call limits of the stage table in words: "3 s", or "3 s (stage4: 5 s)" where stages differ."""
    usual = max({stage.call_timeout for stage in STAGES}, key=[stage.call_timeout for stage in STAGES].count)
    others = [f"{stage.name}: {stage.call_timeout:g} s" for stage in STAGES if stage.call_timeout != usual]
    return f"{usual:g} s" + (f" ({', '.join(others)})" if others else "")


def graded_points():
    """{stage name: the points of its hidden tests} from the rubric (the grade is out of their sum)."""
    totals = {}
    for entry in load_rubric().values():
        totals[entry.stage] = totals.get(entry.stage, 0.0) + entry.points
    return totals


def _write_workflow(dest, stage_points):
    """.github/workflows/classroom.yml, told the public total so that uncollectable tests still count."""
    total = sum(points["max_score"] for points in stage_points.values())
    workflow = (TEMPLATES / "classroom.yml").read_text(encoding="utf-8").replace("{{PUBLIC_MAX_SCORE}}", f"{total:g}")
    (dest / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
    (dest / ".github" / "workflows" / "classroom.yml").write_text(workflow, encoding="utf-8")


def student_pyproject():
    """The student repository's pyproject.toml: Python version and dependencies from the course's own
    pyproject (`requires-python`, the `student` extra), test folders from the stage table."""
    course = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    values = {"REQUIRES_PYTHON": json.dumps(course["requires-python"]),
              "DEPENDENCIES": json.dumps(course["optional-dependencies"]["student"]),
              "TESTPATHS": json.dumps([stage.folder for stage in STAGES])}
    text = (TEMPLATES / "student_pyproject.toml").read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"{{{{{name}}}}}", value)
    return text


def ships(path):
    """Whether the repository file `path` ("course_feedback/checks.py") is code a student release ships."""
    top, _slash, rest = path.partition("/")
    return (top in (*SHIPPED_PACKAGES, "solutions") or path in {f"course/{module}.py" for module in STUDENT_SIDE_MODULES}
            or (top == "assignments" and rest.split("/")[0] in {stage.folder for stage in STAGES})
            or path.startswith("autograder/templates/student_"))


def _write_catalogues(course_dir, language):
    """course/release_language and every language's catalogue, cut to the messages of shipped code."""
    (course_dir / RELEASE_LANGUAGE_FILE.name).write_text(f"{language}\n", encoding="utf-8")
    for other in translated_languages():
        target = course_dir / mo_path(other).relative_to(RELEASE_LANGUAGE_FILE.parent)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(mo_bytes(shipped_catalogue(other, ships)))


def _notebooks_dir(language):
    folder = student_notebooks_dir(language)
    if not folder.is_dir():
        raise UsageError(f"release --lang {language}: {folder.relative_to(REPO_ROOT)}/ does not exist yet (the "
                         f"notebooks in {language} are rendered from teaching/{language}/ by python -m autograder stubs)")
    return folder


def build(root, solved=False, language=DEFAULT_LANGUAGE):
    """Write the whole student repository in `language` into the empty folder `root`; the manifest is
    written last."""
    notebooks = _notebooks_dir(language)
    root.mkdir(parents=True, exist_ok=True)
    write_student_package(root / STUDENT_PACKAGE, solved, language)
    shutil.copytree(DATASETS_DIR, root / "dlscratch_data", ignore=IGNORED, dirs_exist_ok=True)
    for package in SHIPPED_PACKAGES:
        shutil.copytree(REPO_ROOT / package, root / package, ignore=IGNORED, dirs_exist_ok=True)
    (root / "course").mkdir()
    for module in STUDENT_SIDE_MODULES:
        shutil.copy2(REPO_ROOT / "course" / f"{module}.py", root / "course" / f"{module}.py")
    _write_catalogues(root / "course", language)
    for stage in STAGES:
        shutil.copytree(ASSIGNMENTS_DIR / stage.folder, root / stage.folder, ignore=IGNORED, dirs_exist_ok=True)
    shutil.copytree(notebooks, root / "notebooks", ignore=IGNORED, dirs_exist_ok=True)
    (root / "pyproject.toml").write_text(student_pyproject(), encoding="utf-8")
    for template, target in (("student_conftest.py", "conftest.py"), ("student_gitignore", ".gitignore"),
                             ("student_check.py", f"{STUDENT_PACKAGE}/check.py")):
        shutil.copy2(TEMPLATES / template, root / target)
    stage_points = _stage_points(root)
    (root / "README.md").write_text(_student_readme(stage_points, language), encoding="utf-8")
    _write_workflow(root, stage_points)
    write_manifest(root)


def _previous_manifest(dest, required):
    """DEST's manifest entries; {} where it has none (or a malformed one) unless `required`."""
    try:
        return read_manifest(dest)
    except UsageError as error:
        if required:
            raise UsageError(f"release --update: {error}") from None
        return {}


def released_language(dest):
    """The language DEST was released in (its course/release_language), English where it names none."""
    return release_language(dest / "course" / RELEASE_LANGUAGE_FILE.name)


def release(dest, solved=False, force=False, backup=False, update=False, language=None):
    """Write the student repository into `dest` (a pathlib.Path) -> report lines for the instructor.

    force: write into a non-empty DEST, refusing (UsageError, nothing changed) if the student changed
    any file the release would overwrite, unless backup moves those files aside first. update: bring a
    released DEST to this release without overwriting any file the student changed. language: one of
    course.language.LANGUAGES; None is English, or with update DEST's own language.
    """
    _check_destination(dest, force or update)
    previous = _previous_manifest(dest, required=update)
    if language is None:
        language = released_language(dest) if update else DEFAULT_LANGUAGE
    with tempfile.TemporaryDirectory(prefix="dlscratch-release-") as scratch:
        root = Path(scratch) / "release"
        build(root, solved, language)
        entries = read_manifest(root)
        if update:
            return [f"updated {dest}:", *working_copy.update(root, dest, entries, previous)]
        changed = working_copy.student_changes(dest, entries, previous)
        if changed and not backup:
            shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
            raise UsageError(f"release: {dest} holds {len(changed)} file(s) changed since it was released "
                               f"({shown}); nothing was written. Use --update to keep them, or --force --backup "
                               f"to move them to {dest / working_copy.BACKUP_DIR} first")
        lines = []
        if changed:
            folder = working_copy.back_up(dest, changed)
            lines.append(f"moved {len(changed)} changed file(s) to {folder}: " + ", ".join(changed))
        dest.mkdir(parents=True, exist_ok=True)
        working_copy.install(root, dest, entries)
    return lines
