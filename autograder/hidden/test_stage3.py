"""Hidden suite, stage 3: losses, numerical differentiation and gradients, the numerically trained net.

Functions to differentiate cannot cross the sandbox as lambdas: numerical_diff, numerical_gradient and
gradient_descent get the shared test functions of autograder/sandbox/worker/functions.py by name
(NamedFunction), and TwoLayerNet.numerical_gradient exercises numerical_gradient on a closure, in place
on the net's own parameters. Every input is seeded. A test of a fixed case (the book's examples, a
zero probability) also checks a random twin and pays only when both pass; a test that the inputs are left
alone (or restored) pays only when the values are right too, and compares inputs fetched back from the
worker after the call. Only test_cross_entropy_is_vectorised measures time.
"""
import numpy as np
import pytest

from autograder.grading.checks import (LOSS_RTOL, as_array, call_and_fetch, compute_time, expect_array, expect_fast,
                                       expect_scalar, expect_unchanged, left_changed)
from autograder.grading.errors import GradingFailure
from course_feedback.diagnoses import cross_entropy_mistake
from autograder.sandbox.worker.functions import FUNCTIONS, NamedFunction
from course.language import _
from solutions import activations, entropy, gradients, losses
from solutions.numerical_net import TwoLayerNet

# Worded when the suite is imported: every grade imports it afresh, in its own language (grading/grade.py).
CROSS_ENTROPY_HINT = _("labels pick y[np.arange(batch_size), t]; average over the batch")
RESTORE_HINT = _("keep the original value (tmp = x[idx]) and put it back after computing f(x + h) and f(x - h)")
NET_SIZES = (4, 5, 3)
PREDICT_USES = ("activations.sigmoid", "activations.softmax")
LOSS_USES = PREDICT_USES + ("losses.cross_entropy_error",)
GRADIENT_HINT = _("perturb one element at a time over every index (np.nditer with multi_index)")
# The worker's CPU time of cross_entropy_error on (100000, 4) probabilities with labels (checks.compute_time:
# fresh inputs per call, fastest of 10). Measured (benchmarks/vectorisation_stage2_3.py, and
# time.process_time in one process): the reference 0.6 ms plus about 1.3 ms to decode the request, a loop
# over rows 40-42 ms. 10 ms leaves the reference 5x and fails the loop by 4x.
CROSS_ENTROPY_SECONDS = 0.010
TIMING_REPEATS = 10


def _probabilities(rng, shape):
    # Each at least 0.1 / C: the loss's 1e-7 guard then moves a loss by under 2e-6 relative, so a loss
    # written without it differs only where a probability is 0 (its own test), not on a draw near 1e-4.
    return 0.9 * activations.softmax(rng.standard_normal(shape) * 2) + 0.1 / shape[-1]


@pytest.mark.parametrize("case", ["single", "batch"])
def test_mean_squared_error(student, rng, credit, case):
    # A batch is checked as a batch of one too.
    shapes = [(10,)] if case == "single" else [(6, 10), (1, 10)]

    def check(shape, dtype):
        y, labels = _probabilities(rng, shape), rng.integers(0, 10, shape[:-1] or None)
        t = np.eye(10, dtype=dtype)[labels]
        expect_scalar(student.losses.mean_squared_error(y, t), losses.mean_squared_error(y, t),
                      (_("mean_squared_error on a single sample of shape {shape} with {dtype} one-hot targets")
                       if case == "single" else
                       _("mean_squared_error on a batch of shape {shape} with {dtype} one-hot targets")).format(
                          shape=shape, dtype=t.dtype),
                      rtol=LOSS_RTOL, hint=_("0.5 * sum of squares, divided by the batch size"))
    # The same kind of targets as floats and as ints.
    credit.run([lambda dtype=dtype: [check(shape, dtype) for shape in shapes] for dtype in (np.float64, np.int64)])


# What each case of test_cross_entropy_error is, in words.
CROSS_ENTROPY_CASES = {"single one-hot": _("cross_entropy_error on a single one-hot target of shape {shape}"),
                       "single label": _("cross_entropy_error on a single label target of shape {shape}"),
                       "batch one-hot": _("cross_entropy_error on a batch of one-hot targets of shape {shape}"),
                       "batch labels": _("cross_entropy_error on a batch of label targets of shape {shape}")}


@pytest.mark.parametrize("case", list(CROSS_ENTROPY_CASES))
def test_cross_entropy_error(student, rng, case):
    # A batch is checked as a batch of one too.
    for n in (8, 1) if case.startswith("batch") else (None,):
        y = _probabilities(rng, (n, 5) if n else (5,))
        labels = rng.integers(0, 5, n) if n else int(rng.integers(0, 5))
        t = np.eye(5)[labels] if case.endswith("one-hot") else labels
        expect_scalar(student.losses.cross_entropy_error(y, t), losses.cross_entropy_error(y, t),
                      CROSS_ENTROPY_CASES[case].format(shape=np.shape(t)), rtol=LOSS_RTOL,
                      hint=CROSS_ENTROPY_HINT)


def test_cross_entropy_of_a_zero_probability(student, rng, credit):
    # The twin: random probabilities with the correct class at 0 in every other row.
    y_twin, labels_twin = _probabilities(rng, (6, 4)), rng.integers(0, 4, 6)
    y_twin[np.arange(0, 6, 2), labels_twin[::2]] = 0.0
    cases = ((np.array([[0.0, 1.0], [0.5, 0.5]]), np.array([0, 1])), (y_twin, labels_twin))

    def check(kind):
        what = (_("cross_entropy_error with labels when a correct class has probability 0") if kind == "labels"
                else _("cross_entropy_error with one-hot targets when a correct class has probability 0"))
        for y, labels in cases:
            t = labels if kind == "labels" else np.eye(y.shape[1])[labels]
            expected = losses.cross_entropy_error(y, t)
            # The 1e-7 hint is for a result log(0) made infinite; a finite wrong one has its own diagnosis.
            expect_scalar(student.losses.cross_entropy_error(y, t), expected, what, rtol=LOSS_RTOL,
                          hint=_("add 1e-7 inside the log so log(0) cannot happen"),
                          diagnose=lambda value: cross_entropy_mistake(y, t, expected, value))
    credit.run([lambda: check("labels"), lambda: check("one-hot targets")])


@pytest.mark.parametrize("name", ["mean_squared_error", "cross_entropy_error"])
def test_loss_leaves_its_inputs_alone(student, rng, name):
    # A probability below the log guard tempts an in-place fix (np.maximum(y, 1e-7, out=y), y += 1e-7);
    # it sits on a wrong class so that a loss without the guard stays finite.
    y, t = _probabilities(rng, (4, 3)), np.eye(3)[[0, 2, 1, 1]]
    y[0, 1] = 1e-9
    value, (y_after, t_after) = call_and_fetch(student, getattr(student.losses, name), y.copy(), t.copy())
    # Leaving y and t alone counts only for a call that returns the right loss.
    expect_scalar(value, getattr(losses, name)(y, t), _("{function} on a {shape} batch").format(function=name, shape=(4, 3)),
                  rtol=LOSS_RTOL)
    expect_unchanged(y, y_after, f"{name} (y)")
    expect_unchanged(t, t_after, f"{name} (t)")


@pytest.mark.parametrize("x", [5.0, 10.0])
def test_numerical_diff_book_example(student, rng, x):
    # The twin: another function at a random point, where neither a table of the book's two answers nor
    # the book function's derivative written out is right.
    for name, point in (("function_1", x), ("sin_sum", float(rng.uniform(-5, 5)))):
        expect_scalar(student.gradients.numerical_diff(NamedFunction(name), point),
                      gradients.numerical_diff(FUNCTIONS[name], point),
                      _("numerical_diff of {name} at {point}").format(name=name, point=f"{point:g}"),
                      rtol=1e-6, hint=_("central difference (f(x + h) - f(x - h)) / (2 h) with h = 1e-4"))


@pytest.mark.parametrize("name, shape", [("function_2", (2,)), ("sin_sum", (3, 4)), ("sum_of_cubes", (2, 2, 3))],
                         ids=["function_2-1d", "sin_sum-2d", "sum_of_cubes-3d"])
def test_numerical_gradient(student, rng, name, shape):
    x = rng.standard_normal(shape)
    expect_array(student.gradients.numerical_gradient(NamedFunction(name), x.copy()),
                 gradients.numerical_gradient(FUNCTIONS[name], x.copy()),
                 _("numerical_gradient of {name} on an array of shape {shape}").format(name=name, shape=shape),
                 rtol=1e-6, hint=GRADIENT_HINT)


def test_numerical_gradient_restores_x(student, rng):
    x = rng.standard_normal((3, 4))
    value, (_function, x_after) = call_and_fetch(student, student.gradients.numerical_gradient, NamedFunction("sin_sum"),
                                         x.copy())
    # Restoring x counts only for a call that returns the right gradient.
    expect_array(value, gradients.numerical_gradient(FUNCTIONS["sin_sum"], x.copy()),
                 _("numerical_gradient of {name} on an array of shape {shape}").format(name="sin_sum", shape=(3, 4)),
                 rtol=1e-6, hint=GRADIENT_HINT)
    # x is perturbed in place by design; it must come back as it was (to rounding, if x[idx] -= h is used).
    expect_array(x_after, x, _("numerical_gradient: x after the call on a (3, 4) array"),
                 rtol=1e-12, atol=0, hint=RESTORE_HINT)


@pytest.mark.uses("gradients.numerical_gradient")
@pytest.mark.parametrize("name, init_x, lr, step_num",
                         [("function_2", np.array([-3.0, 4.0]), 0.1, 100),
                          ("sin_sum", np.array([[0.5, -1.0, 2.0], [-2.5, 1.0, 0.2]]), 0.5, 30)],
                         ids=["book", "2d"])
def test_gradient_descent(student, rng, name, init_x, lr, step_num):
    # The book's case converges to the minimum, 0 for function_2, and 100 steps end near 1e-10 (0.8^100 of
    # the start), where an absolute tolerance let zeros pass: relative only. The twin starts at random with a
    # tenth of the learning rate, still far from the minimum, so neither zeros nor init_x is right.
    for start, rate in ((init_x, lr), (rng.uniform(-3, 3, init_x.shape), lr / 10)):
        expect_array(student.gradients.gradient_descent(NamedFunction(name), start.copy(), lr=rate, step_num=step_num),
                     gradients.gradient_descent(FUNCTIONS[name], start, lr=rate, step_num=step_num),
                     _("gradient_descent on {name} from an array of shape {shape}, lr={lr}, step_num={step_num}").format(
                         name=name, shape=start.shape, lr=rate, step_num=step_num),
                     rtol=1e-5, atol=0, hint=_("step_num updates x <- x - lr * numerical_gradient(f, x)"))


@pytest.mark.uses("gradients.numerical_gradient")
def test_gradient_descent_leaves_init_x_alone(student, rng):
    # The book's `x = init_x` then `x -= ...` updates the caller's array.
    init_x = rng.uniform(-3, 3, 2)
    value, (_function, x_after) = call_and_fetch(student, student.gradients.gradient_descent, NamedFunction("function_2"),
                                         init_x.copy(), lr=0.1, step_num=10)
    # Leaving init_x alone counts only for a call that returns the right point.
    expect_array(value, gradients.gradient_descent(FUNCTIONS["function_2"], init_x.copy(), lr=0.1, step_num=10),
                 _("gradient_descent on function_2 from a random start, lr=0.1, step_num=10"), rtol=1e-5, atol=1e-9)
    expect_unchanged(init_x, x_after, "gradient_descent (init_x)")


def _nets(student, rng, scale=1.0):
    """A reference TwoLayerNet and the student's, both with the same seeded parameters (set, not initialised)."""
    reference = _reference_net(rng, scale)
    return reference, _student_net(student, reference)


def _reference_net(rng, scale=1.0):
    reference = TwoLayerNet(*NET_SIZES)
    for name, param in reference.params.items():
        reference.params[name] = rng.standard_normal(param.shape) * scale
    return reference


def _student_net(student, reference):
    """The student's TwoLayerNet with the reference's parameters."""
    net = student.numerical_net.TwoLayerNet(*NET_SIZES)
    for name, value in reference.params.items():
        net.setitem(("params",), name, value)
    return net


def _batch_apart(reference, rng, kind, n):
    """(x, t): n samples on which the reference net's accuracy is not the share of any one label, or None
    when eight draws found none (the net predicts one class)."""
    for _draw in range(8):
        x, t = rng.standard_normal((n, 4)), _targets(rng, kind, n)
        labels = t if t.ndim == 1 else t.argmax(axis=1)
        shares = [np.mean(labels == label) for label in range(NET_SIZES[-1])]
        if not np.isclose(reference.accuracy(x, t), shares).any():
            return x, t
    return None


def _targets(rng, kind, n):
    labels = rng.integers(0, NET_SIZES[-1], n)
    return labels if kind == "labels" else np.eye(NET_SIZES[-1])[labels]


def _expect_gradient_dict(grads, params):
    """TwoLayerNet.numerical_gradient's reply must be a dict of arrays with the keys and shapes of params."""
    if not isinstance(grads, dict) or set(grads) != set(params):
        raise GradingFailure(_("{what}: expected a dict with keys {keys}").format(
            what="TwoLayerNet.numerical_gradient", keys=sorted(params)))
    for name, param in params.items():
        as_array(grads[name], f"TwoLayerNet.numerical_gradient: {name}", param.shape)


@pytest.mark.uses(*PREDICT_USES)
def test_two_layer_net_predict(student, rng):
    reference, net = _nets(student, rng)
    x = rng.standard_normal((8, 4))
    expect_array(net.predict(x), reference.predict(x), _("TwoLayerNet.predict on an (8, 4) batch of a 4-5-3 net"),
                 hint=_("sigmoid after the first layer, softmax after the second"))


@pytest.mark.uses(*LOSS_USES)
@pytest.mark.parametrize("kind", ["labels", "one-hot"])
def test_two_layer_net_loss(student, rng, kind):
    reference, net = _nets(student, rng)
    x, t = rng.standard_normal((8, 4)), _targets(rng, kind, 8)
    what = (_("TwoLayerNet.loss on an (8, 4) batch with labels") if kind == "labels"
            else _("TwoLayerNet.loss on an (8, 4) batch with one-hot targets"))
    expect_scalar(net.loss(x, t), reference.loss(x, t), what,
                  rtol=LOSS_RTOL, hint=_("the cross-entropy error of predict(x), a single number"))


@pytest.mark.uses(*PREDICT_USES)
@pytest.mark.parametrize("kind", ["labels", "one-hot"])
def test_two_layer_net_accuracy(student, rng, kind):
    # Two batches of different sizes: no constant is right for both, and on neither is the share of one
    # label right (what a body ignoring predict returns, right where the net predicts one class).
    for _draw in range(16):  # some seeded parameters predict one class whatever the input: draw again
        reference = _reference_net(rng)
        batches = [_batch_apart(reference, rng, kind, n) for n in (30, 17)]
        if None not in batches:
            break
    net = _student_net(student, reference)
    for x, t in batches:
        what = (_("TwoLayerNet.accuracy on {n} samples with labels") if kind == "labels"
                else _("TwoLayerNet.accuracy on {n} samples with one-hot targets"))
        expect_scalar(net.accuracy(x, t), reference.accuracy(x, t), what.format(n=len(x)),
                      hint=_("compare argmax over axis 1 with the labels; turn one-hot rows into labels first (t.ndim)"))


@pytest.mark.uses(*LOSS_USES, "gradients.numerical_gradient")
def test_two_layer_net_numerical_gradient(student, rng):
    # Without the 1e-7 log guard a gradient moves by about 1e-7 / y relative (more where samples cancel).
    # Parameters of scale 0.3 keep every probability above 0.03 (1000 seeds tried); rtol 1e-5 with atol
    # 1e-6 then accepts a guard-free loss by 10x (60 seeds) and still rejects a numerical_gradient that
    # leaves the parameters perturbed by 5x or more.
    reference, net = _nets(student, rng, scale=0.3)
    x, t = rng.standard_normal((5, 4)), _targets(rng, "labels", 5)
    grads = net.numerical_gradient(x, t)
    _expect_net_gradient(grads, reference.numerical_gradient(x, t), _net_gradient_hint(net, reference.params))


def _net_gradient_hint(net, params):
    """The hint for a wrong TwoLayerNet.numerical_gradient, from what it did to the net's own parameters."""
    if left_changed(net.attr("params"), params):
        return _("numerical_gradient left the parameters changed: {hint}").format(hint=RESTORE_HINT)
    return _("the loss closes over self.params and ignores its argument: numerical_gradient must perturb the "
             "parameter array itself, in place, not a copy")


def _expect_net_gradient(grads, expected, hint):
    _expect_gradient_dict(grads, expected)
    for name in expected:
        # The hint comes from what the call did to the net's parameters: an observation.
        expect_array(grads[name], expected[name], f"TwoLayerNet.numerical_gradient: {name}", rtol=1e-5, atol=1e-6,
                     diagnose=lambda value: hint)


@pytest.mark.uses(*LOSS_USES, "gradients.numerical_gradient")
def test_two_layer_net_numerical_gradient_keeps_params(student, rng):
    reference, net = _nets(student, rng, scale=0.3)
    x, t = rng.standard_normal((5, 4)), _targets(rng, "labels", 5)
    grads, params = net.numerical_gradient(x, t), net.attr("params")
    if not isinstance(params, dict) or set(params) != set(reference.params):
        raise GradingFailure(_("{what}: expected a dict with keys {keys}").format(
            what=_("TwoLayerNet.params after numerical_gradient"), keys=sorted(reference.params)))
    for name, param in reference.params.items():
        # Any difference means they were not put back: the hint is what was observed.
        expect_array(params[name], param, _("{what} after numerical_gradient").format(what=f"TwoLayerNet.params[{name!r}]"),
                     rtol=1e-12, atol=0, diagnose=lambda value: RESTORE_HINT)
    # Restoring the parameters counts only for a call that returns the right gradients.
    _expect_net_gradient(grads, reference.numerical_gradient(x, t), _net_gradient_hint(net, reference.params))


def test_cross_entropy_is_vectorised(student, rng):
    what = _("cross_entropy_error on 100000 samples with labels")

    def make_case():
        y, t = _probabilities(rng, (100000, 4)), rng.integers(0, 4, 100000)
        return y, t, losses.cross_entropy_error(y, t)
    watch = compute_time(student, lambda case: student.losses.cross_entropy_error(*case[:2]), make_case,
                         lambda value, case: expect_scalar(value, case[2], what, rtol=LOSS_RTOL,
                                                           hint=CROSS_ENTROPY_HINT),
                         TIMING_REPEATS)
    expect_fast(watch, CROSS_ENTROPY_SECONDS, what)


# Entropy, cross-entropy and KL divergence. p has exact zeros in every case (0 log 0 = 0); q is strictly
# positive, so every value is finite. Each case is a fresh random draw.
ENTROPY_CASES = {"single": (7,), "batch": (5, 4)}
ZERO_LOG_ZERO_HINT = _("0 log 0 counts as 0: take the log only where p > 0 (np.where), or you get NaN")
INFORMATION_HINTS = {"entropy": _("H(p) = -sum(p log p) over the last axis, natural log"),
                     "cross_entropy": _("H(p, q) = -sum(p log q) over the last axis, natural log, no 1e-7 guard"),
                     "kl_divergence": _("KL(p || q) = sum(p log(p / q)) over the last axis; it is H(p, q) - H(p)")}


def _distributions_with_zeros(rng, shape):
    p = _probabilities(rng, shape)
    p[..., ::3] = 0.0
    return p / p.sum(axis=-1, keepdims=True)


def _expect_per_distribution(value, expected, what, hint):
    """One distribution gives a number, a batch one value per row."""
    if np.ndim(expected) == 0:
        expect_scalar(value, expected, what, hint=hint)
    else:
        expect_array(value, expected, what, hint=hint)


@pytest.mark.parametrize("name", ["entropy", "cross_entropy", "kl_divergence"])
@pytest.mark.parametrize("case", ENTROPY_CASES)
def test_information_measures(student, rng, name, case):
    shape = ENTROPY_CASES[case]
    what = (_("{name} of a distribution of shape {shape} with some p exactly 0") if case == "single"
            else _("{name} of a batch of shape {shape} with some p exactly 0")).format(name=name, shape=shape)
    for _draw in range(2):
        p, q = _distributions_with_zeros(rng, shape), _probabilities(rng, shape)
        args = (p,) if name == "entropy" else (p, q)
        _expect_per_distribution(getattr(student.entropy, name)(*args), getattr(entropy, name)(*args),
                                 what, _("{hint}; {also}").format(hint=INFORMATION_HINTS[name], also=ZERO_LOG_ZERO_HINT))


def test_one_hot_p_gives_the_cross_entropy_loss(student, rng):
    # For a label, H(p) = 0: cross-entropy and KL are both -log q[label], the book's loss per row.
    q, labels = _probabilities(rng, (6, 5)), rng.integers(0, 5, 6)
    p = np.eye(5)[labels]
    expected = -np.log(q[np.arange(6), labels])
    for name in ("cross_entropy", "kl_divergence"):
        expect_array(getattr(student.entropy, name)(p, q), expected,
                     _("{name} of one-hot p (labels) on a (6, 5) batch").format(name=name),
                     hint=_("-log q[label] in each row; {also}").format(also=ZERO_LOG_ZERO_HINT))
