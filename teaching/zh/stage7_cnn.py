# %% [markdown]
# # 第 7 阶段：卷积神经网络
#
# 《深度学习入门：基于Python的理论与实现》第 7 章。Affine 层把图像当作一个展平的向量，忘记了哪些像素是相邻的。
# 卷积层保持图像的形状：每个滤波器只看一小块区域，同一个滤波器滑过每个位置，所以无论某种图案（一条边缘、
# 一笔笔画）出现在哪里，它都能用寥寥几个权重找到。随后的最大池化在每个小窗口中只保留最强的响应，
# 这使结果对图案的确切位置不那么敏感。

# %%
import matplotlib.pyplot as plt
import numpy as np

from dlscratch_data import DatasetUnavailable, load_digits, load_mnist

# %% only="repo"
# 每次保存 dlscratch 模块后自动重新导入，无需重启内核。
get_ipython().run_line_magic("load_ext", "autoreload")
get_ipython().run_line_magic("autoreload", "2")

# %% [markdown]
# ## 沿用第 2-5 阶段的代码
#
# 网络由你写的激活函数、损失函数、数值梯度、各层和最优化方法搭建而成。

# %% module="activations" names=["sigmoid", "relu", "softmax"]

# %% module="losses" names=["LOG_GUARD", "cross_entropy_error"]

# %% module="gradients" names=["H", "numerical_gradient"]

# %% module="layers" names=["Relu", "Sigmoid", "Affine", "SoftmaxWithLoss"]

# %% module="networks" names=["TwoLayerNet"]

# %% module="optimizers" names=["EPS", "Adam"]

# %% module="experiments" names=["fit_epoch", "fit", "_float64"]

# %% [markdown]
# ## im2col：把卷积变成一次矩阵乘法
#
# 输入 $(N, C, H, W)$ 与 $FN$ 个形状为 $(C, FH, FW)$ 的滤波器做卷积，
# 在每个输出位置计算一块区域与一个滤波器的乘积之和：
#
# $$\text{out}[n, f, r, s] = \sum_{c, i, j} x_{\text{pad}}[n, c, r \cdot \text{stride} + i,
# s \cdot \text{stride} + j] \; W[f, c, i, j] + b[f],$$
#
# 其中 $\text{out}_h = (H + 2\,\text{pad} - FH) / \text{stride} + 1$（向下取整），宽度也一样（pad 是填充，
# stride 是步幅）。（这其实是互相关：滤波器没有翻转。书中和所有框架都把它叫作卷积。）
# 用 Python 循环逐个计算输出值太慢了。`im2col`（已给出）
# 把每一块区域复制成矩阵 $(N \cdot \text{out}_h \cdot \text{out}_w, C \cdot FH \cdot FW)$ 的一行；
# 再把滤波器作为第二个矩阵的各列，整个卷积就是一次矩阵乘法，这正是 BLAS 算得最快的运算。
#
# **为什么 im2col 已给出，而 col2im 要你来写。** `im2col` 只是下标的簿记工作，一次收集（gather）。
# 它的反向传播 `col2im` 才是本章关于反向传播的一课：一个输入像素被复制到覆盖它的每一块区域中，
# 而复制节点的反向传播要把各个副本的梯度*相加*（第 4 阶段的复制门）。
# 所以 `col2im` 要把每块区域的梯度放回它原来的位置，区域重叠的地方相加。

# %% module="conv_util" names=["conv_output_size", "im2col"]

# %%
demo = np.arange(16.0).reshape(1, 1, 4, 4)
print("一张 4x4 的图像：\n", demo[0, 0])
print("它的九个 2x2 区域（步幅 1），每行一个：\n", im2col(demo, 2, 2))

# %% [markdown]
# ## 练习：col2im、Convolution 和 Pooling
#
# - `col2im(col, input_shape, filter_h, filter_w, stride, pad)`：`im2col` 的转置，区域重叠处用 `+=` 累加，
#   最后去掉填充。
# - `Convolution.forward`：先 `im2col`，再与 `W.reshape(FN, -1).T` 做一次乘法，加上 `b`，
#   然后变回 $(N, FN, \text{out}_h, \text{out}_w)$。`backward`：在区域的各行上做 Affine 层的三个乘法，
#   然后用 `col2im` 求 $dx$。
# - `Pooling`（最大池化）：用池化窗口做 `im2col`，每个通道的每个窗口单独占一行；
#   正向传播取每行的最大值并记住它的位置（`np.argmax`），
#   反向传播把每个窗口的梯度传给那一个元素（有多个并列最大时取第一个），就像 max 门一样。

# %% module="conv_layers" names=["col2im", "Convolution", "Pooling"]

# %% tests="conv_layers" points=3
conv_rng = np.random.default_rng(7)
conv_x, conv_W, conv_b = conv_rng.standard_normal((2, 3, 6, 5)), conv_rng.standard_normal((4, 3, 3, 2)), np.ones(4)
conv_layer = Convolution(conv_W, conv_b, stride=2, pad=1)
conv_out = conv_layer.forward(conv_x)
assert conv_out.shape == (2, 4, 3, 3), conv_out.shape
patch = np.pad(conv_x, [(0, 0), (0, 0), (1, 1), (1, 1)])[1, :, 2:5, 2:4]
assert np.isclose(conv_out[1, 2, 1, 1], np.sum(patch * conv_W[2]) + 1.0), "out[1, 2, 1, 1] is not sum(patch * W[2]) + b[2]"
conv_dout = conv_rng.standard_normal(conv_out.shape)
conv_loss = lambda _: np.sum(Convolution(conv_W, conv_b, 2, 1).forward(conv_x) * conv_dout)
assert np.max(np.abs(conv_layer.backward(conv_dout) - numerical_gradient(conv_loss, conv_x))) < 1e-6, "dx"
assert np.max(np.abs(conv_layer.dW - numerical_gradient(conv_loss, conv_W))) < 1e-6, "dW"
np.testing.assert_array_equal(col2im(np.ones((4, 4)), (1, 1, 3, 3), 2, 2), [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]])
pool_layer = Pooling(2, 2, stride=2)
np.testing.assert_array_equal(pool_layer.forward(np.zeros((1, 1, 2, 2))), [[[[0.0]]]])
np.testing.assert_array_equal(pool_layer.backward(np.ones((1, 1, 1, 1))), [[[[1.0, 0.0], [0.0, 0.0]]]])
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_array
from solutions import conv_layers as reference_conv_layers
hidden_rng = np.random.default_rng(7071)
hidden_x, hidden_W = hidden_rng.standard_normal((3, 2, 7, 6)), hidden_rng.standard_normal((3, 2, 2, 3))
hidden_b = hidden_rng.standard_normal(3)
hidden_ours = reference_conv_layers.Convolution(hidden_W, hidden_b, 1, 2)
hidden_theirs = Convolution(hidden_W.copy(), hidden_b.copy(), 1, 2)
hidden_out = hidden_ours.forward(hidden_x)
expect_array(hidden_theirs.forward(hidden_x.copy()), hidden_out, "Convolution.forward (stride 1, pad 2)")
hidden_dout = hidden_rng.standard_normal(hidden_out.shape)
expect_array(hidden_theirs.backward(hidden_dout.copy()), hidden_ours.backward(hidden_dout), "Convolution.backward")
expect_array(hidden_theirs.dW, hidden_ours.dW, "Convolution.backward: dW")
hidden_pool_x = np.maximum(hidden_rng.integers(-2, 3, (2, 2, 6, 7)), 0) * 1.0
hidden_ours, hidden_theirs = reference_conv_layers.Pooling(3, 2, 2), Pooling(3, 2, 2)
hidden_out = hidden_ours.forward(hidden_pool_x)
expect_array(hidden_theirs.forward(hidden_pool_x.copy()), hidden_out, "Pooling.forward (3x2, stride 2)")
hidden_dout = hidden_rng.standard_normal(hidden_out.shape)
expect_array(hidden_theirs.backward(hidden_dout.copy()), hidden_ours.backward(hidden_dout), "Pooling.backward")
### END HIDDEN TESTS

# %% [markdown]
# ## 练习：SimpleConvNet
#
# 书中的网络：`Conv1 -> Relu1 -> Pool1 -> Affine1 -> Relu2 -> Affine2 -> SoftmaxWithLoss`。
# `__init__`（已给出）为 8x8 的手写数字构建各层（填充为 1 的 3x3 滤波器使图像保持 8x8，2x2 的池化把它减半）；
# 你要写的是 `predict`、`loss` 和 `gradient`，和第 4 阶段的两层网络一样。

# %% module="simple_conv_net" names=["DIGITS_CONV_PARAM", "SimpleConvNet"]

# %% tests="simple_conv_net" points=2
net_rng = np.random.default_rng(70)
check_net = SimpleConvNet(input_dim=(2, 6, 5), conv_param={"filter_num": 3}, hidden_size=7, output_size=3,
                          weight_init_std=0.3, rng=net_rng)
net_x, net_t = net_rng.standard_normal((4, 2, 6, 5)), net_rng.integers(0, 3, 4)
net_grads, net_numerical = check_net.gradient(net_x, net_t), check_net.numerical_gradient(net_x, net_t)
for net_key, net_expected in net_numerical.items():
    assert np.max(np.abs(net_grads[net_key] - net_expected)) < 1e-5, f"{net_key} disagrees with the numerical gradient"
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_scalar
from solutions import simple_conv_net as reference_simple_conv_net
hidden_rng = np.random.default_rng(7072)
hidden_sizes = {"input_dim": (1, 5, 6), "conv_param": {"filter_num": 4}, "hidden_size": 5, "output_size": 3}
hidden_ours = reference_simple_conv_net.SimpleConvNet(**hidden_sizes, rng=np.random.default_rng(1))
hidden_theirs = SimpleConvNet(**hidden_sizes, rng=np.random.default_rng(1))
for hidden_key, hidden_param in hidden_ours.params.items():
    hidden_param[...] = hidden_rng.standard_normal(hidden_param.shape)
    hidden_theirs.params[hidden_key][...] = hidden_param
hidden_x, hidden_t = hidden_rng.standard_normal((6, 1, 5, 6)), hidden_rng.integers(0, 3, 6)
expect_scalar(hidden_theirs.loss(hidden_x, hidden_t), hidden_ours.loss(hidden_x, hidden_t), "SimpleConvNet.loss",
              rtol=1e-6)
hidden_grads = hidden_theirs.gradient(hidden_x, hidden_t)
for hidden_key, hidden_expected in hidden_ours.gradient(hidden_x, hidden_t).items():
    expect_array(hidden_grads[hidden_key], hidden_expected, f"SimpleConvNet.gradient: {hidden_key}", rtol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ## 在手写数字上训练
#
# 课程的实验代码（已给出，`conv_experiments.py`）以同样的方式训练 SimpleConvNet 和第 4 阶段的两层网络：
# 学习率为 0.01 的 Adam，批大小 32，两层网络使用课程调好的设置，两者使用相同的批。在五个种子、30 个 epoch 上，
# SimpleConvNet 最终的测试识别精度更高（在课程仓库中运行 `python benchmarks/conv_training.py` 会打印每个种子的结果和中位数）；
# 手写数字数据小而简单，所以领先的只是几张测试图像。这里只运行一个种子、10 个 epoch。

# %% module="conv_experiments" names=["OPTIMIZER", "LR", "BATCH_SIZE", "EPOCHS", "WEIGHT_INIT_STD", "TWO_LAYER_HIDDEN", "NOTEBOOK_SEED", "NOTEBOOK_EPOCHS", "conv_comparison", "trained_networks", "_two_layer_net", "_flattened"]

# %%
digits_train, digits_test = load_digits(normalize=True, flatten=False)
runs = trained_networks(digits_train, digits_test, NOTEBOOK_SEED, epochs=NOTEBOOK_EPOCHS)
figure, ax = plt.subplots(figsize=(7, 4))
for label, (_, history) in runs.items():
    ax.plot([record["epoch"] for record in history], [record["test_accuracy"] for record in history], "o-",
            markersize=3, label=f"{label}: {history[-1]['test_accuracy']:.3f}")
ax.set(xlabel="epoch", ylabel="test accuracy", title="the digits, one seed", ylim=(0.8, 1.0))
ax.legend()
figure.tight_layout()
plt.show()

# %% [markdown]
# ### 训练前后的滤波器
#
# 16 个滤波器中的每一个都是 3x3 的权重（一个输入通道），训练前随机抽取。在 8x8 的数字上用这么小的滤波器，
# 变化并不明显：训练会让其中一些趋向某种明暗对比（亮的一侧挨着暗的一侧），它对某个方向上的笔画边缘有响应。
# 在 28x28 的 MNIST 上用 5x5 的滤波器（书中的图 7-24），这样的边缘检测器一目了然。

# %%
conv_net = runs["SimpleConvNet"][0]
untrained = SimpleConvNet(output_size=10, weight_init_std=WEIGHT_INIT_STD, rng=np.random.default_rng(NOTEBOOK_SEED))
figure, axes = plt.subplots(2, 16, figsize=(12, 2.2))
for row, (label, filters) in enumerate((("before", untrained.params["W1"]), ("after", conv_net.params["W1"]))):
    for ax, kernel in zip(axes[row], filters[:, 0]):
        ax.imshow(kernel, cmap="gray")
        ax.set_xticks([])
        ax.set_yticks([])
    axes[row, 0].set_ylabel(label)
figure.suptitle("SimpleConvNet's 3x3 filters")
figure.tight_layout()
plt.show()

# %% [markdown]
# ### 在 MNIST 上（如果本机有 MNIST）
#
# 书中自己的设置：28x28 的图像，30 个不加填充的 5x5 滤波器，一个有 100 个单元的隐藏层。
# 下面的代码只在本地查找 MNIST（`load_mnist(download=False)`：缓存，或由 `DLSCRATCH_DATA_DIR` 指定的文件夹，
# 见 `help(load_mnist)`），用前 2,000 张训练图像训练一个 epoch（一分钟以内），并显示那 30 个滤波器；
# 没有 MNIST 时会说明并跳过。

# %%
try:
    (mnist_x, mnist_t), (mnist_x_test, mnist_t_test) = load_mnist(flatten=False, download=False)
except DatasetUnavailable as missing:
    print(f"本机没有 MNIST，已跳过（{missing}）")
else:
    mnist_net = SimpleConvNet(input_dim=(1, 28, 28), conv_param={"filter_num": 30, "filter_size": 5, "pad": 0},
                              weight_init_std=WEIGHT_INIT_STD, rng=np.random.default_rng(NOTEBOOK_SEED))
    mnist_history = fit(mnist_net, OPTIMIZER(lr=0.001), (mnist_x[:2000].astype(np.float64), mnist_t[:2000]),
                        (mnist_x_test[:500].astype(np.float64), mnist_t_test[:500]), 1, 50,
                        np.random.default_rng(NOTEBOOK_SEED))
    print(f"MNIST，在 2,000 张图像上训练一个 epoch：测试识别精度 {mnist_history[-1]['test_accuracy']:.3f}（500 张图像）")
    figure, axes = plt.subplots(3, 10, figsize=(10, 3.2))
    for ax, kernel in zip(axes.flat, mnist_net.params["W1"][:, 0]):
        ax.imshow(kernel, cmap="gray")
        ax.set_xticks([])
        ax.set_yticks([])
    figure.suptitle("SimpleConvNet's 5x5 filters after one epoch on MNIST")
    # 由 inline 后端在单元格结束时显示，只在有 MNIST 可画时才会出现
    figure.tight_layout()
