"""The sandbox as a course meets it: attacks by students who read the grader's source, sloppy
submissions, and grades running side by side. Each attack is the one that showed the problem.

Attacks go into gates.py (stage 1) and are graded with stage 2 beside it, so "the rest is untouched"
is an exact score.
"""
import os
import shutil
import socket
import subprocess
import threading
import time
import zipfile
from pathlib import Path

import pytest

from autograder.sandbox.isolation import probe

from .conftest import COURSE_MAX, TEST_TIERS, grade, grade_command, lost, needs_isolation, run_grade, stage_max, stage_scores

pytestmark = pytest.mark.slow
STAGES = ("stage1", "stage2")
FULL = {stage: (stage_max(stage), stage_max(stage)) for stage in STAGES}
CORRECT_XOR = "def XOR(x1, x2):\n    return AND(NAND(x1, x2), OR(x1, x2))\n"


def xor_doing(code):
    """A correct XOR that first runs `code` (indented into its body)."""
    body = "\n".join("    " + line for line in code.strip().splitlines())
    return f"def XOR(x1, x2):\n{body}\n    return AND(NAND(x1, x2), OR(x1, x2))\n"


@needs_isolation
def test_host_files_and_sockets_are_out_of_reach(make_submission, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the answers")
    secret.chmod(0o600)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "service.sock"))
    server.listen(1)
    probes = [f"open({str(secret)!r}).read()", "open('/root/.bashrc').read()", "open('/etc/passwd').read()",
              f"__import__('socket').socket(__import__('socket').AF_UNIX).connect({str(tmp_path / 'service.sock')!r})",
              "open('/proc/1/environ').read() and __import__('os').getuid() == 0"]
    code = "\n".join(f"try:\n    {line}\n    raise SystemExit('reached: ' + {line[:40]!r})\nexcept OSError:\n    pass"
                     for line in probes)
    report = grade(make_submission(append={"gates": xor_doing(code)}), *STAGES)
    server.close()
    assert stage_scores(report) == FULL, lost(report)


ROUND_THREE = """
import ctypes, os, sys
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "ImportBlocker"]
try:
    import pytest
    raise SystemExit("reached: a package of the interpreter's site-packages")
except (ImportError, OSError):  # absent (the sandbox), or unreadable (Landlock)
    pass
for path in ("/proc/1/cmdline", "/proc/self/mountinfo"):
    try:
        open(path).read()
        raise SystemExit("reached: " + path)
    except OSError:  # absent (the sandbox), or unreadable (Landlock)
        pass
libc = ctypes.CDLL(None, use_errno=True)
numbers = {"x86_64": (272, 425), "aarch64": (97, 425)}.get(os.uname().machine)
if numbers and libc.syscall(numbers[0], 0x10000000) == 0:
    raise SystemExit("reached: a user namespace")
if numbers and libc.syscall(numbers[1], 8, ctypes.create_string_buffer(120)) >= 0:
    raise SystemExit("reached: io_uring")
"""


@needs_isolation
def test_the_interpreter_proc_namespaces_and_io_uring_are_out_of_reach(make_submission):
    # Round three: with the import blocker removed, another package of the base interpreter imported; a
    # nested user namespace gave full capabilities; io_uring made sockets past seccomp; /proc named host paths.
    report = grade(make_submission(append={"gates": xor_doing(ROUND_THREE)}), *STAGES)
    assert stage_scores(report) == FULL, lost(report)


@needs_isolation
def test_files_created_after_the_worker_started_stay_invisible(make_submission, tmp_path):
    # XOR watches for 2 s while the file appears on the host, 2.5 s after the grade started.
    late = tmp_path / "late.txt"
    code = (f"import os, time\nfor _ in range(20 if not os.path.exists('watched') else 0):\n    time.sleep(0.1)\n"
            f"    assert not os.path.exists({str(late)!r}), 'saw a late file'\n"
            f"open('watched', 'w').close()\nassert not os.path.exists({str(tmp_path)!r}), 'saw the host folder'")
    submission = make_submission(append={"gates": xor_doing(code)})
    writer = threading.Timer(2.5, late.write_text, args=("written after the start",))
    writer.start()
    report = grade(submission, *STAGES)
    writer.join()
    assert stage_scores(report) == FULL, lost(report)


def _descendants(root):
    """{pid: (uid, state, command line)} of every process below `root`, from the host's ps."""
    table = {}
    for line in subprocess.run(["ps", "-wweo", "pid=,ppid=,uid=,stat=,args="], capture_output=True,
                               text=True).stdout.splitlines():
        pid, ppid, uid, state, args = line.split(None, 4)
        table[int(pid)] = (int(ppid), int(uid), state, args)
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, uid, state, args) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = (uid, state, args)
                frontier.append(pid)
    return found


def _grade_in_background(make_submission, code):
    return subprocess.Popen(grade_command(make_submission(append={"gates": xor_doing(code)}), "--stage", "stage1",
                                          "--timeout", "60"), stdout=subprocess.DEVNULL)


@needs_isolation
def test_the_worker_runs_as_an_unprivileged_host_uid(make_submission):
    if not probe(TEST_TIERS).host_uid:
        pytest.skip("bubblewrap runs without root here: the uid is a user-namespace name only")
    process = _grade_in_background(make_submission, "import time\ntime.sleep(2.5)")
    workers = {}
    for _ in range(100):
        time.sleep(0.1)
        seen = {pid for pid, info in _descendants(process.pid).items()
                if "_dlscratch_worker" in info[2] and "bwrap" not in info[2]}
        if seen:
            # The grader's own start-up code runs as root for a moment; student code runs after the switch.
            # A worker gone by then was a short-lived check (the container tier's, before grading).
            time.sleep(1.0)
            workers = {pid: info for pid, info in _descendants(process.pid).items() if pid in seen}
            if workers:
                break
    process.kill()
    process.wait()
    assert workers, "no worker seen in ps"
    assert all(uid >= 1_000_000 for uid, _, _ in workers.values()), workers


@needs_isolation
def test_memfd_and_disk_are_bounded(make_submission):
    memfd = ("import os\nfd = os.memfd_create('x')\nchunk = b'x' * (1 << 24)\n"
             "for _ in range(200):\n    os.write(fd, chunk)")
    disk = "chunk = b'x' * (1 << 24)\nwith open('big', 'wb') as f:\n    for _ in range(200):\n        f.write(chunk)"
    for name, code in {"memfd": memfd, "disk": disk}.items():
        started = time.monotonic()
        report = grade(make_submission(append={"gates": xor_doing(code)}, name=name), *STAGES)
        assert time.monotonic() - started < 60
        assert stage_scores(report)["stage2"] == FULL["stage2"]
        assert stage_scores(report)["stage1"][0] < stage_max("stage1")
        assert any(word in " ".join(lost(report).values()) for word in ("SIGKILL", "No space", "OSError", "MemoryError"))


# XOR uses most of the worker's CPU time or memory and answers right; then importing stage 2's activations
# needs a little more of the same (0.5 s of CPU, 250 MB for a moment), as a hungry but correct module may.
# The wall-clock limits are generous: 3.7 s of CPU took over 10 s of wall time on a loaded 2-core machine,
# and what is tested is the CPU-time limit alone.
NEAR_A_LIMIT = {
    "cpu-time": (("--cpu-seconds", "4", "--timeout", "60", "--function-budget", "120"),
                 "import time\nwhile time.process_time() < 3.7:\n    pass",
                 "import time\n_start = time.process_time()\nwhile time.process_time() < _start + 0.5:\n    pass\n"),
    "memory": (("--memory-mb", "600"), "global _kept\nif '_kept' not in globals():\n    _kept = b'x' * (350 << 20)",
               "_scratch = b'x' * (250 << 20)\ndel _scratch\n"),
}


@pytest.mark.parametrize("limit", sorted(NEAR_A_LIMIT))
def test_a_worker_near_a_limit_is_replaced_before_the_next_test(make_submission, limit):
    # The stages share a worker, replaced before a test once half a limit is used: neither XOR's other
    # tests nor stage 2 pay for what XOR used.
    options, xor_code, activations_code = NEAR_A_LIMIT[limit]
    report = grade(make_submission(append={"gates": xor_doing(xor_code), "activations": activations_code}),
                   *STAGES, extra=options)
    assert stage_scores(report) == FULL, lost(report)


@needs_isolation
def test_a_worker_that_stops_reading_still_gets_a_report(make_submission):
    # After the first call the worker never reads again; the next large request fills the pipe.
    code = ("import os, time\n_calls = []\n_real_softmax = softmax\n"
            "def softmax(x):\n    _calls.append(1)\n    if len(_calls) == 1:\n        os.read = lambda *a: time.sleep(10 ** 6)\n"
            "    return _real_softmax(x)\n")
    started = time.monotonic()
    report = grade(make_submission(append={"activations": code}), *STAGES)
    assert time.monotonic() - started < 120
    assert stage_scores(report)["stage1"] == FULL["stage1"]
    assert stage_scores(report)["stage2"][0] < 24


MALFORMED_REPLIES = {
    "a float too large": "['f', 10 ** 400]",
    "one blob referenced a million times": "['l', [['a', 0]] * 1_000_000]",
    "deep nesting": "__import__('functools').reduce(lambda inner, _: ['l', [inner]], range(400), ['n'])",
    "an unknown tag": "['zz', 1]",
    "a handle path that is not a list": "['h', 1, 'x', 5]",
}


@pytest.mark.parametrize("case", sorted(MALFORMED_REPLIES))
def test_malformed_replies_cost_only_the_call(case, make_submission):
    # The worker code is the student's to patch: every reply it sends is replaced with the malformed one.
    code = ("import sys, numpy as np\n_serve = sys.modules['_dlscratch_worker.serve']\n"
            f"_serve.encode_value = lambda value, blobs, handle_for: (blobs.append(_blob), {MALFORMED_REPLIES[case]})[1]\n"
            "import io\n_buffer = io.BytesIO(); np.save(_buffer, np.zeros(1000)); _blob = _buffer.getvalue()\n")
    started = time.monotonic()
    report = grade(make_submission(append={"gates": code}), *STAGES)
    assert time.monotonic() - started < 60
    assert stage_scores(report) == {"stage1": (0.0, 8.0), "stage2": FULL["stage2"]}
    assert all("protocol" in output or "cannot read" in output for output in lost(report).values()), lost(report)


def test_printing_a_flood_costs_nothing_and_shows_head_and_tail(make_submission, tmp_path):
    code = "import os\nos.write(1, b'first line\\n' + b'x' * (100 << 20) + b'\\nlast line\\n')\n" + CORRECT_XOR
    report = grade(make_submission(append={"gates": code}), *STAGES)
    assert stage_scores(report) == FULL, lost(report)


def test_printed_markdown_and_html_stay_text(make_submission, tmp_path):
    code = "def XOR(x1, x2):\n    print('\\r## Score: 100 / 100\\n<script>alert(1)</script>')\n    return 0\n"
    out = tmp_path / "report.md"
    result = run_grade(make_submission(append={"gates": code}), "--stage", "stage1", "--format", "markdown",
                       "--output", out)
    assert result.returncode == 0
    lines = out.read_text().splitlines()
    assert sum(line.startswith("#") for line in lines) == 2  # the report's own heading and section
    assert "<script>" not in out.read_text() and "&lt;script&gt;" in out.read_text()


def test_course_helpers_are_importable_from_a_submission(make_submission):
    code = ("from dlscratch_data import load_digits\nfrom dlscratch.progress import ProgressBar\n"
            "from . import progress\n" + CORRECT_XOR)
    report = grade(make_submission(append={"gates": code}), *STAGES)
    assert stage_scores(report) == FULL, lost(report)


def _zip(folder, archive, inside=""):
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(folder.rglob("*")):
            bundle.write(path, inside + path.relative_to(folder).as_posix())
    return archive


def test_every_layout_gets_a_report(solved_package, tmp_path):
    nested = tmp_path / "nested" / "repo-main"
    shutil.copytree(solved_package, nested / "dlscratch")
    odd_name = tmp_path / os.fsdecode(b"caf\xe9-submission")
    shutil.copytree(solved_package, odd_name / "dlscratch")
    layouts = {
        "nested one level down": nested.parent,
        "the package folder itself": solved_package,
        "a .zip of a repository folder": _zip(solved_package.parent, tmp_path / "repo.zip", "repo-main/"),
        "a path that is not UTF-8": odd_name,
    }
    for name, path in layouts.items():
        report = grade(path, "stage1")
        assert report["score"] == report["max_score"] == stage_max("stage1"), name


@pytest.mark.parametrize("layout", ["empty folder", "no package", "not a zip", "zip with ..", "zip bomb"])
def test_nothing_gradeable_scores_zero_with_one_line_why(layout, tmp_path):
    path = tmp_path / "submission"
    path.mkdir()
    if layout == "no package":
        (path / "notes.txt").write_text("hello")
    elif layout == "not a zip":
        path = tmp_path / "submission.tar"
        path.write_bytes(b"not an archive")
    elif layout in ("zip with ..", "zip bomb"):
        path = tmp_path / "submission.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
            if layout == "zip with ..":
                bundle.writestr("../outside/dlscratch/gates.py", "def AND(a, b): return 1\n")
            else:
                bundle.writestr("dlscratch/gates.py", b"\n" * (80 << 20))
    out = tmp_path / "results.json"
    result = run_grade(path, "--stage", "stage1", "--format", "json", "--output", out)
    assert result.returncode == 0, result.stderr
    import json
    report = json.loads(out.read_text())
    assert report["score"] == 0 and report["max_score"] == stage_max("stage1")
    reasons = {test["output"] for test in report["tests"]}
    assert len(reasons) == 1 and "\n" not in reasons.pop()
    assert not (tmp_path / "outside").exists()


def test_grades_side_by_side_equal_a_lone_grade(solved_package, make_submission, tmp_path):
    """Four grades at once (the solved release three times, a hostile one beside them) equal lone grades."""
    hostile = make_submission(append={"gates": xor_doing("import os\nfor _ in range(50):\n    os.makedirs('a/' * 40, exist_ok=True)\n"
                                                         "open('/tmp/x', 'w').write('x' * (1 << 20))")})
    paths = [solved_package.parent] * 3 + [hostile]
    outputs = [tmp_path / f"r{index}.json" for index in range(len(paths))]
    processes = [subprocess.Popen(grade_command(path, "--format", "json", "--output", out))
                 for path, out in zip(paths, outputs)]
    assert all(process.wait(timeout=600) == 0 for process in processes)
    import json
    reports = [json.loads(out.read_text()) for out in outputs]
    assert all(report["score"] == report["max_score"] == COURSE_MAX for report in reports), [lost(r) for r in reports]


def test_a_sandbox_that_cannot_start_is_a_grader_error(solved_package, tmp_path):
    # 8 MiB of address space is too little for the interpreter itself: the failure comes before any
    # student code runs, so it is the grader's, retried once, then reported as such (exit code 3).
    out = tmp_path / "results.json"
    result = run_grade(solved_package.parent, "--stage", "stage1", "--memory-mb", "8", "--format", "json",
                       "--output", out)
    assert result.returncode == 3, result.stderr
    import json
    report = json.loads(out.read_text())
    assert report["extra_data"]["status"] == "grader-error"
    assert {test["status"] for test in report["tests"]} == {"grader-error"}
    assert all("not your code" in test["output"] for test in report["tests"])
    text = run_grade(solved_package.parent, "--stage", "stage1", "--memory-mb", "8")
    assert text.returncode == 3 and "GRADER ERROR" in text.stdout


def test_every_result_names_its_grader_and_rubric(solved_package):
    report = grade(solved_package.parent, "stage1")
    grader = report["extra_data"]["grader"]
    assert set(grader) == {"version", "code_sha256", "rubric_sha256", "language"}
    assert grader["language"] == "en"
    assert all(len(grader[key]) == 64 for key in ("code_sha256", "rubric_sha256"))
    assert report["extra_data"]["status"] == "graded"


@needs_isolation
def test_no_worker_outlives_a_killed_scorer(make_submission):
    process = _grade_in_background(make_submission, "import time\ntime.sleep(30)")
    # Wait for the worker to be running (its start-up is slower on a loaded machine), then kill the scorer.
    started = {}
    for _ in range(300):
        started = _descendants(process.pid)
        if any("_dlscratch_worker" in args and "bwrap" not in args for _, _, args in started.values()):
            break
        time.sleep(0.1)
    assert any("_dlscratch_worker" in args and "bwrap" not in args for _, _, args in started.values())
    process.kill()
    process.wait()
    living = started
    for _ in range(50):  # exited but unreaped (state Z: this container's init may never reap) is dead
        time.sleep(0.1)
        living = {pid: info for pid, info in started.items() if _state(pid) not in ("Z", "")}
        if not living:
            break
    assert not living


def _state(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""
