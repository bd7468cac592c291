"""The structure of one function as winnowed k-gram fingerprints (MOSS: Schleimer, Wilkerson and Aiken, 2003).

A function's text is parsed with `ast` only (student text is never imported or run), its docstring dropped,
and walked into a stream of node types: identifiers the student chose, constants and formatting leave no
trace, so renaming, reformatting and re-commenting change nothing; the operands of + and * are put in a
canonical order, so swapping them changes nothing either. The names of the API a solution calls
(NumPy's functions and array methods, Python's builtins) stay: `np.sum` and a loop are different work, and
a copier renaming variables keeps them (benchmarks/similarity_class.py measured both ways).
"""
import ast
import builtins
import hashlib

import numpy as np

# k tokens per k-gram, the minimum of each window of W k-grams kept: chosen on the synthetic class of
# benchmarks/similarity_class.py (any shared run of W + K - 1 tokens yields a shared fingerprint).
K = 6
W = 8
COMMUTATIVE = (ast.Add, ast.Mult)
# What a solution calls by name: NumPy's functions and array methods (always reached as attributes), and
# Python's builtins (bare names). A student's own variable named like a NumPy constant (`e`) is still erased.
NUMPY_NAMES = frozenset(name for name in {*dir(np), *dir(np.ndarray)} if not name.startswith("_"))
BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_"))


def _label(node, keep_api):
    """The token of one node: its type, with the name when it is an API name (np.sum, x.reshape, range)."""
    kind = type(node).__name__
    if keep_api:
        if isinstance(node, ast.Attribute) and node.attr in NUMPY_NAMES:
            return f"{kind}.{node.attr}"
        if isinstance(node, ast.Name) and node.id in BUILTIN_NAMES:
            return f"{kind}.{node.id}"
    return kind


def _stream(node, keep_api):
    """The labels of `node`'s subtree in pre-order; the operands of + and * in a canonical order, so that
    `a * b` and `b * a` are one structure."""
    if isinstance(node, ast.expr_context):  # Load/Store repeat what the parent node says
        return []
    parts = [_stream(child, keep_api) for child in ast.iter_child_nodes(node)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, COMMUTATIVE):
        left, operator, right = parts
        parts = [*sorted((left, right)), operator]
    return [_label(node, keep_api)] + [label for part in parts for label in part]


def tokens(function, keep_api=True):
    """The token stream of `function` (an ast.FunctionDef) without its docstring -> [str]."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    stream = [type(function).__name__, *_stream(function.args, keep_api)]
    for statement in body:
        stream += _stream(statement, keep_api)
    return stream


def _hash(gram):
    """A stable 64-bit hash of a k-gram (Python's hash() of text changes from process to process)."""
    return int.from_bytes(hashlib.blake2b("\x1f".join(gram).encode(), digest_size=8).digest(), "big")


def winnow(stream, k=K, w=W):
    """The winnowed fingerprints of a token stream -> frozenset of int: the smallest hash of every window of
    `w` consecutive k-gram hashes (of the whole stream when it is shorter than a window; none when it is
    shorter than one k-gram). Positions are not kept: the report shows both functions whole."""
    hashes = [_hash(stream[i:i + k]) for i in range(len(stream) - k + 1)]
    if not hashes:
        return frozenset()
    return frozenset(min(hashes[start:start + w]) for start in range(max(1, len(hashes) - w + 1)))


def parse_function(text):
    """The first function defined in `text` (one function's source, as function_sources gives it) ->
    ast.FunctionDef, or None when it does not parse."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return None
    return next((node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))), None)


def fingerprints(text, k=K, w=W, keep_api=True):
    """The fingerprints of one function's source text -> frozenset of int (empty when it does not parse)."""
    function = parse_function(text)
    try:
        return frozenset() if function is None else winnow(tokens(function, keep_api), k, w)
    except RecursionError:  # parsed, but nested deeper than the walk may recurse: nothing to judge
        return frozenset()


def function_sources(module_text, qualnames):
    """{qualified name: source text} of the functions and methods `qualnames` ("softmax", "Affine.backward")
    defined at the top of `module_text` (a later definition replaces an earlier one, as at import). Names not
    found are absent; so is everything when the module does not parse."""
    try:
        tree = ast.parse(module_text)
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return {}
    defined = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            defined[node.name] = node
        elif isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    defined[f"{node.name}.{member.name}"] = member
    found = {}
    for name in qualnames:
        segment = ast.get_source_segment(module_text, defined[name]) if name in defined else None
        if segment:
            found[name] = segment
    return found
