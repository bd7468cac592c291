"""Fast checks of the feedback pieces: what a hidden test shows, when a crash is carried forward, and the
reference calling a student's function in place of its own."""
import numpy as np
import pytest

from autograder.grading import carry, checks
from autograder.grading.errors import GradingFailure, StudentCodeError, WorkerFailure
from solutions import activations, layers, losses, numerical_net


HIDDEN = " (hidden test: its inputs, details and hint are not shown)"


@pytest.mark.parametrize("failure, shown", [
    (GradingFailure("softmax on a (2, 3, 4) array: wrong values", "largest relative error 3.0e-01 at index (1, 2)",
                    "use axis=-1", "softmax on a (2, 3, 4) array", "wrong values"), "softmax: wrong values"),
    (GradingFailure("Adam.update with custom settings, call 2 of 5: params['W1']: wrong values", "", "",
                    "Adam.update with custom settings, call 2 of 5: params['W1']", "wrong values"),
     "Adam.update: wrong values"),
    (GradingFailure("TwoLayerNet.numerical_gradient: expected a dict with keys ['W1']"), "wrong result"),
    (StudentCodeError("Adam.update is not implemented yet", "NotImplementedError", "Adam.update"),
     "Adam.update: not implemented yet"),
    (StudentCodeError("softmax raised ValueError at activations.py:3 in softmax: 0.25", "ValueError", "softmax"),
     "softmax: your code raised ValueError"),
    (StudentCodeError("L0x3f raised L0x3f at activations.py:3 in L0x3f: 0.25", "L0x3f", "L0x3f"),
     "L0x3f: your code raised an exception"),
    (WorkerFailure("the worker exited with code 123 while running XOR"), "the call failed in the worker"),
], ids=["values", "values of a call", "no kind given", "stub", "builtin exception", "exception of its own",
        "worker"])
def test_a_hidden_test_shows_the_function_and_the_kind_of_failure(failure, shown):
    assert failure.feedback(hidden=True) == shown + HIDDEN
    assert failure.feedback().startswith(failure.summary)


# Wrong replies that carry what the submission chose (a shape, a dtype's field name, a type's name).
@pytest.mark.parametrize("value, shown", [
    (np.zeros((0, 4242)), "relu: wrong shape"),
    (np.zeros((2, 3), dtype=[("L4242", "f8")]), "relu: returned the wrong dtype"),
    (np.ones((2, 3)), "relu: wrong values"),
    (type("L4242", (), {})(), "relu: returned the wrong type"),
    (np.full((2, 3), np.nan), "relu: the result contains NaN or inf"),
], ids=["shape", "dtype", "values", "type", "nan"])
def test_checks_name_their_inputs_as_what_and_the_failure_in_fixed_words(value, shown):
    with pytest.raises(GradingFailure) as failure:
        checks.expect_array(value, np.zeros((2, 3)), "relu on a (2, 3) array")
    assert failure.value.hidden_summary() == shown


class _Function:
    def __init__(self, function):
        self.function, self.calls = function, 0

    def __call__(self, *args):
        self.calls += 1
        return self.function(*args)


class _Student:
    """Stands in for the worker proxy: student.losses.cross_entropy_error is a function of ours; what the
    worker is asked to adapt and restore is recorded."""

    def __init__(self, **modules):
        self.modules, self.requests = modules, []
        self._session = type("Session", (), {"generation": 1})

    def __getattr__(self, module):
        return type("Module", (), self.modules[module])

    def _adapt(self, dotted, adapter):
        self.requests.append(("adapt", dotted, adapter))
        return self._session.generation

    def _restore(self):
        self.requests.append(("restore",))


def test_the_reference_calls_the_students_function_inside_and_only_inside():
    reference = losses.cross_entropy_error
    doubled = _Function(lambda y, t: 2 * reference(y, t))
    student = _Student(losses={"cross_entropy_error": staticmethod(doubled)})
    x, t = np.array([[0.5, 1.0, -1.0], [0.1, 0.2, 0.3]]), np.array([2, 0])
    original = layers.SoftmaxWithLoss().forward(x, t)
    with carry.through_student(student, {"losses.cross_entropy_error": None}):
        # Bound in layers and numerical_net by `from .losses import`, and in losses itself.
        assert layers.SoftmaxWithLoss().forward(x, t) == pytest.approx(2 * original)
        assert numerical_net.cross_entropy_error is losses.cross_entropy_error is not reference
        with pytest.raises(GradingFailure):
            checks.expect_scalar(original * (1 + 1e-5), original, "a loss", rtol=1e-4)
    assert doubled.calls == 2  # the call and its twin on a shifted input
    assert layers.cross_entropy_error is losses.cross_entropy_error is numerical_net.cross_entropy_error
    assert layers.SoftmaxWithLoss().forward(x, t) == original
    checks.expect_scalar(original * (1 + 1e-5), original, "a loss", rtol=1e-4)
    assert activations.softmax is layers.softmax


def test_an_adapter_hands_labels_to_a_one_hot_only_cross_entropy_on_both_sides():
    one_hot_only = _Function(lambda y, t: float(-np.sum(t * np.log(y + 1e-7)) / y.shape[0]))
    student = _Student(losses={"cross_entropy_error": staticmethod(one_hot_only)})
    x, t = np.array([[0.5, 1.0, -1.0], [0.1, 0.2, 0.3]]), np.array([2, 0])
    original = layers.SoftmaxWithLoss().forward(x, t)
    with carry.through_student(student, {"losses.cross_entropy_error": "labels_as_one_hot"}):
        assert layers.SoftmaxWithLoss().forward(x, t) == pytest.approx(original, rel=1e-6)
        assert student.requests == [("adapt", "losses.cross_entropy_error", "labels_as_one_hot")]
    assert one_hot_only.calls == 2
    assert student.requests[-1] == ("restore",)
    assert layers.cross_entropy_error is losses.cross_entropy_error


def test_a_worker_restarted_during_the_run_is_not_asked_to_restore():
    student = _Student(losses={"cross_entropy_error": staticmethod(losses.cross_entropy_error)})
    with carry.through_student(student, {"losses.cross_entropy_error": "labels_as_one_hot"}):
        student._session.generation = 2
    assert student.requests == [("adapt", "losses.cross_entropy_error", "labels_as_one_hot")]


def _work(function, inputs):
    work = carry.Work()
    for x in inputs:
        work.add((x,), function(x))
    return work


INPUTS = [np.linspace(-2.0, 3.0, 6).reshape(2, 3), np.linspace(-1.0, 1.0, 6).reshape(2, 3)]


@pytest.mark.parametrize("function, none_done", [
    (activations.sigmoid, False),
    (lambda x: activations.softmax(x)[..., ::-1], False),  # wrong, but it works on its input
    (np.zeros_like, True),
    (lambda x: np.full(x.shape, 0.5) + 1e-12 * x, True),  # constant to the comparison's tolerance
    (lambda x: np.arange(x.size, dtype=float).reshape(x.shape), True),  # the same whatever its input
], ids=["right", "wrong", "zeros", "nearly constant", "blind to its input"])
def test_an_earlier_function_that_did_no_work_is_found_out(function, none_done):
    assert _work(function, INPUTS).none_done() is none_done


@pytest.mark.parametrize("args, value, no_work", [
    ((INPUTS[0],), activations.sigmoid(INPUTS[0]), False),
    ((INPUTS[0],), 0.0, True),
    (({"W3": INPUTS[0], "b3": INPUTS[1]},), INPUTS[1].copy(), True),  # an array it was given
    ((INPUTS[0],), np.full((2, 3), 0.25), True),
    ((INPUTS[0],), {"W1": INPUTS[1], "b2": np.zeros(3)}, False),  # one bias the loss does not depend on
    ((INPUTS[0],), {"W1": np.zeros((2, 3)), "b2": np.zeros(3)}, True),
], ids=["right", "zero loss", "b3", "constant", "gradients with a zero bias", "zero gradients"])
def test_a_reply_that_no_work_gives_is_found_out(args, value, no_work):
    assert carry.no_work_reply(args, value) is no_work
