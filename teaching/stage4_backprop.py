# %% [markdown]
# # Stage 4: backpropagation
#
# *Deep Learning from Scratch*, chapter 5, and CS231n's backprop lecture. A numerical gradient costs two
# forward passes per parameter; backpropagation gets all of them from one forward and one backward pass,
# by the chain rule applied node by node on a computation graph.

# %%
import matplotlib.pyplot as plt
import numpy as np

from dlscratch_data import load_digits

# %% only="repo"
# Re-import your dlscratch modules whenever you save them, without restarting the kernel.
get_ipython().run_line_magic("load_ext", "autoreload")
get_ipython().run_line_magic("autoreload", "2")

# %% [markdown]
# ## Local gradients of the four gates
#
# Each node only needs its **local** gradient: backward multiplies the upstream gradient $\partial L /
# \partial z$ by $\partial z / \partial \text{input}$ and passes it on.
#
# | gate | forward | backward (given $dz = \partial L/\partial z$) | picture |
# |---|---|---|---|
# | add | $z = x + y$ | $dx = dz$, $dy = dz$ | a **distributor** |
# | multiply | $z = xy$ | $dx = dz \cdot y$, $dy = dz \cdot x$ | a **swapper**: each input gets the *other* one |
# | max | $z = \max(x, y)$ | $dz$ to the larger input, $0$ to the other | a **router** |
# | copy | $z_1 = z_2 = x$ (a value used twice) | $dx = dz_1 + dz_2$ | gradients **add up** |
#
# The next cell checks all four on $L = \max(a, b)\,(c + d) + c$: $c$ is used twice (a copy gate).

# %%
a, b, c, d = 2.0, -1.0, 3.0, 0.5
m, s = max(a, b), c + d                     # forward: max gate, add gate
L = m * s + c                               # multiply gate, then c again (copy)
dm, ds = s, m                               # multiply swaps
da, db = (dm, 0.0) if a > b else (0.0, dm)  # max routes to the larger input
dc, dd = ds + 1.0, ds                       # add distributes; c's two uses add up
numeric = lambda f, v, h=1e-6: (f(v + h) - f(v - h)) / (2 * h)
print("backprop :", da, db, dc, dd)
print("numerical:", *(round(numeric(f, v), 6) for f, v in [
    (lambda v: max(v, b) * (c + d) + c, a), (lambda v: max(a, v) * (c + d) + c, b),
    (lambda v: max(a, b) * (v + d) + v, c), (lambda v: max(a, b) * (c + v) + c, d)]))

# %% [markdown]
# ## Exercise: the multiply and add layers
#
# `forward` caches what `backward` needs (the multiply layer needs both inputs). `buy_apple_orange`,
# given, wires four of them into the book's shopping graph: price $= (100 \cdot 2 + 150 \cdot 3) \cdot
# 1.1 = 715$.

# %% module="simple_layers" names=["MulLayer", "AddLayer"]

# %% module="simple_layers" names=["buy_apple_orange"]

# %% tests="simple_layers" points=2
mul, add = MulLayer(), AddLayer()
assert mul.forward(100, 2) == 200 and mul.backward(1.5) == (3.0, 150.0)
assert add.forward(3, 4) == 7 and add.backward(2.0) == (2.0, 2.0)
price, grads = buy_apple_orange()
assert abs(price - 715) < 1e-9
expected = {"apple": 2.2, "apple_num": 110, "orange": 3.3, "orange_num": 165, "tax": 650}
for name, value in expected.items():
    assert abs(grads[name] - value) < 1e-9, f"d price / d {name}: {grads[name]}, expected {value}"
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_array
hidden_rng = np.random.default_rng(8081)
hidden_x, hidden_y, hidden_dz = (hidden_rng.standard_normal((3, 2)) for _ in range(3))
hidden_mul = MulLayer()
expect_array(hidden_mul.forward(hidden_x, hidden_y), hidden_x * hidden_y, "MulLayer.forward on arrays")
hidden_dx, hidden_dy = hidden_mul.backward(hidden_dz)
expect_array(hidden_dx, hidden_dz * hidden_y, "MulLayer.backward: dx")
expect_array(hidden_dy, hidden_dz * hidden_x, "MulLayer.backward: dy")
### END HIDDEN TESTS

# %% [markdown]
# ## Exercise: the max and copy gates, and the sigmoid circuit stage by stage
#
# The max gate **routes**: all of $dz$ goes to the larger input. Where the inputs tie, max has no
# derivative; `MaxGate` sends $dz$ to $x$ (a subgradient: $dx + dy = dz$ still). A value used by two
# branches is a **copy** gate: its gradient is the sum of theirs (forget one and training silently uses
# half a gradient).
#
# CS231n's circuit $f(w, x) = 1 / (1 + e^{-(w_0 x_0 + w_1 x_1 + w_2)})$ goes through the stages
# $\text{dot} \to -\text{dot} \to e^{(\cdot)} \to 1 + (\cdot) \to 1/(\cdot)$. Backward starts from $df = 1$
# and multiplies by each stage's local gradient in reverse: $-1/d^2$, $1$, $e^{\text{neg}}$, $-1$; then
# the multiply gates swap: $dw_i = x_i\,d\text{dot}$, $dx_i = w_i\,d\text{dot}$. (The product of the
# stages is $f(1 - f)$, the sigmoid's own derivative.)

# %% module="graph_gates" names=["MaxGate", "CopyGate", "sigmoid_circuit"]

# %% tests="graph_gates" points=2
gate = MaxGate()
np.testing.assert_array_equal(gate.forward(np.array([1.0, 5.0, 2.0]), np.array([3.0, 2.0, 2.0])), [3.0, 5.0, 2.0])
gate_dx, gate_dy = gate.backward(np.array([10.0, 20.0, 30.0]))
np.testing.assert_array_equal(gate_dx, [0.0, 20.0, 30.0], err_msg="max routes dz to the larger input; ties to x")
np.testing.assert_array_equal(gate_dy, [10.0, 0.0, 0.0])
assert CopyGate().backward(1.5, -0.5) == 1.0, "a copy gate sums its branches' gradients"
f, dw, dx = sigmoid_circuit(np.array([2.0, -3.0, -3.0]), np.array([-1.0, -2.0]))
assert abs(f - 0.7310585786300049) < 1e-12
np.testing.assert_allclose(dw, [-0.19661193, -0.39322387, 0.19661193], rtol=1e-7)
np.testing.assert_allclose(dx, [0.39322387, -0.5898358], rtol=1e-7)
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_array, expect_scalar
from solutions import graph_gates as reference_gates
hidden_rng = np.random.default_rng(8117)
hidden_w, hidden_x = hidden_rng.standard_normal(3), hidden_rng.standard_normal(2)
for hidden_mine, hidden_ours, hidden_label in zip(sigmoid_circuit(hidden_w.copy(), hidden_x.copy()),
                                                  reference_gates.sigmoid_circuit(hidden_w, hidden_x), ("f", "dw", "dx")):
    expect_array(np.asarray(hidden_mine), hidden_ours, f"sigmoid_circuit on random w, x: {hidden_label}")
hidden_a, hidden_b, hidden_dz = (hidden_rng.standard_normal((3, 2)) for _ in range(3))
hidden_gate = MaxGate()
hidden_gate.forward(hidden_a, hidden_b)
for hidden_mine, hidden_ours in zip(hidden_gate.backward(hidden_dz), (hidden_dz * (hidden_a >= hidden_b),
                                                                        hidden_dz * (hidden_a < hidden_b))):
    expect_array(hidden_mine, hidden_ours, "MaxGate.backward on (3, 2) arrays")
### END HIDDEN TESTS

# %% [markdown]
# ## Exercise: backpropagation by hand, the classic 2-2-2 network
#
# Two inputs, two sigmoid hidden units, two sigmoid outputs, $E = \tfrac12 \sum (t - o)^2$: the worked
# example every backprop tutorial repeats. $x = (0.05, 0.10)$, $t = (0.01, 0.99)$, $w_1..w_4 = 0.15,
# 0.20, 0.25, 0.30$ into the hidden units ($w_1, w_2$ from $x_1, x_2$ to $h_1$), $w_5..w_8 = 0.40, 0.45,
# 0.50, 0.55$ into the outputs, biases $0.35$ and $0.60$ (kept fixed), learning rate $0.5$. In the book's
# layout $h = \sigma(x W_1 + b_1)$, so $w_1 = W_1[0, 0]$, $w_2 = W_1[1, 0]$, $w_3 = W_1[0, 1]$.
#
# Backward: $\delta_o = (o - t)\,o(1 - o)$, $dW_2 = h^\top \delta_o$; $\delta_h = (W_2 \delta_o)\,h(1 - h)$
# with the **old** $W_2$, $dW_1 = x^\top \delta_h$. The error starts at $0.298371109$; after one step it is
# $0.2910277737$ (the often quoted $0.291027924$ comes from rounding every intermediate value).

# %% module="backprop_by_hand" names=["_sigmoid", "forward", "backprop_step"]

# %% tests="backprop_by_hand" points=2
hand_x, hand_t = np.array([0.05, 0.10]), np.array([0.01, 0.99])
hand_W1, hand_W2 = np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([[0.40, 0.50], [0.45, 0.55]])
_, hand_o = forward(hand_x, hand_W1, 0.35, hand_W2, 0.60)
assert abs(0.5 * np.sum((hand_t - hand_o) ** 2) - 0.298371109) < 1e-9
new_W1, new_W2 = backprop_step(hand_x, hand_t, hand_W1, 0.35, hand_W2, 0.60, lr=0.5)
np.testing.assert_allclose(new_W1, [[0.149780716, 0.249751144], [0.199561432, 0.299502287]], rtol=0, atol=1e-8)
np.testing.assert_allclose(new_W2, [[0.358916480, 0.511301270], [0.408666186, 0.561370121]], rtol=0, atol=1e-8)
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_array
from solutions import backprop_by_hand as reference_by_hand
hidden_rng = np.random.default_rng(8123)
hidden_net = (hidden_rng.standard_normal(3), hidden_rng.uniform(0, 1, 2), hidden_rng.standard_normal((3, 4)),
              hidden_rng.standard_normal(4), hidden_rng.standard_normal((4, 2)), hidden_rng.standard_normal(2))
for hidden_mine, hidden_ours, hidden_label in zip(backprop_step(*(np.copy(a) for a in hidden_net)),
                                                  reference_by_hand.backprop_step(*hidden_net), ("W1", "W2")):
    expect_array(hidden_mine, hidden_ours, f"backprop_step on a random 3-4-2 network: new {hidden_label}")
### END HIDDEN TESTS

# %% [markdown]
# ## Carried over from stages 2 and 3
#
# The layers use your sigmoid, softmax, cross-entropy and numerical gradient.

# %% module="activations" names=["sigmoid", "softmax"]

# %% module="losses" names=["LOG_GUARD", "cross_entropy_error"]

# %% module="gradients" names=["H", "numerical_gradient"]

# %% [markdown]
# ## Affine backward by dimension analysis
#
# $\text{out} = xW + b$ with $x: (N, D)$, $W: (D, M)$, $b: (M,)$, $\text{out}: (N, M)$. A gradient has
# the shape of what it differentiates, and each one is a product of $d\text{out}: (N, M)$ with the *other*
# factor; there is only one way to make the shapes fit:
#
# - $dx: (N, D) = d\text{out}\,(N, M) \cdot W^\top (M, D)$
# - $dW: (D, M) = x^\top (D, N) \cdot d\text{out}\,(N, M)$: a sum over the batch, one term per sample
# - $db: (M,) = \sum_n d\text{out}_n$: $b$ was broadcast (copied) to every row, and copies add up
#
# An input of shape $(N, d_1, \dots, d_k)$ (images) is flattened to $(N, D)$ in forward, and $dx$ is
# reshaped back. ReLU's backward is the max gate per element: $dout$ passes where $x > 0$. Sigmoid's
# local gradient is $y(1 - y)$, from the output it cached. Softmax with cross-entropy has the famous
# simple gradient $(y - t) / N$.

# %% module="layers" names=["Relu", "Sigmoid", "Affine", "SoftmaxWithLoss"]

# %% tests="layers" points=4
rng = np.random.default_rng(0)
x = np.array([[1.0, -0.5], [-2.0, 3.0]])
relu_layer = Relu()
np.testing.assert_array_equal(relu_layer.forward(x), [[1.0, 0.0], [0.0, 3.0]])
np.testing.assert_array_equal(relu_layer.backward(np.ones_like(x)), [[1.0, 0.0], [0.0, 1.0]])
np.testing.assert_array_equal(x, [[1.0, -0.5], [-2.0, 3.0]], err_msg="Relu must not modify its input")
x4 = rng.standard_normal((2, 3, 2, 2))
W, b, dout = rng.standard_normal((12, 5)), rng.standard_normal(5), rng.standard_normal((2, 5))
affine = Affine(W, b)
np.testing.assert_allclose(affine.forward(x4), x4.reshape(2, 12) @ W + b, rtol=1e-12)
dx4 = affine.backward(dout)
assert dx4.shape == x4.shape and affine.dW.shape == W.shape and affine.db.shape == b.shape
numerical_dx = numerical_gradient(lambda _: np.sum(Affine(W, b).forward(x4) * dout), x4)
assert np.max(np.abs(dx4 - numerical_dx)) < 1e-6, "Affine.backward: dx disagrees with the numerical gradient"
scores, labels = rng.standard_normal((4, 3)), np.array([0, 2, 1, 2])
loss_layer = SoftmaxWithLoss()
assert isinstance(loss_layer.forward(scores, labels), float)
numerical_scores = numerical_gradient(lambda _: SoftmaxWithLoss().forward(scores, labels), scores)
assert np.max(np.abs(loss_layer.backward(1) - numerical_scores)) < 1e-5
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_array, expect_scalar
from solutions import layers as reference_layers
hidden_rng = np.random.default_rng(9091)
hidden_x, hidden_dout = hidden_rng.standard_normal((5, 3)), hidden_rng.standard_normal((5, 3))
for hidden_name in ("Relu", "Sigmoid"):
    hidden_ours, hidden_theirs = getattr(reference_layers, hidden_name)(), globals()[hidden_name]()
    expect_array(hidden_theirs.forward(hidden_x.copy()), hidden_ours.forward(hidden_x), f"{hidden_name}.forward")
    expect_array(hidden_theirs.backward(hidden_dout.copy()), hidden_ours.backward(hidden_dout), f"{hidden_name}.backward")
hidden_W, hidden_b = hidden_rng.standard_normal((3, 4)), hidden_rng.standard_normal(4)
hidden_ours, hidden_theirs = reference_layers.Affine(hidden_W, hidden_b), Affine(hidden_W.copy(), hidden_b.copy())
expect_array(hidden_theirs.forward(hidden_x.copy()), hidden_ours.forward(hidden_x), "Affine.forward")
hidden_dout = hidden_rng.standard_normal((5, 4))
expect_array(hidden_theirs.backward(hidden_dout.copy()), hidden_ours.backward(hidden_dout), "Affine.backward: dx")
expect_array(hidden_theirs.dW, hidden_ours.dW, "Affine.backward: dW")
expect_array(hidden_theirs.db, hidden_ours.db, "Affine.backward: db")
hidden_t = np.eye(3)[hidden_rng.integers(0, 3, 5)]
hidden_ours, hidden_theirs = reference_layers.SoftmaxWithLoss(), SoftmaxWithLoss()
expect_scalar(hidden_theirs.forward(hidden_x.copy(), hidden_t), hidden_ours.forward(hidden_x, hidden_t),
              "SoftmaxWithLoss.forward (one-hot)", rtol=1e-4)
expect_array(hidden_theirs.backward(2.0), hidden_ours.backward(2.0), "SoftmaxWithLoss.backward(2.0)", rtol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ## Exercise: the layered network, gradient checking and mini-batch SGD
#
# `TwoLayerNet` chains `Affine1 -> Relu1 -> Affine2` and ends with `SoftmaxWithLoss`; `gradient` runs
# the layers forward, then `backward` in reverse order, and collects `dW`, `db`. A gradient check
# compares it with the numerical gradient: CS231n's relative error
# $\max \frac{|x - y|}{\max(10^{-8}, |x| + |y|)}$ should be around $10^{-7}$ or below.

# %% module="networks" names=["TwoLayerNet"]

# %% module="gradient_check" names=["rel_error", "gradient_check"]

# %% module="training" names=["sgd_step", "minibatch_sgd"]

# %% tests="network_and_training" points=4
assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
assert abs(rel_error(np.array([1.0]), np.array([3.0])) - 0.5) < 1e-12
np.random.seed(1)
net = TwoLayerNet(input_size=5, hidden_size=4, output_size=3, weight_init_std=0.1)
check_rng = np.random.default_rng(0)
x_small, t_small = check_rng.standard_normal((6, 5)), check_rng.integers(0, 3, size=6)
errors = gradient_check(net, x_small, t_small)
assert set(errors) == {"W1", "b1", "W2", "b2"} and max(errors.values()) < 1e-5, errors
np.random.seed(2)
toy_rng = np.random.default_rng(3)
x_toy = toy_rng.standard_normal((200, 5))
t_toy = (x_toy[:, 0] > 0).astype(int)
toy_net = TwoLayerNet(input_size=5, hidden_size=8, output_size=2, weight_init_std=0.5)
toy_losses = minibatch_sgd(toy_net, x_toy, t_toy, lr=0.5, batch_size=20, iters_num=200, seed=0)
assert len(toy_losses) == 200 and np.mean(toy_losses[-20:]) < 0.5 * np.mean(toy_losses[:20])
assert toy_net.accuracy(x_toy, t_toy) > 0.9
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_array
from solutions import networks as reference_networks
hidden_rng = np.random.default_rng(10111)
hidden_reference, hidden_net = reference_networks.TwoLayerNet(4, 5, 3), TwoLayerNet(4, 5, 3)
for hidden_key in hidden_reference.params:
    hidden_reference.params[hidden_key][...] = hidden_rng.standard_normal(hidden_reference.params[hidden_key].shape)
    hidden_net.params[hidden_key][...] = hidden_reference.params[hidden_key]
hidden_x, hidden_t = hidden_rng.standard_normal((7, 4)), hidden_rng.integers(0, 3, 7)
hidden_grads = hidden_net.gradient(hidden_x.copy(), hidden_t)
for hidden_key, hidden_expected in hidden_reference.gradient(hidden_x, hidden_t).items():
    expect_array(hidden_grads[hidden_key], hidden_expected, f"TwoLayerNet.gradient: {hidden_key}", rtol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ## Training on the digits
#
# Twenty "epochs" of mini-batch SGD (about one pass over the 1,437 training images each) with the book's
# learning rate 0.1. The batch loss falls steadily; the test accuracy follows the training accuracy
# closely, so the network is not overfitting yet (a training accuracy that keeps rising while the test
# accuracy stalls would be the sign).

# %%
(x_train, t_train), (x_test, t_test) = load_digits(normalize=True)
np.random.seed(0)
digits_net = TwoLayerNet(input_size=64, hidden_size=50, output_size=10, weight_init_std=0.1)
epoch_loss, train_accuracy, test_accuracy = [], [], []
for epoch in range(20):
    batch_losses = minibatch_sgd(digits_net, x_train, t_train, lr=0.1, batch_size=100, iters_num=15, seed=epoch)
    epoch_loss.append(np.mean(batch_losses))
    train_accuracy.append(digits_net.accuracy(x_train, t_train))
    test_accuracy.append(digits_net.accuracy(x_test, t_test))
print(f"after 20 epochs: train accuracy {train_accuracy[-1]:.3f}, test accuracy {test_accuracy[-1]:.3f}")
figure, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
left.plot(range(1, 21), epoch_loss, "o-", markersize=3)
left.set(xlabel="epoch", ylabel="mean batch loss", title="training loss")
right.plot(range(1, 21), train_accuracy, "o-", markersize=3, label="train")
right.plot(range(1, 21), test_accuracy, "s-", markersize=3, label="test")
right.set(xlabel="epoch", ylabel="accuracy", title="accuracy", ylim=(0, 1.02))
right.legend()
figure.tight_layout()
plt.show()
