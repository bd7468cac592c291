"""Error carried forward: a bug in an earlier function costs its points once.

A test that relies on an earlier function (`@pytest.mark.uses(name)`) and fails while that function is
wrong is graded again with the reference computing its expected values through the student's own
earlier function: every binding of the reference function in the `solutions` modules is replaced by a
call of the student's function in the worker, on the inputs the reference passes it. If the student's
replies then agree (to checks.CARRIED_RTOL), the failure is the earlier function's, and the test keeps
CARRIED_FORWARD_KEPT of its points. Where the hidden suite names an adapter for the earlier function
(probes.SUBSTITUTABLE), the function is wrapped in it on both sides, in the worker's modules too, so a
cross-entropy written for one-hot targets only is asked only that. A dependent call that crashed inside
the earlier function is not carried forward: the crash hides whether the dependent's own work is right,
and paying for it would let a stub plus a crashing earlier function collect points (a
SoftmaxWithLoss.forward that only calls a label-crashing cross_entropy_error earned 1.875 of stage 4's
points that way).

Credit is paid only where the earlier function did real work and the test's own replies are more than
what no work gives (judge): zero sigmoid and softmax made a forward returning b3, zero predictions, a
0.0 loss and zero gradients "agree" with the reference run through them. So the earlier function's
replies in that run must not be all zero, one constant, or the same for a shifted input (a twin call);
the test's own replies must not be all zero, one constant array, or an array it was given; and the test
must fail when the earlier functions return zeros instead, unless it passes with the reference's own
values as well (then it never depended on their values, only on their not crashing). In those runs the
student's function is still asked, so they ask the worker what the first one asked. Every call is an
ordinary one, made through the same proxy as the test's own with request ids of the one count, so the
worker sees nothing that marks a run.

An earlier function that gives no values (it raises, or is too slow) is taken out of the question instead
(standing_in): in the worker, the student's function is rebound to one that asks the scorer for the course's
value on the arguments their code passes it, and the test runs with the reference unchanged. What crosses
into the sandbox is only those values (or the name of the exception the course's function raised), never
its code. The test is carried forward where it then passes, the course's function was asked, and its own
replies are not what no work gives; a stub or a body that passes the wrong arguments fails as it should.
"""
import contextlib
import functools
import random
import sys

import numpy as np

from course.language import _
from course_feedback.failure import CARRIED_FORWARD, CARRIED_FORWARD_STOOD_IN
from ..sandbox.worker.adapters import ADAPTERS
from . import checks
from .errors import GraderError, GradingFailure

# The part of a test's points kept when its failure is carried forward from an earlier function.
CARRIED_FORWARD_KEPT = 0.75


def _functions(names):
    """Function names joined as a list in the grade's language: "softmax and sigmoid"."""
    return functools.reduce(lambda first, second: _("{first} and {second}").format(first=first, second=second),
                            [name.rsplit(".", 1)[-1] for name in names])


def feedback(names, stood_in=()):
    """The line a carried-forward test shows: which earlier function, and what part of the points is kept;
    where the course's function stood in for a student's that gave no values, it says so."""
    kept = f"{CARRIED_FORWARD_KEPT:.0%}"
    if stood_in:
        return _(CARRIED_FORWARD_STOOD_IN).format(functions=_functions(names), stood_in=_functions(stood_in),
                                                  kept=kept)
    return _(CARRIED_FORWARD).format(functions=_functions(names), kept=kept)


def right_with_stand_ins(names):
    """What a test shows that passed only with the course's functions standing in for the student's."""
    return _("your {functions} raised or was too slow").format(functions=_functions(names))


def stood_in_note(names):
    """The line a test shows that failed with the course's functions standing in for the student's."""
    return _("the course's {functions} stood in for yours, which raised or was too slow, and this test still "
             "failed: the failure is also this function's own").format(functions=_functions(names))


# What the reference gets back from an earlier function in a carried-forward run (through_student).
STUDENT, ZEROS, REFERENCE = "student", "zeros", "reference"


def _zeros_of(original):
    def zeros(args, kwargs, value):
        expected = original(*args, **kwargs)
        return np.zeros_like(expected, dtype=np.float64) if isinstance(expected, np.ndarray) else 0.0
    return zeros


_ANSWERS = {STUDENT: lambda original: lambda args, kwargs, value: value,
            ZEROS: _zeros_of,
            REFERENCE: lambda original: lambda args, kwargs, value: original(*args, **kwargs)}


def _bindings(original):
    """(module, attribute) of every `solutions` module binding the reference function `original`."""
    return [(module, name) for module_name, module in list(sys.modules.items())
            if module_name == "solutions" or module_name.startswith("solutions.")
            for name, value in list(vars(module).items()) if value is original]


@contextlib.contextmanager
def through_student(student, names, work=None, answer=STUDENT):
    """Within: the reference calls the student's own functions ({"losses.cross_entropy_error": adapter
    name or None}) in the worker, both sides through the adapter where one is named (the worker's own
    modules too), and value checks compare as checks.carrying_forward says.

    work, a dict: work[name] (a Work) learns from every call what the function's replies show. answer: what the
    reference gets back, the student's value (STUDENT), or, the student being asked all the same, zeros of
    its own result's shape (ZEROS) or its own result (REFERENCE).
    """
    patched, adapted_in = [], []
    work = {} if work is None else work
    try:
        for name, adapter in names.items():
            module_name, function = name.rsplit(".", 1)
            original = _reference(name)
            theirs = getattr(getattr(student, module_name), function)
            if adapter:
                adapted_in.append(student._adapt(name, adapter))
                theirs = ADAPTERS[adapter](theirs)
            substitute = _recorded(theirs, _ANSWERS[answer](original), work.setdefault(name, Work()))
            for module, attribute in _bindings(original):
                patched.append((module, attribute, original))
                setattr(module, attribute, substitute)
        with checks.carrying_forward():
            yield work
    finally:
        for module, attribute, original in reversed(patched):
            setattr(module, attribute, original)
        # A worker started since holds nothing adapted; the one that does is told to put things back.
        if adapted_in and student._session.generation == adapted_in[0]:
            student._restore()


def _reference(name):
    module_name, function = name.rsplit(".", 1)
    return getattr(sys.modules[f"solutions.{module_name}"], function)


@contextlib.contextmanager
def standing_in(student, names):
    """Within: the course's functions `names` (dotted) stand in for the student's in the worker (and in every
    worker started meanwhile), besides any already standing in; -> a list that grows by one per value asked."""
    worker = student._session.worker
    before, asked = dict(worker.stand_ins), []

    def counted(reference):
        def answer(*args, **kwargs):
            asked.append(True)
            return reference(*args, **kwargs)
        return answer
    worker.stand_ins = {**before, **{name: counted(_reference(name)) for name in names if name not in before}}
    worker.stood_in = None if worker.stand_ins != before else worker.stood_in
    try:
        yield asked
    finally:
        if worker.stand_ins != before:
            _stand_down(student, worker)
            worker.stand_ins = before


def _stand_down(student, worker):
    """Put the student's functions back in the worker that has the stand-ins; a worker that cannot is replaced."""
    if worker.stood_in == worker.generation and worker.process is not None:
        try:
            student._request("stand_down", "stand_down", "", {})
        except GradingFailure:
            student._session.stop()
    worker.stood_in = None


def passes_on_its_own(run, test_student):
    """Whether run() (the test) passes with replies that are not what no work gives. GraderError propagates."""
    with recording(test_student) as no_work:
        if not _passes(run, contextlib.nullcontext):
            return False
    return not no_work


def _recorded(theirs, answer, work):
    """theirs(*args), shown to work; -> answer(args, kwargs, what theirs returned).

    The first call also asks theirs about a twin, the first array argument rolled along its last axis,
    before or after the call itself as the scorer's own coin says: a function that answers the same
    whatever its input is found out, and cannot tell which of the two calls counts."""
    def substitute(*args, **kwargs):
        twin = _twin(args) if not work.calls else None
        twin_first = twin is not None and _COIN.random() < 0.5
        twin_value = theirs(*twin, **kwargs) if twin_first else None
        value = theirs(*args, **kwargs)
        if twin is not None and not twin_first:
            twin_value = theirs(*twin, **kwargs)
        work.add(args, value)
        if twin is not None:
            work.add(twin, twin_value)
        return answer(args, kwargs, value)
    return substitute


# The order of a twin call and the call it shadows: the scorer's own randomness, never the student's.
_COIN = random.SystemRandom()


def _twin(args):
    """args with the first array argument rolled along its last axis, or None when that changes nothing."""
    for index, arg in enumerate(args):
        if isinstance(arg, np.ndarray):
            if arg.ndim == 0 or arg.shape[-1] < 2:
                return None
            shift = _COIN.randrange(1, arg.shape[-1])
            return args[:index] + (np.roll(arg, shift, axis=-1),) + args[index + 1:]
    return None


@contextlib.contextmanager
def recording(student):
    """Within: every call, method call and attribute read `student` (the test's proxy) makes is judged as it
    comes back; -> a list that holds True once a reply was what no work gives."""
    no_work = []

    def judge_reply(args, value):
        if no_work_reply(args, value) and not no_work:
            no_work.append(True)
    student._on_reply = judge_reply
    try:
        yield no_work
    finally:
        student._on_reply = None


def _numbers(value):
    """Every number in a decoded value (arrays, scalars, inside lists, tuples and dicts), flat, as float64."""
    if isinstance(value, np.ndarray) and value.dtype.kind in checks.NUMERIC_KINDS:
        return [value.astype(np.float64).ravel()]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [np.array([float(value)])]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    return [part for item in items for part in _numbers(item)]


def _flat(value):
    parts = _numbers(value)
    return np.concatenate(parts) if parts else np.empty(0)


def _alike(a, b):
    """Equal to the tolerance of a carried-forward comparison (checks.CARRIED_RTOL): what a dependent's
    reply cannot tell apart cannot count as work either."""
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=checks.CARRIED_RTOL, atol=1e-9))


class Work:
    """What an earlier function's replies in a run show, learnt call by call (no reply is kept): whether
    they are all zero, all one value, or the same for inputs that differ."""

    def __init__(self):
        self.calls, self.numbers = 0, 0
        self.first_args = self.first_value = self.first_number = None
        self.nonzero = self.varied = self.inputs_differ = self.outputs_differ = False

    def add(self, args, value):
        args, numbers = _flat(args), _flat(value)
        if self.calls == 0:
            self.first_args, self.first_value = args, numbers
        else:
            self.inputs_differ |= not np.array_equal(args, self.first_args)
            self.outputs_differ |= not _alike(numbers, self.first_value)
        if numbers.size:
            self.first_number = numbers[0] if self.first_number is None else self.first_number
            self.nonzero |= not _alike(numbers, np.zeros_like(numbers))
            self.varied |= not _alike(numbers, np.full_like(numbers, self.first_number))
        self.calls, self.numbers = self.calls + 1, self.numbers + numbers.size

    def none_done(self):
        """All zero, one constant, or blind to its input."""
        return (not self.nonzero or (self.numbers > 1 and not self.varied)
                or (self.inputs_differ and not self.outputs_differ))


def _given(args):
    """Every array of size > 1 among the arguments of a call (inside dicts, lists and tuples too)."""
    if isinstance(args, np.ndarray):
        return [args] if args.size > 1 else []
    items = args.values() if isinstance(args, dict) else args if isinstance(args, (list, tuple)) else ()
    return [array for item in items for array in _given(item)]


def no_work_reply(args, value):
    """A reply that no work gives: numbers all zero, or arrays each of one constant or each one it was given
    (a dict of gradients may hold one legitimately constant entry, a bias the loss does not depend on)."""
    numbers = _flat(value)
    if numbers.size and _alike(numbers, np.zeros_like(numbers)):
        return True
    given = [array.astype(np.float64) for array in _given(args) if array.dtype.kind in checks.NUMERIC_KINDS]
    arrays = [array.astype(np.float64) for array in _given(value) if array.dtype.kind in checks.NUMERIC_KINDS]
    return bool(arrays) and all(_alike(array, np.full_like(array, array.flat[0])) or
                                any(_alike(other, array) for other in given) for array in arrays)


def judge(run, student, test_student, names):
    """Whether a failed test's failure is carried forward from the wrong earlier functions `names`
    ({dotted name: adapter or None}): run() (the test) passes with the reference through them, where they
    did real work and the test's replies are not what no work gives, and does not pass with them
    returning zeros unless it passes with the reference's own values too (a network's gradient needs no
    loss value, only a cross-entropy that does not crash on labels). GraderError propagates: the
    decision could not be made."""
    work = {}
    with recording(test_student) as no_work:
        if not _passes(run, lambda: through_student(student, names, work)):
            return False
    if no_work or any(function.none_done() for function in work.values()):
        return False
    return (not _passes(run, lambda: through_student(student, names, answer=ZEROS))
            or _passes(run, lambda: through_student(student, names, answer=REFERENCE)))


def _passes(run, context):
    try:
        with context():
            run()
    except GraderError:
        raise
    except Exception:  # noqa: BLE001 - any other failure of the run means: it does not pass
        return False
    return True
