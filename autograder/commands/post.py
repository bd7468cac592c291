"""`python -m autograder post DIR --org ORG --api URL --token-env NAME`: post every graded result back to
the student's repository: a commit status on the commit graded and a commit comment with the feedback.

The instructor's workflow posts on a schedule, so posting is idempotent: the comment carries a hidden
marker and is edited in place when the feedback changed (left alone when not), and a status is only
added when it differs from the latest one of its context. The token is read from the environment
variable NAME only (in the instructor's private repository, a secret); it is never written anywhere.
Students whose result has no commit (not graded from git) are listed and skipped. Uses GitHub's REST
API shapes; --api points at GitHub or GitHub Enterprise.
"""
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from course.usage import UsageError

from ..batch import store

CONTEXT = "grading/hidden-tests"
MARKER = f"<!-- posted by python -m autograder post: {CONTEXT} -->"
MAX_COMMENT = 65_000  # GitHub refuses comment bodies over 65,536 characters


def add_arguments(parser):
    parser.add_argument("output", type=Path, metavar="DIR", help="a grade-all (or merge) output folder")
    parser.add_argument("--org", required=True, help="the organisation that owns the student repositories")
    parser.add_argument("--api", default="https://api.github.com", metavar="URL", help="REST API root")
    parser.add_argument("--token-env", default="GRADING_TOKEN", metavar="NAME",
                        help="environment variable holding the token (default GRADING_TOKEN)")


def _request(api, token, method, path, payload=None):
    """One REST call -> its decoded JSON reply (None when empty)."""
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(f"{api.rstrip('/')}{path}", data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                                              "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    return json.loads(body) if body.strip() else None


def comment_body(feedback):
    """The comment for a feedback file: the markdown, cut to GitHub's limit, then the hidden marker."""
    return f"{feedback[:MAX_COMMENT]}\n\n{MARKER}"


def status_payload(result):
    """The commit status of a result: success with the score, or error when the grader failed."""
    report = result.report
    if report.status == "graded":
        return {"state": "success", "context": CONTEXT,
                "description": f"Hidden tests: {report.score:g} / {report.max_score:g} points"}
    return {"state": "error", "context": CONTEXT, "description": "Grader error: not graded yet, it will be graded again"}


def _post_status(api, token, base, commit, payload):
    """Add the status unless the latest one of its context says the same; -> whether it was added."""
    statuses = _request(api, token, "GET", f"{base}/commits/{quote(commit)}/statuses?per_page=100") or []
    latest = next((status for status in statuses if status.get("context") == payload["context"]), None)
    if latest and all(latest.get(key) == value for key, value in payload.items()):
        return False
    _request(api, token, "POST", f"{base}/statuses/{quote(commit)}", payload)
    return True


def _post_comment(api, token, base, commit, body):
    """Create the marked comment, or edit the one posted before; -> "posted", "updated" or "unchanged"."""
    comments = _request(api, token, "GET", f"{base}/commits/{quote(commit)}/comments?per_page=100") or []
    earlier = next((comment for comment in comments if MARKER in (comment.get("body") or "")), None)
    if earlier is None:
        _request(api, token, "POST", f"{base}/commits/{quote(commit)}/comments", {"body": body})
        return "posted"
    if earlier["body"] == body:
        return "unchanged"
    _request(api, token, "PATCH", f"{base}/comments/{int(earlier['id'])}", {"body": body})
    return "updated"


def post(output, org, api, token):
    """Post every result in `output`; -> {student: what was done ("status added, comment updated") or why not}."""
    outcomes = {}
    for student, result in sorted(store.load_all(output).items()):
        commit = result.batch.get("commit")
        if not commit:
            outcomes[student] = "skipped: no commit graded (not a git repository)"
            continue
        feedback_path = store.feedback_path(output, student)
        feedback = feedback_path.read_text(encoding="utf-8") if feedback_path.is_file() else ""
        base = f"/repos/{quote(org)}/{quote(student)}"
        try:
            status_added = _post_status(api, token, base, commit, status_payload(result))
            comment = _post_comment(api, token, base, commit, comment_body(feedback))
            outcomes[student] = f"status {'added' if status_added else 'unchanged'}, comment {comment}"
        except (urllib.error.URLError, OSError, ValueError, KeyError, TypeError) as error:
            outcomes[student] = f"failed: {error}"
    return outcomes


def run(args):
    token = os.environ.get(args.token_env)
    if not token:
        raise UsageError(f"the environment variable {args.token_env} holds no token")
    outcomes = post(args.output, args.org, args.api, token)
    for student, outcome in outcomes.items():
        print(f"{student}: {outcome}", file=sys.stderr if outcome.startswith("failed") else sys.stdout)
    return 1 if any(outcome.startswith("failed") for outcome in outcomes.values()) else 0
