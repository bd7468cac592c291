"""The stage 4 hidden suite end to end: exact scores for realistic mistakes (the reference and the stubs
of every stage: test_suites.py).

Each wrong submission is the reference with a few functions redefined or methods patched; mistakes that
touch different tests share a submission, so that every `grade` call (a second or two) checks several of
them.
"""
import pytest

from autograder.grading import carry
from autograder.grading.carry import CARRIED_FORWARD_KEPT

from .conftest import expect_result, expect_results, grade, lost, output_of, stage_max, stage_scores
from .mistakes import (ACCURACY_FOR_ONE_HOT_ONLY, AFFINE_FORWARD_ROW_LOOP, AFFINE_WITHOUT_RESHAPE,
                       CROSS_ENTROPY_CRASHING_ON_LABELS, MAX_GATE_ALWAYS_TO_X, RELU_MUTATING_DOUT, SOFTMAX_OVER_AXIS_0,
                       SOFTMAX_WITH_LOSS_ROW_LOOP)

pytestmark = pytest.mark.slow

STAGE = "stage4"
MAX_SCORE = stage_max(STAGE)

# The gradient of x * y sent to the wrong input.
MUL_SWAPPING_GRADIENTS = """
def _swapped_backward(self, dout):
    return dout * self.x, dout * self.y
MulLayer.backward = _swapped_backward
"""
AFFINE_DW_TRANSPOSED = """
def _backward_dw_transposed(self, dout):
    self.dW = np.dot(dout.T, self.x)
    self.db = np.sum(dout, axis=0)
    return np.dot(dout, self.W.T).reshape(self.original_x_shape)
Affine.backward = _backward_dw_transposed
"""
# Forgets dy/dx = y (1 - y).
SIGMOID_BACKWARD_WITHOUT_DERIVATIVE = """
def _backward_without_derivative(self, dout):
    return dout * self.out
Sigmoid.backward = _backward_without_derivative
"""
# No floor under the denominator: 0 / 0 where both gradients are 0.
REL_ERROR_WITHOUT_FLOOR = """
def rel_error(x, y):
    return float(np.max(np.abs(x - y) / (np.abs(x) + np.abs(y))))
"""
SOFTMAX_WITH_LOSS_WITHOUT_BATCH_MEAN = """
def _backward_without_mean(self, dout=1):
    dx = self.y.copy()
    if self.t.size == self.y.size:
        dx = self.y - self.t
    else:
        dx[np.arange(self.y.shape[0]), self.t] -= 1
    return dout * dx
SoftmaxWithLoss.backward = _backward_without_mean
"""
AFFINE_WITHOUT_FLATTEN = """
def _forward_without_flatten(self, x):
    self.original_x_shape = x.shape
    self.x = x
    return np.dot(x, self.W) + self.b
Affine.forward = _forward_without_flatten
"""
# Computes dx even when told not to (TwoLayerNet's first layer).
AFFINE_IGNORING_NEEDS_INPUT_GRAD = """
def _backward_always_dx(self, dout):
    self.dW = np.dot(self.x.T, dout)
    self.db = np.sum(dout, axis=0)
    return np.dot(dout, self.W.T).reshape(self.original_x_shape)
Affine.backward = _backward_always_dx
"""
# Told not to compute dx, returns before setting dW and db: the network's first layer keeps stale ones.
AFFINE_RETURNING_EARLY = """
def _backward_returning_early(self, dout):
    if not self.needs_input_grad:
        return None
    self.dW = np.dot(self.x.T, dout)
    self.db = np.sum(dout, axis=0)
    return np.dot(dout, self.W.T).reshape(self.original_x_shape)
Affine.backward = _backward_returning_early
"""
# params[key] = params[key] - ...: a new array, which the network's layers never see.
SGD_STEP_REBINDING = """
def sgd_step(network, x_batch, t_batch, lr):
    grads = network.gradient(x_batch, t_batch)
    for name in network.params:
        network.params[name] = network.params[name] - lr * grads[name]
    return float(network.lastLayer.loss)
"""


def test_mutation_reshape_swapped_gradients_and_a_row_loop(make_submission):
    report = grade(make_submission(append={"layers": RELU_MUTATING_DOUT + AFFINE_WITHOUT_RESHAPE
                                           + SOFTMAX_WITH_LOSS_ROW_LOOP,
                                           "simple_layers": MUL_SWAPPING_GRADIENTS}), STAGE)
    # The shopping graph's price is still right, but its gradients are not: all or nothing. The networks'
    # inputs are 2-D, so the missing reshape costs the 4-D test only; nothing reuses the dout Relu
    # changes; the row loop gives the right gradient, slowly.
    expect_result(report, STAGE, {
        "test_relu_leaves_its_input_alone[backward]",
        "test_affine_backward[4d]",
        "test_mul_and_add_layers[MulLayer]",
        "test_shopping_graph[book]",
        "test_shopping_graph[other prices]",
        "test_softmax_with_loss_is_vectorised",
    })
    assert "Relu.backward (dout): modified its input in place" in output_of(
        report, STAGE, "test_relu_leaves_its_input_alone[backward]")
    assert "wrong shape (2, 48), expected (2, 3, 4, 4)" in output_of(report, STAGE, "test_affine_backward[4d]")
    assert "reshape dx back" in output_of(report, STAGE, "test_affine_backward[4d]")
    assert "each input gets the other input times dout" in output_of(report, STAGE, "test_mul_and_add_layers[MulLayer]")
    assert "d price / d apple: wrong value" in output_of(report, STAGE, "test_shopping_graph[book]")
    timing = output_of(report, STAGE, "test_softmax_with_loss_is_vectorised")
    assert "SoftmaxWithLoss.forward and backward on 20000 samples with labels: too slow" in timing
    # The round is timed whole; the feedback names the call that took longest, and its hint.
    assert "SoftmaxWithLoss.backward took" in timing
    assert "y[np.arange(batch_size), t]" in timing


def test_transposed_dW_sigmoid_without_its_derivative_and_rel_error_of_zeros(make_submission):
    report = grade(make_submission(append={"layers": AFFINE_DW_TRANSPOSED + SIGMOID_BACKWARD_WITHOUT_DERIVATIVE,
                                           "gradient_check": REL_ERROR_WITHOUT_FLOOR}), STAGE)
    # Every test that backpropagates through the network fails with the layer (gradient_check as soon as
    # rel_error meets the transposed shape), and so does the timing test, which pays only for right dW
    # and db too; the forward tests pass. rel_error of zeros is 0 / 0, and rel_error is all or nothing.
    expect_result(report, STAGE, {
        "test_affine_backward[2d]",
        "test_affine_backward[4d]",
        "test_affine_skips_dx_when_not_needed",
        "test_two_layer_net_gradient[labels]",
        "test_two_layer_net_gradient[one-hot]",
        "test_gradient_check",
        "test_sgd_step",
        "test_sgd_step_updates_params_in_place",
        "test_minibatch_sgd_lowers_the_loss",
        "test_minibatch_sgd_follows_the_seed",
        "test_sigmoid_layer",
        "test_rel_error",
        "test_affine_is_vectorised",
    })
    assert "dW: wrong shape (3, 5), expected (5, 3)" in output_of(report, STAGE, "test_affine_backward[2d]")
    network = output_of(report, STAGE, "test_two_layer_net_gradient[labels]")
    assert "wrong shape" in network
    assert "likely cause: this relies on your layers.Affine" in network
    assert "dout * y * (1 - y)" in output_of(report, STAGE, "test_sigmoid_layer")
    assert "expected a finite number" in output_of(report, STAGE, "test_rel_error")
    assert "max(1e-8" in output_of(report, STAGE, "test_rel_error")


def test_batch_mean_flatten_and_one_hot_only_accuracy(make_submission):
    report = grade(make_submission(append={"layers": SOFTMAX_WITH_LOSS_WITHOUT_BATCH_MEAN + AFFINE_WITHOUT_FLATTEN,
                                           "networks": ACCURACY_FOR_ONE_HOT_ONLY}), STAGE)
    # Without / N the gradient is N times too big: a single sample (N = 1) still comes out right, and
    # training still learns (with a step N times too long) but not along the reference's path.
    # gradient_check pays only on a right network. SoftmaxWithLoss's forward and backward pay separately:
    # it keeps 3 of its 4 checks (the forwards, and the backward of a batch of one).
    halves = {"test_softmax_with_loss[labels]", "test_softmax_with_loss[one-hot]"}
    expect_result(report, STAGE, {*halves,
        "test_two_layer_net_gradient[labels]",
        "test_two_layer_net_gradient[one-hot]",
        "test_gradient_check",
        "test_sgd_step",
        "test_sgd_step_updates_params_in_place",
        "test_minibatch_sgd_follows_the_seed",
        "test_softmax_with_loss_is_vectorised",
        "test_affine_forward[4d]",
        "test_affine_backward[4d]",
        "test_two_layer_net_accuracy[labels]",
    }, kept=dict.fromkeys(halves, 3 / 4))
    assert "batch_size" in output_of(report, STAGE, "test_softmax_with_loss[labels]")
    network = output_of(report, STAGE, "test_two_layer_net_gradient[labels]")
    assert "likely cause: this relies on your layers.SoftmaxWithLoss" in network
    assert "layers.Affine" not in network
    assert output_of(report, STAGE, "test_affine_forward[4d]").startswith(
        "Affine.forward raised ValueError at layers.py:")
    assert ": shapes (2,3,4,4) and (48,5) not aligned" in output_of(report, STAGE, "test_affine_forward[4d]")
    assert "AxisError" in output_of(report, STAGE, "test_two_layer_net_accuracy[labels]")


def test_a_row_loop_affine_forward_loses_only_the_timing_test(make_submission):
    # Also a rebinding sgd_step, in another module: it costs the training tests and nothing of Affine's.
    report = grade(make_submission(append={"layers": AFFINE_FORWARD_ROW_LOOP, "training": SGD_STEP_REBINDING}),
                   STAGE)
    expect_result(report, STAGE, {
        "test_affine_is_vectorised",
        "test_sgd_step_updates_params_in_place",
        "test_minibatch_sgd_lowers_the_loss",
        "test_minibatch_sgd_follows_the_seed",
    })
    timing = output_of(report, STAGE, "test_affine_is_vectorised")
    assert "Affine.forward and backward on a (20000, 4) batch: too slow" in timing
    assert "Affine.forward took" in timing
    assert "no Python loop over rows" in timing
    assert "in place" in output_of(report, STAGE, "test_sgd_step_updates_params_in_place")


def test_a_wrong_softmax_is_carried_forward(make_submission):
    report = grade(make_submission(append={"activations": SOFTMAX_OVER_AXIS_0}), STAGE)
    # Over axis 0 a single sample is still right; predict and accuracy never call softmax. Everything built
    # on softmax agrees with the reference run through this softmax: carried forward, it keeps 75%, but
    # gradient_check (its numerical gradient is not the backprop one of this softmax) and minibatch
    # training (NaN) lose everything.
    carried = {"test_softmax_with_loss[labels]", "test_softmax_with_loss[one-hot]", "test_two_layer_net_loss[labels]",
               "test_two_layer_net_loss[one-hot]", "test_two_layer_net_gradient[labels]",
               "test_two_layer_net_gradient[one-hot]", "test_two_layer_net_numerical_gradient", "test_sgd_step",
               "test_sgd_step_updates_params_in_place", "test_minibatch_sgd_follows_the_seed",
               "test_softmax_with_loss_is_vectorised"}
    expect_result(report, STAGE, {*carried, "test_gradient_check", "test_minibatch_sgd_lowers_the_loss"},
                  kept=dict.fromkeys(carried, CARRIED_FORWARD_KEPT))
    for name in carried:
        assert output_of(report, STAGE, name).splitlines()[-1] == (
            "carried forward from your softmax: 75% of this test's points kept")
    assert "likely cause: this relies on your activations.softmax" in output_of(report, STAGE, "test_gradient_check")
    assert_blames_only(report, "activations.softmax")


def assert_blames_only(report, wrong):
    """A failure put down to an earlier function shows no hint of its own (it would point at right code), and
    its likely cause names `wrong` alone: what merely calls it (SoftmaxWithLoss, the network) is right."""
    for name, output in lost(report).items():
        lines = output.splitlines()
        causes = [line for line in lines if line.startswith(("likely cause:", "carried forward"))]
        assert not (causes and any(line.startswith("hint:") for line in lines)), (name, output)
        for line in causes:
            assert line.startswith(("carried forward", f"likely cause: this relies on your {wrong}, which is wrong"))
            assert "and your" not in line, line


# Twice the loss, and a forward that adds 0.01 to it (its cached self.loss stays right).
CROSS_ENTROPY_DOUBLED = """
_cross_entropy_error = cross_entropy_error
def cross_entropy_error(y, t):
    return 2 * _cross_entropy_error(y, t)
"""
SOFTMAX_WITH_LOSS_FORWARD_OFF = """
_forward = SoftmaxWithLoss.forward
SoftmaxWithLoss.forward = lambda self, x, t: _forward(self, x, t) + 0.01
"""


def test_a_dependent_reply_that_is_wrong_anyway_earns_nothing_carried_forward(make_submission):
    report = grade(make_submission(append={"losses": CROSS_ENTROPY_DOUBLED, "layers": SOFTMAX_WITH_LOSS_FORWARD_OFF}),
                   STAGE)
    # SoftmaxWithLoss keeps its backward half (it needs no loss); its forward, the network's loss and the
    # timed forward agree with no cross-entropy and earn nothing more. What is consistent with the doubled
    # loss is carried forward: the numerical gradient, and sgd_step's loss (network.lastLayer.loss).
    halves = {"test_softmax_with_loss[labels]", "test_softmax_with_loss[one-hot]",
              "test_softmax_with_loss[single one-hot]"}
    wrong = {"test_two_layer_net_loss[labels]", "test_two_layer_net_loss[one-hot]", "test_gradient_check",
             "test_softmax_with_loss_is_vectorised"}
    carried = {"test_two_layer_net_numerical_gradient", "test_sgd_step", "test_minibatch_sgd_follows_the_seed"}
    expect_result(report, STAGE, halves | wrong | carried,
                  kept={**dict.fromkeys(halves, 0.5), **dict.fromkeys(carried, CARRIED_FORWARD_KEPT)})
    assert "carried forward" not in output_of(report, STAGE, "test_two_layer_net_loss[labels]")
    assert "carried forward from your cross_entropy_error" in output_of(report, STAGE, "test_sgd_step")


def test_an_affine_ignoring_needs_input_grad_loses_its_test(make_submission):
    # Every other result is right: the network never reads the first layer's dx.
    report = grade(make_submission(append={"layers": AFFINE_IGNORING_NEEDS_INPUT_GRAD}), STAGE)
    expect_result(report, STAGE, {"test_affine_skips_dx_when_not_needed"})
    assert "expected None" in output_of(report, STAGE, "test_affine_skips_dx_when_not_needed")


def test_an_affine_returning_before_its_weight_gradients_is_named_as_the_cause(make_submission):
    report = grade(make_submission(append={"layers": AFFINE_RETURNING_EARLY}), STAGE)
    feedback = lost(report)
    assert "test_stage4.py::test_affine_skips_dx_when_not_needed" in feedback
    gradient = output_of(report, STAGE, "test_two_layer_net_gradient[labels]").splitlines()
    # One "likely cause" line however many earlier functions are wrong.
    assert [line for line in gradient if "likely cause" in line] == [
        "likely cause: this relies on your layers.Affine.needs_input_grad, which is wrong (Affine.backward with "
        "needs_input_grad = False: dW: returned a NoneType, expected a NumPy array of shape (3, 4)); fix that first"]
    assert "test_stage4.py::test_affine_backward[2d]" not in feedback


# x > y instead of x >= y: a tie sends dz nowhere (documented: to x).
MAX_GATE_DROPPING_TIES = """
def _strict_forward(self, x, y):
    self.x_wins = np.asarray(x) > np.asarray(y)
    self.y_wins = np.asarray(y) > np.asarray(x)
    return np.maximum(x, y)
def _strict_backward(self, dout):
    return dout * self.x_wins, dout * self.y_wins
MaxGate.forward = _strict_forward
MaxGate.backward = _strict_backward
"""
# The second branch's gradient overwrites the first's.
COPY_GATE_OVERWRITING = """
CopyGate.backward = lambda self, dout1, dout2: dout2
"""
# Forgets the local gradient -1 of neg = -dot.
CIRCUIT_WITHOUT_THE_NEGATION = """
def sigmoid_circuit(w, x):
    w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
    dot = w[0] * x[0] + w[1] * x[1] + w[2]
    f = 1.0 / (1.0 + np.exp(-dot))
    ddot = np.exp(-dot) * -1.0 / (1.0 + np.exp(-dot)) ** 2
    return float(f), np.array([x[0] * ddot, x[1] * ddot, ddot]), np.array([w[0] * ddot, w[1] * ddot])
"""
# Updates W2 first, then backpropagates to W1 through the new W2.
BY_HAND_THROUGH_THE_NEW_W2 = """
def backprop_step(x, t, W1, b1, W2, b2, lr=0.5):
    h, o = forward(x, W1, b1, W2, b2)
    delta_o = (o - t) * o * (1 - o)
    W2 = W2 - lr * np.outer(h, delta_o)
    delta_h = np.dot(W2, delta_o) * h * (1 - h)
    return W1 - lr * np.outer(x, delta_h), W2
"""




def test_a_max_gate_always_routing_to_x_loses_every_max_gate_test(make_submission):
    report = grade(make_submission(append={"graph_gates": MAX_GATE_ALWAYS_TO_X}), STAGE)
    expect_result(report, STAGE, {
        "test_max_gate[floats]",
        "test_max_gate[arrays]",
        "test_max_gate_ties",
    })


def test_gates_circuit_and_by_hand_mistakes_each_lose_their_tests(make_submission):
    report = grade(make_submission(append={"graph_gates": MAX_GATE_DROPPING_TIES + COPY_GATE_OVERWRITING
                                           + CIRCUIT_WITHOUT_THE_NEGATION,
                                           "backprop_by_hand": BY_HAND_THROUGH_THE_NEW_W2}), STAGE)
    # Away from ties the strict max is right; the new W2 changes only the hidden weights' step.
    expect_result(report, STAGE, {
        "test_max_gate_ties",
        "test_copy_gate",
        "test_sigmoid_circuit[cs231n]",
        "test_sigmoid_circuit[random]",
        "test_by_hand_step[hidden]",
    })
    assert output_of(report, STAGE, "test_max_gate_ties").startswith("MaxGate.backward: wrong values (hidden test")
    assert "dout1 + dout2" in output_of(report, STAGE, "test_copy_gate")
    assert "CS231n's example: dw: wrong values" in output_of(report, STAGE, "test_sigmoid_circuit[cs231n]")
    assert "with the old W2" in output_of(report, STAGE, "test_by_hand_step[hidden]")


# Treats label targets like one-hot ones (t reshaped to a column): wrong values for labels, right for one-hot.
CROSS_ENTROPY_IGNORING_LABELS = """
def cross_entropy_error(y, t):
    y = np.asarray(y, dtype=np.float64)
    y = y.reshape(-1, y.shape[-1])
    t = np.asarray(t, dtype=np.float64).reshape(y.shape[0], -1)
    return float(-np.sum(t * np.log(y + 1e-7)) / y.shape[0])
"""
# Its own tests, with the share of its points each keeps (the zero-probability test has one case with
# labels of two).
CROSS_ENTROPY_TESTS = {"test_cross_entropy_error[single label]": 0, "test_cross_entropy_error[batch labels]": 0,
                       "test_cross_entropy_of_a_zero_probability": 0.5, "test_cross_entropy_is_vectorised": 0}
# Every test that calls it with labels through a network or SoftmaxWithLoss: carried forward.
CARRIED_STAGE3 = ["test_two_layer_net_loss[labels]", "test_two_layer_net_numerical_gradient",
                  "test_two_layer_net_numerical_gradient_keeps_params"]
CARRIED_STAGE4 = ["test_softmax_with_loss[labels]", "test_two_layer_net_loss[labels]",
                  "test_two_layer_net_numerical_gradient", "test_gradient_check", "test_sgd_step",
                  "test_minibatch_sgd_follows_the_seed", "test_softmax_with_loss_is_vectorised"]


def test_a_cross_entropy_ignoring_labels_costs_its_points_once(make_submission):
    report = grade(make_submission(append={"losses": CROSS_ENTROPY_IGNORING_LABELS}), "stage3", STAGE)
    # The function's own tests in stage 3, and a share of what uses it, in stage 3 and stage 4.
    expect_results(report, {"stage3": {*CROSS_ENTROPY_TESTS, *CARRIED_STAGE3}, STAGE: CARRIED_STAGE4},
                   kept={"stage3": {**CROSS_ENTROPY_TESTS, **dict.fromkeys(CARRIED_STAGE3, CARRIED_FORWARD_KEPT)},
                         STAGE: dict.fromkeys(CARRIED_STAGE4, CARRIED_FORWARD_KEPT)})
    for name in [f"test_stage3.py::{name}" for name in CARRIED_STAGE3] + [f"test_stage4.py::{name}"
                                                                         for name in CARRIED_STAGE4]:
        assert lost(report)[name].splitlines()[-1] == (
            "carried forward from your cross_entropy_error: 75% of this test's points kept")


# SoftmaxWithLoss.forward written as nothing but a call of that cross-entropy.
FORWARD_ONLY_CALLING_THE_LOSS = """
def _forward(self, x, t):
    return cross_entropy_error(x, t)
SoftmaxWithLoss.forward = _forward
"""


def test_a_crash_inside_an_earlier_function_is_not_carried_forward(make_stub_submission):
    # A crash hides whether the dependent's own work is right: a stub release with a label-crashing
    # cross-entropy and a forward that only calls it earns nothing in stage 4.
    report = grade(make_stub_submission(append={"losses": CROSS_ENTROPY_CRASHING_ON_LABELS,
                                                "layers": FORWARD_ONLY_CALLING_THE_LOSS}), STAGE)
    assert stage_scores(report) == {STAGE: (0.0, MAX_SCORE)}
    assert "carried forward" not in " ".join(lost(report).values())


# Every stage 4 test that reaches the one-hot-only cross-entropy with labels: graded again with the
# labels handed to it as one-hot rows, in the worker too, each keeps 75%.
CARRIED_FROM_ONE_HOT_ONLY = ["test_softmax_with_loss[labels]", "test_two_layer_net_loss[labels]",
                             "test_two_layer_net_gradient[labels]", "test_two_layer_net_numerical_gradient",
                             "test_gradient_check", "test_sgd_step", "test_sgd_step_updates_params_in_place",
                             "test_minibatch_sgd_lowers_the_loss", "test_minibatch_sgd_follows_the_seed",
                             "test_softmax_with_loss_is_vectorised"]


def test_the_book_s_one_hot_only_cross_entropy_costs_its_dependents_a_quarter(make_submission):
    # Right for one-hot targets, a ValueError for a batch of labels: what calls it with labels is judged
    # on its own work (the labels reach the student's cross-entropy as one-hot rows).
    report = grade(make_submission(append={"losses": CROSS_ENTROPY_CRASHING_ON_LABELS}), STAGE)
    expect_result(report, STAGE, CARRIED_FROM_ONE_HOT_ONLY,
                  kept=dict.fromkeys(CARRIED_FROM_ONE_HOT_ONLY, CARRIED_FORWARD_KEPT))
    assert lost(report)["test_stage4.py::test_sgd_step"].endswith(
        "carried forward from your cross_entropy_error: 75% of this test's points kept")
    assert_blames_only(report, "losses.cross_entropy_error")


# Raises for every input of two dimensions or fewer (there is no axis 2): it gives no values at all.
SOFTMAX_RAISING = """
def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x - np.max(x))
    return e / np.sum(e, axis=2)
"""
# Every test of stages 3 and 4 that calls softmax.
CALLING_SOFTMAX = {"stage3": ["test_two_layer_net_predict", "test_two_layer_net_loss[labels]",
                              "test_two_layer_net_loss[one-hot]", "test_two_layer_net_accuracy[labels]",
                              "test_two_layer_net_accuracy[one-hot]", "test_two_layer_net_numerical_gradient",
                              "test_two_layer_net_numerical_gradient_keeps_params"],
                   "stage4": ["test_softmax_with_loss[labels]", "test_softmax_with_loss[one-hot]",
                              "test_softmax_with_loss[single one-hot]", "test_two_layer_net_loss[labels]",
                              "test_two_layer_net_loss[one-hot]", "test_two_layer_net_gradient[labels]",
                              "test_two_layer_net_gradient[one-hot]", "test_two_layer_net_numerical_gradient",
                              "test_gradient_check", "test_sgd_step", "test_sgd_step_updates_params_in_place",
                              "test_minibatch_sgd_lowers_the_loss", "test_minibatch_sgd_follows_the_seed",
                              "test_softmax_with_loss_is_vectorised"]}


def test_a_raising_softmax_costs_each_dependent_a_quarter(make_submission):
    # Every dependent is judged by its own work with the course's softmax in place of the student's.
    report = grade(make_submission(append={"activations": SOFTMAX_RAISING}), "stage3", STAGE)
    expect_results(report, CALLING_SOFTMAX, kept={stage: dict.fromkeys(names, CARRIED_FORWARD_KEPT)
                                                  for stage, names in CALLING_SOFTMAX.items()})
    raised, cause = lost(report)["test_stage4.py::test_sgd_step"].splitlines()
    assert raised.startswith("sgd_step raised AxisError at activations.py:") and raised.endswith(
        " in softmax: axis 2 is out of bounds for array of dimension 2")
    assert cause == carry.feedback(["activations.softmax"], ["activations.softmax"])
    assert_blames_only(report, "activations.softmax")


def test_a_raising_softmax_in_a_stub_release_earns_nothing(make_stub_submission):
    # The course's softmax answers only what the student's code asks of it: stubs around it still fail.
    report = grade(make_stub_submission(append={"activations": SOFTMAX_RAISING}), "stage3", STAGE)
    assert {stage: score for stage, (score, _) in stage_scores(report).items()} == {"stage3": 0.0, "stage4": 0.0}


# A cross-entropy that raises for every input (there is no axis 2), and a SoftmaxWithLoss.forward skipping
# softmax: the course's cross-entropy, standing in for the student's, is asked about the scores themselves,
# and its value is not the loss.
CROSS_ENTROPY_RAISING = """
def cross_entropy_error(y, t):
    return -np.sum(t * np.log(y + 1e-7), axis=2) / y.shape[0]
"""
FORWARD_SKIPPING_SOFTMAX = """
def _forward(self, x, t):
    self.t = t
    self.y = x
    self.loss = cross_entropy_error(x, t)
    return self.loss
SoftmaxWithLoss.forward = _forward
"""


def test_the_course_s_function_standing_in_answers_only_the_arguments_passed(make_submission):
    report = grade(make_submission(append={"losses": CROSS_ENTROPY_RAISING, "layers": FORWARD_SKIPPING_SOFTMAX}),
                   STAGE)
    outputs = lost(report)
    for name in ("test_softmax_with_loss[labels]", "test_softmax_with_loss[one-hot]"):
        test = next(test for test in report["tests"] if test["name"] == f"test_stage4.py::{name}")
        assert test["score"] == 0.0 and "carried forward" not in outputs[test["name"]]
