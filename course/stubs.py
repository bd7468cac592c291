"""Turn reference modules into student stubs: each ### BEGIN/END SOLUTION region becomes a raise.

Markers are strict, as in nbgrader: a region must open and close inside one function body, and an
unbalanced, nested or misspelt marker stops generation with the file and line.
"""
import ast
import re

from .language import DEFAULT_LANGUAGE
from .names import stub_message
from .stages import function_label, stage_of_module, stage_of_support
from .usage import UsageError

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"

# What a student reads at the top of each generated module: an exercise module, or course support code.
HEADER = (
    "# {stage}: generated from the course's reference solutions.\n"
    "# Your work goes in the function bodies that raise NotImplementedError; keep the names and\n"
    "# signatures, the grader calls them.\n"
)
SUPPORT_HEADER = (
    "# {stage}: generated from the course's reference solutions.\n"
    "# Nothing to fill in here: course code given as it is (the grader uses the course's own copy).\n"
)


def marker_regions(source, words, where):
    """[(begin_line, end_line)] of every region between "### BEGIN <words>" and "### END <words>", 1-based and
    inclusive of the marker lines. Strict: a line that looks like either marker but is not exactly it, a
    region opened twice or closed unopened, or one never closed is a UsageError naming `where` and the line."""
    begin_marker, end_marker = f"### BEGIN {words}", f"### END {words}"
    looks_like = re.compile(r"#+\s*(BEGIN|END)\s+" + r"\s+".join(words.split()), re.IGNORECASE)
    regions, begin = [], None
    for number, line in enumerate(source.splitlines(), start=1):
        text = line.strip()
        if not looks_like.search(text):
            continue
        if text not in (begin_marker, end_marker):
            raise UsageError(f"{where}:{number}: malformed marker {text!r}")
        if (text == begin_marker) == (begin is not None):
            problem = f"nested BEGIN {words}" if begin is not None else f"END {words} without BEGIN"
            raise UsageError(f"{where}:{number}: {problem} (unbalanced markers)")
        if text == begin_marker:
            begin = number
        else:
            regions.append((begin, number))
            begin = None
    if begin is not None:
        raise UsageError(f"{where}:{begin}: BEGIN {words} is never closed")
    return regions


def solution_regions(source, filename):
    """[(begin_line, end_line)] of every solution region, 1-based and inclusive of the marker lines."""
    return marker_regions(source, "SOLUTION", filename)


def _enclosing_functions(tree):
    """[(first_body_line, end_line, qualified name)] for every function, innermost last."""
    found = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    found.append((child.body[0].lineno, child.end_lineno, name))
                visit(child, name + ".")

    visit(tree, "")
    return found


def _function_at(functions, begin, end, filename):
    if end - begin < 2:
        raise UsageError(f"{filename}:{begin}: empty solution region")
    # The END marker is a comment after the last statement, so test the lines between the markers.
    inside = [name for first, last, name in functions if first <= begin and end - 1 <= last]
    if not inside:
        raise UsageError(f"{filename}:{begin}: a solution region must lie inside a function body")
    return inside[-1]


def exercise_regions(source, module):
    """[(begin_line, end_line, qualified name)] of every solution region of reference module `module` (a bare
    name), with the function or method ("Affine.backward") it lies in: the module's exercises."""
    filename = f"solutions/{module}.py"
    functions = _enclosing_functions(ast.parse(source, filename))
    return [(begin, end, _function_at(functions, begin, end, filename))
            for begin, end in solution_regions(source, filename)]


def make_stub(source, module, language=DEFAULT_LANGUAGE):
    """The student stub of reference module `module` (its bare name, e.g. "layers"); its stubs raise their
    message in `language`."""
    filename = f"solutions/{module}.py"
    regions = solution_regions(source, filename)
    stage = stage_of_module(module)
    if stage is None and regions:
        raise UsageError(f"{filename}:{regions[0][0]}: a solution region in {module}, which is no stage's exercise "
                         "module (list it in a stage's modules in course/stages.py)")
    owner = stage or stage_of_support(module)
    label = (f"Stage {stage.number}" if stage else f"Stage {owner.number} support code" if owner
             else "Course support code")
    lines = source.splitlines()
    for begin, end, name in reversed(exercise_regions(source, module)):
        indent = lines[begin - 1][: len(lines[begin - 1]) - len(lines[begin - 1].lstrip())]
        message = stub_message(stage.number, function_label(module, name), language)
        lines[begin - 1:end] = [f'{indent}raise NotImplementedError("{message}")']
    header = (HEADER if regions else SUPPORT_HEADER).format(stage=f"{label} ({owner.title})" if owner else label)
    return header + "\n".join(lines) + "\n"


def strip_markers(source, module):
    """The reference module with its marker lines removed (the solved release)."""
    solution_regions(source, f"solutions/{module}.py")
    kept = [line for line in source.splitlines() if line.strip() not in (BEGIN, END)]
    return "\n".join(kept) + "\n"
