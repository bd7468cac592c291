"""The stage 7 hidden suite end to end: exact scores for realistic mistakes (the reference and the stubs of
every stage: test_suites.py)."""
import pytest

from autograder.grading.carry import CARRIED_FORWARD_KEPT

from .conftest import expect_result, grade, output_of
from .mistakes import COL2IM_OVERWRITING, FLIPPED_FILTERS

pytestmark = pytest.mark.slow

STAGE = "stage7"
CASES = ("plain", "padded", "strided", "non-square")
POOL_CASES = ("plain", "strided", "non-square")
NET_TESTS = {"test_simple_conv_net_predict", "test_simple_conv_net_loss", "test_simple_conv_net_gradient"}
# Every element equal to its window's maximum gets the window's gradient.
POOLING_ROUTING_TO_EVERY_TIE = """
def _backward_to_every_tie(self, dout):
    N, C, H, W = self.x.shape
    col = im2col(self.x, self.pool_h, self.pool_w, self.stride, self.pad).reshape(-1, self.pool_h * self.pool_w)
    mask = col == col.max(axis=1, keepdims=True)
    dmax = mask * dout.transpose(0, 2, 3, 1).reshape(-1, 1)
    return col2im(dmax.reshape(-1, C * self.pool_h * self.pool_w), self.x.shape, self.pool_h, self.pool_w,
                  self.stride, self.pad)
Pooling.backward = _backward_to_every_tie
"""
# The output size with the padding counted once: (H + pad - FH) // stride + 1.
OUTPUT_SIZE_WITH_ONE_PAD = """
def _forward_one_pad(self, x):
    FN, C, FH, FW = self.W.shape
    N, _, H, W = x.shape
    out_h, out_w = (H + self.pad - FH) // self.stride + 1, (W + self.pad - FW) // self.stride + 1
    col = im2col(x, FH, FW, self.stride, self.pad)
    col_W = self.W.reshape(FN, -1).T
    out = col @ col_W + self.b
    self.x, self.col, self.col_W = x, col, col_W
    return out.reshape(N, out_h, out_w, FN).transpose(0, 3, 1, 2)
Convolution.forward = _forward_one_pad
"""


def _each(name, cases):
    return {f"{name}[{case}]" for case in cases}


def test_flipped_filters_cost_the_convolution_and_the_network(make_submission):
    report = grade(make_submission(append={"conv_layers": FLIPPED_FILTERS}), STAGE)
    # Its backward keeps dW and db (from the patches and dout, whatever the filter) and loses dx; the network
    # relies on it everywhere.
    expect_result(report, STAGE, {*_each("test_convolution_forward", CASES), *_each("test_convolution_backward", CASES),
                                  "test_convolution_is_vectorised", *NET_TESTS},
                  kept=dict.fromkeys(_each("test_convolution_backward", CASES), 2 / 3))
    assert "do not flip the filter" in output_of(report, STAGE, "test_convolution_forward[plain]")
    assert "likely cause: this relies on your conv_layers.Convolution" in output_of(report, STAGE,
                                                                                  "test_simple_conv_net_predict")


def test_a_col2im_that_overwrites_costs_itself_and_carries_forward_into_the_backward_passes(make_submission):
    report = grade(make_submission(append={"conv_layers": COL2IM_OVERWRITING}), STAGE)
    # Every case overlaps. The backward passes built on it keep the carried-forward part; the pooling test
    # judged only against central differences has nothing to carry forward, and SimpleConvNet's 2x2 pooling
    # with stride 2 never overlaps (its convolution's dx is never used).
    carried = {*_each("test_convolution_backward", CASES), *_each("test_pooling_backward", POOL_CASES),
               "test_convolution_is_vectorised"}
    expect_result(report, STAGE, {*_each("test_col2im", CASES), *carried,
                                  "test_pooling_backward_against_a_numerical_gradient"},
                  kept=dict.fromkeys(carried, CARRIED_FORWARD_KEPT))
    assert "not =" in output_of(report, STAGE, "test_col2im[plain]")
    assert "carried forward from your col2im" in output_of(report, STAGE, "test_convolution_backward[plain]")


def test_max_pooling_that_routes_to_every_tie_costs_its_backward_tests(make_submission):
    report = grade(make_submission(append={"conv_layers": POOLING_ROUTING_TO_EVERY_TIE}), STAGE)
    # Ties at a window's maximum come only from the ties the tests hold: after ReLU they are at 0, where
    # ReLU's backward drops the gradient anyway, so the network is right.
    expect_result(report, STAGE, _each("test_pooling_backward", POOL_CASES))
    assert "the first one where several tie" in output_of(report, STAGE, "test_pooling_backward[plain]")


def test_an_output_size_that_counts_the_padding_once_costs_the_padded_cases(make_submission):
    report = grade(make_submission(append={"conv_layers": OUTPUT_SIZE_WITH_ONE_PAD}), STAGE)
    padded = ("padded", "strided")
    expect_result(report, STAGE, {*_each("test_convolution_forward", padded), *_each("test_convolution_backward", padded),
                                  "test_convolution_is_vectorised", *NET_TESTS})
