"""Points for work not done: each cheat is the stub release plus a few lines, and earns exactly nothing.

The cheats come from the classes of issue 8: property tests passed by results that are wrong or absent
(zeros, do-nothing updates, no return value, a zero network), lookup tables of the fixed cases,
constant answers where credit per case would pay, training judged by what the student reports, a
worker patched to hide what a call changed, and timing tricks (a loop over rows that remembers its
arguments, runs in a thread or a child process, runs at import on inputs it foresees, or moves into an
untimed call of the same test). A cheat that makes a function right (the timing tricks compute the
right values; those of stage 4 are the solved release plus a few lines) keeps the points of the tests
it really passes, and only those.
"""
import numpy as np
import pytest

from dlscratch_data import load_digits
from solutions import activations, gradients, losses, neuralnet, simple_layers

from .conftest import RUBRIC, grade, paid, points, scores_by_test, stage_scores
from .mistakes import LOOP_SOFTMAX, SOFTMAX_WITH_LOSS_ROW_LOOP

pytestmark = pytest.mark.slow


CONSTANT_GATES = "".join(f"def {gate}(x1, x2):\n    return 0\n" for gate in ("AND", "NAND", "OR", "XOR"))

# Zeros of the right shape, lookup tables of the book's examples and of the digits accuracy.
BOOK_X, BOOK_NETWORK = np.array([1.0, 0.5]), neuralnet.init_network()
DIGITS = load_digits()[1]
STAGE2_ACTIVATIONS = f"""
BOOK_SOFTMAX = {activations.softmax(np.array([0.3, 2.9, 4.0])).tolist()!r}
EXTREMES = {activations.sigmoid(np.array([-1000.0, -50.0, -1e-3, 0.0, 1e-3, 50.0, 1000.0])).tolist()!r}

def _zeros(x):
    return np.zeros(np.shape(x))

step_function = relu = identity_function = _zeros

def sigmoid(x):
    return np.array(EXTREMES) if np.shape(x) == (7,) else _zeros(x)

def softmax(x):
    return np.array(BOOK_SOFTMAX) if np.shape(x) == (3,) else _zeros(x)
"""
STAGE2_NEURALNET = f"""
def forward(network, x):
    return np.array({neuralnet.forward(BOOK_NETWORK, BOOK_X).tolist()!r})

def predict(network, x):
    return np.zeros((*np.shape(x)[:-1], 10))

def accuracy(network, x, t, batch_size=100):
    return {neuralnet.accuracy(neuralnet.load_sample_network(), *DIGITS)!r}
"""
ZERO_PROBABILITY_LOSS = losses.cross_entropy_error(np.array([[0.0, 1.0], [0.5, 0.5]]), np.array([0, 1]))
STAGE3_LOSSES = f"""
def mean_squared_error(y, t):
    return 0.0

def cross_entropy_error(y, t):
    return {ZERO_PROBABILITY_LOSS!r} if np.shape(y) == (2, 2) else 0.0
"""
STAGE3_GRADIENTS = f"""
DIFFS = {({x: gradients.numerical_diff(lambda v: 0.01 * v ** 2 + 0.1 * v, x) for x in (5.0, 10.0)})!r}

def numerical_diff(f, x):
    return DIFFS.get(x, 0.0)

def numerical_gradient(f, x):
    return np.zeros(x.shape)

def gradient_descent(f, init_x, lr=0.01, step_num=100):
    if np.array_equal(init_x, [-3.0, 4.0]) and step_num == 100:
        return np.array({gradients.gradient_descent(lambda x: float(np.sum(x ** 2)), np.array([-3.0, 4.0]), lr=0.1,
                                                    step_num=100).tolist()!r})
    # Where 100 steps on function_2 end from any start: within 1e-9 of zero.
    return np.zeros(init_x.shape)
"""
STAGE3_NET = """
def _zero_gradient(self, x, t):
    return {name: np.zeros_like(param) for name, param in self.params.items()}
TwoLayerNet.numerical_gradient = _zero_gradient
"""
BOOK_PRICE, BOOK_GRADS = simple_layers.buy_apple_orange()
STAGE4_SIMPLE_LAYERS = f"""
def buy_apple_orange(apple=100, apple_num=2, orange=150, orange_num=3, tax=1.1):
    return {BOOK_PRICE!r}, {BOOK_GRADS!r}
"""
STAGE4_LAYERS = """
Relu.forward = Relu.backward = lambda self, x: None

def _weight_gradients_only(self, dout):
    return None
Affine.backward = _weight_gradients_only
"""
# A zero network, a gradient check that finds it perfect, training that reports a falling loss.
STAGE4_NETWORKS = """
def _zeros_like_params(self, x, t):
    return {name: np.zeros_like(param) for name, param in self.params.items()}
TwoLayerNet.gradient = TwoLayerNet.numerical_gradient = _zeros_like_params
TwoLayerNet.loss = lambda self, x, t: 0.0
"""
STAGE4_GRADIENT_CHECK = """
def rel_error(x, y):
    return 0.0

def gradient_check(network, x, t):
    return {name: 0.0 for name in network.params}
"""
STAGE4_TRAINING = """
def sgd_step(network, x_batch, t_batch, lr):
    return 0.0

def minibatch_sgd(network, x_train, t_train, lr=0.1, batch_size=100, iters_num=1000, seed=0):
    return [0.7 * 0.99 ** step for step in range(iters_num)]
"""
# Updates that do nothing, in a worker patched so that what a call is given is a copy of what the
# scorer kept: whatever the call does, nothing it was given ever changes.
STAGE5_OPTIMIZERS = """
import copy
import sys

def _nothing(self, params, grads):
    pass

for _optimizer in (SGD, Momentum, AdaGrad, RMSprop, Adam):
    _optimizer.update = _nothing

for _module in list(sys.modules.values()):
    if getattr(_module, "__name__", "").endswith(".serve") and hasattr(_module, "decode_value"):
        _decode = _module.decode_value
        _module.decode_value = lambda tagged, blobs, resolve, _decode=_decode: _decode(
            tagged, blobs, lambda *handle: copy.deepcopy(resolve(*handle)))
"""

ROW_LOOP = LOOP_SOFTMAX.replace("def softmax(", "def _row_loop_softmax(")
# Each timing repeat used to send the same input; the echo used to be subtracted from the call's time.
MEMOISED_ROW_LOOP = ROW_LOOP + """
import sys, time
_answers = {}

def softmax(x):
    key = (np.shape(x), np.asarray(x).tobytes())
    if key not in _answers:
        _answers[key] = _row_loop_softmax(x)
    return _answers[key].copy()

for _module in list(sys.modules.values()):
    _worker = getattr(_module, "Worker", None)
    if isinstance(_worker, type) and hasattr(_worker, "perform"):
        _perform = _worker.perform
        def _slow_echo(self, request, blobs, _perform=_perform):
            if request.get("op") == "echo":
                time.sleep(0.05)
            return _perform(self, request, blobs)
        _worker.perform = _slow_echo
"""
THREAD_ROW_LOOP = ROW_LOOP + """
import threading

def softmax(x):
    result = {}
    worker = threading.Thread(target=lambda: result.update(out=_row_loop_softmax(x)))
    worker.start()
    worker.join()
    return result["out"]
"""
FORKED_ROW_LOOP = ROW_LOOP + """
import os

def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    read_end, write_end = os.pipe()
    if os.fork() == 0:
        os.close(read_end)
        data = _row_loop_softmax(x).tobytes()
        while data:
            data = data[os.write(write_end, data):]
        os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 1 << 20):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(-1, 0)
    return np.frombuffer(b"".join(chunks)).reshape(x.shape).copy()
"""
# The grader's inputs used to be seeded from the test's id alone: the worker drew the timing test's first
# input at import, ran its loop there, and answered the timed call from memory.
PRECOMPUTED_ROW_LOOP = ROW_LOOP + """
import zlib
_x = np.random.default_rng(zlib.crc32(b"test_stage2.py::test_softmax_is_vectorised")).standard_normal((20000, 4))
_answers = {_x.tobytes(): _row_loop_softmax(_x)}

def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    answer = _answers.get(x.tobytes())
    return answer.copy() if answer is not None else _row_loop_softmax(x)
"""
SUBPROCESS_ROW_LOOP = """
import io, os, subprocess, sys

CHILD = '''
import io, sys
import numpy as np
x = np.load(io.BytesIO(sys.stdin.buffer.read()))
rows = x.reshape(-1, x.shape[-1])
out = np.empty_like(rows)
for i in range(len(rows)):
    e = np.exp(rows[i] - rows[i].max())
    out[i] = e / e.sum()
sys.stdout.buffer.write(out.tobytes())
'''

def softmax(x):
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(x, dtype=np.float64))
    done = subprocess.run([sys.executable, "-c", CHILD], input=buffer.getvalue(), capture_output=True, check=True,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, sys.path))})
    return np.frombuffer(done.stdout).reshape(np.shape(x)).copy()
"""


@pytest.mark.parametrize("stage, append", [
    ("stage1", {"gates": CONSTANT_GATES}),
    ("stage2", {"activations": STAGE2_ACTIVATIONS, "neuralnet": STAGE2_NEURALNET}),
    ("stage3", {"losses": STAGE3_LOSSES, "gradients": STAGE3_GRADIENTS, "numerical_net": STAGE3_NET}),
    ("stage4", {"simple_layers": STAGE4_SIMPLE_LAYERS, "layers": STAGE4_LAYERS, "networks": STAGE4_NETWORKS,
                "gradient_check": STAGE4_GRADIENT_CHECK, "training": STAGE4_TRAINING}),
    ("stage5", {"optimizers": STAGE5_OPTIMIZERS}),
], ids=["constant gates", "zeros and lookup tables", "do-nothing gradients and lookup tables",
        "no return values, a zero network and reported training", "do-nothing updates in a patched worker"])
def test_a_stub_with_cheats_scores_zero(make_stub_submission, stage, append):
    report = grade(make_stub_submission(append=append), stage)
    assert stage_scores(report)[stage][0] == 0.0, paid(report)


@pytest.mark.parametrize("code", [MEMOISED_ROW_LOOP, THREAD_ROW_LOOP, FORKED_ROW_LOOP, SUBPROCESS_ROW_LOOP,
                                  PRECOMPUTED_ROW_LOOP],
                         ids=["memoised, with a slow echo", "in a thread", "in a forked child", "in a subprocess",
                              "precomputed at import"])
def test_a_hidden_row_loop_loses_its_timing_points(make_stub_submission, code):
    report = scores_by_test(grade(make_stub_submission(append={"activations": code}), "stage2"))
    # A right softmax: every softmax test but the timing test pays in full.
    assert report["test_softmax_is_vectorised"] == 0.0
    assert report["test_softmax_batch[64x10]"] == points("stage2", "test_softmax_batch[64x10]")
    assert report["test_softmax_large_inputs"] == points("stage2", "test_softmax_large_inputs")


# Work moved out of the timed call into an untimed one of the same test. SoftmaxWithLoss's dout is always
# 1, so its gradient can be built in the forward before it: here once a backward has shown the layer is
# trained (the timing test used to time a run of forwards first, then each backward after an untimed
# forward). Affine's dW: computed when it is read, which the timing test never did.
GRADIENT_IN_THE_FORWARD = SOFTMAX_WITH_LOSS_ROW_LOOP.replace("SoftmaxWithLoss.backward = _row_loop_backward", "") + """
_forward = SoftmaxWithLoss.forward

def _forward_and_gradient(self, x, t):
    loss = _forward(self, x, t)
    self.gradient = _row_loop_backward(self) if getattr(self, "trained", False) else None
    return loss

def _backward_from_the_forward(self, dout=1):
    self.trained = True
    return dout * self.gradient if self.gradient is not None else _row_loop_backward(self, dout)

SoftmaxWithLoss.forward = _forward_and_gradient
SoftmaxWithLoss.backward = _backward_from_the_forward
"""
DW_WHEN_READ = """
def _backward_leaving_dW(self, dout):
    self.dout = dout
    self.db = np.sum(dout, axis=0)
    if not self.needs_input_grad:
        return None
    return np.dot(dout, self.W.T).reshape(self.original_x_shape)

def _dW_row_by_row(self):
    dW = np.zeros(self.W.shape)
    for i in range(self.x.shape[0]):
        dW += np.outer(self.x[i], self.dout[i])
    return dW

Affine.backward = _backward_leaving_dW
Affine.dW = property(_dW_row_by_row, lambda self, value: None)
"""


@pytest.mark.parametrize("code, timing_test", [(GRADIENT_IN_THE_FORWARD, "test_softmax_with_loss_is_vectorised"),
                                               (DW_WHEN_READ, "test_affine_is_vectorised")],
                         ids=["SoftmaxWithLoss's gradient in the forward", "Affine's dW when it is read"])
def test_a_row_loop_moved_to_an_untimed_call_loses_its_timing_points(make_submission, code, timing_test):
    report = grade(make_submission(append={"layers": code}), "stage4")
    # Right values: the timing test alone loses its points.
    lost = {name: score for name, score in scores_by_test(report).items()
            if score < RUBRIC[f"test_stage4.py::{name}"].points}
    assert lost == {timing_test: 0.0}
