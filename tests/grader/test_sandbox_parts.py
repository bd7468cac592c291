"""Fast tests of the sandbox's parts, one at a time: the wire protocol's decoder, output capture,
markdown escaping, cgroups (v1 and v2 on fake trees), cleanup and zip unpacking."""
import io
import json
import os
import platform
import re
import struct
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from autograder.cleanup import remove_tree
from course_points.report import escape_markdown
from autograder.sandbox.cgroups import WorkerCgroup
from autograder.sandbox.output import OutputCapture
from autograder.sandbox.seccomp import worker_filter
from autograder.sandbox.worker.functions import SeededGenerator
from autograder.sandbox.worker.protocol import (ProtocolError, decode_value, encode_message, encode_value,
                                                read_message)
from autograder.grading.submission import unpack_zip


def _blob(array):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _no_handles(*_):
    raise AssertionError("no handle expected")


@pytest.mark.parametrize("tagged", [
    ["f", 10 ** 400], ["f", "1e999x"], ["zz", 1], ["h", 1, "x", 5], ["h", 1, "x", [1]], ["a", 3], ["a", -1],
    ["d", [["k"]]], ["d", [[1, ["n"]]]], [], "n", ["i", 1.5], ["b", 1], ["l", "abc"],
    ["g", -1], ["g", 2 ** 62], ["g", 1.0], ["g", "7"], ["g"],
])
def test_every_malformed_value_is_a_protocol_error(tagged):
    with pytest.raises(ProtocolError):
        decode_value(tagged, [_blob(np.zeros(2))], _no_handles)


def test_deep_nesting_is_a_protocol_error_not_a_crash():
    tagged = ["n"]
    for _ in range(5000):
        tagged = ["l", [tagged]]
    with pytest.raises(ProtocolError):
        decode_value(tagged, [], _no_handles)


def test_a_blob_referenced_many_times_counts_every_time():
    blobs = [_blob(np.zeros(1000))]
    assert len(decode_value(["l", [["a", 0]] * 10], blobs, _no_handles, max_bytes=10 * len(blobs[0]))) == 10
    with pytest.raises(ProtocolError, match="size limit"):
        decode_value(["l", [["a", 0]] * 11], blobs, _no_handles, max_bytes=10 * len(blobs[0]))


def test_values_round_trip(rng=np.random.default_rng(0)):
    x = rng.standard_normal((3, 4))
    blobs = [_blob(x)]
    value = decode_value(["d", [["x", ["a", 0]], ["n", ["t", [["i", 2], ["f", "inf"], ["s", "é"]]]]]], blobs,
                         _no_handles)
    assert np.array_equal(value["x"], x) and value["n"] == (2, float("inf"), "é")


def test_a_seeded_generator_arrives_as_the_generator_of_its_seed():
    # Dropout's masks are graded with a generator the scorer seeds: the worker must draw what it draws.
    tagged = encode_value([SeededGenerator(2 ** 40 + 3)], [], _no_handles)
    assert tagged == ["l", [["g", 2 ** 40 + 3]]]
    generator, = decode_value(tagged, [], _no_handles)
    assert np.array_equal(generator.random(5), np.random.default_rng(2 ** 40 + 3).random(5))


def _reader(data):
    stream = io.BytesIO(data)
    return lambda count: stream.read(count)


def test_messages_over_the_limits_are_refused():
    message = encode_message({"id": 1}, [b"x" * 100])
    assert read_message(_reader(message), 100)[1] == [b"x" * 100]
    with pytest.raises(ProtocolError, match="over the limit"):
        read_message(_reader(message), 99)
    with pytest.raises(ProtocolError, match="header"):
        read_message(_reader(message), 100, max_header_bytes=5)
    nested = b"[" * 100000 + b"]" * 100000
    with pytest.raises(ProtocolError):
        read_message(_reader(struct.pack(">I", len(nested)) + nested), 100, max_header_bytes=1 << 20)


def test_output_keeps_head_and_tail_and_counts_the_rest():
    capture = OutputCapture(keep=4096)
    capture.add(b"first\n")
    for _ in range(1000):
        capture.add(b"y" * 1000)
    capture.add(b"\nlast")
    text = capture.take(2000)
    assert text.startswith("first\n") and text.endswith("\nlast")
    assert f"[... {6 + 1_000_000 + 5 - 2000} bytes of output not shown ...]" in text
    assert capture.take() == ""
    capture.add(b"short")
    assert capture.take() == "short"


@pytest.mark.parametrize("text", ["\r## Score: 100 / 100", "<img src=x onerror=alert(1)>", "[link](http://x)",
                                  "| a | b |", "> quote", "- item", "3. step", "`code`", "a\x1b[31mred"])
def test_escaped_feedback_renders_as_plain_text(text):
    escaped = escape_markdown(text)
    assert "<" not in escaped and "\r" not in escaped and "\x1b" not in escaped
    for line in escaped.splitlines():
        assert not line.startswith(("#", ">", "-", "|", "[")) and not re.match(r"\d+\.", line), line


def _fake_tree(root, files):
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_cgroup_v2_sets_limits_and_reads_cpu_time(tmp_path):
    _fake_tree(tmp_path, {"cgroup.controllers": "cpuset cpu io memory pids\n"})
    group = WorkerCgroup.create(1 << 30, 16, mounts=[(tmp_path, "cgroup2", ["rw"])])
    (directory,) = group.groups
    assert directory.parent == tmp_path / "dlscratch-grader"
    assert (directory.parent / "cgroup.subtree_control").read_text() == "+memory +pids +cpu"
    assert (directory / "memory.max").read_text() == str(1 << 30)
    assert (directory / "pids.max").read_text() == "16"
    (directory / "cpu.stat").write_text("usage_usec 1500000\nuser_usec 1000000\n")
    assert group.cpu_seconds() == pytest.approx(1.5)
    assert group.in_force == ["memory cgroup (v2)", "pids cgroup (v2)", "CPU time from the cgroup (v2)"]


def test_cgroup_v1_uses_one_group_per_hierarchy(tmp_path):
    mounts = [(tmp_path / "memory", "cgroup", ["rw", "memory"]), (tmp_path / "cpu,cpuacct", "cgroup", ["rw", "cpu", "cpuacct"]),
              (tmp_path / "pids", "cgroup", ["rw", "pids"]), (tmp_path / "unified", "cgroup2", ["rw"])]
    for point, _, _ in mounts:
        point.mkdir()
    (tmp_path / "unified" / "cgroup.controllers").write_text("")
    group = WorkerCgroup.create(1 << 30, 16, mounts=mounts)
    assert len(group.groups) == 3
    memory = next(path for path in group.groups if path.parent.name == "memory")
    assert (memory / "memory.limit_in_bytes").read_text() == str(1 << 30)
    assert not (memory / "memory.memsw.limit_in_bytes").exists()
    cpu = next(path for path in group.groups if path.parent.name == "cpu,cpuacct")
    (cpu / "cpuacct.usage").write_text("2500000000\n")
    assert group.cpu_seconds() == pytest.approx(2.5)
    assert WorkerCgroup.create(1 << 30, 16, mounts=[]) is None


def test_remove_tree_never_raises(tmp_path):
    root = tmp_path / "scratch"
    root.mkdir()
    fd = os.open(root, os.O_RDONLY)
    for _ in range(1500):  # deeper than the recursion limit of shutil.rmtree
        os.mkdir("a", dir_fd=fd)
        fd, previous = os.open("a", os.O_RDONLY, dir_fd=fd), fd
        os.close(previous)
    os.close(fd)
    (root / os.fsdecode(b"\xff")).mkdir()
    (root / "link").symlink_to(tmp_path)
    (root / "locked").mkdir(mode=0)
    remove_tree(root)
    assert not root.exists() and tmp_path.exists()
    remove_tree(root)


@pytest.mark.parametrize("name", ["../escape.py", "/abs.py", "a/../../b.py"])
def test_zip_paths_outside_the_folder_are_refused(tmp_path, name):
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(name, "x")
    with pytest.raises(ValueError, match="unsafe path"):
        unpack_zip(archive, tmp_path / "out")


def test_zip_links_are_refused(tmp_path):
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        link = zipfile.ZipInfo("dlscratch/gates.py")
        link.external_attr = (0o120777 << 16)
        bundle.writestr(link, "/etc/passwd")
    with pytest.raises(ValueError, match="not a regular file"):
        unpack_zip(archive, tmp_path / "out")


SECCOMP_CHECK = """
import ctypes, errno, json, os, socket, subprocess, sys, threading
from autograder.sandbox.worker import confine
confine._prctl(confine.PR_SET_NO_NEW_PRIVS, 1)
confine.install_seccomp(bytes.fromhex(sys.argv[1]))
libc = ctypes.CDLL(None, use_errno=True)
def call(number, *args):
    return errno.errorcode.get(ctypes.get_errno(), "?") if libc.syscall(number, *args) == -1 else "ok"
def attempt(action):
    try:
        action()
        return "ok"
    except OSError as error:
        return errno.errorcode[error.errno]
numbers = dict(json.loads(sys.argv[2]))
thread = threading.Thread(target=lambda: None); thread.start(); thread.join()
print(json.dumps({
    "inet": attempt(lambda: socket.socket(socket.AF_INET)),
    "unix": attempt(lambda: socket.socket(socket.AF_UNIX)),
    "socketpair": attempt(lambda: [s.close() for s in socket.socketpair()]),
    "userns": call(numbers["unshare"], 0x10000000),
    "io_uring": call(numbers["io_uring_setup"], 8, ctypes.create_string_buffer(120)),
    "clone3": call(numbers["clone3"], None, 0),
    "mount": call(numbers["mount"], b"none", b"/tmp", b"tmpfs", 0, None),
    "child": subprocess.run([sys.executable, "-c", "print(6 * 7)"], capture_output=True, text=True).stdout.strip(),
}))
"""


def test_the_seccomp_filter_refuses_what_a_worker_never_needs_and_keeps_the_rest():
    from autograder.sandbox.seccomp import ARCHES  # noqa: PLC0415

    program = worker_filter()
    if program is None:
        pytest.skip("no seccomp filter for this machine")
    numbers = ARCHES[platform.machine()][1]
    result = subprocess.run([sys.executable, "-c", SECCOMP_CHECK, program.hex(), json.dumps(numbers)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"inet": "EACCES", "unix": "EACCES", "socketpair": "ok", "userns": "EPERM",
                                         "io_uring": "ENOSYS", "clone3": "ENOSYS", "mount": "EPERM", "child": "42"}
