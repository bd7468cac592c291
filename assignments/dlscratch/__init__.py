# Course support code: generated from the course's reference solutions.
# Nothing to fill in here: it calls the functions you write in the stage modules.
"""Neural networks from scratch in NumPy: one module per topic of Deep Learning from Scratch, ch. 2-6."""
