# %% [markdown]
# # 第 5 阶段：参数的更新（最优化方法）
#
# 《深度学习入门：基于Python的理论与实现》第 6 章。SGD 沿梯度的反方向前进一步。
# 如果损失函数的曲面在一个方向上很陡、在另一个方向上很平缓，这样的一步就不是好的选择：
# 它在陡峭的方向上来回振荡（呈之字形），在平缓的方向上却爬得很慢。这里的每种方法改变的都是步子，而不是梯度；
# 每个 `update(params, grads)` 都**原地**修改参数数组（网络的各层持有的正是这些数组）。

# %%
import matplotlib.pyplot as plt
import numpy as np

# %% only="repo"
# 每次保存 dlscratch 模块后自动重新导入，无需重启内核。
get_ipython().run_line_magic("load_ext", "autoreload")
get_ipython().run_line_magic("autoreload", "2")

# %% [markdown]
# ## 练习：SGD 和 Momentum
#
# - SGD：$W \leftarrow W - \eta\, \partial L / \partial W$。
# - Momentum：$v \leftarrow \alpha v - \eta\, \partial L / \partial W$，然后 $W \leftarrow W + v$；
#   每个参数各有一个速度 $v$，初始为零，在多次调用之间保留。
#
# **Momentum 为什么有用。** $v$ 是过去各步的一个衰减的累积和。在梯度符号保持不变的地方（沿着山谷平缓的谷底），
# 各步不断累加，恒定的梯度 $g$ 会使 $v$ 趋于 $-\eta g / (1 - \alpha)$：当 $\alpha = 0.9$ 时是 SGD 步长的十倍。
# 在梯度每一步都变号的地方（横跨陡峭的谷壁），相邻的步子相互抵消。于是之字形的振荡被抑制，
# 沿山谷方向的前进则被加速，就像一个带着惯性滚下山坡的小球。

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
# ## 练习：AdaGrad、RMSprop 和 Adam
#
# 自适应的方法为每个参数设定各自的学习率，过去梯度大的参数，学习率就小：
#
# - AdaGrad：$h \leftarrow h + g^2$，$W \leftarrow W - \eta\, g / (\sqrt{h} + 10^{-7})$；$h$ 只增不减，
#   所以步长会一直缩小下去；
# - RMSprop：$h \leftarrow \rho h + (1 - \rho) g^2$ 会逐渐遗忘过去的梯度，所以步长不必趋于零；
# - Adam：Momentum 那样的 $g$ 的滑动平均 $m$，加上 RMSprop 那样的 $g^2$ 的滑动平均 $v$，两者都从零开始，
#   因此要做偏差修正：第 $t$ 步（从 1 开始计数）
#   使用 $\eta \sqrt{1 - \beta_2^t} / (1 - \beta_1^t) \cdot m / (\sqrt{v} + 10^{-7})$。

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
# ## 在 $f(x, y) = x^2/20 + y^2$ 上的四条路径
#
# 书中用的测试曲面：$y$ 方向的曲率是 $x$ 方向的 20 倍，最小值在原点。从 $(-7, 2)$ 出发，
# 用书中的学习率各走 30 步（每个子图的标题给出最后离最小值有多近）。
# SGD 的学习率 0.95 已接近 $y$ 方向不发散的上限（对 $y^2$ 项需要 $\eta < 1$），
# 所以每一步都会跳到山谷的另一侧；而对 $y$ 安全的学习率对 $x$ 来说又太小了。Momentum 冲过了头，
# 又绕着最小值摆回来，这正是惯性的作用；AdaGrad 按每个坐标自己的梯度历史来缩放步长，
# 立刻消除了 $y$ 方向的振荡，径直走向最小值；Adam 的路径很平滑，带有一点 Momentum 式的冲过头。

# %%
def bowl_gradient(xy):
    """f(x, y) = x^2/20 + y^2 在 xy = (x, y) 处的梯度。"""
    return np.array([xy[0] / 10.0, 2.0 * xy[1]])


def bowl_path(optimizer, steps=30):
    """从 (-7, 2) 出发经过的位置，形状为 (steps + 1, 2)。"""
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
