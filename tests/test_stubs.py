"""Stub generation: strict markers, stubs in sync with solutions, identical signatures, no leaked bodies."""
import ast
import importlib
import textwrap

import pytest

from autograder.sources.generated import stale_stub_files
from course.paths import ASSIGNMENTS_DIR, SOLUTIONS_DIR
from course.stages import STAGES
from course.stubs import make_stub, solution_regions, strip_markers
from course.usage import UsageError

REFERENCE = textwrap.dedent('''\
    def affine(x, W):
        """x: (N, D), W: (D, M) -> (N, M)."""
        ### BEGIN SOLUTION
        return x @ W
        ### END SOLUTION
''')


def _definitions(source):
    """{qualified name: (argument list, docstring)} for every function and class in a module."""
    found = {}

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.ClassDef)):
                args = ast.unparse(child.args) if isinstance(child, ast.FunctionDef) else ""
                found[prefix + child.name] = (args, ast.get_docstring(child))
                visit(child, f"{prefix}{child.name}.")

    visit(ast.parse(source), "")
    return found


def test_make_stub_replaces_the_region_with_a_stage_hint():
    stub = make_stub(REFERENCE, "layers")
    assert 'raise NotImplementedError("Stage 4: implement affine")' in stub
    assert "x @ W" not in stub and "SOLUTION" not in stub
    assert stub.startswith("# Stage 4 (Backpropagation): generated")


def test_strip_markers_keeps_the_body():
    solved = strip_markers(REFERENCE, "layers")
    assert "return x @ W" in solved and "SOLUTION" not in solved


@pytest.mark.parametrize("source, problem", [
    ("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n", "nested"),
    ("def f():\n    return 1\n    ### END SOLUTION\n", "END SOLUTION without BEGIN"),
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n", "never closed"),
    ("def f():\n    ## BEGIN SOLUTIONS\n    return 1\n", "malformed"),
    ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n", "inside a function body"),
    ("def f():\n    ### BEGIN SOLUTION\n    ### END SOLUTION\n    return 1\n", "empty solution region"),
])
def test_bad_markers_are_errors_naming_the_line(source, problem):
    with pytest.raises(UsageError, match=problem) as error:
        make_stub(source, "layers")
    assert "solutions/layers.py:" in str(error.value)


def test_committed_stubs_are_in_sync_with_solutions():
    assert stale_stub_files() == [], "run `python -m autograder stubs` and commit the result"


@pytest.mark.parametrize("module", sorted(path.stem for path in SOLUTIONS_DIR.glob("*.py")))
def test_stub_has_the_reference_signatures_and_docstrings(module):
    reference = (SOLUTIONS_DIR / f"{module}.py").read_text()
    stub = (ASSIGNMENTS_DIR / "dlscratch" / f"{module}.py").read_text()
    assert _definitions(stub) == _definitions(reference)


@pytest.mark.parametrize("module", sorted(path.stem for path in SOLUTIONS_DIR.glob("*.py")))
def test_no_solution_line_reaches_the_stub(module):
    reference = (SOLUTIONS_DIR / f"{module}.py").read_text()
    stub_lines = set((ASSIGNMENTS_DIR / "dlscratch" / f"{module}.py").read_text().splitlines())
    inside = set()
    lines = reference.splitlines()
    for begin, end in solution_regions(reference, module):
        inside |= {line for line in lines[begin:end - 1] if any(char.isalnum() for char in line)}
    shared = inside & stub_lines
    assert not shared, f"solution lines leaked into the stub: {sorted(shared)[:3]}"


def test_every_stage_module_exists_and_every_stub_raises_with_its_stage():
    for stage in STAGES:
        for module in stage.modules:
            stub = (ASSIGNMENTS_DIR / "dlscratch" / f"{module}.py").read_text()
            assert f'NotImplementedError("Stage {stage.number}: implement' in stub
            importlib.import_module(f"solutions.{module}")
