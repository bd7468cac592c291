"""The language a grade speaks: its feedback, notes and report, never its points.

A grade runs in the scorer's own process (grade-all's jobs grade one submission after another in one), and
every message is looked up when it is worded (course.language._ reads DLSCRATCH_LANG each time), so a
grade's language is that variable, set for the grade and its rendering and put back after. The sandboxed
worker words nothing: it reports exceptions as their type, message and place.
"""
import contextlib
import os

from course.language import LANGUAGE_ENV, LANGUAGES, current_language

from ..identity import grader_identity


@contextlib.contextmanager
def speaking(language=None):
    """Within: messages in `language` (one of course.language.LANGUAGES; None: the current language)."""
    language = language or current_language()
    if language not in LANGUAGES:
        raise ValueError(f"{language!r} is not one of {', '.join(LANGUAGES)}")
    saved = os.environ.get(LANGUAGE_ENV)
    os.environ[LANGUAGE_ENV] = language
    try:
        yield language
    finally:
        if saved is None:
            os.environ.pop(LANGUAGE_ENV, None)
        else:
            os.environ[LANGUAGE_ENV] = saved


def graded_by():
    """A report's `grader` (extra_data.grader in its JSON): the grader's identity (version, code and rubric
    hashes) and the language its feedback is in."""
    return {**grader_identity(), "language": current_language()}
