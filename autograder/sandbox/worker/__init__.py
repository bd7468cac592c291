"""Code that runs inside the sandbox: standard library and NumPy only, no import from the course.

The scorer copies this package next to the student's modules; nothing in it is trusted once student
code has been imported, so the scorer validates every reply it gets.
"""
