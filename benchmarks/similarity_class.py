"""The similarity report on a synthetic class: precision and recall of its pairs, and its time for 500 students.

    python benchmarks/similarity_class.py [--students N] [--seed S] [--grid]

The class: every student writes every exercise function as the reference does, in their own words (their
own local names, formatting, comments, no docstring, operands of + and * swapped here and there, now and
then a call pulled into a variable of its own or a statement added); for the six functions of
benchmarks/similarity_variants.py, one student per honest variant wrote that variant instead; and 1 to 3
copiers per variant took it from its author (or from another copier) and disguised it: arguments and
locals renamed, reformatted, comments added, the docstring dropped, operands swapped, sometimes a call
pulled out or a statement added. A pair is a true copy when both functions come from the same variant
author; everything else is honest (a copy of reference-shaped code cannot be told from following the
lecture, so no copier takes one). --grid prints precision and recall for other k, w, thresholds and
minimum shared fingerprints, with the API names kept and erased, on three classes of 150.
"""
import argparse
import ast
import builtins
import functools
import itertools
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # as a script: the repository root, for benchmarks.*

from autograder.batch import fingerprints, similarity, similarity_report, sources  # noqa: E402
from benchmarks.similarity_variants import VARIANTS  # noqa: E402
from course.names import module_file  # noqa: E402
from course.paths import SOLUTIONS_DIR  # noqa: E402
from course.student_package import exercise_functions  # noqa: E402

SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "vo", "zu", "be", "di")
EXTRAS = ("checked = True", "print('here')", "assert self is not None", "count = 0")
COMMENTS = ("# compute it", "# TODO check shapes", "# as in the lecture", "# step", "# why does this work?")
KEPT = {"self", "np", *dir(builtins)}


def reference_sources():
    """{"module.qualname": the reference's source text} of every exercise function."""
    found = {}
    for module, names in exercise_functions().items():
        text = (SOLUTIONS_DIR / module_file(module)).read_text(encoding="utf-8")
        found.update({f"{module}.{name}": source for name, source in fingerprints.function_sources(text, names).items()})
    return found


class _Rewrite(ast.NodeTransformer):
    """Renames `names` (old -> new) wherever they are read, written or declared; swaps the operands of + and
    * with probability `swap`."""

    def __init__(self, names, swap, rng):
        self.names, self.swap, self.rng = names, swap, rng

    def visit_Name(self, node):
        node.id = self.names.get(node.id, node.id)
        return node

    def visit_arg(self, node):
        node.arg = self.names.get(node.arg, node.arg)
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, (ast.Add, ast.Mult)) and self.rng.random() < self.swap:
            node.left, node.right = node.right, node.left
        return node


def _new_name(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) + rng.choice(("", "_", "2", "_val"))


class _Replace(ast.NodeTransformer):
    """Replaces the one node `old` (by identity) with `new`."""

    def __init__(self, old, new):
        self.old, self.new = old, new

    def visit(self, node):
        return self.new if node is self.old else self.generic_visit(node)


def _extract(body, rng):
    """Pull one call out of a statement of `body` into a variable of its own, assigned just before it."""
    spots = [(index, node) for index, statement in enumerate(body) if isinstance(statement, (ast.Assign, ast.Return))
             for node in ast.walk(statement) if isinstance(node, ast.Call) and node is not statement.value]
    if spots:
        index, call = rng.choice(spots)
        name = _new_name(rng)
        body[index] = _Replace(call, ast.Name(name, ast.Load())).visit(body[index])
        body.insert(index, ast.Assign([ast.Name(name, ast.Store())], call))
    return body


def rewrite(text, rng, arguments=False, swap=0.0, extra=False, extract=False):
    """`text` (one function) as another student writes it: its locals (and, with `arguments`, its arguments)
    renamed, + and * operands swapped with probability `swap`, with `extra` a statement added, with
    `extract` a call pulled into a variable of its own, no docstring, reformatted, comments sprinkled."""
    function = fingerprints.parse_function(text)
    declared = {a.arg for a in function.args.args + function.args.kwonlyargs} if arguments else set()
    stored = {node.id for node in ast.walk(function) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    names = {name: _new_name(rng) for name in sorted((declared | stored) - KEPT)}
    function = _Rewrite(names, swap, rng).visit(function)
    body = function.body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if extra:
        body.insert(rng.randrange(len(body)), ast.parse(rng.choice(EXTRAS)).body[0])
    if extract:
        body = _extract(body, rng)
    function.body = body or [ast.Pass()]
    lines = ast.unparse(ast.fix_missing_locations(function)).splitlines()
    out = []
    for line in lines:
        if rng.random() < 0.15 and line.startswith(" "):
            out.append(line[: len(line) - len(line.lstrip())] + rng.choice(COMMENTS))
        out.append(line)
        if rng.random() < 0.1:
            out.append("")
    return "\n".join(out) + "\n"


def build_class(students, seed=0, copiers_per_variant=(1, 3)):
    """A synthetic class -> ({student: {function: text}}, {(function, student): origin}), origin being
    "reference" or the variant author's name."""
    rng = random.Random(seed)
    names = [f"s{i:04d}" for i in range(students)]
    reference = reference_sources()
    texts = {name: {function: rewrite(text, rng, swap=0.2, extra=rng.random() < 0.1, extract=rng.random() < 0.3)
                    for function, text in reference.items()} for name in names}
    origin = {(function, name): "reference" for name in names for function in reference}
    followers = names[:]
    rng.shuffle(followers)
    for function, variants in VARIANTS.items():
        for variant in variants:
            author = followers.pop()
            texts[author][function] = rewrite(variant, rng, swap=0.2)
            origin[function, author] = author
            copied_from = [author]
            for _ in range(rng.randint(*copiers_per_variant)):
                copier, source = followers.pop(), rng.choice(copied_from)
                texts[copier][function] = rewrite(texts[source][function], rng, arguments=True, swap=0.5,
                                                  extra=rng.random() < 0.3, extract=rng.random() < 0.5)
                origin[function, copier] = author
                copied_from.append(copier)
    return texts, origin


def evaluate(pairs, origin, threshold, min_fingerprints=similarity.MIN_FINGERPRINTS):
    """(true positives, flagged, positives) of `pairs` scoring at least `threshold` on `min_fingerprints`."""
    flagged = {(p.function, p.student_a, p.student_b) for p in pairs
               if p.score >= threshold and p.shared >= min_fingerprints}
    authors = {}
    for (function, student), author in origin.items():
        if author != "reference":
            authors.setdefault((function, author), []).append(student)
    positives = {(function, a, b) for (function, _), group in authors.items()
                 for a in group for b in group if a < b}
    return len(flagged & positives), len(flagged), len(positives)


def _figures(true, flagged, positives):
    precision = true / flagged if flagged else 1.0
    return f"precision {precision:.3f} ({true}/{flagged}), recall {true / positives:.3f} ({true}/{positives})"


def grid(students, seeds):
    """Precision and recall for k, w, API names kept or erased, thresholds and minimum shared fingerprints,
    summed over a class per seed."""
    classes = [build_class(students, seed) for seed in seeds]
    for keep_api in (True, False):
        for k, w in itertools.product((5, 6, 8), (4, 6, 8)):
            fingerprint = functools.partial(fingerprints.fingerprints, k=k, w=w, keep_api=keep_api)
            found = []
            for texts, origin in classes:
                pairs = []
                for function in similarity.class_functions():
                    column = {student: held[function] for student, held in texts.items()}
                    pairs += similarity.function_pairs(function, column, threshold=0.0, min_fingerprints=4,
                                                       fingerprint=fingerprint)
                found.append((pairs, origin))
            for threshold, least in itertools.product((0.3, 0.4, 0.5), (4, 6, 8)):
                counts = [evaluate(pairs, origin, threshold, least) for pairs, origin in found]
                figures = _figures(*map(sum, zip(*counts)))
                print(f"keep_api={keep_api!s:5} k={k} w={w} threshold={threshold} min={least}: {figures}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--grid", action="store_true", help="compare settings on three classes of 150 first")
    args = parser.parse_args()
    if args.grid:
        grid(150, range(args.seed, args.seed + 3))
    texts, origin = build_class(args.students, args.seed)
    with tempfile.TemporaryDirectory() as output:
        for student, held in texts.items():
            sources.save(output, student, held)
        started, cpu = time.perf_counter(), time.process_time()
        pairs = similarity.class_pairs(output, sorted(texts))
        report = similarity_report.render(pairs, sorted(texts))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{args.students} students, {len(similarity.class_functions())} functions each: "
          f"{_figures(*evaluate(pairs, origin, similarity.THRESHOLD))} at threshold {similarity.THRESHOLD}, "
          f"k={fingerprints.K}, w={fingerprints.W}")
    print(f"similarity step from stored sources: {elapsed:.1f} s wall, {cpu:.1f} s CPU; "
          f"similarity.md {len(report) // 1024} KiB (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
