"""The repository's generated files: assignments/dlscratch/ (the stubs, from solutions/), the student
notebooks of every language (assignments/notebooks/ from teaching/, assignments/notebooks-zh/ from
teaching/zh/, with solutions/), the top-level README's stage table (from course/stages.py) and the message
catalogues (course/locale/, from every `_()` in the sources and the committed translations); which of them
are out of date, and rewriting them.
"""
from functools import partial

from course.language import LANGUAGES, translation
from course.names import STUDENT_PACKAGE
from course.paths import ASSIGNMENTS_DIR, student_notebooks_dir
from course.readme_table import README, with_stage_table
from course.stages import STAGES
from course.student_package import student_package_files
from ..jupyter.render import student_notebook_files
from ..release.catalogue import stale_catalogue_files, write_catalogue_files

STUBS_DIR = ASSIGNMENTS_DIR / STUDENT_PACKAGE
# Each generated folder: (the function giving {file name: text}, the pattern of the files it owns).
GENERATED = {STUBS_DIR: (student_package_files, "*.py"),
             **{student_notebooks_dir(language): (partial(student_notebook_files, language), "*.ipynb")
                for language in LANGUAGES}}


def _stale(folder, files, pattern):
    present = {path.name for path in folder.glob(pattern)}
    stale = {name for name, text in files.items()
             if name not in present or (folder / name).read_text(encoding="utf-8") != text}
    return sorted(folder / name for name in stale | (present - set(files)))


def stale_files():
    """Paths of generated files that are missing, extra, or differ from what would be generated."""
    stale = [path for folder, (generate, pattern) in GENERATED.items() for path in _stale(folder, generate(), pattern)]
    return stale + stale_readme() + stale_catalogue_files()


def stale_readme():
    """[README.md] when its stage table differs from the one the stage table would generate, else []."""
    text = README.read_text(encoding="utf-8")
    return [README] if with_stage_table(text, STAGES) != text else []


def stale_stub_files():
    """Names of files in assignments/dlscratch/ that are missing, extra, or differ from the generated stubs."""
    return [path.name for path in _stale(STUBS_DIR, student_package_files(), "*.py")]


def rewrite():
    """Write every generated file as the sources say, removing generated files nothing generates any more
    -> the paths that were out of date.

    The catalogues first: they need nothing else generated, and the notebooks' exercise cells carry notes
    read from them. So a new language's catalogue is written even where its teaching sources do not exist
    yet, whose absence then stops the notebooks with its one line (README, "Languages")."""
    stale = stale_catalogue_files()
    write_catalogue_files()
    translation.cache_clear()
    for folder, (generate, pattern) in GENERATED.items():
        files = generate()
        stale += _stale(folder, files, pattern)
        folder.mkdir(parents=True, exist_ok=True)
        for path in folder.glob(pattern):
            if path.name not in files:
                path.unlink()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    stale += stale_readme()
    README.write_text(with_stage_table(README.read_text(encoding="utf-8"), STAGES), encoding="utf-8")
    return stale
