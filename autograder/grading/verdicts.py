"""A hidden test's Verdict from its rubric entry, and the one constructor of "every test gets one status"."""
from course.rubric import load_rubric
from course_points.verdict import Verdict


def verdict(entry, status, feedback="", score=0.0, carried_from=()):
    """The Verdict of the test of rubric `entry`: `score` of its points (0 unless given), `status`, `feedback`,
    and the earlier functions a failure was carried forward from."""
    return Verdict(entry.test_id, entry.stage, entry.points, score, status, feedback, entry.visibility,
                   tuple(carried_from))


def unscored(stages, status, reason):
    """[Verdict] of every test of `stages` (names) with 0 points, one `status` and `reason`: a submission
    with nothing to grade, or a grade the grader could not run."""
    return [verdict(entry, status, reason) for entry in load_rubric().values() if entry.stage in stages]
