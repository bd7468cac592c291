"""A class folder of mixed submissions, grade-all runs over it, and the single grades to compare with; an HTML
tree of a page and a headless Chromium to read the class report page with."""
import csv
import io
import json
import os
import select
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest

from autograder.identity import grader_identity
from autograder.release.manifest import build_manifest
from autograder.release.write import release
from tests.conftest import run_python
from course_points.report import Report
from course_points.verdict import Verdict
from tests.grader.conftest import _submission_maker, grade

# Module-level state a batch job must not carry from one grade into the next: the hidden suites are
# imported afresh for every grade (see batch/job.py), so this wrong relu costs the same points wherever
# it comes in the order.
WRONG_RELU = "def relu(x):\n    return np.maximum(x, 0.1 * x)\n"
EXITS_AT_IMPORT = "import sys\nsys.exit(3)\n"


def stage1_report(score):
    """A Report of one stage-1 test worth 10 points that scored `score`, as a store holds it."""
    return Report(tests=[Verdict("test_stage1.py::test_a", "stage1", 10, score, "passed" if score == 10 else "failed")],
                  grader=grader_identity())


def grade_all(*args, timeout=600):
    """`python -m autograder grade-all ARGS...` -> the CompletedProcess (text output captured)."""
    return run_python("-m", "autograder", "grade-all", *args, timeout=timeout)


def git(repo, *args, date=None):
    """`git -C repo ARGS...` as a student with a fixed identity (and both dates `date`) -> its stdout, stripped."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "s", "GIT_AUTHOR_EMAIL": "s@example.org", "GIT_COMMITTER_NAME": "s",
           "GIT_COMMITTER_EMAIL": "s@example.org"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def merge(*args):
    """`python -m autograder merge ARGS...` -> the CompletedProcess (text output captured)."""
    return run_python("-m", "autograder", "merge", *args)


def read_csv(path):
    """[{column: value}] of a CSV file."""
    return list(csv.DictReader(io.StringIO(path.read_text())))


def without_duration(path):
    """The rows of a grades.csv without its duration column (the one value that differs run to run)."""
    return [{key: value for key, value in row.items() if key != "duration"} for row in read_csv(path)]


def result(output, student):
    return json.loads((output / "results" / f"{student}.json").read_text())


def zip_folder(folder, archive):
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(folder.rglob("*")):
            bundle.write(path, path.relative_to(folder.parent).as_posix())
    return archive


@pytest.fixture(scope="session")
def class_folder(tmp_path_factory, solved_package, stub_package):
    """SUBMISSIONS with 8 students: full (a solved release whose conftest.py was edited), good, partial,
    broken, empty, zipped, nested and hostile."""
    root = tmp_path_factory.mktemp("class")
    submissions = root / "submissions"
    submissions.mkdir()
    release(submissions / "full", solved=True)
    (submissions / "full" / "conftest.py").write_text("# the student silenced the public tests\n")
    solved = _submission_maker(submissions, solved_package)
    stubs = _submission_maker(submissions, stub_package)
    solved(name="good")
    stubs(replace={"gates": (solved_package / "gates.py").read_text()}, name="partial")
    solved(append={"activations": WRONG_RELU}, name="broken")
    (submissions / "empty").mkdir()
    zip_folder(stubs(replace={"gates": (solved_package / "gates.py").read_text()}, name="zipped-src") / "dlscratch",
               submissions / "zipped.zip")
    shutil.rmtree(submissions / "zipped-src")
    nested = _submission_maker(submissions / "nested", solved_package)
    nested(name="repo-main")
    solved(replace={"gates": EXITS_AT_IMPORT}, name="hostile")
    return submissions


@pytest.fixture(scope="session")
def manifest_file(tmp_path_factory):
    """The manifest of a stub release, for --manifest (grade-all otherwise builds it again every run)."""
    root = tmp_path_factory.mktemp("manifest")
    release(root / "release")
    path = root / "manifest.json"
    path.write_text(json.dumps(build_manifest(root / "release")))
    return path


@pytest.fixture(scope="session")
def single_grades(class_folder):
    """{student: results.json} of `python -m autograder grade` on every entry, two at a time."""
    entries = sorted(class_folder.iterdir())
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(grade, entries))
    return {entry.name.removesuffix(".zip"): report for entry, report in zip(entries, reports)}


@pytest.fixture(scope="session")
def class_run(class_folder, tmp_path_factory):
    """The output folder of one grade-all run over the class, 2 jobs."""
    output = tmp_path_factory.mktemp("run") / "out"
    completed = grade_all(class_folder, "--output", output, "--jobs", 2)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return output


@dataclass
class Node:
    """An element of a parsed page: tag, attributes, and children (Nodes and text)."""

    tag: str
    attrs: dict
    children: list

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def text(self):
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def find_all(self, tag, **attrs):
        return [node for node in self.iter() if node.tag == tag
                and all(node.attrs.get(name.rstrip("_")) == value for name, value in attrs.items())]


class _Tree(HTMLParser):
    """Builds the Node tree of a page; void elements (<meta>, <input>, ...) have no end tag."""

    VOID = {"meta", "input", "br", "img", "hr", "link", "col", "source", "area", "base", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = [Node("#document", {}, [])]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), [])
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, dict(attrs), []))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(text):
    """The page's document Node (html.parser)."""
    tree = _Tree()
    tree.feed(text)
    tree.close()
    return tree.stack[0]


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: it reads
    NUL-terminated JSON commands on fd 3 and writes replies and events on fd 4): no port, no extra package."""

    TIMEOUT = 30

    def __init__(self, binary, profile):
        commands, self._to_browser = os.pipe()
        self._from_browser, replies = os.pipe()
        # The pipes come in as stdin and stdout (subprocess moves no other fd), and the shell moves them to the
        # fds the browser expects, then becomes the browser.
        self.process = subprocess.Popen(
            ["sh", "-c", 'exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null', binary, "--headless", "--no-sandbox",
             "--disable-gpu", "--remote-debugging-pipe", f"--user-data-dir={profile}", "--no-first-run",
             "about:blank"], stdin=commands, stdout=replies, stderr=subprocess.DEVNULL)
        os.close(commands)
        os.close(replies)
        self._buffer, self._id, self.session = b"", 0, None

    def send(self, method, **params):
        """The result of one protocol command (in the attached page once `open` ran)."""
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._id:
                assert "error" not in reply, (method, reply["error"])
                return reply["result"]

    def _read(self):
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_browser], [], [], self.TIMEOUT)
            chunk = os.read(self._from_browser, 1 << 16) if ready else b""
            assert chunk, "Chromium did not answer"
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url):
        target = self.send("Target.createTarget", url=url)["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Emulation.setDeviceMetricsOverride", width=1280, height=1000, deviceScaleFactor=1, mobile=False)
        for _ in range(self.TIMEOUT * 10):
            if self.eval("[location.href, document.readyState]") == [url, "complete"]:
                return
            self.send("Runtime.evaluate", expression="new Promise(done => setTimeout(done, 100))",
                      awaitPromise=True)
        raise AssertionError(f"{url} did not load")

    def eval(self, expression):
        """The value of a JavaScript expression in the page (JSON-serialisable)."""
        reply = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in reply, reply["exceptionDetails"]
        return reply["result"].get("value")

    def click(self, selector):
        """A real mouse click at the middle of the first element `selector` matches."""
        box = self.eval(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); "
                        "e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect(); "
                        "return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def close(self):
        try:
            self.session = None
            self.send("Browser.close")
            self.process.wait(timeout=self.TIMEOUT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            os.close(self._to_browser)
            os.close(self._from_browser)


@pytest.fixture
def browser(tmp_path):
    """A headless Chromium (or Google Chrome) with a fresh profile; the test is skipped without one."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if binary is None:
        pytest.skip("no Chromium: install Debian's chromium package to run the page in a browser")
    chromium = Chromium(binary, tmp_path / "profile")
    yield chromium
    chromium.close()
