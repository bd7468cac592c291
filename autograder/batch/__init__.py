"""Grading a whole class: `grade-all` (parallel, resumable, sharded, as of a deadline) and `merge`.

entries.py finds the submissions and the shard's slice, checkout.py takes a git entry as of a deadline,
store.py writes and reuses results, worker.py grades in a long-lived process, runner.py drives the
workers, gradebook.py and summary.py write the class's files, integrity.py compares protected files.
"""
