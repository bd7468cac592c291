"""Hostile and broken submissions: each attack costs only what it touches, with a reason, in bounded time.

Attacks go into gates.py (stage 1), which no other stage imports, so the expected score is exact: stage 1
loses the tests of the attacked gate (or everything, for an attack at import) and every other stage
keeps exactly the score of the correct submission.
"""
import time
from pathlib import Path

import pytest

from .conftest import grade, grade_with_peak_memory, lost, needs_isolation, stage_scores
from .mistakes import XOR_EXITING

pytestmark = pytest.mark.slow
# Hiding files and killing a whole process tree need a confining tier (the sandbox, or another named by
# DLSCRATCH_TEST_ISOLATION); without one nothing is scored (tested in test_isolation_tiers.py).

GATE_TESTS = ("test_truth_table", "test_numpy_and_float_inputs")
# Per hostile submission: the bound for a clear result.
TIME_LIMIT = 60.0


@pytest.fixture(scope="module")
def baseline(solved_package):
    """Stage scores of the correct submission (every stage at its maximum)."""
    report = grade(solved_package.parent)
    assert report["score"] == report["max_score"] > 0
    return stage_scores(report)


def graded(submission):
    started = time.monotonic()
    report = grade(submission)
    assert time.monotonic() - started < TIME_LIMIT
    return report


def assert_only_stage1_hit(report, baseline, lost_tests, reason):
    """Stage 1 lost exactly `lost_tests` (test-name prefixes with their gate), with `reason` in each; others intact."""
    scores = stage_scores(report)
    for stage, expected in baseline.items():
        if stage != "stage1":
            assert scores[stage] == expected, f"{stage} must not be affected"
    lost_names = {name.split("::")[1] for name in lost(report)}
    assert lost_names == set(lost_tests)
    for name, output in lost(report).items():
        if "hidden test" not in output:
            assert reason in output, f"{name}: {output!r}"


def gate_tests(*gates):
    return [f"{test}[{gate}]" for test in GATE_TESTS for gate in gates]


ALL_GATES = ("AND", "NAND", "OR", "XOR")

ATTACKS_AT_IMPORT = {
    "syntax error": ("def AND(x1, x2)\n    return 1\n", "SyntaxError"),
    "sys.exit": ("import sys\nsys.exit(3)\n", "SystemExit"),
    "os._exit": ("import os\nos._exit(7)\n", "exited with code 7 while importing dlscratch.gates"),
    "KeyboardInterrupt": ("raise KeyboardInterrupt\n", "KeyboardInterrupt"),
    "endless loop ignoring signals": (
        "import signal\nfor s in (signal.SIGTERM, signal.SIGINT):\n    signal.signal(s, signal.SIG_IGN)\n"
        "while True:\n    pass\n", "did not finish within"),
    "huge allocation": ("import numpy as np\nbig = np.ones(10 ** 11)\n", "MemoryError"),
    "import of the reference": ("from solutions.gates import *\n", "not available to submissions"),
    "scipy": ("import scipy.special\n", "not allowed here"),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS_AT_IMPORT))
def test_attack_at_import_costs_stage1_only(attack, make_submission, baseline):
    code, reason = ATTACKS_AT_IMPORT[attack]
    report = graded(make_submission(append={"gates": code}))
    assert_only_stage1_hit(report, baseline, gate_tests(*ALL_GATES), reason)


ATTACKS_IN_XOR = {
    "endless loop ignoring signals": (
        "import signal\ndef XOR(x1, x2):\n    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "    while True:\n        pass\n", "took longer than"),
    "wrong signature": ("def XOR(x1):\n    return 0\n", "TypeError"),
    "missing function": ("del XOR\n", "AttributeError"),
    "KeyboardInterrupt": ("def XOR(x1, x2):\n    raise KeyboardInterrupt\n", "KeyboardInterrupt"),
    "os._exit": (XOR_EXITING, "exited with code 1 while running XOR"),
    "memory bomb": ("import numpy as np\ndef XOR(x1, x2):\n    return int(np.ones(10 ** 11).sum())\n", "MemoryError"),
    "NaN": ("def XOR(x1, x2):\n    return float('nan')\n", "expected the int 0 or 1"),
    "forged protocol reply": (
        "import json, os, struct, sys\ndef XOR(x1, x2):\n"
        "    payload = json.dumps({'id': 0, 'value': ['i', 1], 'warnings': [], 'blobs': []}).encode()\n"
        "    os.write(json.loads(sys.argv[1])['reply_fd'], struct.pack('>I', len(payload)) + payload)\n"
        "    return 0\n", "answered a different request"),
    "object whose __eq__ lies": (
        "class Liar:\n    __eq__ = lambda self, other: True\n    __int__ = lambda self: 1\n"
        "    __index__ = __int__\n    __array__ = lambda self, *a, **k: __import__('numpy').array(1)\n"
        "def XOR(x1, x2):\n    return Liar()\n", "returned an object"),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS_IN_XOR))
def test_attack_in_one_function_costs_its_tests_only(attack, make_submission, baseline):
    code, reason = ATTACKS_IN_XOR[attack]
    report = graded(make_submission(append={"gates": code}))
    assert_only_stage1_hit(report, baseline, gate_tests("XOR"), reason)


# XOR answering 0 is right for half the truth table, which earns nothing: so must these attacks.
CONSTANT_XOR = "def XOR(x1, x2):\n    {attack}\n    return 0\n"
CHEATS = {
    "printed fake results": "print('{\"score\": 100, \"max_score\": 100}'); print('PASSED 100/100'); "
                            "__import__('os').write(2, b'test_truth_table[XOR] PASSED\\n')",
    # pytest is absent from the sandbox, so a fake one stands in for whatever a worker could patch.
    "monkeypatched numpy and pytest": "import numpy, sys, types; numpy.allclose = numpy.array_equal = "
                                      "lambda *a, **k: True; sys.modules['pytest'] = "
                                      "types.SimpleNamespace(approx=lambda *a, **k: a[0])",
    "walks the caller's frames": "import sys; frames = [sys._getframe()]\n    while frames[-1].f_back: "
                                 "frames.append(frames[-1].f_back)\n    "
                                 "assert not any('expected' in frame.f_locals for frame in frames)",
    # Reading is the attack: the container tier lets a path be seen, and no file of the course be opened.
    "reads the reference": "import os\n    def opens(path):\n        try:\n            return bool(open(path).read(1))\n"
                           "        except OSError:\n            return False\n"
                           "    assert not any(opens(os.path.join(root, 'solutions', 'gates.py')) for root in "
                           f"({str(Path(__file__).resolve().parents[2])!r}, os.getcwd(), '/tmp', '/'))",
}


@needs_isolation
@pytest.mark.parametrize("cheat", sorted(CHEATS))
def test_cheats_earn_nothing(cheat, make_submission, baseline):
    code = CONSTANT_XOR.format(attack=CHEATS[cheat])
    report = graded(make_submission(append={"gates": code}))
    assert_only_stage1_hit(report, baseline, gate_tests("XOR"), "wrong output")
    xor_table = next(test for test in report["tests"] if test["name"].endswith("test_truth_table[XOR]"))
    assert xor_table["score"] == 0  # a gate earns its points only for the whole truth table


@needs_isolation
def test_lingering_children_are_killed(make_submission, baseline):
    marker = "4242.4242"
    sleeper = f"import os, time; os.fork(); time.sleep({marker})"
    code = (f"import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', {sleeper!r}], start_new_session=True)\n"
            f"subprocess.Popen([sys.executable, '-c', {sleeper!r}])\n")
    report = graded(make_submission(append={"gates": code}))
    assert stage_scores(report) == baseline
    time.sleep(0.2)
    leftovers = [path for path in Path("/proc").glob("[0-9]*/cmdline")
                 if marker.encode() in _read(path)]
    assert not leftovers


def _read(path):
    try:
        return path.read_bytes()
    except OSError:
        return b""


@needs_isolation
def test_fork_bomb_is_contained(make_submission, baseline):
    code = "import os\ndef XOR(x1, x2):\n    while True:\n        os.fork()\n"
    report = graded(make_submission(append={"gates": code}))
    scores = stage_scores(report)
    assert all(scores[stage] == expected for stage, expected in baseline.items() if stage != "stage1")
    assert scores["stage1"][0] <= baseline["stage1"][1] - 2
    assert not any(name.split("::")[1] in gate_tests("AND", "NAND", "OR") for name in lost(report))


def test_only_stage_modules_are_taken_from_a_submission(make_submission, baseline):
    root = make_submission()
    poison = "raise SystemExit('poisoned')\n"
    for name in ("conftest.py", "sitecustomize.py", "usercustomize.py", "numpy.py", "pytest.py"):
        (root / name).write_text(poison)
        (root / "dlscratch" / name).write_text(poison)
    (root / "pytest.ini").write_text("[pytest]\naddopts = --collect-only\n")
    (root / "evil.pth").write_text("import os; os._exit(1)\n")
    (root / "dlscratch" / "__init__.py").write_text(poison)
    report = graded(root)
    assert stage_scores(report) == baseline


def test_a_symlinked_module_is_refused(make_submission, baseline):
    root = make_submission()
    (root / "dlscratch" / "gates.py").unlink()
    (root / "dlscratch" / "gates.py").symlink_to(Path(__file__).resolve().parents[2] / "solutions" / "gates.py")
    report = graded(root)
    assert_only_stage1_hit(report, baseline, gate_tests(*ALL_GATES), "symbolic link")


# The worker's own encoder, patched to answer XOR with one 1 MiB array referenced 1,536 times: 1 MiB on the
# pipe, 1.5 GiB if every reference were decoded into an array of its own.
MANY_REFERENCES = """
import sys
import numpy as np

class _Bomb:
    pass

_ARRAY = np.zeros(1 << 17)
for _module in list(sys.modules.values()):
    if hasattr(_module, "Worker") and hasattr(_module, "encode_value"):
        def _encode(value, blobs, handle_for, _encode=_module.encode_value):
            if isinstance(value, _Bomb):
                return ["l", [_encode(_ARRAY, blobs, handle_for)] * 1536]
            return _encode(value, blobs, handle_for)
        _module.encode_value = _encode

def XOR(x1, x2):
    return _Bomb()
"""
# A scorer that decodes more than this for one reply is decoding every reference (it peaks near 110 MiB).
SCORER_MEMORY_MIB = 300


def test_a_reply_referencing_one_array_many_times_is_refused(make_submission, tmp_path):
    report, peak_mib = grade_with_peak_memory(make_submission(append={"gates": MANY_REFERENCES}), "stage1",
                                              output=tmp_path / "report.json")
    assert peak_mib < SCORER_MEMORY_MIB
    assert set(lost(report)) == {f"test_stage1.py::{name}" for name in gate_tests("XOR")}
    # The hidden test shows the kind of failure in fixed words only.
    assert lost(report) == {"test_stage1.py::test_truth_table[XOR]": "XOR sent back a reply the grader cannot read "
                                                                     "(the decoded value is over the size limit)",
                            "test_stage1.py::test_numpy_and_float_inputs[XOR]": "XOR: sent back a reply the grader "
                            "cannot read (hidden test: its inputs, details and hint are not shown)"}


# An int whose __int__ answers 1 once, then 10**30: the range check and the value sent used to disagree.
SHIFTING_INT = """
class _Shifting(int):
    calls = 0

    def __int__(self):
        _Shifting.calls += 1
        return 1 if _Shifting.calls % 2 else 10 ** 30

def mean_squared_error(y, t):
    return _Shifting(0)
"""
# The same number sent past the worker's encoder, which the student can replace.
HUGE_INT_SENT = """
import sys

for _module in list(sys.modules.values()):
    if hasattr(_module, "Worker") and hasattr(_module, "encode_value"):
        def _encode(value, blobs, handle_for, _encode=_module.encode_value):
            return ["i", 10 ** 30] if isinstance(value, str) and value == "huge" else _encode(value, blobs, handle_for)
        _module.encode_value = _encode

def mean_squared_error(y, t):
    return "huge"
"""
MSE_TESTS = ("test_mean_squared_error[single]", "test_mean_squared_error[batch]",
             "test_loss_leaves_its_inputs_alone[mean_squared_error]")


@pytest.mark.parametrize("code", [SHIFTING_INT, HUGE_INT_SENT], ids=["int subclass", "patched encoder"])
def test_a_huge_or_shifting_int_fails_its_tests_not_the_grader(make_submission, code):
    report = grade(make_submission(append={"losses": code}), "stage3")
    assert report["extra_data"]["status"] == "graded"
    tests = {test["name"].split("::")[1]: test for test in report["tests"]}
    assert {name for name, test in tests.items() if test["score"] < test["max_score"]} == set(MSE_TESTS)
    for name in MSE_TESTS:
        assert (tests[name]["score"], tests[name]["status"]) == (0.0, "failed"), tests[name]
        assert "grader failed" not in tests[name]["output"]
