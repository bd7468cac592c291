"""The post verb against a fake GitHub API on the loopback address."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from autograder.__main__ import main
from autograder.batch import store
from autograder.identity import grader_identity
from autograder.points import report

TOKEN = "ghp_fake-token-for-the-test"


class FakeGitHub(BaseHTTPRequestHandler):
    """Records every request; answers 201, or 422 for the repository named "refused"."""

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, self.headers["Authorization"], body))
        refused = "/refused/" in self.path
        self.send_response(422 if refused else 201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _save(output, student, score, commit, status="passed"):
    tests = [report.TestResult("test_stage1.py::test_a", "stage1", 10, score, status, "wrong")]
    store.save(output, student, report.Report(tests=tests, grader=grader_identity()),
               {"key": {}, "source": "graded", "commit": commit, "later_commits": False, "duration": 1.0})


def test_each_student_gets_a_status_and_a_comment(api, tmp_path, monkeypatch, capsys):
    _save(tmp_path, "hw-ann", 10, "a" * 40)
    _save(tmp_path, "hw-bob", 0, "b" * 40, status="grader-error")
    _save(tmp_path, "hw-cy", 10, None)
    monkeypatch.setenv("MY_TOKEN", TOKEN)
    url = f"http://127.0.0.1:{api.server_port}"
    assert main(["post", str(tmp_path), "--org", "course", "--api", url, "--token-env", "MY_TOKEN"]) == 0
    requests = {path: (auth, body) for path, auth, body in api.requests}
    assert sorted(requests) == [f"/repos/course/hw-ann/commits/{'a' * 40}/comments", f"/repos/course/hw-ann/statuses/{'a' * 40}",
                                f"/repos/course/hw-bob/commits/{'b' * 40}/comments", f"/repos/course/hw-bob/statuses/{'b' * 40}"]
    assert {auth for auth, _ in requests.values()} == {f"Bearer {TOKEN}"}
    assert requests[f"/repos/course/hw-ann/statuses/{'a' * 40}"][1] == {
        "state": "success", "context": "grading/hidden-tests", "description": "Hidden tests: 10 / 10 points"}
    assert requests[f"/repos/course/hw-bob/statuses/{'b' * 40}"][1]["state"] == "error"
    comment = requests[f"/repos/course/hw-ann/commits/{'a' * 40}/comments"][1]["body"]
    assert comment == (tmp_path / "feedback" / "hw-ann.md").read_text() and "## Score: 10 / 10" in comment
    assert "hw-cy: skipped: no commit graded" in capsys.readouterr().out
    assert not any(TOKEN in path.read_text() for path in tmp_path.rglob("*") if path.is_file())


def test_a_refused_post_fails_the_run_and_the_others_still_go(api, tmp_path, monkeypatch, capsys):
    _save(tmp_path, "ann", 10, "a" * 40)
    _save(tmp_path, "refused", 10, "c" * 40)
    monkeypatch.setenv("GRADING_TOKEN", TOKEN)
    assert main(["post", str(tmp_path), "--org", "o", "--api", f"http://127.0.0.1:{api.server_port}"]) == 1
    assert "refused: failed: HTTP Error 422" in capsys.readouterr().err
    assert len([path for path, _, _ in api.requests if "/ann/" in path]) == 2


def test_no_token_is_a_one_line_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GRADING_TOKEN", raising=False)
    assert main(["post", str(tmp_path), "--org", "o"]) == 2
    assert capsys.readouterr().err == "error: the environment variable GRADING_TOKEN holds no token\n"
