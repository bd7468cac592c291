"""Points per stage: a pytest plugin that tallies the public tests' points, the report renderers (the
grader's too), the per-call clock of the public tests, and the students' `check` and `classroom` commands.

Standard library, NumPy, pytest, the stage table (`course`) and the feedback engine (`course_feedback`) only:
this package ships in every student release under this name.
"""
