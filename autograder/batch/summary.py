"""The class summary: mean and median score, the slowest submissions, per-test pass rates (worst first),
and a histogram of the totals (histogram.png)."""
import statistics

from course_points.report import escape_markdown

from .checkout import COMMITTER_DATE

SLOWEST = 5


def graded(results):
    """{student: Result} of the results whose status is "graded" (no grader error)."""
    return {student: result for student, result in results.items() if result.report.status == "graded"}


def pass_rates(results):
    """[(test name, passed, graded)] over the graded results, the lowest pass rate first."""
    counts = {}
    for result in graded(results).values():
        for test in result.report.tests:
            passed, total = counts.get(test.name, (0, 0))
            counts[test.name] = (passed + (test.score >= test.max_score), total + 1)
    return sorted(((name, passed, total) for name, (passed, total) in counts.items()),
                  key=lambda row: (row[1] / row[2], row[0]))


def render(results, unmatched=()):
    """summary.md from {student: store.Result}; `unmatched` lists students the roster does not know."""
    done = graded(results)
    totals = [result.report.score for result in done.values()]
    max_score = max((result.report.max_score for result in results.values()), default=0)
    errors = [escape_markdown(student) for student in sorted(set(results) - set(done))]
    lines = ["# Class summary", "", f"- submissions: {len(results)}, graded: {len(done)}, "
             f"grader errors: {len(errors)}" + (f" ({', '.join(errors)}: run grade-all again)" if errors else "")]
    if totals:
        lines += [f"- mean: {statistics.fmean(totals):.2f} / {max_score:g}",
                  f"- median: {statistics.median(totals):g} / {max_score:g}"]
    if unmatched:
        lines.append(f"- not in the roster (no LMS id): {', '.join(map(escape_markdown, unmatched))}")
    by_date = sorted(escape_markdown(student) for student, result in results.items()
                     if result.batch.get("deadline_source") == COMMITTER_DATE)
    if by_date:
        lines.append(f"- commit chosen by its committer date, which the student writes: {', '.join(by_date)} "
                     "(grade with --deadline-snapshot for a deadline students cannot move)")
    timed = sorted(((r.batch["duration"], s) for s, r in results.items() if r.batch.get("duration") is not None),
                   reverse=True)[:SLOWEST]
    lines += ["", "## Slowest submissions", "", "| student | seconds |", "|---|---|"]
    lines += [f"| {escape_markdown(student)} | {seconds:.1f} |" for seconds, student in timed]
    lines += ["", "## Pass rate per test (worst first)", "", "| test | passed | rate |", "|---|---|---|"]
    lines += [f"| {escape_markdown(name)} | {passed}/{total} | {passed / total:.0%} |"
              for name, passed, total in pass_rates(results)]
    return "\n".join(lines) + "\n"


def histogram_figure(results):
    """A matplotlib Figure (no pyplot state) of the graded totals: 20 bins from 0 to the maximum score."""
    done = graded(results).values()
    max_score = max((result.report.max_score for result in results.values()), default=0) or 1
    # Imported here: every command of `python -m autograder` imports this module, and only grade-all and
    # merge draw.
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator
    figure = Figure(figsize=(6, 3.5))
    axes = figure.subplots()
    axes.hist([result.report.score for result in done], bins=20, range=(0, max_score), color="tab:blue")
    axes.set_xlabel(f"total score (of {max_score:g})")
    axes.set_ylabel("students")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(f"Scores of {len(done)} graded submissions")
    figure.tight_layout()
    return figure


def histogram(results, path):
    """Save a histogram of the graded totals to `path` (PNG)."""
    histogram_figure(results).savefig(path, metadata={"Software": None})
