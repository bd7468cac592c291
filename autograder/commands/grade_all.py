"""`python -m autograder grade-all SUBMISSIONS --output DIR [--jobs N] [--shard I/N] [--regrade] [--deadline T]
[--deadline-snapshot CSV] [--roster CSV]`

Grades every entry of SUBMISSIONS (one folder, .zip or git repository per student) exactly as `grade` grades
a path, N at a time, and writes DIR/results/<student>.json (Gradescope JSON + batch metadata),
DIR/feedback/<student>.md, grades.csv, nbgrader_grades.csv, lms_grades.csv, summary.md, histogram.png,
integrity.md and the class report page report/index.html. A rerun keeps results from the same grader and rubric (unless --regrade) and grades again
the rest and every grader-error. Exit code 0 when every result is graded, 3 when some are grader-errors.
"""
from pathlib import Path

from course.stages import STAGE_BY_NAME, STAGES
from course.usage import UsageError, argument_type

from ..batch import runner, store
from ..batch.cores import available_cores
from ..batch.entries import discover, in_shard, parse_deadline, parse_shard, read_roster, roster_row
from ..batch.integrity import load_manifest
from ..batch.outputs import write_class_files
from ..batch.progress import Progress
from ..batch.snapshot import read_snapshot
from ..grading.options import GradeOptions, add_arguments as add_grading_options
from ..release.manifest import FORMAT

# The grader's own work in one grade on a free core (pytest, the references, the scorer's numerical
# gradients, carried-forward reruns): a full grade of the reference took 7 s of it, on a loaded machine.
GRADER_SECONDS = 120.0
# A student the deadline snapshot does not list had no repository on the remote at the deadline.
ABSENT = {"sha": "", "recorded_at": "not in the deadline snapshot"}


def add_class_arguments(parser):
    """Options of the class files (shared with merge)."""
    parser.add_argument("--output", type=Path, required=True, metavar="DIR", help="where results and gradebooks go")
    parser.add_argument("--roster", type=Path, metavar="CSV",
                        help="columns github, lms_id [, name, section, deadline]: LMS ids and extensions")
    parser.add_argument("--assignment", default="dlscratch", help="the assignment's name in the LMS and nbgrader CSVs")


def add_arguments(parser):
    parser.add_argument("submissions", type=Path, help="a folder with one submission per student")
    add_class_arguments(parser)
    parser.add_argument("--jobs", type=int, default=available_cores(), metavar="N",
                        help="submissions graded at once (default: the cores this process may run on)")
    parser.add_argument("--shard", type=argument_type(parse_shard), metavar="I/N",
                        help="grade only slice I of N (1 <= I <= N)")
    parser.add_argument("--regrade", action="store_true", help="grade again results from this same grader")
    parser.add_argument("--deadline", type=argument_type(parse_deadline), metavar="T",
                        help="ISO 8601 with a zone: grade git entries as of their last commit committed before T "
                             "(a date the student writes; prefer --deadline-snapshot)")
    parser.add_argument("--deadline-snapshot", type=Path, metavar="CSV",
                        help="columns student, sha, recorded_at: grade each git entry at the commit its remote "
                             "held at the deadline (python -m autograder.batch.snapshot writes it from GitHub's "
                             "push record)")
    parser.add_argument("--manifest", type=Path, metavar="PATH",
                        help="release manifest for the integrity report (default: one of a fresh stub release)")
    parser.add_argument("--grader-seconds", type=float, default=GRADER_SECONDS, metavar="S",
                        help="the grader's own seconds per grade on a free core, beyond the student's --grade-budget; "
                             f"a grade past both is a grader-error (default {GRADER_SECONDS:g})")
    add_grading_options(parser)


def grade_cap(options, grader_seconds, jobs):
    """The wall-clock seconds one grade may take before its worker is killed as a grader-error: the
    student's whole budget (--grade-budget, which the grade enforces itself), the one call that may start
    just before it runs out, and the grader's own work, slowed when more grades run than there are cores.
    No submission can reach it, however slow: only a fault of the grader does."""
    stages = [STAGE_BY_NAME[name] for name in options.stage or STAGE_BY_NAME]
    call = options.timeout or max(stage.call_timeout for stage in stages)
    return options.grade_budget + call + grader_seconds * max(1.0, jobs / available_cores())


def grading_key(options, deadline, pinned=None):
    """What, besides the grader, a stored result must share to be kept: stages, options (GradeOptions),
    deadline, and the deadline snapshot's commit when one is given (a dict in JSON's types)."""
    settings = options.to_json()
    stages = settings.pop("stage") or [stage.name for stage in STAGES]
    key = {"stages": stages, **settings, "deadline": deadline.isoformat() if deadline else None}
    return key if pinned is None else {**key, "snapshot_sha": pinned["sha"]}


def plan(args, roster):
    """[task] still to grade in this shard: absent, stale or grader-error results (all with --regrade)."""
    tasks, options = [], GradeOptions.from_args(args)
    snapshot = read_snapshot(args.deadline_snapshot) if args.deadline_snapshot else None
    for entry in discover(args.submissions):
        if args.shard and not in_shard(entry.student, args.shard):
            continue
        row = roster_row(roster, entry.student)
        deadline = row.deadline if row and row.deadline else args.deadline
        pinned = None if snapshot is None else snapshot.get(entry.student, ABSENT)
        key = grading_key(options, deadline, pinned)
        if not args.regrade and store.reusable(store.load(args.output, entry.student), key):
            continue
        tasks.append({"student": entry.student, "path": str(entry.path.resolve()), "key": key,
                      "deadline": deadline.isoformat() if deadline else None, "pinned": pinned})
    return tasks


def run(args):
    if args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: at least 1")
    roster = read_roster(args.roster) if args.roster else {}
    tasks = plan(args, roster)
    if tasks:
        manifest = {"format": FORMAT, "files": {path: {"sha256": entry.sha256, "role": entry.role}
                                                for path, entry in load_manifest(args.manifest).items()}}
        options = GradeOptions.from_args(args)
        config = {"output": str(args.output.resolve()), "stages": tasks[0]["key"]["stages"], "manifest": manifest,
                  "options": options.to_json()}
        progress = Progress(len(tasks))

        def done(student):
            result = store.load(args.output, student)
            report = result.report if result else None
            progress.done(student, f"{report.score:g} / {report.max_score:g} ({report.status})" if report
                          else "no result")

        try:
            runner.run(tasks, config, args.jobs, grade_cap(options, args.grader_seconds, args.jobs), done)
        finally:
            progress.close()
    results = write_class_files(args.output, roster, args.assignment)
    errors = sorted(student for student, result in results.items() if result.report.status != "graded")
    print(f"{len(tasks)} graded, {len(results)} results in {args.output}"
          + (f"; grader errors (run again): {', '.join(errors)}" if errors else ""))
    return 3 if errors else 0
