# %% [markdown]
# # Stage 6: training deep networks
#
# *Deep Learning from Scratch*, chapter 6. A network of five or more layers trains only when its signals
# stay in a useful range from layer to layer and it does not memorise its training set. Four tools do
# most of that work: the scale of the initial weights, Batch Normalization, Dropout and weight decay.
# This stage builds each one, then a fully connected net of any depth that uses them all.

# %%
import matplotlib.pyplot as plt
import numpy as np

from dlscratch_data import load_digits

# %% only="repo"
# Re-import your dlscratch modules whenever you save them, without restarting the kernel.
get_ipython().run_line_magic("load_ext", "autoreload")
get_ipython().run_line_magic("autoreload", "2")

# %% [markdown]
# ## Carried over from stages 2-4
#
# The deep net is built from your activations, loss, numerical gradient and layers.

# %% module="activations" names=["sigmoid", "relu", "softmax"]

# %% module="losses" names=["LOG_GUARD", "cross_entropy_error"]

# %% module="gradients" names=["H", "numerical_gradient"]

# %% module="layers" names=["Relu", "Sigmoid", "Affine", "SoftmaxWithLoss"]

# %% module="networks" names=["TwoLayerNet"]

# %% module="optimizers" names=["SGD"]

# %% [markdown]
# ## Exercise: the scale of the initial weights
#
# Each layer's weights are drawn from a normal distribution; its standard deviation decides what the
# activations of a deep net look like. A unit sums $n$ inputs (its *fan-in*), so its variance is $n$
# times the variance of one weight times one input. To keep the variance the same from layer to layer:
#
# - **Xavier** (Glorot and Bengio, 2010): std $= \sqrt{1/n}$, for sigmoid and tanh, which are close to
#   linear around 0;
# - **He** (He et al., 2015): std $= \sqrt{2/n}$, for ReLU, which zeroes half of its inputs and so halves
#   the variance;
# - a fixed small std such as 0.01 shrinks the signal by a factor at every layer.
#
# `init_scale(weight_init_std, fan_in)` returns the std: `"he"` or `"relu"` for He's, `"xavier"` or
# `"sigmoid"` for Xavier's (the book's names), or the number itself.

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
# ### The book's experiment: activations through five layers
#
# A thousand random inputs through five layers of 100 units, no biases. Each panel shows the five
# layers' activation histograms for one activation and one init. With std 0.01 the sigmoid's outputs
# all crowd at 0.5 and ReLU's at 0: every unit says the same, so the layers might as well be one unit
# (and the gradients vanish). Xavier keeps the sigmoid's spread through all five layers; ReLU needs He's
# larger scale to keep its spread.

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
# ## Exercise: Batch Normalization
#
# Ioffe and Szegedy (2015) normalise each feature over the mini-batch, then let the network scale and
# shift it back as it likes:
#
# $$\mu = \frac{1}{N}\sum_i x_i, \quad \sigma^2 = \frac{1}{N}\sum_i (x_i - \mu)^2, \quad
# \hat{x}_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \varepsilon}}, \quad y_i = \gamma \hat{x}_i + \beta.$$
#
# Every layer then sees inputs of a fixed scale whatever the layers before it do, so a larger learning
# rate works and the initial scale matters much less. At test time there is no batch to average over (a
# prediction must not depend on the other images of a batch): the layer uses running averages of the
# batch means and variances it saw in training, `running = momentum * running + (1 - momentum) * batch`,
# both starting at zeros. An image batch $(N, C, H, W)$ is flattened to $(N, C \cdot H \cdot W)$ first,
# as the book does.
#
# The backward pass goes through $\mu$ and $\sigma^2$ as well: every input moves the mean and the
# variance, and so every output of its feature. Draw the graph (the book's figure 6-17 or Kratzert's
# blog post) and walk it back node by node: $d\beta$, $d\gamma$, $d\hat{x}$, then through the division,
# the square root, the variance and the mean.

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
# ## Exercise: Dropout
#
# Srivastava et al. (2014): in training, every unit of a layer is dropped (set to 0) with probability
# `dropout_ratio`, a fresh random choice for every forward pass, so no unit can rely on a particular
# other one being there; backward passes the gradient only through the units kept (the same mask). At
# test time every unit is kept and its output scaled by $1 - $ `dropout_ratio`, the book's convention,
# so each unit's expected output is the same in both modes. (Frameworks usually scale in training
# instead, "inverted dropout"; the result is the same network.) The mask comes from the layer's own
# generator `self.rng`: seeded, the same masks come out again, which is how a grader checks them.

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
# ## Exercise: a deep net with weight decay
#
# `MultiLayerNet` stacks any number of hidden layers, each `Affine -> [BatchNorm] -> activation ->
# [Dropout]`, then a last `Affine` and `SoftmaxWithLoss`; `__init__` (given) builds the layers in order
# in `self.layers`. You write `predict` (passing `train_flg` on to the BatchNorm and Dropout layers),
# `loss` and `gradient`.
#
# **Weight decay** (L2 regularisation) adds $\frac{\lambda}{2}\sum_l \lVert W_l \rVert^2$ to the loss, so
# every weight's gradient gets $\lambda W_l$: each step shrinks the weights a little, and a network with
# small weights cannot fit every quirk of its training set. The biases (and $\gamma$, $\beta$) are
# exempt: they do not make the function any more wiggly.

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
# ## What each tool does to training
#
# The course's experiment code (given, `experiments.py`) trains your networks on the bundled digits
# (1,437 training and 360 test images of 8x8 pixels) with your SGD, and records the training and test
# accuracy after every epoch. Each run below is one seed; `python benchmarks/stage6_training.py` in the
# course repository runs five and prints per seed and the medians what is said here.

# %% module="experiments" names=["INIT_STDS", "INIT_HIDDEN", "INIT_LR", "INIT_BATCH_SIZE", "INIT_EPOCHS", "BN_HIDDEN", "BN_LR", "BN_BATCH_SIZE", "BN_EPOCHS", "TWO_LAYER_HIDDEN", "TWO_LAYER_INIT_STD", "REG_TRAIN_SIZE", "REG_HIDDEN", "REG_LR", "REG_BATCH_SIZE", "REG_EPOCHS", "DROPOUT_RATIO", "WEIGHT_DECAY_LAMBDA", "REGULARIZATIONS", "NOTEBOOK_SEED", "NOTEBOOK_BN_EPOCHS", "NOTEBOOK_REG_EPOCHS", "fit_epoch", "fit", "epochs_to_reach", "generalization_gap", "init_comparison", "batchnorm_comparison", "regularization_comparison", "_two_layer_net", "_input_and_output_sizes", "_float64"]

# %%
digits_train, digits_test = load_digits(normalize=True)


def plot_accuracy(ax, histories, title, train=False):
    """Test accuracy per epoch of each history (and, with train=True, training accuracy dashed)."""
    for label, history in histories.items():
        epochs = [record["epoch"] for record in history]
        line, = ax.plot(epochs, [record["test_accuracy"] for record in history], label=f"{label} (test)")
        if train:
            ax.plot(epochs, [record["train_accuracy"] for record in history], "--", color=line.get_color(),
                    label=f"{label} (train)")
    ax.set(xlabel="epoch", ylabel="accuracy", title=title, ylim=(0, 1.02))
    ax.legend(fontsize=8)


# %% [markdown]
# ### The initial scale decides whether a deep net learns
#
# The book's figure 6-15 on the digits: a 5-layer ReLU net, SGD at the book's learning rate 0.01, the
# same data and batches for each scale. With std 0.01 the signal has all but vanished after four layers
# and so have the gradients: the net stays at chance (0.1) for as long as you let it run. Xavier's scale
# learns, slowly; He's, made for ReLU, learns fastest, on every seed.

# %%
figure, ax = plt.subplots(figsize=(7, 4))
plot_accuracy(ax, init_comparison(digits_train, digits_test, NOTEBOOK_SEED),
              f"5-layer ReLU net, SGD lr {INIT_LR}: each initial weight scale")
figure.tight_layout()
plt.show()

# %% [markdown]
# ### Batch Normalization speeds training up
#
# The same 5-layer net with He's weights, with and without a BatchNorm layer before every ReLU, both
# trained by SGD at 0.1, against the mark of the two-layer net of stage 4 trained the same way (its test
# accuracy after the same epochs). With BatchNorm the deep net passes the mark sooner, on every seed: in
# about half the epochs it needs without.

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
    print(f"{label}: reaches the two-layer net's {two_layer_mark:.3f} in epoch {epochs_to_reach(history, two_layer_mark)}")

# %% [markdown]
# ### Dropout and weight decay against overfitting
#
# With only 100 training images the 5-layer net learns every one of them (training accuracy 1.0) long
# before it generalises: the gap between training and test accuracy is the overfitting. Dropout (ratio
# 0.1) and weight decay (lambda 0.01) narrow it here by raising the test accuracy, not by lowering the
# training accuracy. The digits overfit little, so the effect is modest and varies with the seed:
# dropout narrowed the gap on each of five seeds, weight decay on most, not all. Stronger settings
# lowered the test accuracy along with the training accuracy.

# %%
reg_histories = regularization_comparison(digits_train, digits_test, NOTEBOOK_SEED, epochs=NOTEBOOK_REG_EPOCHS)
figure, axes = plt.subplots(1, 3, figsize=(14, 4), sharey=True)
for ax, (label, history) in zip(axes, reg_histories.items()):
    plot_accuracy(ax, {label: history}, f"{label}: gap {generalization_gap(history):.3f}", train=True)
figure.suptitle(f"5-layer net on {REG_TRAIN_SIZE} training images")
figure.tight_layout()
plt.show()
