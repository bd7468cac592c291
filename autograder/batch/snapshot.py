"""The deadline snapshot: which commit each student's repository held on the remote at the deadline.

A commit's committer date is the student's to write (`GIT_COMMITTER_DATE`, a rebase), so "the last commit
committed before the deadline" is what the student says it is. GitHub records every push with the time it
arrived (the repository activity API: `GET /repos/{org}/{repo}/activity`, `ref`, `after`, `timestamp`); the
commit a branch pointed to after the last push at or before the deadline is what was there. The instructors'
workflow saves that record per repository and turns it into `deadline-snapshot.csv` (columns student, sha,
recorded_at) with

    python -m autograder.batch.snapshot ACTIVITY_DIR --deadline T [--roster CSV] [--branch main] --output CSV

(ACTIVITY_DIR/<repository>.json: what `gh api --paginate` saved; a roster's deadline column moves one
student's deadline), and `grade-all --deadline-snapshot CSV` grades exactly that commit.
"""
import argparse
import csv
import io
import json
import re
import sys
from datetime import datetime
from pathlib import Path

from course.usage import UsageError, read_user_text
from .entries import parse_deadline, read_roster, roster_row
from .spreadsheet import csv_text, plain_cell

COLUMNS = ("student", "sha", "recorded_at")
SHA = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")
NO_COMMIT = "0" * 40  # `after` of a deleted branch


def read_snapshot(path):
    """{student: {"sha": full sha or "" (nothing on the remote), "recorded_at": text}} from a snapshot CSV."""
    reader = csv.DictReader(io.StringIO(read_user_text(path), newline=""))
    if not reader.fieldnames or not set(COLUMNS) <= set(reader.fieldnames):
        raise UsageError(f"{path}: a deadline snapshot needs the columns {', '.join(COLUMNS)}")
    rows = {}
    for number, row in enumerate(reader, start=2):
        sha = plain_cell((row["sha"] or "").strip()).lower()
        if sha and not SHA.fullmatch(sha):
            raise UsageError(f"{path}:{number}: {sha[:80]!r} is not a full commit sha")
        recorded = plain_cell((row["recorded_at"] or "").strip())
        rows[plain_cell(row["student"].strip())] = {"sha": sha, "recorded_at": recorded}
    return rows


def pushes(text):
    """Every activity in what `gh api --paginate` saved (one JSON array per page, concatenated or slurped)."""
    decoder, position, found = json.JSONDecoder(), 0, []
    text = text.strip()
    while position < len(text):
        value, position = decoder.raw_decode(text, position)
        while position < len(text) and text[position].isspace():
            position += 1
        pages = value if value and all(isinstance(page, list) for page in value) else [value]
        found += [activity for page in pages for activity in page if isinstance(activity, dict)]
    return found


def sha_at(activities, deadline, branch):
    """(sha the branch held after its last push at or before `deadline`, or "" when none, that push's time)."""
    ref = f"refs/heads/{branch}"
    before = [(datetime.fromisoformat(activity["timestamp"].replace("Z", "+00:00")), activity["after"])
              for activity in activities if activity.get("ref") == ref and activity.get("timestamp")]
    before = [(moment, after) for moment, after in before if moment <= deadline]
    if not before:
        return "", f"no push to {branch} before {deadline.isoformat()}"
    moment, after = max(before)
    return ("" if after == NO_COMMIT else after), f"{moment.isoformat()} (GitHub push record)"


def snapshot_rows(folder, deadline, roster, branch):
    """[[student, sha, recorded_at]] for every ACTIVITY_DIR/<repository>.json, sorted."""
    rows = []
    for path in sorted(Path(folder).glob("*.json")):
        row = roster_row(roster, path.stem)
        when = row.deadline if row and row.deadline else deadline
        try:
            sha, recorded = sha_at(pushes(path.read_text(encoding="utf-8")), when, branch)
        except (ValueError, KeyError, TypeError) as error:
            raise UsageError(f"{path}: not a saved activity list ({error})") from None
        rows.append([path.stem, sha, recorded])
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.batch.snapshot", description=__doc__.split("\n")[0])
    parser.add_argument("activity", type=Path, help="a folder of <repository>.json activity lists")
    parser.add_argument("--deadline", required=True, help="ISO 8601 with a zone")
    parser.add_argument("--roster", type=Path, help="a roster whose deadline column gives extensions")
    parser.add_argument("--branch", default="main", help="the branch graded (default main)")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        rows = snapshot_rows(args.activity, parse_deadline(args.deadline),
                             read_roster(args.roster) if args.roster else {}, args.branch)
    except (UsageError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    args.output.write_text(csv_text([list(COLUMNS), *rows]), encoding="utf-8")
    print(f"{len(rows)} repositories in {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
