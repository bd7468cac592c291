# %% [markdown]
# # 第 1 阶段：感知机与逻辑门
#
# 《深度学习入门：基于Python的理论与实现》第 2 章。感知机接收输入 $x_1, x_2$，将它们乘以权重，再加上偏置，
# 当总和大于 0 时输出 1（神经元被激活）：
#
# $$y = \begin{cases} 1 & w_1 x_1 + w_2 x_2 + b > 0 \\ 0 & \text{其他情况} \end{cases}$$
#
# 权重表示各个输入的重要程度，偏置表示神经元被激活的难易程度。与门（AND）、与非门（NAND）和或门（OR）
# 是同一个感知机，只是 $(w_1, w_2, b)$ 不同：变的只是参数，代码完全不变。学习参数而不是编写规则，
# 这个思想贯穿整门课程。

# %%
import matplotlib.pyplot as plt
import numpy as np

# %% only="repo"
# 每次保存 dlscratch 模块后自动重新导入，无需重启内核。
get_ipython().run_line_magic("load_ext", "autoreload")
get_ipython().run_line_magic("autoreload", "2")

# %% [markdown]
# ## 感知机（已给出）
#
# `_perceptron` 用 NumPy 计算加权和，返回 Python 的 `int`。权重由你来选。

# %% module="gates" names=["_perceptron"]

# %% [markdown]
# ## 练习：AND、NAND、OR、XOR
#
# 为 AND、NAND 和 OR 选择权重和偏置（可行的取值有很多，书中的与门用的是 $(0.5, 0.5, -0.7)$）。
# 每个函数都返回 `int` 类型的 0 或 1。
#
# 异或门（XOR）无法用一个感知机实现：感知机的决策边界 $w_1 x_1 + w_2 x_2 + b = 0$ 是一条直线，
# 而没有哪条直线能把 $(0, 1), (1, 0)$ 分在一侧、把 $(0, 0), (1, 1)$ 分在另一侧。两层感知机就可以：
# XOR 就是 *NAND 和 OR 的输出再经过 AND*。请用你写好的其他门来构建它。

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
# ## 看清 XOR 为什么需要两层
#
# 每个子图在整个正方形 $[-0.5, 1.5]^2$ 上涂出门输出 1 的区域（你的门可以接收任意实数输入）。AND、
# NAND 和 OR 都用一条直线分割平面；XOR 的区域是夹在两条直线之间的带状区域，
# 这两条直线正是它的 NAND 层和 OR 层的边界。

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
