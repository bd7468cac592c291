# Course support code: generated from the course's reference solutions.
# Nothing to fill in here: course code given as it is (the grader uses the course's own copy).
"""Neural networks from scratch in NumPy: one module per topic of Deep Learning from Scratch, ch. 2-7."""
