# Course support code: generated from the reference solutions (python -m autograder stubs).
# Instructors edit solutions/__init__.py, never this file. Students: fill in every body that
# raises NotImplementedError; keep the names and signatures, the grader calls them.
"""Neural networks from scratch in NumPy: one module per topic of Deep Learning from Scratch, ch. 2-6."""
