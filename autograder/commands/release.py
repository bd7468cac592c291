"""`python -m autograder release DEST [--solved] [--lang LANG] [--force [--backup] | --update]`: write the
student repository.

DEST gets the stub package (or, with --solved, the reference bodies), the public tests and notebook of every
stage, the datasets package, the points plugin, a student README and the GitHub workflow (see
autograder/release/write.py). --force writes into a non-empty DEST, refusing if the student changed a file
it would overwrite (--backup moves those aside first); --update keeps what the student changed. --lang
(en, default, or zh) is the language of the stubs' messages, the notebooks, the README and the feedback;
--update keeps DEST's language unless --lang names another.
"""
from pathlib import Path

from course.language import LANGUAGES
from course.usage import UsageError

from ..release.write import release


def add_arguments(parser):
    parser.add_argument("dest", type=Path, help="directory to write the student repository into")
    parser.add_argument("--solved", action="store_true", help="fill in the reference bodies (for testing)")
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="the release's language (default: en; with --update, the language DEST was released in)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--force", action="store_true",
                      help="write into a non-empty DEST; refuses if the student changed a file it would overwrite")
    mode.add_argument("--update", action="store_true",
                      help="refresh a released DEST: files the student changed are kept, new versions go beside them")
    parser.add_argument("--backup", action="store_true",
                        help="with --force: move the student's changed files to DEST/.release-backup/<time>/ first")


def run(args):
    if args.backup and not args.force:
        raise UsageError("release: --backup goes with --force")
    lines = release(args.dest, solved=args.solved, force=args.force, backup=args.backup, update=args.update,
                    language=args.lang)
    if not args.update:
        lines.append(f"{'solved' if args.solved else 'student'} release written to {args.dest}")
    print("\n".join(lines))
    return 0
