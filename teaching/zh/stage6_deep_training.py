# %% [markdown]
# # 第 6 阶段：训练深层网络
#
# 《深度学习入门：基于Python的理论与实现》第 6 章。五层或更多层的网络要能训练起来，
# 信号在层与层之间必须保持在合适的范围内，而且网络不能死记硬背训练数据。完成这些工作的主要是四种工具：
# 权重初始值的尺度、Batch Normalization、Dropout 和权值衰减。本阶段逐一实现它们，然后构建一个用到全部工具、
# 层数任意的全连接网络。

# %%
import matplotlib.pyplot as plt
import numpy as np

from dlscratch_data import load_digits

# %% only="repo"
# 每次保存 dlscratch 模块后自动重新导入，无需重启内核。
get_ipython().run_line_magic("load_ext", "autoreload")
get_ipython().run_line_magic("autoreload", "2")

# %% [markdown]
# ## 沿用第 2-4 阶段的代码
#
# 深层网络由你写的激活函数、损失函数、数值梯度和各层搭建而成。

# %% module="activations" names=["sigmoid", "relu", "softmax"]

# %% module="losses" names=["LOG_GUARD", "cross_entropy_error"]

# %% module="gradients" names=["H", "numerical_gradient"]

# %% module="layers" names=["Relu", "Sigmoid", "Affine", "SoftmaxWithLoss"]

# %% module="networks" names=["TwoLayerNet"]

# %% module="optimizers" names=["SGD"]

# %% [markdown]
# ## 练习：权重初始值的尺度
#
# 每一层的权重都从正态分布中抽取；它的标准差决定了深层网络的激活值是什么样子。
# 一个单元对 $n$ 个输入求和（它的 *fan-in*），所以它的方差是单个权重的方差乘以单个输入的方差再乘以 $n$。
# 要让方差在层与层之间保持不变：
#
# - **Xavier 初始值**（Glorot 和 Bengio，2010）：标准差 $= \sqrt{1/n}$，用于 sigmoid 和 tanh，
#   它们在 0 附近接近线性；
# - **He 初始值**（He 等，2015）：标准差 $= \sqrt{2/n}$，用于 ReLU，ReLU 会把一半的输入变成零，方差也就减半；
# - 像 0.01 这样固定的小标准差，会让信号在每一层都缩小一个倍数。
#
# `init_scale(weight_init_std, fan_in)` 返回标准差：`"he"` 或 `"relu"` 表示 He 初始值，
# `"xavier"` 或 `"sigmoid"` 表示 Xavier 初始值（书中的叫法），数字则原样返回。

# %% module="weight_init" names=["ACTIVATIONS", "SCALES", "init_scale", "activation_histograms"]

# %% tests="init_scale" points=1
assert abs(init_scale("he", 50) - np.sqrt(2 / 50)) < 1e-12
assert abs(init_scale("sigmoid", 50) - np.sqrt(1 / 50)) < 1e-12
assert init_scale(0.01, 50) == 0.01
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_scalar
from solutions import weight_init as reference_weight_init
for hidden_std in ("relu", "xavier", 0.037):
    expect_scalar(init_scale(hidden_std, 137), reference_weight_init.init_scale(hidden_std, 137),
                  f"init_scale({hidden_std!r}, 137)")
### END HIDDEN TESTS

# %% [markdown]
# ### 书中的实验：经过五层之后的激活值
#
# 一千个随机输入经过五层、每层 100 个单元、没有偏置的网络。
# 每个子图画出一种激活函数和一种初始值下五层激活值的直方图。标准差为 0.01 时，
# sigmoid 的输出全部挤在 0.5 附近，ReLU 的输出全部挤在 0 附近：每个单元输出都一样，
# 这些层还不如只有一个单元（而且梯度会消失）。Xavier 初始值让 sigmoid 的输出在五层中都保持分散；
# ReLU 需要 He 初始值更大的尺度才能保持分散。

# %%
INITS = (0.01, "xavier", "he")
figure, axes = plt.subplots(2, 3, figsize=(12, 5.5), sharey="row")
for row, activation in enumerate(("sigmoid", "relu")):
    for ax, init in zip(axes[row], INITS):
        outputs = activation_histograms(activation, init, np.random.default_rng(0))
        value_range = (0, 1) if activation == "sigmoid" else (0, 3)
        for layer, values in enumerate(outputs, start=1):
            ax.hist(values.ravel(), bins=30, range=value_range, histtype="step", label=f"layer {layer}")
        ax.set_title(f"{activation}, std {init}")
        ax.set_yscale("log")
axes[0, 0].legend(fontsize=8)
figure.suptitle("activations of five 100-unit layers (1,000 random inputs)")
figure.tight_layout()
plt.show()

# %% [markdown]
# ## 练习：Batch Normalization
#
# Ioffe 和 Szegedy（2015）对 mini-batch 中的每个特征进行正规化，再让网络按需要对它进行缩放和平移：
#
# $$\mu = \frac{1}{N}\sum_i x_i, \quad \sigma^2 = \frac{1}{N}\sum_i (x_i - \mu)^2, \quad
# \hat{x}_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \varepsilon}}, \quad y_i = \gamma \hat{x}_i + \beta.$$
#
# 这样，无论前面的层怎样变化，每一层看到的输入尺度都是固定的，所以可以使用更大的学习率，
# 初始值的尺度也不再那么重要。测试时没有批可以求平均（一个预测不应该依赖同一批中的其他图像）：
# 这时该层使用训练中见过的各批均值和方差的滑动平均，`running = momentum * running + (1 - momentum) * batch`，
# 两者都从零开始。图像的批 $(N, C, H, W)$ 先像书中那样展平为 $(N, C \cdot H \cdot W)$。
#
# 反向传播也要经过 $\mu$ 和 $\sigma^2$：每个输入都会影响均值和方差，从而影响它所在特征的每个输出。
# 画出计算图（书中的图 6-17，或 Kratzert 的博客文章），逐个节点地往回走：$d\beta$、$d\gamma$、$d\hat{x}$，
# 然后经过除法、平方根、方差和均值。

# %% module="normalization" names=["EPSILON", "BatchNormalization"]

# %% tests="batchnorm" points=2
bn_rng = np.random.default_rng(6)
bn_x, bn_dout = bn_rng.standard_normal((5, 3)) * 3 + 1, bn_rng.standard_normal((5, 3))
bn_gamma, bn_beta = bn_rng.uniform(0.5, 2, 3), bn_rng.standard_normal(3)
bn_layer = BatchNormalization(bn_gamma.copy(), bn_beta.copy())
bn_out = bn_layer.forward(bn_x, train_flg=True)
np.testing.assert_allclose((bn_out - bn_beta) / bn_gamma, (bn_x - bn_x.mean(0)) / np.sqrt(bn_x.var(0) + 10e-7),
                           rtol=1e-6)
np.testing.assert_allclose(bn_layer.running_mean, 0.1 * bn_x.mean(0), rtol=1e-12)
bn_dx = bn_layer.backward(bn_dout)
bn_loss = lambda _: np.sum(BatchNormalization(bn_gamma, bn_beta).forward(bn_x, train_flg=True) * bn_dout)
assert np.max(np.abs(bn_dx - numerical_gradient(bn_loss, bn_x))) < 1e-6, "dx disagrees with the numerical gradient"
assert np.max(np.abs(bn_layer.dgamma - numerical_gradient(bn_loss, bn_gamma))) < 1e-6
### BEGIN HIDDEN TESTS
from autograder.grading.checks import expect_array
from solutions import normalization as reference_normalization
hidden_rng = np.random.default_rng(6061)
hidden_x = hidden_rng.standard_normal((4, 2, 2, 2)) * 2 - 1
hidden_dout = hidden_rng.standard_normal(hidden_x.shape)
hidden_gamma, hidden_beta = hidden_rng.uniform(0.5, 2, 8), hidden_rng.standard_normal(8)
hidden_ours = reference_normalization.BatchNormalization(hidden_gamma.copy(), hidden_beta.copy(), momentum=0.7)
hidden_theirs = BatchNormalization(hidden_gamma.copy(), hidden_beta.copy(), momentum=0.7)
expect_array(hidden_theirs.forward(hidden_x.copy()), hidden_ours.forward(hidden_x), "BatchNormalization.forward (4-D)",
             rtol=1e-6)
expect_array(hidden_theirs.backward(hidden_dout.copy()), hidden_ours.backward(hidden_dout), "BatchNormalization.backward",
             rtol=1e-6)
hidden_test_x = hidden_rng.standard_normal((3, 2, 2, 2))
expect_array(hidden_theirs.forward(hidden_test_x.copy(), train_flg=False),
             hidden_ours.forward(hidden_test_x, train_flg=False), "BatchNormalization.forward in test mode", rtol=1e-6)
expect_array(hidden_theirs.running_var, hidden_ours.running_var, "running_var after a test-mode call", rtol=1e-12)
### END HIDDEN TESTS

# %% [markdown]
# ## 练习：Dropout
#
# Srivastava 等（2014）：训练时，一层中的每个单元都以 `dropout_ratio` 的概率被删除（置为 0），
# 每次前向传播都重新随机选择，这样任何单元都不能依赖某个特定的其他单元一定存在；
# 反向传播时梯度只经过保留下来的单元（使用同一个掩码）。测试时保留所有单元，
# 并按书中的约定把输出乘以 $1 - $ `dropout_ratio`，使每个单元在两种模式下的输出期望相同。
# （框架通常改为在训练时缩放，即 "inverted dropout"；得到的是同一个网络。）
# 掩码由该层自己的生成器 `self.rng` 产生：设定种子后会得到同样的掩码，评分程序正是靠这一点来检查它们的。

# %% module="dropout" names=["Dropout"]

# %% tests="dropout" points=1
dropout_x = np.arange(1.0, 13.0).reshape(3, 4)
dropout_layer = Dropout(0.3, np.random.default_rng(0))
dropout_mask = np.random.default_rng(0).random(dropout_x.shape) > 0.3
np.testing.assert_array_equal(dropout_layer.forward(dropout_x, train_flg=True), dropout_x * dropout_mask)
np.testing.assert_array_equal(dropout_layer.backward(np.ones_like(dropout_x)), dropout_mask.astype(float))
np.testing.assert_allclose(dropout_layer.forward(dropout_x, train_flg=False), 0.7 * dropout_x)
### BEGIN HIDDEN TESTS
from solutions import dropout as reference_dropout
hidden_ours = reference_dropout.Dropout(0.45, np.random.default_rng(606))
hidden_theirs = Dropout(0.45, np.random.default_rng(606))
for hidden_call in range(2):
    hidden_x = np.random.default_rng(hidden_call).standard_normal((6, 5))
    expect_array(hidden_theirs.forward(hidden_x.copy()), hidden_ours.forward(hidden_x), "Dropout.forward", rtol=0, atol=0)
expect_array(hidden_theirs.backward(hidden_x.copy()), hidden_ours.backward(hidden_x), "Dropout.backward", rtol=0, atol=0)
### END HIDDEN TESTS

# %% [markdown]
# ## 练习：带权值衰减的深层网络
#
# `MultiLayerNet` 可以堆叠任意数量的隐藏层，每层都是 `Affine -> [BatchNorm] -> 激活函数 -> [Dropout]`，
# 最后是一个 `Affine` 和 `SoftmaxWithLoss`；`__init__`（已给出）按顺序在 `self.layers` 中构建各层。
# 你要写的是 `predict`（把 `train_flg` 传给 BatchNorm 层和 Dropout 层）、`loss` 和 `gradient`。
#
# **权值衰减**（L2 正则化）在损失函数上加上 $\frac{\lambda}{2}\sum_l \lVert W_l \rVert^2$，
# 于是每个权重的梯度都多出 $\lambda W_l$：每一步都让权重缩小一点，
# 而权重小的网络无法拟合训练数据的每一个细枝末节。偏置（以及 $\gamma$、$\beta$）不参与衰减：
# 它们不会让函数变得更加曲折。

# %% module="multi_layer_net" names=["ACTIVATION_LAYERS", "MultiLayerNet"]

# %% tests="multi_layer_net" points=2
net_rng = np.random.default_rng(60)
net_x, net_t = net_rng.standard_normal((5, 4)), np.array([0, 2, 1, 2, 0])
for net_options in ({"activation": "sigmoid", "weight_decay_lambda": 0.1}, {"use_batchnorm": True}):
    check_net = MultiLayerNet(4, [6, 5], 3, weight_init_std=0.5, rng=np.random.default_rng(2), **net_options)
    net_grads, net_numerical = check_net.gradient(net_x, net_t), check_net.numerical_gradient(net_x, net_t)
    for net_key, net_expected in net_numerical.items():
        assert np.max(np.abs(net_grads[net_key] - net_expected)) < 1e-5, f"{net_key} disagrees ({net_options})"
### BEGIN HIDDEN TESTS
from solutions import multi_layer_net as reference_multi_layer_net
hidden_rng = np.random.default_rng(6062)
hidden_x, hidden_t = hidden_rng.standard_normal((7, 5)), hidden_rng.integers(0, 3, 7)
hidden_options = {"activation": "sigmoid", "weight_decay_lambda": 0.2, "use_batchnorm": True}
hidden_ours = reference_multi_layer_net.MultiLayerNet(5, [4, 6, 3], 3, rng=np.random.default_rng(1), **hidden_options)
hidden_theirs = MultiLayerNet(5, [4, 6, 3], 3, rng=np.random.default_rng(1), **hidden_options)
for hidden_key, hidden_param in hidden_ours.params.items():
    hidden_param[...] = hidden_rng.standard_normal(hidden_param.shape)
    hidden_theirs.params[hidden_key][...] = hidden_param
expect_scalar(hidden_theirs.loss(hidden_x, hidden_t), hidden_ours.loss(hidden_x, hidden_t), "MultiLayerNet.loss",
              rtol=1e-6)
hidden_grads = hidden_theirs.gradient(hidden_x, hidden_t)
for hidden_key, hidden_expected in hidden_ours.gradient(hidden_x, hidden_t).items():
    expect_array(hidden_grads[hidden_key], hidden_expected, f"MultiLayerNet.gradient: {hidden_key}", rtol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ## 每种工具对训练的作用
#
# 课程的实验代码（已给出，`experiments.py`）
# 用你的 SGD 在附带的手写数字数据上训练你的网络（1,437 张训练图像和 360 张测试图像，8x8 像素），
# 并在每个 epoch 之后记录训练数据和测试数据的识别精度。下面每次运行只用一个种子；
# 在课程仓库中运行 `python benchmarks/stage6_training.py` 会跑五个种子，并打印每个种子的结果和中位数，
# 这里所说的结论都来自那里。

# %% module="experiments" names=["INIT_STDS", "INIT_HIDDEN", "INIT_LR", "INIT_BATCH_SIZE", "INIT_EPOCHS", "BN_HIDDEN", "BN_LR", "BN_BATCH_SIZE", "BN_EPOCHS", "TWO_LAYER_HIDDEN", "TWO_LAYER_INIT_STD", "REG_TRAIN_SIZE", "REG_HIDDEN", "REG_LR", "REG_BATCH_SIZE", "REG_EPOCHS", "DROPOUT_RATIO", "WEIGHT_DECAY_LAMBDA", "REGULARIZATIONS", "NOTEBOOK_SEED", "NOTEBOOK_BN_EPOCHS", "NOTEBOOK_REG_EPOCHS", "fit_epoch", "fit", "epochs_to_reach", "generalization_gap", "init_comparison", "batchnorm_comparison", "regularization_comparison", "_two_layer_net", "_input_and_output_sizes", "_float64"]

# %%
digits_train, digits_test = load_digits(normalize=True)


def plot_accuracy(ax, histories, title, train=False):
    """每个 history 每个 epoch 的测试识别精度（train=True 时再用虚线画出训练识别精度）。"""
    for label, history in histories.items():
        epochs = [record["epoch"] for record in history]
        line, = ax.plot(epochs, [record["test_accuracy"] for record in history], label=f"{label} (test)")
        if train:
            ax.plot(epochs, [record["train_accuracy"] for record in history], "--", color=line.get_color(),
                    label=f"{label} (train)")
    ax.set(xlabel="epoch", ylabel="accuracy", title=title, ylim=(0, 1.02))
    ax.legend(fontsize=8)


# %% [markdown]
# ### 初始值的尺度决定深层网络能否学习
#
# 在手写数字上重现书中的图 6-15：一个 5 层的 ReLU 网络，SGD 使用书中的学习率 0.01，
# 每种尺度都使用相同的数据和批。标准差为 0.01 时，信号经过四层后几乎消失，梯度也一样：无论训练多久，
# 网络都停留在随机猜测的水平（0.1）。Xavier 初始值能学习，但很慢；专为 ReLU 设计的 He 初始值学得最快，
# 每个种子都是如此。

# %%
figure, ax = plt.subplots(figsize=(7, 4))
plot_accuracy(ax, init_comparison(digits_train, digits_test, NOTEBOOK_SEED),
              f"5-layer ReLU net, SGD lr {INIT_LR}: each initial weight scale")
figure.tight_layout()
plt.show()

# %% [markdown]
# ### Batch Normalization 加快训练
#
# 同样是使用 He 初始值的 5 层网络，分别在每个 ReLU 之前加或不加 BatchNorm 层，都用学习率为 0.1 的 SGD 训练，
# 并与第 4 阶段的两层网络用同样方式训练得到的标记线（它在相同 epoch 数之后的测试识别精度）比较。
# 加了 BatchNorm 的深层网络更早越过这条线，每个种子都是如此：所需的 epoch 数大约是不加时的一半。

# %%
bn_histories = batchnorm_comparison(digits_train, digits_test, NOTEBOOK_SEED, epochs=NOTEBOOK_BN_EPOCHS)
two_layer_mark = bn_histories.pop("two-layer")[-1]["test_accuracy"]
figure, ax = plt.subplots(figsize=(7, 4))
plot_accuracy(ax, bn_histories, f"5-layer net (He), SGD lr {BN_LR}")
ax.axhline(two_layer_mark, color="0.5", linestyle=":", label="two-layer net, last epoch")
ax.legend(fontsize=8)
figure.tight_layout()
plt.show()
for label, history in bn_histories.items():
    print(f"{label}：达到两层网络的 {two_layer_mark:.3f}，是在第 {epochs_to_reach(history, two_layer_mark)} 个 epoch")

# %% [markdown]
# ### 用 Dropout 和权值衰减抑制过拟合
#
# 只有 100 张训练图像时，5 层网络早在学会泛化之前就记住了每一张训练图像（训练识别精度为 1.0）：
# 训练识别精度和测试识别精度之间的差距就是过拟合。这里 Dropout（比例 0.1）和权值衰减（lambda 0.01）
# 缩小了这个差距，靠的是提高测试识别精度，而不是降低训练识别精度。手写数字数据不太容易过拟合，所以效果不大，
# 而且随种子而变：在五个种子上，Dropout 每次都缩小了差距，权值衰减大多数时候如此，但并非每次。
# 更强的设置会让测试识别精度和训练识别精度一起下降。

# %%
reg_histories = regularization_comparison(digits_train, digits_test, NOTEBOOK_SEED, epochs=NOTEBOOK_REG_EPOCHS)
figure, axes = plt.subplots(1, 3, figsize=(14, 4), sharey=True)
for ax, (label, history) in zip(axes, reg_histories.items()):
    plot_accuracy(ax, {label: history}, f"{label}: gap {generalization_gap(history):.3f}", train=True)
figure.suptitle(f"5-layer net on {REG_TRAIN_SIZE} training images")
figure.tight_layout()
plt.show()
