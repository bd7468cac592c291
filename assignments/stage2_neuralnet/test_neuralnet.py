"""Public tests, stage 2: the 3-layer forward pass and batched accuracy on the bundled digits."""
import numpy as np
import pytest

from course.language import _
from course_feedback.checks import as_array, expect_array, expect_scalar
from course_feedback.failure import GradingFailure
from dlscratch.neuralnet import accuracy, forward, init_network, load_sample_network, predict
from dlscratch_data import load_digits

NETWORK_HINT = _("sigmoid after the first two layers; predict ends with softmax, forward does not")


@pytest.mark.points(2)
def test_forward_book_example():
    expect_array(forward(init_network(), np.array([1.0, 0.5])), [0.31682708, 0.69627909],
                 "forward(init_network(), [1.0, 0.5])", rtol=1e-7, hint=NETWORK_HINT)


@pytest.mark.points(1)
def test_predict_batch_gives_probabilities():
    x = np.array([[1.0, 0.5], [0.0, 0.0], [-1.0, 2.0]])
    y = as_array(predict(init_network(), x), _("predict on a batch of 3"), shape=(3, 2))
    expect_array(y.sum(axis=1), np.ones(3), _("predict on a batch of 3: each row's sum"), rtol=1e-12,
                 hint=_("predict ends with softmax, so each row sums to 1: if a softmax test fails, fix softmax first"))


@pytest.mark.points(2)
def test_accuracy_of_the_sample_network_on_digits():
    _train, (x_test, t_test) = load_digits(normalize=True)
    network = load_sample_network()
    acc = accuracy(network, x_test, t_test, batch_size=100)
    if not isinstance(acc, float):
        raise GradingFailure(_("accuracy: returned a {type}, expected a float").format(type=type(acc).__name__),
                             hint=_("divide the count of right answers by len(x) as a float"))
    if acc <= 0.9:
        raise GradingFailure(_("accuracy of the sample network on the digits: {accuracy}, expected above 0.9").format(
                             accuracy=f"{acc:.3f}"),
                             hint=_("compare np.argmax(predict(...), axis=1) with the labels"))
    expect_scalar(accuracy(network, x_test, t_test, batch_size=7), acc, _("accuracy with batch_size=7"),
                  rtol=0, atol=0, hint=_("the batch size must not change the result: include the last, short batch, "
                                         "and let softmax work on each row alone"))
