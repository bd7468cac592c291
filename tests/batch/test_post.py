"""The post verb against a fake GitHub API on the loopback address."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from autograder.__main__ import main
from autograder.batch import store
from autograder.commands.post import MARKER
from autograder.identity import grader_identity
from course_points import report
from course_points.verdict import Verdict

TOKEN = "ghp_fake-token-for-the-test"


class FakeGitHub(BaseHTTPRequestHandler):
    """Keeps statuses and commit comments as GitHub does (newest status first); records every request;
    refuses with 422 whatever touches the repository named "refused"."""

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.endswith("/statuses"):
            self._answer(200, self.server.statuses.get(path.removesuffix("/statuses"), []))
        else:
            self._answer(200, [comment for comment in self.server.comments.values() if comment["on"] == path])

    def do_POST(self):
        body = self._record()
        if "/statuses/" in self.path:
            commit = self.path.replace("/statuses/", "/commits/")
            self.server.statuses.setdefault(commit, []).insert(0, body)
        else:
            number = len(self.server.comments) + 1
            self.server.comments[number] = {"id": number, "on": self.path, "body": body["body"]}
        self._answer(201, {})

    def do_PATCH(self):
        body = self._record()
        self.server.comments[int(self.path.rsplit("/", 1)[1])]["body"] = body["body"]
        self._answer(200, {})

    def _record(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.command, self.path, self.headers["Authorization"], body))
        return body

    def _answer(self, code, value):
        self.send_response(422 if "/refused/" in self.path else code)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(value).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
    server.requests, server.statuses, server.comments = [], {}, {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _save(output, student, score, commit, status="passed"):
    tests = [Verdict("test_stage1.py::test_a", "stage1", 10, score, status, "wrong")]
    store.save(output, student, report.Report(tests=tests, grader=grader_identity()),
               {"key": {}, "source": "graded", "commit": commit, "later_commits": False, "duration": 1.0})


def _post(api, output, org="course"):
    return main(["post", str(output), "--org", org, "--api", f"http://127.0.0.1:{api.server_port}",
                 "--token-env", "MY_TOKEN"])


def test_each_student_gets_a_status_and_a_comment(api, tmp_path, monkeypatch, capsys):
    _save(tmp_path, "hw-ann", 10, "a" * 40)
    _save(tmp_path, "hw-bob", 0, "b" * 40, status="grader-error")
    _save(tmp_path, "hw-cy", 10, None)
    monkeypatch.setenv("MY_TOKEN", TOKEN)
    assert _post(api, tmp_path) == 0
    requests = {path: (auth, body) for _, path, auth, body in api.requests}
    assert sorted(requests) == [f"/repos/course/hw-ann/commits/{'a' * 40}/comments", f"/repos/course/hw-ann/statuses/{'a' * 40}",
                                f"/repos/course/hw-bob/commits/{'b' * 40}/comments", f"/repos/course/hw-bob/statuses/{'b' * 40}"]
    assert {auth for auth, _ in requests.values()} == {f"Bearer {TOKEN}"}
    assert requests[f"/repos/course/hw-ann/statuses/{'a' * 40}"][1] == {
        "state": "success", "context": "grading/hidden-tests", "description": "Hidden tests: 10 / 10 points"}
    assert requests[f"/repos/course/hw-bob/statuses/{'b' * 40}"][1]["state"] == "error"
    comment = requests[f"/repos/course/hw-ann/commits/{'a' * 40}/comments"][1]["body"]
    feedback = (tmp_path / "feedback" / "hw-ann.md").read_text()
    assert comment == f"{feedback}\n\n{MARKER}" and "## Score: 10 / 10" in comment
    out = capsys.readouterr().out
    assert "hw-ann: status added, comment posted" in out and "hw-cy: skipped: no commit graded" in out
    assert not any(TOKEN in path.read_text() for path in tmp_path.rglob("*") if path.is_file())


def test_posting_again_edits_the_comment_and_adds_a_status_only_when_they_changed(api, tmp_path, monkeypatch, capsys):
    # The instructor's workflow posts on a schedule: an unchanged result writes nothing, a regrade edits
    # the one comment instead of adding another.
    monkeypatch.setenv("MY_TOKEN", TOKEN)
    _save(tmp_path, "ann", 4, "a" * 40)
    assert _post(api, tmp_path) == 0
    writes = len(api.requests)  # only writes are recorded
    assert _post(api, tmp_path) == 0
    assert len(api.requests) == writes
    assert "ann: status unchanged, comment unchanged" in capsys.readouterr().out
    _save(tmp_path, "ann", 9, "a" * 40)
    assert _post(api, tmp_path) == 0
    assert [method for method, *_ in api.requests[writes:]] == ["POST", "PATCH"]
    assert [comment["body"].count("## Score: 9 / 10") for comment in api.comments.values()] == [1]
    assert [status["description"] for status in api.statuses[f"/repos/course/ann/commits/{'a' * 40}"]] == [
        "Hidden tests: 9 / 10 points", "Hidden tests: 4 / 10 points"]
    assert "ann: status added, comment updated" in capsys.readouterr().out


def test_a_refused_post_fails_the_run_and_the_others_still_go(api, tmp_path, monkeypatch, capsys):
    _save(tmp_path, "ann", 10, "a" * 40)
    _save(tmp_path, "refused", 10, "c" * 40)
    monkeypatch.setenv("MY_TOKEN", TOKEN)
    assert _post(api, tmp_path, org="o") == 1
    assert "refused: failed: HTTP Error 422" in capsys.readouterr().err
    assert len([path for _, path, _, _ in api.requests if "/ann/" in path]) == 2


def test_no_token_is_a_one_line_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GRADING_TOKEN", raising=False)
    assert main(["post", str(tmp_path), "--org", "o"]) == 2
    assert capsys.readouterr().err == "error: the environment variable GRADING_TOKEN holds no token\n"
