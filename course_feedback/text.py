"""Feedback cut to fit: at a word boundary, marked with "...", never mid-token."""

ELLIPSIS = "..."


def _cut(text, limit):
    head = text[:limit - len(ELLIPSIS)]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:(") + ELLIPSIS


def shorten(text, limit):
    """text on one line (runs of whitespace become one space), cut to at most `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else _cut(text, limit)


def shorten_lines(text, limit):
    """text with its lines kept, cut to at most `limit` characters at a word boundary."""
    return text if len(text) <= limit else _cut(text, limit)
