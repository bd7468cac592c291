"""`python -m dlscratch.check [STAGE ...]`: run the public tests and print one line per test and the points.

Written by the course's release; the code lives in course_points/check.py.
"""
import sys

from course_points.check import main

if __name__ == "__main__":
    sys.exit(main())
