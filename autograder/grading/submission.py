"""Where a submission's package is: a repository folder, one nested a level down, the package folder
itself, or a .zip of any of those (unpacked safely). Whatever is found, the submission gets a report."""
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from course.language import _
from course.names import STUDENT_PACKAGE, module_file
from course.stages import STAGES, exercise_modules
from course.usage import UsageError

STAGE_FILES = {module_file(module) for module in exercise_modules()}
MAX_SUBMISSION_FILES = 2000
MAX_SUBMISSION_BYTES = 64 << 20


def _expected():
    """What a submission should hold, in the grade's language."""
    return _("expected {package}/ with the stage modules ({first}, {second}, ...), as in the release").format(
        package=STUDENT_PACKAGE, first=module_file(STAGES[0].modules[0]), second=module_file(STAGES[1].modules[0]))


@dataclass(frozen=True)
class Located:
    """The package folder to grade (None when there is none) and, if so, why not."""

    package: Path | None
    problem: str = ""


def locate(path, scratch):
    """Find the package in `path` (a folder or a .zip, unpacked below `scratch`)."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if path.is_file():
        if not zipfile.is_zipfile(path):
            return Located(None, _("{name} is neither a folder nor a .zip archive; {expected}").format(
                name=path.name, expected=_expected()))
        try:
            unpack_zip(path, scratch / "unzipped")
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            return Located(None, _("{name} could not be unpacked: {error}").format(name=path.name, error=error))
        path = scratch / "unzipped"
    return _find_package(path)


def _is_package(folder):
    return folder.is_dir() and not folder.is_symlink() and any((folder / name).is_file() for name in STAGE_FILES)


def _find_package(root):
    candidates = [root / STUDENT_PACKAGE]
    children = sorted(child for child in root.iterdir() if child.is_dir() and not child.is_symlink()) if root.is_dir() else []
    candidates += [child / STUDENT_PACKAGE for child in children]
    found = [folder for folder in candidates if _is_package(folder)]
    if found:
        return Located(found[0])
    if _is_package(root):
        return Located(root)
    if not root.is_dir() or not any(root.iterdir()):
        return Located(None, _("the submission is empty; {expected}").format(expected=_expected()))
    return Located(None, _("no {package}/ package found in the submission or one folder down; {expected}").format(
        package=STUDENT_PACKAGE, expected=_expected()))


def unpack_zip(archive, destination):
    """Extract regular files and folders only: no absolute or `..` paths, no links, bounded count and size."""
    with zipfile.ZipFile(archive) as bundle:
        members = bundle.infolist()
        if len(members) > MAX_SUBMISSION_FILES:
            raise ValueError(f"more than {MAX_SUBMISSION_FILES} entries")
        if sum(member.file_size for member in members) > MAX_SUBMISSION_BYTES:
            raise ValueError(f"more than {MAX_SUBMISSION_BYTES >> 20} MiB unpacked")
        for member in members:
            name = PurePosixPath(member.filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts or not name.parts:
                raise ValueError(f"unsafe path {member.filename!r}")
            kind = stat.S_IFMT(member.external_attr >> 16)
            if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise ValueError(f"{member.filename!r} is not a regular file or folder")
            target = destination.joinpath(*name.parts)
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(member) as source, open(target, "wb") as sink:
                data = source.read(MAX_SUBMISSION_BYTES + 1)
                if len(data) > member.file_size:
                    raise ValueError(f"{member.filename!r} is larger than its header says")
                sink.write(data)
