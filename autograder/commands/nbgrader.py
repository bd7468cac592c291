"""`python -m autograder nbgrader [--course DIR] [--lang LANG]`: write the nbgrader source notebooks of every stage.

They go into the course directory that nbgrader_config.py names (build/nbgrader/, ignored by git), as
source/<stage folder>/<stage folder>.ipynb with the data the notebook reads. Answers and hidden tests
live only there and in this repository's solutions/ and teaching/; never in assignments/. `--lang zh` writes
the notebooks of teaching/zh/ (a course directory holds one language).
Then, from the repository root: nbgrader generate_assignment stage2_neuralnet, and so on.
"""
from pathlib import Path

from course.language import DEFAULT_LANGUAGE, LANGUAGES
from course.paths import REPO_ROOT
from course.stages import STAGES
from ..jupyter.nbgrader_source import COURSE_DIR, write_source


def add_arguments(parser):
    parser.add_argument("--course", type=Path, default=COURSE_DIR,
                        help=f"nbgrader course directory (default: {COURSE_DIR.relative_to(REPO_ROOT)})")
    parser.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
                        help=f"the language of the notebooks' text (default: {DEFAULT_LANGUAGE})")


def run(args):
    write_source(args.course, language=args.lang)
    print(f"nbgrader source notebooks ({args.lang}) of {len(STAGES)} stages written to {args.course / 'source'}")
    return 0
