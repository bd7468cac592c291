"""Progress of a batch run: a bar with an ETA on a terminal, one plain line per submission otherwise."""
import sys
import time


def _clock(seconds):
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{seconds:02d}"


class Progress:
    """Call `done(student, line)` once per finished submission (`line` says how it went)."""

    def __init__(self, total, stream=None):
        self.total = total
        self.count = 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.monotonic()

    def done(self, student, line):
        self.count += 1
        elapsed = time.monotonic() - self.started
        if not self.tty:
            print(f"[{self.count}/{self.total}] {student}: {line}", file=self.stream, flush=True)
            return
        eta = elapsed / self.count * (self.total - self.count)
        filled = 30 * self.count // max(self.total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.count}/{self.total} "
                          f"elapsed {_clock(elapsed)} ETA {_clock(eta)}  ")
        self.stream.flush()

    def close(self):
        if self.tty and self.count:
            self.stream.write("\n")
            self.stream.flush()
