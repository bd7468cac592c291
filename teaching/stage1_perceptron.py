# %% [markdown]
# # Stage 1: perceptrons and logic gates
#
# *Deep Learning from Scratch*, chapter 2. A perceptron takes inputs $x_1, x_2$, weights them, adds a
# bias and fires when the sum is positive:
#
# $$y = \begin{cases} 1 & w_1 x_1 + w_2 x_2 + b > 0 \\ 0 & \text{otherwise} \end{cases}$$
#
# The weights say how much each input matters; the bias says how easily the unit fires. AND, NAND and OR
# are the same perceptron with different $(w_1, w_2, b)$: only the parameters change, never the code.
# That idea, learning parameters instead of writing rules, is the whole course.

# %%
import matplotlib.pyplot as plt
import numpy as np

# %% only="repo"
# Re-import your dlscratch modules whenever you save them, without restarting the kernel.
get_ipython().run_line_magic("load_ext", "autoreload")
get_ipython().run_line_magic("autoreload", "2")

# %% [markdown]
# ## The perceptron, given
#
# `_perceptron` computes the weighted sum with NumPy and returns a Python `int`. You choose the weights.

# %% module="gates" names=["_perceptron"]

# %% [markdown]
# ## Exercise: AND, NAND, OR, XOR
#
# Pick weights and a bias for AND, NAND and OR (many choices work: the book uses
# $(0.5, 0.5, -0.7)$ for AND). Each returns the `int` 0 or 1.
#
# XOR cannot be one perceptron: a perceptron's decision boundary $w_1 x_1 + w_2 x_2 + b = 0$ is a
# straight line, and no line puts $(0, 1), (1, 0)$ on one side and $(0, 0), (1, 1)$ on the other. Two
# layers can: XOR is *AND of NAND and OR*. Build it from your other gates.

# %% module="gates" names=["AND", "NAND", "OR", "XOR"]

# %%
for x1, x2 in [(0, 0), (1, 0), (0, 1), (1, 1)]:
    print(f"x = ({x1}, {x2})   AND {AND(x1, x2)}  NAND {NAND(x1, x2)}  OR {OR(x1, x2)}  XOR {XOR(x1, x2)}")

# %% tests="truth_tables" points=4
inputs = [(0, 0), (1, 0), (0, 1), (1, 1)]
truth_tables = {AND: [0, 0, 0, 1], NAND: [1, 1, 1, 0], OR: [0, 1, 1, 1], XOR: [0, 1, 1, 0]}
for gate, expected in truth_tables.items():
    outputs = [gate(x1, x2) for x1, x2 in inputs]
    assert outputs == expected, f"{gate.__name__}: {outputs}, expected {expected}"
    assert all(type(output) is int for output in outputs), f"{gate.__name__} must return the int 0 or 1"
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_gate
from solutions import gates as reference_gates
for gate_name in ("AND", "NAND", "OR", "XOR"):
    for a, b in [(np.int64(0), np.int64(1)), (1.0, 1.0), (np.float64(1), 0.0), (0.0, 0.0)]:
        expect_gate(globals()[gate_name](a, b), getattr(reference_gates, gate_name)(int(a), int(b)),
                    f"{gate_name}({a!r}, {b!r})")
### END HIDDEN TESTS

# %% [markdown]
# ## Seeing why XOR needs two layers
#
# Each panel shades where a gate outputs 1 over the whole square $[-0.5, 1.5]^2$ (your gates accept
# any real inputs). AND, NAND and OR split the plane with one straight line; XOR's region is a band
# between two lines: the boundaries of its NAND and OR layer.

# %%
grid = np.linspace(-0.5, 1.5, 161)
xx, yy = np.meshgrid(grid, grid)
figure, axes = plt.subplots(1, 4, figsize=(13, 3.4), sharey=True)
for ax, gate in zip(axes, (AND, NAND, OR, XOR)):
    output = np.vectorize(gate)(xx, yy)
    ax.contourf(xx, yy, output, levels=[-0.5, 0.5, 1.5], colors=["#f2f2f2", "#9ecae1"])
    for x1, x2 in [(0, 0), (1, 0), (0, 1), (1, 1)]:
        fired = gate(x1, x2)
        ax.scatter(x1, x2, s=90, marker="o" if fired else "x", color="tab:blue" if fired else "tab:red")
    ax.set(title=gate.__name__, xlabel="$x_1$", aspect="equal")
axes[0].set_ylabel("$x_2$")
figure.suptitle("where each gate fires (o = 1, x = 0)")
figure.tight_layout()
plt.show()
