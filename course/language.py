"""The language a course speaks to its students: chosen once per release (`release --lang`), overridable
per student (DLSCRATCH_LANG), and the gettext catalogue of messages in it.

Messages are English in the source and looked up whole in course/locale/<lang>/LC_MESSAGES/dlscratch.mo
(compiled from the .po next to it); placeholders are named (`_("{name} on a batch of shape {shape}")`),
so a translator sees every sentence whole and may reorder it. Ships in every release.
"""
import functools
import gettext
import os
import sys
from pathlib import Path

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
LANGUAGE_ENV = "DLSCRATCH_LANG"
DOMAIN = "dlscratch"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# Written by `release --lang`: the language of that release, read when DLSCRATCH_LANG is unset.
RELEASE_LANGUAGE_FILE = Path(__file__).resolve().parent / "release_language"


def release_language(path=None):
    """The language the release was written in ("en" where the file is absent: the course repository);
    `path`: another release's course/release_language, read afresh."""
    if path is None:
        return _own_release_language(RELEASE_LANGUAGE_FILE)
    try:
        language = path.read_text(encoding="utf-8").strip()
    except OSError:
        return DEFAULT_LANGUAGE
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@functools.lru_cache(maxsize=None)
def _own_release_language(path):
    # Read once per process: every message looks it up, and a release keeps its language while it runs.
    return release_language(path)


def current_language():
    """DLSCRATCH_LANG where it names a language of the course, else the release's language."""
    chosen = os.environ.get(LANGUAGE_ENV, "").strip()
    if chosen and chosen not in LANGUAGES:
        _warn_once(chosen)
        chosen = ""
    return chosen or release_language()


@functools.lru_cache(maxsize=None)
def _warn_once(chosen):
    print(f"{LANGUAGE_ENV}={chosen}: not one of {', '.join(LANGUAGES)}; using {release_language()}",
          file=sys.stderr)


@functools.lru_cache(maxsize=None)
def translation(language):
    """The gettext translation of `language`; English (the message itself) has no catalogue."""
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


def _(message):
    """`message` in the current language (the message itself where no translation exists)."""
    return translation(current_language()).gettext(message)


def N_(message):
    """Marks `message` for the catalogue without translating it: for a constant translated where it is used."""
    return message


def in_every_language(message):
    """`message` as each language of the course says it, English first, without repeats: to recognise text
    that was written in any of them (a stub's message, a feedback line's prefix)."""
    return tuple(dict.fromkeys(translation(language).gettext(message) for language in LANGUAGES))
