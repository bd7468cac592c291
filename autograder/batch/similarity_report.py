"""similarity.md: the pairs of batch/similarity.py for a person to read, each with the two functions."""
import re

from course_points.report import escape_markdown

from .similarity import COMMON_SHARE, COMMON_STUDENTS, MIN_FINGERPRINTS, THRESHOLD

HEADER = (
    "# Similarity report\n\n"
    "Evidence for a person to read, never a score: nothing here changes a grade, grades.csv or any other "
    "file. Each exercise function's structure (names, constants, comments and formatting erased; the NumPy "
    "and builtin names kept) is compared as winnowed fingerprints, leaving out what the release's stub, the "
    f"course's reference and over {COMMON_SHARE:.0%} of the class (at least {COMMON_STUDENTS + 1} students) "
    f"hold. A pair is listed when the two functions share at least {MIN_FINGERPRINTS} such fingerprints and "
    f"{THRESHOLD:.0%} of the smaller one's. Students who both kept close to the reference are not listed for it, and a similar structure "
    "can be honest: read the code.\n"
)


def fenced(text):
    """`text` in a fenced python block whose fence is longer than any run of backticks in it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}python\n{text.rstrip()}\n{fence}"


def render(pairs, students):
    """similarity.md from [similarity.Pair] over `students` (the names compared)."""
    lines = [HEADER, f"{len(pairs)} pairs of functions listed, over {len(students)} submissions.", ""]
    for pair in pairs:
        a, b = escape_markdown(pair.student_a), escape_markdown(pair.student_b)
        lines += [f"## {escape_markdown(pair.function)}: {a} and {b}", "",
                  f"Score {pair.score:.2f} ({pair.shared} shared fingerprints).", "",
                  f"**{a}**", "", fenced(pair.source_a), "", f"**{b}**", "", fenced(pair.source_b), ""]
    return "\n".join(lines)
