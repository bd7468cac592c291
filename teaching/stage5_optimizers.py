# %% [markdown]
# # Stage 5: optimizers
#
# *Deep Learning from Scratch*, chapter 6. SGD takes a step against the gradient. On a loss surface that
# is steep in one direction and shallow in another, that step is a poor choice: it zig-zags across the
# steep direction and crawls along the shallow one. Every optimizer here changes the step, never the
# gradient, and each `update(params, grads)` changes the parameter arrays **in place** (the network's
# layers hold those same arrays).

# %%
import matplotlib.pyplot as plt
import numpy as np

# %% only="repo"
# Re-import your dlscratch modules whenever you save them, without restarting the kernel.
get_ipython().run_line_magic("load_ext", "autoreload")
get_ipython().run_line_magic("autoreload", "2")

# %% [markdown]
# ## Exercise: SGD and Momentum
#
# - SGD: $W \leftarrow W - \eta\, \partial L / \partial W$.
# - Momentum: $v \leftarrow \alpha v - \eta\, \partial L / \partial W$, then $W \leftarrow W + v$, with
#   one velocity $v$ per parameter, starting at zero and kept between calls.
#
# **Why Momentum helps.** $v$ is a running, decaying sum of past steps. Where the gradient keeps its sign
# (along the shallow floor of a valley) the steps add up, and a constant gradient $g$ drives $v$ to
# $-\eta g / (1 - \alpha)$: ten times SGD's step for $\alpha = 0.9$. Where the gradient flips sign at
# every step (across the steep walls) consecutive steps cancel. So the zig-zag is damped and progress
# along the valley accelerates, like a ball rolling downhill with inertia.

# %% module="optimizers" names=["SGD", "Momentum"]

# %% tests="sgd_momentum" points=2
W0 = np.array([[1.0, -2.0], [0.5, 0.0]])
GRAD = np.array([[0.1, -0.2], [0.3, 0.0]])


def two_steps(optimizer):
    params = {"W": W0.copy()}
    array = params["W"]
    for _ in range(2):
        optimizer.update(params, {"W": GRAD.copy()})
    assert params["W"] is array, "update must change the parameter arrays in place"
    return params["W"]


np.testing.assert_allclose(two_steps(SGD(lr=0.1)), W0 - 0.2 * GRAD, rtol=1e-12)
np.testing.assert_allclose(two_steps(Momentum(lr=0.1, momentum=0.9)), W0 - 0.29 * GRAD, rtol=1e-12)
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_array
from solutions import optimizers as reference_optimizers
hidden_rng = np.random.default_rng(11131)


def hidden_run(make, steps=5):
    """Five updates of two parameters with seeded gradients, for the student's and the reference class."""
    start = {"W": hidden_rng.standard_normal((3, 2)), "b": hidden_rng.standard_normal(2)}
    gradients = [{k: hidden_rng.standard_normal(v.shape) for k, v in start.items()} for _ in range(steps)]
    results = []
    for optimizer in make():
        params = {k: v.copy() for k, v in start.items()}
        for step in gradients:
            optimizer.update(params, {k: g.copy() for k, g in step.items()})
        results.append(params)
    return results


for hidden_name, hidden_kwargs in (("SGD", {"lr": 0.3}), ("Momentum", {"lr": 0.05, "momentum": 0.8})):
    theirs, ours = hidden_run(lambda: (globals()[hidden_name](**hidden_kwargs),
                                       getattr(reference_optimizers, hidden_name)(**hidden_kwargs)))
    for hidden_key in ours:
        expect_array(theirs[hidden_key], ours[hidden_key], f"{hidden_name}, five steps: {hidden_key}")
### END HIDDEN TESTS

# %% [markdown]
# ## Exercise: AdaGrad, RMSprop and Adam
#
# Adaptive methods give each parameter its own learning rate, smaller where gradients have been large:
#
# - AdaGrad: $h \leftarrow h + g^2$, $W \leftarrow W - \eta\, g / (\sqrt{h} + 10^{-7})$; $h$ only grows,
#   so steps shrink forever;
# - RMSprop: $h \leftarrow \rho h + (1 - \rho) g^2$ forgets old gradients, so steps need not vanish;
# - Adam: Momentum's running mean $m$ of $g$ plus RMSprop's running mean $v$ of $g^2$, both started at zero
#   and therefore bias-corrected: step $t$ (from 1) uses
#   $\eta \sqrt{1 - \beta_2^t} / (1 - \beta_1^t) \cdot m / (\sqrt{v} + 10^{-7})$.

# %% module="optimizers" names=["EPS", "AdaGrad", "RMSprop", "Adam"]

# %% tests="adaptive" points=4
h1, h2 = GRAD ** 2, 2 * GRAD ** 2
expected = W0 - 0.1 * GRAD / (np.sqrt(h1) + 1e-7) - 0.1 * GRAD / (np.sqrt(h2) + 1e-7)
np.testing.assert_allclose(two_steps(AdaGrad(lr=0.1)), expected, rtol=1e-12)
r1 = 0.01 * GRAD ** 2
r2 = 0.99 * r1 + 0.01 * GRAD ** 2
expected = W0 - 0.1 * GRAD / (np.sqrt(r1) + 1e-7) - 0.1 * GRAD / (np.sqrt(r2) + 1e-7)
np.testing.assert_allclose(two_steps(RMSprop(lr=0.1, decay_rate=0.99)), expected, rtol=1e-12)
W, m, v = W0.copy(), np.zeros_like(W0), np.zeros_like(W0)
for step in (1, 2):
    m = 0.9 * m + 0.1 * GRAD
    v = 0.999 * v + 0.001 * GRAD ** 2
    W = W - 0.01 * np.sqrt(1 - 0.999 ** step) / (1 - 0.9 ** step) * m / (np.sqrt(v) + 1e-7)
np.testing.assert_allclose(two_steps(Adam(lr=0.01)), W, rtol=1e-10)
### BEGIN HIDDEN TESTS
for hidden_name, hidden_kwargs in (("AdaGrad", {"lr": 0.2}), ("RMSprop", {"lr": 0.02, "decay_rate": 0.9}),
                                   ("Adam", {"lr": 0.03, "beta1": 0.8, "beta2": 0.99})):
    theirs, ours = hidden_run(lambda: (globals()[hidden_name](**hidden_kwargs),
                                       getattr(reference_optimizers, hidden_name)(**hidden_kwargs)))
    for hidden_key in ours:
        expect_array(theirs[hidden_key], ours[hidden_key], f"{hidden_name}, five steps: {hidden_key}", rtol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ## Four paths on $f(x, y) = x^2/20 + y^2$
#
# The book's test surface: curvature 20 times larger in $y$ than in $x$, minimum at the origin. Thirty
# steps from $(-7, 2)$ with the book's learning rates (each panel's title says how close it ended). SGD's
# rate 0.95 is close to the largest that does not diverge in $y$ ($\eta < 1$ for the $y^2$ term), so
# every step jumps across the valley; a rate safe for $y$ is far too small for $x$. Momentum overshoots
# and swings back around the minimum, the inertia at work; AdaGrad scales each coordinate by its own
# gradient history, kills the $y$ oscillation at once and heads straight in; Adam's path is smooth, with
# a little of Momentum's overshoot.

# %%
def bowl_gradient(xy):
    """Gradient of f(x, y) = x^2/20 + y^2 at xy = (x, y)."""
    return np.array([xy[0] / 10.0, 2.0 * xy[1]])


def bowl_path(optimizer, steps=30):
    """(steps + 1, 2) positions visited from (-7, 2)."""
    params = {"xy": np.array([-7.0, 2.0])}
    visited = [params["xy"].copy()]
    for _ in range(steps):
        optimizer.update(params, {"xy": bowl_gradient(params["xy"])})
        visited.append(params["xy"].copy())
    return np.array(visited)


xs, ys = np.meshgrid(np.linspace(-10, 10, 200), np.linspace(-5, 5, 100))
figure, axes = plt.subplots(2, 2, figsize=(10, 6.5), sharex=True, sharey=True)
for ax, optimizer in zip(axes.flat, (SGD(lr=0.95), Momentum(lr=0.1), AdaGrad(lr=1.5), Adam(lr=0.3))):
    visited = bowl_path(optimizer)
    ax.contour(xs, ys, xs ** 2 / 20 + ys ** 2, levels=12, colors="0.75", linewidths=0.8)
    ax.plot(visited[:, 0], visited[:, 1], "o-", color="tab:red", markersize=3)
    ax.plot(0, 0, "+", color="black", markersize=12)
    distance = np.hypot(*visited[-1])
    ax.set_title(f"{type(optimizer).__name__}: distance to the minimum {distance:.2f}")
figure.suptitle("30 steps on f(x, y) = x²/20 + y² from (-7, 2)")
figure.tight_layout()
plt.show()
