"""Find answers and hidden-test material in a tree that students get (a release, nbgrader's release/).

A secret is a normalised line (whitespace collapsed) that students must never see:
- every line inside a ### BEGIN/END SOLUTION region of solutions/*.py,
- the module-level assignments (inputs, constants, thresholds) of the hidden suites in autograder/hidden/,
- every line of a ### BEGIN HIDDEN TESTS region of the teaching sources, in every language,
unless the same line is public anyway (in the stubs or the public tests), or too short to mean anything
(`else:`, `return x`).
"""
import ast
import json
from pathlib import Path

from course.language import LANGUAGES
from course.paths import ASSIGNMENTS_DIR, HIDDEN_DIR, REPO_ROOT, SOLUTIONS_DIR
from course.stages import STAGES
from course.stubs import solution_regions
from course.student_package import student_package_files
from ..jupyter.render import hidden_regions, teaching_source

# Shorter lines are syntax rather than answers ("else:", "return x", "it.iternext()").
MIN_SECRET_CHARS = 14
TEXT_SUFFIXES = {".py", ".md", ".txt", ".toml", ".yml", ".yaml", ".cfg", ".ini", ".json", ".html", ".csv"}


def _origin(path):
    """Where a secret line comes from, as the repository names it: "teaching/stage4_backprop.py"."""
    return path.relative_to(REPO_ROOT).as_posix()


def normalise(line):
    return " ".join(line.split())


def _solution_lines():
    for path in sorted(SOLUTIONS_DIR.glob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for begin, end in solution_regions("\n".join(lines), path.name):
            yield from ((line, f"{_origin(path)}:{number}") for number, line in
                        enumerate(lines[begin:end - 1], start=begin + 1))


def _hidden_suite_lines():
    for path in sorted(HIDDEN_DIR.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.parse(text).body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                yield from ((lines[number - 1], f"{_origin(path)}:{number}")
                            for number in range(node.lineno, node.end_lineno + 1))


def hidden_test_cell_lines():
    """[(line, where)] of every hidden-test region of every stage's teaching source in every language."""
    for path in (teaching_source(stage, language) for language in LANGUAGES for stage in STAGES):
        lines = path.read_text(encoding="utf-8").splitlines()
        for begin, end in hidden_regions("\n".join(lines), path.name):
            yield from ((line, f"{_origin(path)}:{number}") for number, line in
                        enumerate(lines[begin:end - 1], start=begin + 1))


def public_lines():
    """Normalised lines students get anyway: the stubs and the public tests."""
    texts = list(student_package_files().values())
    texts += [path.read_text(encoding="utf-8") for stage in STAGES for path in (ASSIGNMENTS_DIR / stage.folder).rglob("*.py")]
    return {normalise(line) for text in texts for line in text.splitlines()}


def secret_lines():
    """{normalised line: where it comes from} of everything that must not reach students."""
    public = public_lines()
    secrets = {}
    for line, where in [*_solution_lines(), *_hidden_suite_lines(), *hidden_test_cell_lines()]:
        key = normalise(line)
        if len(key) >= MIN_SECRET_CHARS and key not in public:
            secrets.setdefault(key, where)
    return secrets


def file_lines(path):
    """The lines of a shipped file; a notebook's are those of its cells' sources and text outputs."""
    if path.suffix == ".ipynb":
        notebook = json.loads(path.read_text(encoding="utf-8"))
        chunks = []
        for cell in notebook.get("cells", []):
            chunks.append(cell.get("source", ""))
            chunks += [output.get("text", "") for output in cell.get("outputs", [])]
        return "\n".join("".join(chunk) if isinstance(chunk, list) else chunk for chunk in chunks).splitlines()
    if path.suffix in TEXT_SUFFIXES or not path.suffix:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    return []


def scan(root, secrets=None):
    """[(file, line number, where the secret comes from)] for every secret line found under `root`."""
    secrets = secret_lines() if secrets is None else secrets
    found = []
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
        for number, line in enumerate(file_lines(path), start=1):
            origin = secrets.get(normalise(line))
            if origin:
                found.append((path, number, origin))
    return found
