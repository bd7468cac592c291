"""What a user did wrong: the one error type for it, and reading the files a user names.

`python -m autograder` catches UsageError once and prints it as one line, `error: <message>`, with exit
code 2. A grader's own fault is never a UsageError (it is a grader-error, exit code 3).
"""
import argparse
import contextlib


class UsageError(Exception):
    """A mistake of whoever ran a command (a path that is not there, a malformed file or marker they gave,
    an option out of range); the message is one line that says what to change."""


@contextlib.contextmanager
def user_path(path):
    """An OSError inside the block, on `path` (a file or folder the user named), is a UsageError naming it."""
    try:
        yield
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror or error}") from None


def read_user_text(path):
    """The text of the UTF-8 file at `path` (one the user named), newlines as written; UsageError when it
    cannot be read."""
    try:
        with user_path(path), open(path, newline="", encoding="utf-8") as handle:
            return handle.read()
    except UnicodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None


def argument_type(parse):
    """An argparse `type` from parse(text): a ValueError it raises becomes argparse's one-line usage error."""
    def convert(text):
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    convert.__name__ = parse.__name__
    return convert
