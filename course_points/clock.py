"""The grade's clock in the public tests: each call into the student's code may take its stage's call_timeout.

The grader stops a call from outside when it runs past the stage's `call_timeout` (course/stages.py) and
says "sigmoid took longer than 3 s (the limit for one call)"; the public tests say the same, at the same
limit. A watcher thread samples the test's stack and times each outermost call into an exercise module
(a student function calling another is one call, as in the grade); past the limit it interrupts the
test's thread with a signal whose handler raises CallTooSlow inside the student's code, so the traceback
points at the line that was running. POSIX: SIGUSR1, sent to that thread (a sleep is woken too); Windows:
`_thread.interrupt_main` with SIGINT, which stops a Python loop (a call blocked in C stops when it returns).
pytest-timeout keeps SIGALRM for its own limit on a whole test.
"""
import _thread
import signal
import sys
import threading
import time

from course.language import _
from course_feedback.code_error import SLOW_HINT, frame_label, student_module, too_slow_line
from course_feedback.failure import GradingFailure

# How often the watcher looks: a call is stopped within this much of its limit.
TICK_SECONDS = 0.02
_SIGNAL = getattr(signal, "SIGUSR1", signal.SIGINT)


class CallTooSlow(GradingFailure):
    """A call into the student's code ran past its stage's limit."""

    def __init__(self, label, limit):
        super().__init__(too_slow_line(label, limit), hint=_(SLOW_HINT))


def _outermost_student_frame(frame):
    outermost = None
    while frame is not None:
        if student_module(frame):
            outermost = frame
        frame = frame.f_back
    return outermost


class CallClock:
    """Within `with CallClock(limit):`, on the main thread: a call into the student's code that runs longer
    than `limit` seconds raises CallTooSlow. Does nothing off the main thread (signals need it)."""

    def __init__(self, limit):
        self.limit = limit
        self.expired = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="course-points-clock", daemon=True)
        self._target = threading.main_thread().ident
        self._previous = None

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(_SIGNAL, self._handle)
            self._thread.start()
        return self

    def __exit__(self, *exc_info):
        if self._previous is not None:
            self._stop.set()
            self._thread.join()
            signal.signal(_SIGNAL, self._previous)
        return False

    def _handle(self, signum, frame):
        if self.expired is None:
            if callable(self._previous):
                return self._previous(signum, frame)
            raise KeyboardInterrupt
        label, self.expired = self.expired, None
        raise CallTooSlow(label, self.limit)

    def _watch(self):
        timed, since = None, 0.0
        while not self._stop.wait(TICK_SECONDS):
            frame = _outermost_student_frame(sys._current_frames().get(self._target))
            if frame is not timed:
                timed, since = frame, time.monotonic()
            elif frame is not None and time.monotonic() - since > self.limit:
                self.expired = frame_label(frame)
                timed = None
                self._interrupt()
            del frame

    def _interrupt(self):
        if hasattr(signal, "pthread_kill"):
            signal.pthread_kill(self._target, _SIGNAL)
        else:
            _thread.interrupt_main(_SIGNAL)
