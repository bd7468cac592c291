"""What a student package holds: the stubs (or, solved, the reference bodies) of every module in
solutions/ and the data files shipped beside them. The release writes it; the grader copies its non-exercise
modules into every worker, so a submission is graded with the course's own copies of them."""
import functools
import shutil

from .language import DEFAULT_LANGUAGE
from .paths import SOLUTIONS_DIR
from .stubs import exercise_regions, make_stub, strip_markers


@functools.lru_cache(maxsize=None)
def student_package_files(solved=False, language=DEFAULT_LANGUAGE):
    """{file name: text} of the student package, generated from every module in solutions/ (stubs raise
    their message in `language`)."""
    transform = strip_markers if solved else functools.partial(make_stub, language=language)
    return {path.name: transform(path.read_text(encoding="utf-8"), path.stem)
            for path in sorted(SOLUTIONS_DIR.glob("*.py"))}


@functools.lru_cache(maxsize=None)
def exercise_functions():
    """{module: (qualified name, ...)} of every function or method of solutions/ that holds a solution region
    ("layers": ("Relu.forward", ..., "Affine.backward", ...)): what students write, in source order."""
    found = {}
    for path in sorted(SOLUTIONS_DIR.glob("*.py")):
        names = [name for _, _, name in exercise_regions(path.read_text(encoding="utf-8"), path.stem)]
        if names:
            found[path.stem] = tuple(dict.fromkeys(names))
    return found


def student_data_files():
    """The data files shipped inside the student package (the stage 2 sample weights)."""
    return sorted(SOLUTIONS_DIR.glob("*.npz"))


def write_student_package(destination, solved=False, language=DEFAULT_LANGUAGE):
    """Write the student package (stubs in `language`, or solved) and its data files into `destination`."""
    destination.mkdir(parents=True, exist_ok=True)
    for name, text in student_package_files(solved, language).items():
        (destination / name).write_text(text, encoding="utf-8")
    for data_file in student_data_files():
        shutil.copy2(data_file, destination / data_file.name)
