"""Top-level definitions (functions, classes, constants) cut out of a module's text, by name."""
import ast

from course.stubs import END
from course.usage import UsageError


def _top_level(tree):
    """{name: node} for the module's top-level functions, classes and simple assignments."""
    found = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            found[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found.update({target.id: node for target in targets if isinstance(target, ast.Name)})
    return found


def definition_source(text, names, module):
    """The source lines of each top-level definition in `names`, in the module's order, as one string.

    A trailing ### END SOLUTION comment belongs to the definition it closes (ast ends at the last
    statement), so it is kept: an nbgrader solution region must stay balanced inside its cell.
    """
    lines = text.splitlines()
    nodes = _top_level(ast.parse(text, f"{module}.py"))
    missing = [name for name in names if name not in nodes]
    if missing:
        raise UsageError(f"{module}.py has no top-level definition {', '.join(missing)}")
    chunks = []
    for node in sorted({id(nodes[name]): nodes[name] for name in names}.values(), key=lambda n: n.lineno):
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        last = node.end_lineno
        while last < len(lines) and lines[last].strip() == END:
            last += 1
        chunks.append("\n".join(lines[first - 1:last]))
    return "\n\n\n".join(chunks)


def top_level_names(text):
    """Names defined at the top level of `text` (a module or a notebook cell)."""
    return set(_top_level(ast.parse(text)))
