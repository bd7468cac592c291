"""`python -m autograder stubs [--check]`: regenerate assignments/dlscratch/ from solutions/.

--check writes nothing and fails (exit 1) if the committed stubs differ from what would be generated.
"""
from . import ASSIGNMENTS_DIR, STUDENT_PACKAGE
from .release import student_package_files

STUBS_DIR = ASSIGNMENTS_DIR / STUDENT_PACKAGE


def stale_stub_files():
    """Names of files in assignments/dlscratch/ that are missing, extra, or differ from the generated stubs."""
    expected = student_package_files(solved=False)
    present = {path.name for path in STUBS_DIR.glob("*.py")}
    stale = {name for name, text in expected.items()
             if name not in present or (STUBS_DIR / name).read_text(encoding="utf-8") != text}
    return sorted(stale | (present - set(expected)))


def add_arguments(parser):
    parser.add_argument("--check", action="store_true", help="only report stubs that are out of date")


def run(args):
    stale = stale_stub_files()
    if args.check:
        for name in stale:
            print(f"out of date: {STUBS_DIR / name}")
        return 1 if stale else 0
    STUBS_DIR.mkdir(parents=True, exist_ok=True)
    for name in set(path.name for path in STUBS_DIR.glob("*.py")) - set(student_package_files()):
        (STUBS_DIR / name).unlink()
    for name, text in student_package_files().items():
        (STUBS_DIR / name).write_text(text, encoding="utf-8")
    print(f"{len(stale)} stub file(s) regenerated in {STUBS_DIR}")
    return 0
