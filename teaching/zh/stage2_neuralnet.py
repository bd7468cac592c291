# %% [markdown]
# # 第 2 阶段：激活函数、softmax 与神经网络的前向传播
#
# 《深度学习入门：基于Python的理论与实现》第 3 章。感知机的阶跃函数只是众多激活函数中的一种；
# 神经网络把它换成平滑的函数，把仿射变换 $a = xW + b$ 一层层叠起来，层与层之间经过激活函数 $z = h(a)$，
# 最后用 softmax 把输出解读为概率。

# %%
import matplotlib.pyplot as plt
import numpy as np

from dlscratch_data import load_digits

# %% only="repo"
# 每次保存 dlscratch 模块后自动重新导入，无需重启内核。
get_ipython().run_line_magic("load_ext", "autoreload")
get_ipython().run_line_magic("autoreload", "2")

# %% only="nbgrader"
from pathlib import Path

# 训练好的示例网络和本笔记本放在一起。
SAMPLE_WEIGHTS = Path("sample_weight.npz")

# %% [markdown]
# ## 练习：阶跃函数、sigmoid、ReLU 和恒等函数
#
# 每个函数接收任意形状的数组，逐元素计算，返回同样形状的 float64 数组：
#
# - 阶跃函数：$x > 0$ 时 $h(x) = 1$，否则为 $0$（感知机的激活函数）；
# - sigmoid 函数：$h(x) = 1 / (1 + e^{-x})$；$x$ 为很大的负数时 `np.exp(-x)` 会溢出（产生警告和 `inf`），
#   所以稳妥的写法在 $x < 0$ 处改用 $e^{x} / (1 + e^{x})$；
# - ReLU 函数：$h(x) = \max(0, x)$；
# - 恒等函数：回归问题的输出层激活函数，返回 float64 的副本。
#
# 不要写 Python 循环：NumPy 会把一个表达式一次性作用到每个元素上。

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
# 阶跃函数是跳变的：权重稍作改变，输出要么不变，要么突然翻转，
# 因此无法靠一小步一小步地调整来学习（第 3 阶段）。sigmoid 函数是阶跃函数的平滑版本；
# ReLU 在激活的区域内是线性的。
#
# ## 为什么隐藏层需要非线性激活函数
#
# 没有 $h$，两层就会合并成一层：$(xW_1 + b_1)W_2 + b_2 = x(W_1W_2) + (b_1W_2 + b_2)$，仍然是一个仿射变换，
# 加深层数毫无意义；线性层堆得再多，连 XOR 都算不出来。下一个单元格先用数值验证这个等式，
# 再说明在两层之间加入 ReLU 后等式就不再成立。

# %%
rng = np.random.default_rng(0)
x = rng.standard_normal((5, 3))
W1, b1, W2, b2 = rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal((4, 2)), rng.standard_normal(2)
two_linear_layers = (x @ W1 + b1) @ W2 + b2
one_layer = x @ (W1 @ W2) + (b1 @ W2 + b2)
print("两个线性层 == 一个仿射层：", np.allclose(two_linear_layers, one_layer))
print("两层之间加入 ReLU：       ", np.allclose(relu(x @ W1 + b1) @ W2 + b2, one_layer))

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
# ## 练习：softmax 函数与防止溢出的技巧
#
# $$y_k = \frac{e^{x_k}}{\sum_j e^{x_j}}$$
#
# 沿最后一个轴（类别）计算，所以一个批 `(N, C)` 的每一行各得到一个概率分布。`np.exp(1010)` 是 `inf`，
# 而 `inf / inf` 是 `nan`。给每个得分都减去同一个常数，softmax 的结果不变：
# $\frac{e^{x_k - c}}{\sum_j e^{x_j - c}} = \frac{e^{x_k}}{\sum_j e^{x_j}}$，所以先减去该行的最大值：
# 这样最大的指数项是 $e^0 = 1$，不会溢出。

# %%
scores = np.array([1010.0, 1000.0, 990.0])
with np.errstate(over="ignore", invalid="ignore"):
    print("直接计算：  ", np.exp(scores) / np.sum(np.exp(scores)))
shifted = scores - scores.max()
print("减去最大值：", np.exp(shifted) / np.sum(np.exp(shifted)))

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
# ## 练习：前向传播、批处理预测与识别精度
#
# `forward` 计算三个仿射层，前两层之后接 sigmoid 函数，最后接恒等函数：
#
# | 步骤 | 单个样本 `x: (D,)` 的形状 | 一批样本 `x: (N, D)` 的形状 |
# |---|---|---|
# | $a_1 = x W_1 + b_1$, $z_1 = \sigma(a_1)$ | `(H1,)` | `(N, H1)` |
# | $a_2 = z_1 W_2 + b_2$, $z_2 = \sigma(a_2)$ | `(H2,)` | `(N, H2)` |
# | $y = a_3 = z_2 W_3 + b_3$ | `(M,)` | `(N, M)` |
#
# 同一段代码两种情况都适用：`(N, D)` 与 `(D, H1)` 的 `np.dot` 结果是 `(N, H1)`，偏置会按行广播。
# `predict` 在此基础上加上 softmax；
# `accuracy` 每次预测 `batch_size` 行（一次大的矩阵乘法比逐张图像循环快得多），
# 统计概率最高的类别预测正确的行数。

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
# ## 你的网络能识别数字了
#
# 示例网络是在 8x8 的手写数字上训练好的（第 4 阶段你会训练自己的网络）。下面是若干测试图像，
# 标题是你的 `predict` 给出的最可能类别及其概率；红色标题表示识别错误。

# %%
_, (x_test, t_test) = load_digits(normalize=True)
probabilities = predict(load_sample_network(), x_test[:24])
print(f"示例网络的测试识别精度：{accuracy(load_sample_network(), x_test, t_test):.4f}")
figure, axes = plt.subplots(3, 8, figsize=(10, 4.4))
for ax, image, label, p in zip(axes.flat, x_test, t_test, probabilities):
    guess = int(np.argmax(p))
    ax.imshow(image.reshape(8, 8), cmap="gray_r")
    ax.set_title(f"{guess} ({p[guess]:.2f})", color="black" if guess == label else "red", fontsize=9)
    ax.axis("off")
figure.suptitle("predicted digit (probability)")
figure.tight_layout()
plt.show()
