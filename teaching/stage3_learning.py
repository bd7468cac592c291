# %% [markdown]
# # Stage 3: losses, numerical gradients and learning
#
# *Deep Learning from Scratch*, chapter 4. Learning means finding the parameters that make a **loss**
# small; the **gradient** of the loss says which way to move them. This stage computes gradients the
# slow, obviously-correct way, by finite differences; stage 4 computes the same numbers fast.

# %%
import matplotlib.pyplot as plt
import numpy as np

# %% only="repo"
# Re-import your dlscratch modules whenever you save them, without restarting the kernel.
get_ipython().run_line_magic("load_ext", "autoreload")
get_ipython().run_line_magic("autoreload", "2")

# %% [markdown]
# ## Exercise: mean squared error and cross-entropy
#
# For a probability vector $y$ and a one-hot target $t$:
#
# $$E_\text{MSE} = \tfrac12 \sum_k (y_k - t_k)^2 \qquad E_\text{CE} = -\sum_k t_k \log(y_k + 10^{-7})$$
#
# averaged over the batch for `(N, C)` input. Only the correct class counts in cross-entropy, so labels
# `t: (N,)` work as well as one-hot `t: (N, C)`: pick `y[np.arange(N), t]`. The $10^{-7}$ keeps
# $\log 0 = -\infty$ out when a correct class gets probability 0.

# %% module="losses" names=["LOG_GUARD", "mean_squared_error", "cross_entropy_error"]

# %% tests="losses" points=3
T = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0], dtype=np.float64)
Y_GOOD = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
Y_BAD = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])
assert abs(mean_squared_error(Y_GOOD, T) - 0.0975) < 1e-9 and abs(mean_squared_error(Y_BAD, T) - 0.5975) < 1e-9
assert abs(cross_entropy_error(Y_GOOD, T) - 0.510825457099338) < 1e-9
assert isinstance(cross_entropy_error(Y_GOOD, T), float), "losses return a Python float"
batch_loss = cross_entropy_error(np.stack([Y_GOOD, Y_BAD]), np.array([2, 2]))
assert abs(batch_loss - (0.510825457099338 + 2.302584092994546) / 2) < 1e-9, "labels, averaged over the batch"
assert np.isfinite(cross_entropy_error(np.array([1.0, 0.0]), np.array([0.0, 1.0])))
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_scalar
from solutions import activations as reference_activations, losses as reference_losses
hidden_rng = np.random.default_rng(5053)
hidden_y = reference_activations.softmax(hidden_rng.standard_normal((7, 4)))
hidden_labels = hidden_rng.integers(0, 4, 7)
for hidden_t in (hidden_labels, np.eye(4)[hidden_labels]):
    expect_scalar(cross_entropy_error(hidden_y.copy(), hidden_t), reference_losses.cross_entropy_error(hidden_y, hidden_t),
                  "cross_entropy_error on a batch of 7", rtol=1e-4)
    expect_scalar(mean_squared_error(hidden_y.copy(), np.eye(4)[hidden_labels]),
                  reference_losses.mean_squared_error(hidden_y, np.eye(4)[hidden_labels]), "mean_squared_error on a batch of 7")
### END HIDDEN TESTS

# %% [markdown]
# ## Exercise: entropy, cross-entropy and KL divergence
#
# For distributions $p$ (the truth) and $q$ (the model), in nats:
#
# $$H(p) = -\sum_k p_k \log p_k \qquad H(p, q) = -\sum_k p_k \log q_k \qquad
#   \mathrm{KL}(p \,\|\, q) = \sum_k p_k \log \frac{p_k}{q_k}$$
#
# with $0 \log 0 = 0$. They fit together as $H(p, q) = H(p) + \mathrm{KL}(p \,\|\, q)$, and
# $\mathrm{KL} \ge 0$ (zero only for $q = p$): cross-entropy never drops below the entropy, and training
# that lowers cross-entropy over $q$ lowers the KL divergence. For a label, $p$ is one-hot, $H(p) = 0$, and
# $H(p, q) = -\log q_\text{label}$: `cross_entropy_error` above, less its $10^{-7}$ guard.

# %% module="entropy" names=["entropy", "cross_entropy", "kl_divergence"]

# %% tests="entropy" points=2
fair, skewed = np.array([0.5, 0.5]), np.array([0.25, 0.75])
assert abs(entropy(fair) - np.log(2)) < 1e-12 and entropy(np.array([0.0, 1.0])) == 0.0, "0 log 0 counts as 0"
assert abs(cross_entropy(fair, skewed) - (entropy(fair) + kl_divergence(fair, skewed))) < 1e-12
assert kl_divergence(fair, skewed) > 0 and abs(kl_divergence(skewed, skewed)) < 1e-15
assert abs(cross_entropy(np.eye(10)[2], Y_GOOD) - cross_entropy_error(Y_GOOD, T)) < 1e-6
np.testing.assert_allclose(entropy(np.stack([fair, skewed])), [entropy(fair), entropy(skewed)])
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_array
from solutions import activations as reference_activations, entropy as reference_entropy
hidden_rng = np.random.default_rng(5059)
hidden_p = reference_activations.softmax(hidden_rng.standard_normal((5, 4)))
hidden_p[:, 0] = 0.0
hidden_p /= hidden_p.sum(axis=1, keepdims=True)
hidden_q = reference_activations.softmax(hidden_rng.standard_normal((5, 4)))
for hidden_name in ("cross_entropy", "kl_divergence"):
    expect_array(globals()[hidden_name](hidden_p.copy(), hidden_q.copy()),
                 getattr(reference_entropy, hidden_name)(hidden_p, hidden_q), f"{hidden_name} on a batch of 5")
expect_array(entropy(hidden_p.copy()), reference_entropy.entropy(hidden_p), "entropy on a batch of 5")
### END HIDDEN TESTS

# %% [markdown]
# ## Why accuracy can't be the loss
#
# Learning moves a weight a little in the direction that lowers the loss. Accuracy is a count: nudging a
# weight almost never changes any prediction, so its derivative is 0 almost everywhere and jumps where it
# isn't, and a gradient of 0 says nothing about where to go. Cross-entropy changes smoothly with every
# weight. Below, one weight of a small classifier is swept: accuracy is a staircase, the loss a curve
# whose slope points the right way everywhere, even where accuracy is already flat at its best.

# %%
rng = np.random.default_rng(1)
points = rng.standard_normal((40, 2))
labels = (points[:, 0] + 0.5 * points[:, 1] > 0).astype(int)
sweep = np.linspace(-3.0, 1.0, 401)
sweep_accuracy, sweep_loss = [], []
for w in sweep:
    scores = np.stack([np.zeros(len(points)), w * points[:, 0] + 0.5 * points[:, 1]], axis=1)
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    probabilities = shifted / shifted.sum(axis=1, keepdims=True)
    sweep_accuracy.append(np.mean(probabilities.argmax(axis=1) == labels))
    sweep_loss.append(cross_entropy_error(probabilities, labels))
figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
left.plot(sweep, sweep_accuracy, color="tab:orange")
left.set(xlabel="weight w", ylabel="accuracy", title="accuracy: flat, then jumps")
right.plot(sweep, sweep_loss, color="tab:blue")
right.set(xlabel="weight w", ylabel="cross-entropy", title="loss: smooth, a slope everywhere")
figure.tight_layout()
plt.show()

# %% [markdown]
# ## Central vs forward difference
#
# The forward difference $\frac{f(x + h) - f(x)}{h}$ is off by about $\frac{h}{2} f''(x)$: its error
# shrinks like $h$. The central difference $\frac{f(x + h) - f(x - h)}{2h}$ cancels that term (expand
# both in Taylor series), leaving an error like $h^2$. But $h$ cannot be tiny: `1e-50` rounds to nothing
# next to $x$ in float64, and the rounding error of $f(x \pm h)$, divided by $h$, grows like $1/h$. The
# plot measures both errors for $f(x) = e^x$ at $x = 1$ (true derivative $e$): the forward difference is
# best near $h = 10^{-8}$, the central one near $10^{-5}$, a thousand times more accurate; left of those
# minima rounding wins. The course uses the central difference with $h = 10^{-4}$, on the safe side.

# %%
steps = np.logspace(-12, -1, 45)
forward_error = [abs((np.exp(1 + h) - np.exp(1)) / h - np.e) for h in steps]
central_error = [abs((np.exp(1 + h) - np.exp(1 - h)) / (2 * h) - np.e) for h in steps]
figure, ax = plt.subplots(figsize=(7, 4))
ax.loglog(steps, forward_error, "o-", markersize=3, label="forward difference")
ax.loglog(steps, central_error, "s-", markersize=3, label="central difference")
ax.axvline(1e-4, color="0.6", linestyle=":", label="h = 1e-4")
ax.set(xlabel="h", ylabel="|error|", title="error of the derivative of exp at 1")
ax.legend()
plt.show()

# %% [markdown]
# ## Exercise: numerical derivative, gradient and gradient descent
#
# - `numerical_diff(f, x)`: the central difference with `H = 1e-4`;
# - `numerical_gradient(f, x)`: the same for every element of an array `x`, perturbing one element in
#   place, evaluating `f`, and restoring it exactly (networks close over their weights this way);
# - `gradient_descent(f, init_x, lr, step_num)`: repeat $x \leftarrow x - \eta \nabla f(x)$ from a copy.

# %% module="gradients" names=["H", "numerical_diff", "numerical_gradient", "gradient_descent"]

# %% tests="numerical_gradients" points=4
def function_1(x):
    return 0.01 * x ** 2 + 0.1 * x


def function_2(x):
    return np.sum(x ** 2)


assert abs(numerical_diff(function_1, 5.0) - 0.2) < 1e-9 and abs(numerical_diff(function_1, 10.0) - 0.3) < 1e-9
x = np.array([[3.0, 4.0], [0.0, -2.0]])
before = x.copy()
np.testing.assert_allclose(numerical_gradient(function_2, x), 2 * before, atol=1e-6)
np.testing.assert_array_equal(x, before, err_msg="numerical_gradient must restore x")
init_x = np.array([-3.0, 4.0])
np.testing.assert_allclose(gradient_descent(function_2, init_x, lr=0.1, step_num=100),
                           [-6.11110793e-10, 8.14814391e-10], rtol=1e-5)
np.testing.assert_array_equal(init_x, [-3.0, 4.0], err_msg="gradient_descent must not modify init_x")
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_array, expect_scalar
from solutions import gradients as reference_gradients
hidden_rng = np.random.default_rng(6067)
hidden_x = hidden_rng.standard_normal((3, 2, 2))
hidden_f = lambda v: float(np.sum(np.sin(v) * v ** 2))
expect_array(numerical_gradient(hidden_f, hidden_x.copy()), reference_gradients.numerical_gradient(hidden_f, hidden_x.copy()),
             "numerical_gradient of sum(sin(x) x^2) on a (3, 2, 2) array", rtol=1e-6)
expect_scalar(numerical_diff(np.cos, 0.7), reference_gradients.numerical_diff(np.cos, 0.7), "numerical_diff of cos at 0.7")
expect_array(gradient_descent(hidden_f, hidden_x, lr=0.05, step_num=7),
             reference_gradients.gradient_descent(hidden_f, hidden_x, lr=0.05, step_num=7), "gradient_descent, 7 steps", rtol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ## The tangent line
#
# `numerical_diff` gives the slope of $f(x) = 0.01x^2 + 0.1x$ at $x = 5$; the tangent there is
# $y = f(5) + f'(5)(x - 5)$.

# %%
xs = np.linspace(0.0, 20.0, 200)
slope = numerical_diff(function_1, 5.0)
figure, ax = plt.subplots(figsize=(7, 4))
ax.plot(xs, function_1(xs), label="f(x) = 0.01x² + 0.1x")
ax.plot(xs, function_1(5.0) + slope * (xs - 5.0), "--", label=f"tangent at x = 5 (slope {slope:.4f})")
ax.plot(5.0, function_1(5.0), "o", color="black")
ax.set(xlabel="x", ylabel="f(x)", title="a numerical derivative's tangent line")
ax.legend()
plt.show()

# %% [markdown]
# ## The gradient field
#
# At every point, $-\nabla f$ points where $f(x_0, x_1) = x_0^2 + x_1^2$ decreases fastest, and is longer
# where $f$ is steeper. Gradient descent follows the arrows (in red, 20 steps of learning rate 0.1 from
# $(-3, 4)$; each step is stored by running one step at a time).

# %%
grid = np.linspace(-4.0, 4.0, 17)
arrows = np.array([[-numerical_gradient(function_2, np.array([a, b])) for a in grid] for b in grid])
path = [np.array([-3.0, 4.0])]
for _ in range(20):
    path.append(gradient_descent(function_2, path[-1], lr=0.1, step_num=1))
path = np.array(path)
figure, ax = plt.subplots(figsize=(6, 6))
ax.quiver(grid, grid, arrows[..., 0], arrows[..., 1], angles="xy", color="0.45")
ax.plot(path[:, 0], path[:, 1], "o-", color="tab:red", markersize=4, label="gradient descent")
ax.set(xlabel="$x_0$", ylabel="$x_1$", title="$-\\nabla f$ for $f = x_0^2 + x_1^2$", aspect="equal")
ax.legend()
plt.show()

# %% [markdown]
# ## Exercise: a two-layer net trained by numerical gradients
#
# Affine, sigmoid, affine, softmax, with every parameter in the dict `params`. Its numerical gradient
# evaluates the loss twice per parameter entry: fine for checking, hopeless for training a real network
# (stage 4 fixes that). It needs sigmoid and softmax from stage 2 first.

# %% module="activations" names=["sigmoid", "softmax"]

# %% module="numerical_net" names=["TwoLayerNet"]

# %% tests="two_layer_net" points=3
np.random.seed(0)
net = TwoLayerNet(input_size=4, hidden_size=3, output_size=2)
x = np.random.rand(5, 4)
t = np.array([0, 1, 1, 0, 1])
assert net.predict(x).shape == (5, 2)
assert abs(net.loss(x, t) - np.log(2)) < 1e-2 * np.log(2), "tiny weights give a near-uniform softmax"
grads = net.numerical_gradient(x, t)
assert {k: g.shape for k, g in grads.items()} == {k: p.shape for k, p in net.params.items()}
assert 0.0 <= net.accuracy(x, t) <= 1.0
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_array, expect_scalar
from solutions import numerical_net as reference_numerical_net
hidden_rng = np.random.default_rng(7079)
hidden_net, hidden_reference = TwoLayerNet(3, 4, 2), reference_numerical_net.TwoLayerNet(3, 4, 2)
for hidden_key in hidden_reference.params:
    hidden_reference.params[hidden_key] = hidden_rng.standard_normal(hidden_reference.params[hidden_key].shape)
    hidden_net.params[hidden_key] = hidden_reference.params[hidden_key].copy()
hidden_x, hidden_t = hidden_rng.standard_normal((6, 3)), hidden_rng.integers(0, 2, 6)
expect_array(hidden_net.predict(hidden_x), hidden_reference.predict(hidden_x), "TwoLayerNet.predict", rtol=1e-6)
expect_scalar(hidden_net.loss(hidden_x, hidden_t), hidden_reference.loss(hidden_x, hidden_t), "TwoLayerNet.loss", rtol=1e-4)
hidden_grads = hidden_net.numerical_gradient(hidden_x, hidden_t)
for hidden_key, hidden_expected in hidden_reference.numerical_gradient(hidden_x, hidden_t).items():
    expect_array(hidden_grads[hidden_key], hidden_expected, f"TwoLayerNet.numerical_gradient: {hidden_key}", rtol=1e-4, atol=1e-6)
### END HIDDEN TESTS
