"""What a worker prints, kept within bounds: the first and last few KB of each call, and a count of the rest.

Output is drained from a pipe while the scorer waits, so printing never blocks or kills a worker and
never costs points; only its volume in the report is capped.
"""

KEEP_BYTES = 4096


class OutputCapture:
    """Bytes written since the last take(): the head and the tail kept, the middle counted."""

    def __init__(self, keep=KEEP_BYTES):
        self.keep = keep
        self.head, self.tail, self.total = bytearray(), bytearray(), 0

    def add(self, data):
        self.total += len(data)
        room = self.keep - len(self.head)
        if room > 0:
            self.head += data[:room]
            data = data[room:]
        self.tail += data
        del self.tail[:-self.keep]

    def take(self, limit=2000):
        """The output as text, at most about `limit` characters (half from the start, half from the end)."""
        head, tail, total = bytes(self.head), bytes(self.tail), self.total
        self.head, self.tail, self.total = bytearray(), bytearray(), 0
        half = min(limit // 2, self.keep)
        if total <= 2 * half:
            return (head + tail).decode("utf-8", "replace")
        shown_tail = (head + tail)[-half:]
        return (f"{head[:half].decode('utf-8', 'replace')}\n[... {total - 2 * half} bytes of output not shown ...]\n"
                f"{shown_tail.decode('utf-8', 'replace')}")
