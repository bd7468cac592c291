"""Grading a submission: sessions with sandboxed workers, the student proxy, checks and the pytest plugin."""
