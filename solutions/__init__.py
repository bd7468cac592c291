"""Neural networks from scratch in NumPy: one module per topic of Deep Learning from Scratch, ch. 2-7."""
