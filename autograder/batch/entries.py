"""The submissions of a class: one entry per student in a folder, the shard's slice, and the roster."""
import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from course.usage import UsageError, read_user_text


@dataclass(frozen=True)
class Entry:
    """One student's submission: `student` names the result files, `path` is a folder or a .zip."""

    student: str
    path: Path


def discover(folder):
    """[Entry] for every folder or file in `folder` (hidden names skipped), sorted by student name.

    GitHub Classroom clones and nbgrader's submitted/ (after `export`) both hold one folder per
    student; a file is a submission too (a .zip, or anything else, which then scores 0 with the reason).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder of submissions")
    entries = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        student = path.name.removesuffix(".zip") if path.is_file() else path.name
        if student in entries:
            raise UsageError(f"{folder}: two submissions for {student!r} ({entries[student].path.name}, {path.name})")
        entries[student] = Entry(student, path)
    return [entries[name] for name in sorted(entries)]


def parse_shard(text):
    """"I/N" (1 <= I <= N) -> (I, N); ValueError otherwise."""
    index, _, count = text.partition("/")
    index, count = int(index), int(count)
    if not 1 <= index <= count:
        raise ValueError(f"shard {text!r}: expected I/N with 1 <= I <= N")
    return index, count


def in_shard(student, shard):
    """Whether `student` belongs to shard (I, N): a stable hash of the name, so every machine agrees
    whatever else it cloned."""
    index, count = shard
    digest = int.from_bytes(hashlib.sha256(student.encode()).digest()[:8], "big")
    return digest % count == index - 1


def parse_deadline(text):
    """An ISO 8601 time (a zone is required, so every runner reads the same instant) -> aware datetime."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"deadline {text!r} has no time zone (add Z or +HH:MM)")
    return moment


@dataclass(frozen=True)
class RosterRow:
    """A student of the roster: GitHub user, LMS id, display name, section, and a deadline extension."""

    github: str
    lms_id: str = ""
    name: str = ""
    section: str = ""
    deadline: datetime | None = None


def read_roster(path):
    """{github user: RosterRow} from a CSV with columns github, lms_id and optionally name, section,
    deadline (ISO 8601, a per-student extension)."""
    reader = csv.DictReader(io.StringIO(read_user_text(path), newline=""))
    if not reader.fieldnames or "github" not in reader.fieldnames or "lms_id" not in reader.fieldnames:
        raise UsageError(f"{path}: a roster needs the columns github and lms_id")
    rows = {}
    for number, row in enumerate(reader, start=2):
        try:
            deadline = parse_deadline(row["deadline"]) if (row.get("deadline") or "").strip() else None
        except ValueError as error:
            raise UsageError(f"{path}:{number}: {error}") from None
        rows[row["github"].strip()] = RosterRow(row["github"].strip(), row["lms_id"].strip(),
                                                (row.get("name") or "").strip(),
                                                (row.get("section") or "").strip(), deadline)
    return rows


def roster_row(roster, student):
    """The roster row of an entry: its name is the GitHub user, or Classroom's "<assignment>-<user>"."""
    if student in roster:
        return roster[student]
    matches = [row for user, row in roster.items() if student.endswith(f"-{user}")]
    return max(matches, key=lambda row: len(row.github)) if matches else None
