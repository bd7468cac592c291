# %% [markdown]
# # Stage 2: activations, softmax and a network's forward pass
#
# *Deep Learning from Scratch*, chapter 3. A perceptron's step is one activation function among many; a
# neural network replaces it with a smooth one, stacks layers of affine maps $a = xW + b$ with
# activations $z = h(a)$ between them, and ends with softmax to read the outputs as probabilities.

# %%
import matplotlib.pyplot as plt
import numpy as np

from dlscratch_data import load_digits

# %% only="repo"
# Re-import your dlscratch modules whenever you save them, without restarting the kernel.
get_ipython().run_line_magic("load_ext", "autoreload")
get_ipython().run_line_magic("autoreload", "2")

# %% only="nbgrader"
from pathlib import Path

# The trained sample network ships next to this notebook.
SAMPLE_WEIGHTS = Path("sample_weight.npz")

# %% [markdown]
# ## Exercise: step, sigmoid, ReLU and identity
#
# Each takes an array of any shape and returns a float64 array of the same shape, element by element:
#
# - step: $h(x) = 1$ where $x > 0$, else $0$ (the perceptron's activation);
# - sigmoid: $h(x) = 1 / (1 + e^{-x})$; `np.exp(-x)` overflows for large negative $x$ (a warning and
#   `inf`), so a careful version uses $e^{x} / (1 + e^{x})$ where $x < 0$;
# - ReLU: $h(x) = \max(0, x)$;
# - identity: the output activation for regression, a float64 copy.
#
# No Python loops: NumPy applies an expression to every element at once.

# %% module="activations" names=["step_function", "sigmoid", "relu", "identity_function"]

# %%
x = np.linspace(-5.0, 5.0, 401)
figure, ax = plt.subplots(figsize=(7, 4))
for function, style in ((step_function, "--"), (sigmoid, "-"), (relu, ":")):
    ax.plot(x, function(x), style, linewidth=2, label=function.__name__)
ax.set(xlabel="x", ylabel="h(x)", ylim=(-0.2, 1.6), title="step vs sigmoid vs ReLU")
ax.grid(alpha=0.3)
ax.legend()
plt.show()

# %% [markdown]
# The step jumps, so a small change of a weight changes nothing or flips the output: useless for learning
# by small steps (stage 3). Sigmoid is the smooth version of the step; ReLU is linear where it fires.
#
# ## Why a hidden layer needs a non-linear activation
#
# Without $h$, two layers collapse into one: $(xW_1 + b_1)W_2 + b_2 = x(W_1W_2) + (b_1W_2 + b_2)$, an
# affine map again, so depth would add nothing; a stack of linear layers cannot even compute XOR. The
# next cell checks the algebra numerically, then shows that putting ReLU between the layers breaks it.

# %%
rng = np.random.default_rng(0)
x = rng.standard_normal((5, 3))
W1, b1, W2, b2 = rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal((4, 2)), rng.standard_normal(2)
two_linear_layers = (x @ W1 + b1) @ W2 + b2
one_layer = x @ (W1 @ W2) + (b1 @ W2 + b2)
print("two linear layers == one affine layer:", np.allclose(two_linear_layers, one_layer))
print("with ReLU between them:               ", np.allclose(relu(x @ W1 + b1) @ W2 + b2, one_layer))

# %% tests="elementwise_activations" points=3
X = np.array([-1.0, 0.0, 2.0])
y = step_function(X)
assert y.dtype == np.float64 and y.shape == (3,), "step_function returns float64 of the input's shape"
np.testing.assert_array_equal(y, [0.0, 0.0, 1.0])
np.testing.assert_allclose(sigmoid(X), [0.26894142, 0.5, 0.88079708], rtol=1e-7)
np.testing.assert_array_equal(relu(X), [0.0, 0.0, 2.0])
np.testing.assert_array_equal(identity_function(X), X)
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_array
from solutions import activations as reference_activations
hidden_rng = np.random.default_rng(2024)
for hidden_name in ("step_function", "sigmoid", "relu", "identity_function"):
    for hidden_x in (hidden_rng.standard_normal((3, 4)) * 40, hidden_rng.integers(-5, 6, (2, 3, 4))):
        expect_array(globals()[hidden_name](hidden_x.copy()), getattr(reference_activations, hidden_name)(hidden_x),
                     f"{hidden_name} on an array of shape {hidden_x.shape}")
### END HIDDEN TESTS

# %% [markdown]
# ## Exercise: softmax, and the overflow trick
#
# $$y_k = \frac{e^{x_k}}{\sum_j e^{x_j}}$$
#
# along the last axis (the classes), so a batch `(N, C)` gives one distribution per row. `np.exp(1010)`
# is `inf` and `inf / inf` is `nan`. Softmax does not change when the same constant is subtracted from
# every score, $\frac{e^{x_k - c}}{\sum_j e^{x_j - c}} = \frac{e^{x_k}}{\sum_j e^{x_j}}$, so subtract
# the row's maximum first: the largest exponent is then $e^0 = 1$ and nothing overflows.

# %%
scores = np.array([1010.0, 1000.0, 990.0])
with np.errstate(over="ignore", invalid="ignore"):
    print("naive:   ", np.exp(scores) / np.sum(np.exp(scores)))
shifted = scores - scores.max()
print("shifted: ", np.exp(shifted) / np.sum(np.exp(shifted)))

# %% module="activations" names=["softmax"]

# %% tests="softmax" points=3
y = softmax(np.array([0.3, 2.9, 4.0]))
np.testing.assert_allclose(y, [0.01821127, 0.24519181, 0.73659691], rtol=1e-6)
with np.errstate(over="raise", invalid="raise"):
    y = softmax(np.array([1010.0, 1000.0, 990.0]))
np.testing.assert_allclose(y, [9.99954600e-01, 4.53978686e-05, 2.06106005e-09], rtol=1e-6)
batch = softmax(np.array([[0.3, 2.9, 4.0], [1.0, 1.0, 1.0]]))
assert batch.shape == (2, 3), "softmax keeps the batch's shape"
np.testing.assert_allclose(batch[1], [1 / 3] * 3, rtol=1e-12)
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_array
from solutions import activations as reference_activations
hidden_rng = np.random.default_rng(3031)
for hidden_shape in [(7,), (6, 4), (2, 3, 5)]:
    hidden_x = hidden_rng.standard_normal(hidden_shape) * 300
    expect_array(softmax(hidden_x.copy()), reference_activations.softmax(hidden_x), f"softmax on shape {hidden_shape}",
                 rtol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ## Exercise: the forward pass, batched prediction and accuracy
#
# `forward` computes three affine layers with sigmoid after the first two and the identity at the end:
#
# | step | shape, for one sample `x: (D,)` | for a batch `x: (N, D)` |
# |---|---|---|
# | $a_1 = x W_1 + b_1$, $z_1 = \sigma(a_1)$ | `(H1,)` | `(N, H1)` |
# | $a_2 = z_1 W_2 + b_2$, $z_2 = \sigma(a_2)$ | `(H2,)` | `(N, H2)` |
# | $y = a_3 = z_2 W_3 + b_3$ | `(M,)` | `(N, M)` |
#
# The same code serves both: `np.dot` of `(N, D)` with `(D, H1)` is `(N, H1)`, and the bias broadcasts
# over the rows. `predict` adds softmax; `accuracy` predicts `batch_size` rows at a time (one big matrix
# product is much faster than a loop over images) and counts the rows whose most probable class is right.

# %% module="neuralnet" names=["init_network", "load_sample_network"]

# %% module="neuralnet" names=["forward", "predict", "accuracy"]

# %% tests="forward_and_accuracy" points=4
np.testing.assert_allclose(forward(init_network(), np.array([1.0, 0.5])), [0.31682708, 0.69627909], rtol=1e-7)
probabilities = predict(init_network(), np.array([[1.0, 0.5], [0.0, 0.0], [-1.0, 2.0]]))
assert probabilities.shape == (3, 2)
np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-12)
_, (x_test, t_test) = load_digits(normalize=True)
sample = load_sample_network()
acc = accuracy(sample, x_test, t_test, batch_size=100)
assert isinstance(acc, float) and acc > 0.9, f"accuracy {acc!r}: expected a float above 0.9"
assert acc == accuracy(sample, x_test, t_test, batch_size=7), "the batch size must not change the result"
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_array, expect_scalar
from solutions import neuralnet as reference_neuralnet
hidden_rng = np.random.default_rng(4047)
hidden_net = {"W1": hidden_rng.standard_normal((5, 4)), "b1": hidden_rng.standard_normal(4),
              "W2": hidden_rng.standard_normal((4, 3)), "b2": hidden_rng.standard_normal(3),
              "W3": hidden_rng.standard_normal((3, 2)), "b3": hidden_rng.standard_normal(2)}
hidden_x = hidden_rng.standard_normal((6, 5))
expect_array(forward(hidden_net, hidden_x), reference_neuralnet.forward(hidden_net, hidden_x), "forward on a (6, 5) batch")
expect_array(predict(hidden_net, hidden_x), reference_neuralnet.predict(hidden_net, hidden_x), "predict on a (6, 5) batch")
hidden_t = hidden_rng.integers(0, 2, 6)
expect_scalar(accuracy(hidden_net, hidden_x, hidden_t, batch_size=4),
              reference_neuralnet.accuracy(hidden_net, hidden_x, hidden_t, batch_size=4), "accuracy with a partial last batch")
### END HIDDEN TESTS

# %% [markdown]
# ## Your network reads digits
#
# The sample network was trained on the 8x8 digits (you train your own in stage 4). Below: test images
# with your `predict`'s most probable class and its probability; red titles are mistakes.

# %%
_, (x_test, t_test) = load_digits(normalize=True)
probabilities = predict(load_sample_network(), x_test[:24])
print(f"test accuracy of the sample network: {accuracy(load_sample_network(), x_test, t_test):.4f}")
figure, axes = plt.subplots(3, 8, figsize=(10, 4.4))
for ax, image, label, p in zip(axes.flat, x_test, t_test, probabilities):
    guess = int(np.argmax(p))
    ax.imshow(image.reshape(8, 8), cmap="gray_r")
    ax.set_title(f"{guess} ({p[guess]:.2f})", color="black" if guess == label else "red", fontsize=9)
    ax.axis("off")
figure.suptitle("predicted digit (probability)")
figure.tight_layout()
plt.show()
