"""The feedback engine the grader shares with the students: checks (type, kind, shape, finiteness, values),
diagnoses of common mistakes, failure and exception wording.

Standard library, NumPy and the stage table (`course`) only: this package ships in every student release.
"""
