"""`python -m autograder post DIR --org ORG --api URL --token-env NAME`: post every graded result back to
the student's repository: a commit status on the commit graded and a commit comment with the feedback.

The token is read from the environment variable NAME only (in the instructor's private repository, a
secret); it is never written anywhere. Students whose result has no commit (not graded from git) are
listed and skipped. Uses GitHub's REST API shapes; --api points at GitHub or GitHub Enterprise.
"""
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from . import store
from .entries import BatchError

CONTEXT = "grading/hidden-tests"
MAX_COMMENT = 65_000  # GitHub refuses comment bodies over 65,536 characters


def add_arguments(parser):
    parser.add_argument("output", type=Path, metavar="DIR", help="a grade-all (or merge) output folder")
    parser.add_argument("--org", required=True, help="the organisation that owns the student repositories")
    parser.add_argument("--api", default="https://api.github.com", metavar="URL", help="REST API root")
    parser.add_argument("--token-env", default="GRADING_TOKEN", metavar="NAME",
                        help="environment variable holding the token (default GRADING_TOKEN)")


def _request(api, token, path, payload):
    request = urllib.request.Request(f"{api.rstrip('/')}{path}", data=json.dumps(payload).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                                              "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def status_payload(result):
    """The commit status of a result: success with the score, or error when the grader failed."""
    if result["extra_data"]["status"] == "graded":
        return {"state": "success", "context": CONTEXT,
                "description": f"Hidden tests: {result['score']:g} / {result['max_score']:g} points"}
    return {"state": "error", "context": CONTEXT, "description": "Grader error: not graded yet, it will be graded again"}


def post(output, org, api, token):
    """Post every result in `output`; -> ({student: "posted" or why not})."""
    outcomes = {}
    for student, result in sorted(store.load_all(output).items()):
        commit = result["batch"].get("commit")
        if not commit:
            outcomes[student] = "skipped: no commit graded (not a git repository)"
            continue
        feedback_path = store.feedback_path(output, student)
        feedback = feedback_path.read_text(encoding="utf-8") if feedback_path.is_file() else ""
        base = f"/repos/{quote(org)}/{quote(student)}"
        try:
            _request(api, token, f"{base}/statuses/{quote(commit)}", status_payload(result))
            _request(api, token, f"{base}/commits/{quote(commit)}/comments", {"body": feedback[:MAX_COMMENT]})
            outcomes[student] = "posted"
        except (urllib.error.URLError, OSError) as error:
            outcomes[student] = f"failed: {error}"
    return outcomes


def run(args):
    token = os.environ.get(args.token_env)
    if not token:
        raise BatchError(f"the environment variable {args.token_env} holds no token")
    outcomes = post(args.output, args.org, args.api, token)
    for student, outcome in outcomes.items():
        print(f"{student}: {outcome}", file=sys.stderr if outcome.startswith("failed") else sys.stdout)
    return 1 if any(outcome.startswith("failed") for outcome in outcomes.values()) else 0
