"""The teaching sources of every language stay in step with the English ones: the same cells in the same order,
the same cell kinds and metadata (nbgrader's grade_id, points, solution and locked flags), test cells byte for
byte, code cells the same code; only the text for the reader is translated (markdown, comments, docstrings and
the literal text of print's arguments)."""
import ast

import pytest

from autograder.jupyter.render import FLAVOURS, render
from course.stages import STAGES

from .helpers import TRANSLATIONS


class _ReaderText(ast.NodeTransformer):
    """Blanks what a translation may change in code: docstrings and the literal text print is given."""

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "print":
            node.args = [_blank(arg) for arg in node.args]
        return node

    def generic_visit(self, node):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
            body[0].value.value = ""
        return super().generic_visit(node)


def _blank(argument):
    """A print argument with its literal text removed: the expressions of an f-string stay, with their formats."""
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return ast.Constant("")
    if isinstance(argument, ast.JoinedStr):
        return ast.JoinedStr([value for value in argument.values if not isinstance(value, ast.Constant)])
    return argument


def code_outline(source):
    """The code of a cell without what a translator may change (comments, docstrings, print's text), as a
    comparable string."""
    return ast.dump(_ReaderText().visit(ast.parse(source)))


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("language", TRANSLATIONS)
@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_a_translation_has_the_same_cells_code_and_tests(stage, language, flavour):
    english, translated = render(stage, flavour), render(stage, flavour, language)
    assert [(cell.id, cell.cell_type, cell.metadata) for cell in translated.cells] == \
           [(cell.id, cell.cell_type, cell.metadata) for cell in english.cells]
    for ours, theirs in zip(english.cells, translated.cells):
        where = f"{stage.name} ({language}, {flavour}) cell {ours.id}"
        if ours.cell_type == "markdown":
            assert theirs.source != ours.source, f"{where} is not translated"
        elif ours.metadata.get("nbgrader", {}).get("grade"):
            assert theirs.source == ours.source, f"{where}: a test cell differs"
        else:
            assert code_outline(theirs.source) == code_outline(ours.source), f"{where}: the code differs"
        if "dlscratch" in ours.metadata and ours.source.startswith("#"):
            assert theirs.source.splitlines()[0] != ours.source.splitlines()[0], f"{where}: its note is not translated"


@pytest.mark.parametrize("same, translated", [
    ("x = f(1)  # one\n", "# 注释\nx = f(1)  # 一\n"),
    ('def f():\n    """Doc."""\n    return 1\n', 'def f():\n    """文档。"""\n    return 1\n'),
    ('print("naive:", y, f"acc {a:.3f}!")\n', 'print("直接计算：", y, f"准确率 {a:.3f}！")\n'),
])
def test_the_outline_ignores_only_text_for_the_reader(same, translated):
    assert code_outline(same) == code_outline(translated)


@pytest.mark.parametrize("one, other", [
    ("x = f(1)\n", "x = f(2)\n"),
    ('ax.set(title="loss")\n', 'ax.set(title="损失")\n'),
    ('print("acc", a)\n', 'print("acc", b)\n'),
    ('print(f"acc {a:.3f}")\n', 'print(f"acc {a:.4f}")\n'),
    ('def f():\n    x = "Doc."\n', 'def f():\n    x = "文档。"\n'),
])
def test_the_outline_sees_every_change_of_code(one, other):
    assert code_outline(one) != code_outline(other)
