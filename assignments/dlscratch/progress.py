# Course support code: generated from the course's reference solutions.
# Nothing to fill in here: course code given as it is (the grader uses the course's own copy).
"""A one-line text progress bar on stderr (no dependency for something this small)."""
import sys


class ProgressBar:
    """advance() once per step; the line is redrawn in place and finished at the last step."""

    def __init__(self, total, label, width=30, stream=sys.stderr):
        self.total, self.label, self.width, self.stream = total, label, width, stream
        self.done = 0

    def advance(self):
        self.done += 1
        filled = self.width * self.done // self.total
        bar = "#" * filled + "." * (self.width - filled)
        end = "\n" if self.done >= self.total else ""
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}{end}")
        self.stream.flush()
