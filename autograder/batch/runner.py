"""The job runner: N worker processes (worker.py), each grading one task at a time, watched from here.

A worker that dies mid-grade has its task graded once more in a fresh worker; a grade that outlives the
wall-clock cap has its worker killed and gets a grader-error result. Either way the other results stand.
"""
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections import deque

from . import store


class Job:
    """One worker process and the task it is grading (None when idle)."""

    def __init__(self, config):
        self.process = subprocess.Popen([sys.executable, "-m", "autograder.batch.job"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True,
                                        start_new_session=True)
        self.process.stdin.write(json.dumps(config) + "\n")
        self.process.stdin.flush()
        self.task = None
        self.started = 0.0

    def send(self, task):
        self.task, self.started = task, time.monotonic()
        try:
            self.process.stdin.write(json.dumps(task) + "\n")
            self.process.stdin.flush()
        except OSError:
            pass  # the worker died: its stdout reaches end of file and the task is handled as a crash

    def kill(self):
        """End the worker and everything it started (its own session)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def stop(self):
        try:
            self.process.stdin.close()
            self.process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


def run(tasks, config, jobs, cap, on_done):
    """Grade `tasks` ([{"student", "path", "deadline"}]) with `jobs` workers; `on_done(student)` after each.

    `cap` is the wall-clock seconds one grade may take before it becomes a grader-error.
    """
    pending = deque(tasks)
    attempts = {}
    selector = selectors.DefaultSelector()
    workers = []

    def start():
        job = Job(config)
        workers.append(job)
        selector.register(job.process.stdout, selectors.EVENT_READ, job)

    def end(job):
        selector.unregister(job.process.stdout)
        job.kill()
        workers.remove(job)

    for _ in range(min(jobs, len(pending))):
        start()
    try:
        while pending or any(job.task for job in workers):
            for job in workers:
                if job.task is None and pending:
                    task = pending.popleft()
                    attempts[task["student"]] = attempts.get(task["student"], 0) + 1
                    job.send(task)
            busy = [job for job in workers if job.task]
            wait = max(0.0, min(job.started + cap for job in busy) - time.monotonic())
            for key, _ in selector.select(timeout=wait):
                job = key.data
                if job.process.stdout.readline():
                    student, job.task = job.task["student"], None
                    on_done(student)
                    continue
                task = job.task
                end(job)
                if task is None:
                    pass
                elif attempts[task["student"]] < 2:
                    pending.appendleft(task)
                else:
                    _fail(config, task, f"the grading process died (exit code {job.process.returncode})", on_done)
                if pending:
                    start()
            for job in [job for job in workers if job.task and time.monotonic() > job.started + cap]:
                task = job.task
                end(job)
                _fail(config, task, f"the grade did not finish within {cap:g} s", on_done)
                if pending:
                    start()
    finally:
        for job in list(workers):
            if job.task:
                job.kill()  # interrupted mid-grade: its result is simply absent, and the rerun grades it
            else:
                job.stop()
        selector.close()


def _fail(config, task, reason, on_done):
    report = store.grader_error_report(config["stages"], reason)
    store.save(config["output"], task["student"], report,
               {"key": task["key"], "entry": task["student"], "deadline": task["deadline"], "commit": None,
                "later_commits": False, "source": "not graded: grader error", "deadline_source": None,
                "duration": None,
                "integrity": {"checked": False, "changed": [], "missing": []}})
    on_done(task["student"])
