# %% [markdown]
# # 第 3 阶段：损失函数、数值梯度与学习
#
# 《深度学习入门：基于Python的理论与实现》第 4 章。学习就是寻找使**损失函数**的值尽可能小的参数；
# 损失函数的**梯度**指明了参数该往哪个方向移动。本阶段用有限差分这种慢但显然正确的方法计算梯度；
# 第 4 阶段会快速地算出同样的数值。

# %%
import matplotlib.pyplot as plt
import numpy as np

# %% only="repo"
# 每次保存 dlscratch 模块后自动重新导入，无需重启内核。
get_ipython().run_line_magic("load_ext", "autoreload")
get_ipython().run_line_magic("autoreload", "2")

# %% [markdown]
# ## 练习：均方误差和交叉熵误差
#
# 对于概率向量 $y$ 和 one-hot 表示的监督数据 $t$：
#
# $$E_\text{MSE} = \tfrac12 \sum_k (y_k - t_k)^2 \qquad E_\text{CE} = -\sum_k t_k \log(y_k + 10^{-7})$$
#
# 输入为 `(N, C)` 时对整个批求平均。交叉熵误差只和正确类别有关，
# 所以标签形式的 `t: (N,)` 和 one-hot 形式的 `t: (N, C)` 都可以：取出 `y[np.arange(N), t]` 即可。
# 加上 $10^{-7}$ 是为了在正确类别的概率为 0 时避免出现 $\log 0 = -\infty$。

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
# ## 练习：熵、交叉熵与 KL 散度
#
# 对于分布 $p$（真实分布）和 $q$（模型的分布），以奈特（nat）为单位：
#
# $$H(p) = -\sum_k p_k \log p_k \qquad H(p, q) = -\sum_k p_k \log q_k \qquad
#   \mathrm{KL}(p \,\|\, q) = \sum_k p_k \log \frac{p_k}{q_k}$$
#
# 其中约定 $0 \log 0 = 0$。三者满足 $H(p, q) = H(p) + \mathrm{KL}(p \,\|\, q)$，
# 并且 $\mathrm{KL} \ge 0$（仅当 $q = p$ 时为零）：交叉熵永远不会低于熵，训练中对 $q$ 降低交叉熵，
# 就是在降低 KL 散度。对于标签，$p$ 是 one-hot 向量，$H(p) = 0$，于是 $H(p, q) = -\log q_\text{label}$：
# 这就是上面的 `cross_entropy_error`，只是少了 $10^{-7}$ 这个保护项。

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
# ## 为什么不能用识别精度作为损失函数
#
# 学习就是把权重朝着让损失变小的方向稍微移动一点。识别精度是一个计数：权重的微小变化几乎不会改变任何一个预测，
# 所以它的导数几乎处处为 0，只在个别地方突然跳变，而梯度为 0 无法告诉我们该往哪里走。
# 交叉熵误差则会随着每个权重平滑地变化。下面让一个小分类器的某个权重扫过一段区间：识别精度呈阶梯状，
# 损失函数则是一条曲线，它的斜率处处指向正确的方向，即使在识别精度已经达到最高而变平的地方也是如此。

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
# ## 中心差分与前向差分
#
# 前向差分 $\frac{f(x + h) - f(x)}{h}$ 的误差约为 $\frac{h}{2} f''(x)$：误差与 $h$ 同阶缩小。
# 中心差分 $\frac{f(x + h) - f(x - h)}{2h}$ 把这一项抵消掉了（把两者都做泰勒展开即可看出），
# 剩下的误差与 $h^2$ 同阶。但 $h$ 不能太小：在 float64 中，`1e-50` 加到 $x$ 上会因舍入而消失，
# 而 $f(x \pm h)$ 的舍入误差除以 $h$ 后会像 $1/h$ 一样增长。
# 下图对 $f(x) = e^x$ 在 $x = 1$ 处（真实导数为 $e$）测量两种差分的误差：前向差分在 $h = 10^{-8}$ 附近最好，
# 中心差分在 $10^{-5}$ 附近最好，精度高出上千倍；在最小值的左侧，舍入误差占了上风。
# 本课程使用 $h = 10^{-4}$ 的中心差分，留有余地。

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
# ## 练习：数值微分、梯度与梯度下降法
#
# - `numerical_diff(f, x)`：使用 `H = 1e-4` 的中心差分；
# - `numerical_gradient(f, x)`：对数组 `x` 的每个元素做同样的计算：原地改动一个元素，计算 `f`，
#   再把它精确地恢复原值（神经网络就是这样通过闭包使用自己的权重的）；
# - `gradient_descent(f, init_x, lr, step_num)`：从 `init_x` 的副本出发，
#   重复 $x \leftarrow x - \eta \nabla f(x)$。

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
# ## 切线
#
# `numerical_diff` 给出 $f(x) = 0.01x^2 + 0.1x$ 在 $x = 5$ 处的斜率；该处的切线为 $y = f(5) + f'(5)(x - 5)$。

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
# ## 梯度场
#
# 在每一点，$-\nabla f$ 都指向 $f(x_0, x_1) = x_0^2 + x_1^2$ 下降最快的方向，$f$ 越陡，箭头越长。
# 梯度下降法沿着箭头前进（红色：从 $(-3, 4)$ 出发、学习率为 0.1 的 20 步；每次只运行一步，
# 以便记录每一步的位置）。

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
# ## 练习：用数值梯度训练的两层神经网络
#
# 仿射层、sigmoid、仿射层、softmax，所有参数都放在字典 `params` 中。
# 它的数值梯度对每个参数元素都要计算两次损失：用于检验没问题，
# 用来训练真正的网络则毫无希望（第 4 阶段会解决这个问题）。它首先需要第 2 阶段的 sigmoid 和 softmax。

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
