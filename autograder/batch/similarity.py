"""Which students' exercise functions share their structure: evidence for a person to read, never a score.

Per exercise function, each submission's fingerprints (batch/fingerprints.py) beyond the common ground (the
fingerprints of the release's stub and of the course's reference, which every student starts from or is
taught, and those a large part of the class shares) are indexed by fingerprint. A pair's score is what the
two share beyond the common ground over all fingerprints of the smaller function: a copy padded with extra
code still scores high, two students who kept to the reference but for the same small change score low.
K, W and the thresholds were chosen on the synthetic classes of benchmarks/similarity_class.py.
"""
import functools
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass

from course.names import module_file
from course.paths import SOLUTIONS_DIR
from course.student_package import exercise_functions, student_package_files

from . import fingerprints, sources

# A pair is listed from this share of the smaller function's fingerprints on...
THRESHOLD = 0.4
# ...when it shares at least this many beyond the common ground: fewer is too little to judge (a short
# function, or one small change to the reference made by two students).
MIN_FINGERPRINTS = 6
# A fingerprint held by more than this share of the class (and by more than COMMON_STUDENTS students) is
# common ground too: what many write independently is no evidence, and counting it costs pairs squared.
COMMON_SHARE = 0.1
COMMON_STUDENTS = 8


@dataclass(frozen=True)
class Pair:
    """Two students whose `function` ("layers.Affine.backward") shares `shared` fingerprints beyond the common
    ground, `score` (0..1) of the smaller function's fingerprints; `source_a` and `source_b` are their texts
    (student_a < student_b)."""

    function: str
    student_a: str
    student_b: str
    score: float
    shared: int
    source_a: str
    source_b: str


@functools.lru_cache(maxsize=None)
def common_ground(function, fingerprint=fingerprints.fingerprints):
    """The fingerprints of `function` ("module.qualname") in the release's stub and in the reference, by
    `fingerprint` (text -> frozenset, the one the class is compared with)."""
    module, _, name = function.partition(".")
    stub = student_package_files()[module_file(module)]
    reference = (SOLUTIONS_DIR / module_file(module)).read_text(encoding="utf-8")
    found = frozenset()
    for text in (stub, reference):
        found |= fingerprint(fingerprints.function_sources(text, [name]).get(name, ""))
    return found


def class_functions():
    """Every exercise function as "module.qualname", in the course's order."""
    return [f"{module}.{name}" for module, names in exercise_functions().items() for name in names]


def _fingerprinted(function, texts, fingerprint, min_fingerprints):
    """({student: all its fingerprints}, {student: those beyond the common ground}), the second only for the
    students with at least `min_fingerprints` of them."""
    ground, by_text = common_ground(function, fingerprint), {}
    for text in texts.values():
        if text not in by_text:  # untouched stubs and shared copies are parsed once
            by_text[text] = fingerprint(text)
    holders = Counter(value for text in texts.values() for value in by_text[text] - ground)
    limit = max(COMMON_STUDENTS, COMMON_SHARE * len(texts))
    common = ground | {value for value, count in holders.items() if count > limit}
    held = {student: by_text[text] - common for student, text in texts.items()}
    return ({student: by_text[text] for student, text in texts.items()},
            {student: values for student, values in held.items() if len(values) >= min_fingerprints})


def function_pairs(function, texts, threshold=THRESHOLD, min_fingerprints=MIN_FINGERPRINTS,
                   fingerprint=fingerprints.fingerprints):
    """The Pairs of one function over the class: `texts` {student: its source text} -> [Pair], best first.
    `fingerprint` (text -> frozenset of int) is what the benchmark varies (k, w, API names kept or not)."""
    every, held = _fingerprinted(function, texts, fingerprint, min_fingerprints)
    index = defaultdict(list)
    for student in sorted(held):
        for value in held[student]:
            index[value].append(student)
    shared = Counter(pair for students in index.values() for pair in itertools.combinations(students, 2))
    pairs = []
    for (a, b), count in shared.items():
        score = count / min(len(every[a]), len(every[b]))
        if score >= threshold and count >= min_fingerprints:
            pairs.append(Pair(function, a, b, round(score, 3), count, texts[a], texts[b]))
    return sorted(pairs, key=lambda pair: (-pair.score, pair.student_a, pair.student_b))


def find_pairs(by_student):
    """Every flagged Pair of the class: `by_student` {student: {function: source text}} -> [Pair], in the
    course's order of functions, best first within each."""
    pairs = []
    for function in class_functions():
        texts = {student: held[function] for student, held in by_student.items() if function in held}
        pairs += function_pairs(function, texts)
    return pairs


def class_pairs(output, students):
    """The flagged Pairs of an output folder, from the sources stored for `students` (those with a result)
    -> [Pair]; what similarity.md lists, for the class page too."""
    return find_pairs({student: sources.load(output, student) for student in students})
