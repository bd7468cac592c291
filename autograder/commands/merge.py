"""`python -m autograder merge SHARD_DIR... --output DIR`: combine the output folders of grade-all shards.

Copies every shard's results, feedback and stored sources into DIR and writes the class files from them:
the gradebook one grade-all run over the whole class writes. A student found in two shards is an error.
"""
from pathlib import Path

from course.usage import UsageError

from ..batch import sources, store
from ..batch.entries import read_roster
from .grade_all import add_class_arguments
from ..batch.outputs import write_class_files


def add_arguments(parser):
    parser.add_argument("shards", type=Path, nargs="+", metavar="SHARD_DIR", help="output folders of grade-all --shard")
    add_class_arguments(parser)


def merge(shards, output):
    """Copy the results, feedback and sources of every folder in `shards` into `output`."""
    seen = {}
    for shard in shards:
        if not (shard / store.RESULTS).is_dir():
            raise UsageError(f"{shard}: no {store.RESULTS}/ folder (not a grade-all output)")
        for path in sorted((shard / store.RESULTS).glob("*.json")):
            student = path.stem
            if student in seen and seen[student] != shard:
                raise UsageError(f"{student} is in two shards: {seen[student]} and {shard}")
            seen[student] = shard
            for path_of in (store.feedback_path, sources.sources_path):
                if path_of(shard, student).is_file():
                    store.atomic_write(path_of(output, student), path_of(shard, student).read_text(encoding="utf-8"))
            store.atomic_write(store.result_path(output, student), path.read_text(encoding="utf-8"))
    return seen


def run(args):
    merged = merge(args.shards, args.output)
    write_class_files(args.output, read_roster(args.roster) if args.roster else {}, args.assignment)
    print(f"{len(merged)} results from {len(args.shards)} shards merged into {args.output}")
    return 0
