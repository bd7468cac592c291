# %% [markdown]
# # Stage 7: convolutional networks
#
# *Deep Learning from Scratch*, chapter 7. An Affine layer treats an image as a flat vector and forgets
# which pixels are neighbours. A convolution layer keeps the image's shape: each filter looks at a small
# patch, and the same filter slides over every position, so it finds the same pattern (an edge, a
# stroke) wherever it is, with a handful of weights. Max pooling then keeps the strongest response in
# each small window, which makes the result a little insensitive to where exactly the pattern was.

# %%
import matplotlib.pyplot as plt
import numpy as np

from dlscratch_data import DatasetUnavailable, load_digits, load_mnist

# %% only="repo"
# Re-import your dlscratch modules whenever you save them, without restarting the kernel.
get_ipython().run_line_magic("load_ext", "autoreload")
get_ipython().run_line_magic("autoreload", "2")

# %% [markdown]
# ## Carried over from stages 2-5
#
# The network is built from your activations, loss, numerical gradient, layers and optimizers.

# %% module="activations" names=["sigmoid", "relu", "softmax"]

# %% module="losses" names=["LOG_GUARD", "cross_entropy_error"]

# %% module="gradients" names=["H", "numerical_gradient"]

# %% module="layers" names=["Relu", "Sigmoid", "Affine", "SoftmaxWithLoss"]

# %% module="networks" names=["TwoLayerNet"]

# %% module="optimizers" names=["EPS", "Adam"]

# %% module="experiments" names=["fit_epoch", "fit", "_float64"]

# %% [markdown]
# ## im2col: a convolution as one matrix product
#
# A convolution of an input $(N, C, H, W)$ with $FN$ filters $(C, FH, FW)$ computes, at every output
# position, the sum of a patch times a filter:
#
# $$\text{out}[n, f, r, s] = \sum_{c, i, j} x_{\text{pad}}[n, c, r \cdot \text{stride} + i,
# s \cdot \text{stride} + j] \; W[f, c, i, j] + b[f],$$
#
# with $\text{out}_h = (H + 2\,\text{pad} - FH) / \text{stride} + 1$ (rounded down), and the same for the
# width. (This is cross-correlation: the filter is not flipped. The book and every framework call it
# convolution.) Looping over every output value in Python is far too slow. `im2col` (given) copies every
# patch into one row of a matrix $(N \cdot \text{out}_h \cdot \text{out}_w, C \cdot FH \cdot FW)$; with the
# filters as the columns of a second matrix, the whole convolution is one matrix product, the operation
# BLAS does fastest.
#
# **Why im2col is given and col2im is yours.** `im2col` is index bookkeeping, a gather. Its backward,
# `col2im`, is the chapter's backpropagation lesson: one input pixel is copied into every patch that
# covers it, and a copy node's backward *adds* the gradients of its copies (stage 4's copy gate). So
# `col2im` puts each patch's gradient back where the patch came from, adding where patches overlap.

# %% module="conv_util" names=["conv_output_size", "im2col"]

# %%
demo = np.arange(16.0).reshape(1, 1, 4, 4)
print("a 4x4 image:\n", demo[0, 0])
print("its nine 2x2 patches (stride 1), one per row:\n", im2col(demo, 2, 2))

# %% [markdown]
# ## Exercise: col2im, Convolution and Pooling
#
# - `col2im(col, input_shape, filter_h, filter_w, stride, pad)`: the transpose of `im2col`, with `+=`
#   where patches overlap, the padding cut off at the end.
# - `Convolution.forward`: `im2col`, one product with `W.reshape(FN, -1).T`, plus `b`, then back to
#   $(N, FN, \text{out}_h, \text{out}_w)$. `backward`: the Affine layer's three products on the patch
#   rows, then `col2im` for $dx$.
# - `Pooling` (max): `im2col` with the pooling window, each channel's window a row of its own; forward
#   takes each row's maximum and remembers where it was (`np.argmax`), backward routes each window's
#   gradient to that one element (the first where several tie), as a max gate does.

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
# ## Exercise: SimpleConvNet
#
# The book's network: `Conv1 -> Relu1 -> Pool1 -> Affine1 -> Relu2 -> Affine2 -> SoftmaxWithLoss`.
# `__init__` (given) builds the layers for the 8x8 digits (3x3 filters padded by 1 keep the image 8x8,
# 2x2 pooling halves it); you write `predict`, `loss` and `gradient`, as for the two-layer net of stage 4.

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
# ## Training on the digits
#
# The course's experiment code (given, `conv_experiments.py`) trains SimpleConvNet and the two-layer net
# of stage 4 alike: Adam at 0.01, batches of 32, the course's tuned settings for the two-layer net, the
# same batches for both. Over five seeds and 30 epochs SimpleConvNet ends with the higher test accuracy
# (`python benchmarks/conv_training.py` in the course repository prints each seed and the medians); the
# digits are small and easy, so the lead is a few test images. The run here is one seed, 10 epochs.

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
# ### The filters before and after training
#
# Each of the 16 filters is 3x3 weights (one input channel), drawn at random before training. With
# filters this small on 8x8 digits the change is subtle: training moves some towards a contrast (a
# bright side beside a dark one), which responds to a stroke's edge in one direction. On 28x28 MNIST with
# 5x5 filters (the book's figure 7-24) such edge detectors are plain to see.

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
# ### On MNIST, where it is on this machine
#
# The book's own setting: 28x28 images, 30 filters of 5x5 without padding, a hidden layer of 100. The
# run below looks for MNIST locally only (`load_mnist(download=False)`: a cache or a folder named by
# `DLSCRATCH_DATA_DIR`, see `help(load_mnist)`), trains one epoch on the first 2,000 training images (a minute or less)
# and shows the 30 filters; without MNIST it says so and skips.

# %%
try:
    (mnist_x, mnist_t), (mnist_x_test, mnist_t_test) = load_mnist(flatten=False, download=False)
except DatasetUnavailable as missing:
    print(f"MNIST is not on this machine, skipped ({missing})")
else:
    mnist_net = SimpleConvNet(input_dim=(1, 28, 28), conv_param={"filter_num": 30, "filter_size": 5, "pad": 0},
                              weight_init_std=WEIGHT_INIT_STD, rng=np.random.default_rng(NOTEBOOK_SEED))
    mnist_history = fit(mnist_net, OPTIMIZER(lr=0.001), (mnist_x[:2000].astype(np.float64), mnist_t[:2000]),
                        (mnist_x_test[:500].astype(np.float64), mnist_t_test[:500]), 1, 50,
                        np.random.default_rng(NOTEBOOK_SEED))
    print(f"MNIST, one epoch on 2,000 images: test accuracy {mnist_history[-1]['test_accuracy']:.3f} (500 images)")
    figure, axes = plt.subplots(3, 10, figsize=(10, 3.2))
    for ax, kernel in zip(axes.flat, mnist_net.params["W1"][:, 0]):
        ax.imshow(kernel, cmap="gray")
        ax.set_xticks([])
        ax.set_yticks([])
    figure.suptitle("SimpleConvNet's 5x5 filters after one epoch on MNIST")
    # shown by the inline backend at the end of the cell, only where there is MNIST to draw
    figure.tight_layout()
