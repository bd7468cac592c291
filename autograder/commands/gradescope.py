"""`python -m autograder gradescope DEST.zip [--lang en|zh]`: the autograder bundle Gradescope takes.

The zip holds setup.sh and run_autograder at its root, next to the course source (the grader with its
hidden suites and rubric, the reference solutions, the datasets package, pyproject.toml). Gradescope
unpacks it into /autograder/source; run_autograder grades /autograder/submission into
/autograder/results/results.json with `python -m autograder grade --format json --lang LANG`, the
bundle's language.
"""
import stat
import zipfile
from pathlib import Path

from course.language import DEFAULT_LANGUAGE, LANGUAGES, current_language
from course.paths import DATASETS_DIR, REPO_ROOT, SHIPPED_PACKAGES, SOLUTIONS_DIR, TEMPLATES
from course.usage import user_path

SOURCE_DIRS = (REPO_ROOT / "autograder", REPO_ROOT / "course", *(REPO_ROOT / package for package in SHIPPED_PACKAGES),
               SOLUTIONS_DIR, DATASETS_DIR)
SCRIPTS = {"setup.sh": "gradescope_setup.sh", "run_autograder": "gradescope_run_autograder"}
SKIPPED = {"__pycache__", ".pytest_cache", ".hypothesis"}
# Where run_autograder's template takes the language its grades' feedback is in.
LANGUAGE_SLOT = b"@LANGUAGE@"


def source_files():
    """[(path, name in the bundle)] of the course source the grader needs, sorted."""
    files = [(REPO_ROOT / "pyproject.toml", "pyproject.toml")]
    for folder in SOURCE_DIRS:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not SKIPPED & set(path.parts) and path.suffix != ".pyc":
                files.append((path, path.relative_to(REPO_ROOT).as_posix()))
    return files


def _add(bundle, name, data, executable=False):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = (stat.S_IFREG | (0o755 if executable else 0o644)) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    bundle.writestr(info, data)


def build_bundle(dest, language=DEFAULT_LANGUAGE):
    """Write the bundle to `dest` (a .zip path), grading with feedback in `language`; the same source and
    language give the same bytes."""
    dest = Path(dest)
    with user_path(dest):
        dest.parent.mkdir(parents=True, exist_ok=True)
        stream = open(dest, "wb")
    with stream, zipfile.ZipFile(stream, "w") as bundle:
        for name, template in SCRIPTS.items():
            script = (TEMPLATES / template).read_bytes().replace(LANGUAGE_SLOT, language.encode())
            _add(bundle, name, script, executable=True)
        for path, name in source_files():
            _add(bundle, name, path.read_bytes())


def add_arguments(parser):
    parser.add_argument("dest", type=Path, help="the zip to write (upload it as the Gradescope autograder)")
    parser.add_argument("--lang", dest="language", choices=LANGUAGES, default=current_language(),
                        help="the language of the feedback students read on Gradescope (default: DLSCRATCH_LANG, "
                             "else en)")


def run(args):
    build_bundle(args.dest, args.language)
    print(f"Gradescope autograder bundle written to {args.dest}")
    return 0
