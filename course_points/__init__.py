"""Points per stage and feedback: the stage table, a pytest plugin that tallies points, report renderers,
the checks and diagnoses the public tests share with the grader, and the `check` command.

Standard library, NumPy and pytest only: this package is copied into every student release as `course_points`.
"""
