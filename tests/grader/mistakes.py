"""Mistakes (and attacks) that more than one test file grades: code appended to a module of the reference
(`make_submission(append={module: CODE})`); a later definition replaces the reference's.

A mistake one file alone grades stays in that file, beside the scores it is expected to cost.
"""

# Functions right in value that loop over rows: what the vectorisation tests must catch (the
# vectorisation benchmarks time the same code).
LOOP_SOFTMAX = """
def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    rows = x.reshape(-1, x.shape[-1])
    out = np.empty_like(rows)
    for i in range(len(rows)):
        e = np.exp(rows[i] - rows[i].max())
        out[i] = e / e.sum()
    return out.reshape(x.shape)
"""
LOOP_CROSS_ENTROPY = """
def cross_entropy_error(y, t):
    y = np.asarray(y, dtype=np.float64).reshape(-1, np.shape(y)[-1])
    t = np.asarray(t)
    t = t.reshape(len(y), -1).argmax(axis=1) if t.size == y.size else t.reshape(-1)
    total = 0.0
    for i in range(len(y)):
        total -= np.log(y[i, t[i]] + 1e-7)
    return float(total / len(y))
"""
# Builds each row of SoftmaxWithLoss's gradient in a Python loop: 2.6 us a row.
SOFTMAX_WITH_LOSS_ROW_LOOP = """
def _row_loop_backward(self, dout=1):
    y = self.y.reshape(-1, self.y.shape[-1])
    t = np.asarray(self.t)
    labels = t.reshape(len(y), -1).argmax(axis=1) if t.size == y.size else t.reshape(-1)
    dx = np.empty_like(y)
    for i in range(len(y)):
        one_hot = np.zeros(y.shape[1])
        one_hot[labels[i]] = 1
        dx[i] = (y[i] - one_hot) / len(y)
    return (dout * dx).reshape(self.y.shape)
SoftmaxWithLoss.backward = _row_loop_backward
"""
AFFINE_FORWARD_ROW_LOOP = """
def _row_loop_forward(self, x):
    self.original_x_shape = x.shape
    self.x = x.reshape(x.shape[0], -1)
    out = np.empty((self.x.shape[0], self.W.shape[1]))
    for i in range(self.x.shape[0]):
        out[i] = np.dot(self.x[i], self.W) + self.b
    return out
Affine.forward = _row_loop_forward
"""

# activations: softmax over the batch axis: right on a single sample, wrong on every batch (and stage 4
# calls it).
SOFTMAX_OVER_AXIS_0 = """
def softmax(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e, axis=0, keepdims=True)
"""
# activations: no maximum subtracted: NaN for large inputs.
SOFTMAX_WITHOUT_MAX = """
def softmax(x):
    e = np.exp(np.asarray(x, dtype=np.float64))
    return e / np.sum(e, axis=-1, keepdims=True)
"""
# losses: log(0) for a zero probability.
CROSS_ENTROPY_WITHOUT_GUARD = """
def cross_entropy_error(y, t):
    y = np.asarray(y, dtype=np.float64).reshape(-1, np.shape(y)[-1])
    t = np.asarray(t)
    t = t.reshape(len(y), -1).argmax(axis=1) if t.size == y.size else t.reshape(-1)
    return float(-np.sum(np.log(y[np.arange(len(y)), t])) / len(y))
"""
# losses: the book's one-hot-only cross-entropy: a ValueError for a batch of labels.
CROSS_ENTROPY_CRASHING_ON_LABELS = """
def cross_entropy_error(y, t):
    y = np.asarray(y, dtype=np.float64)
    batch_size = y.shape[0] if y.ndim == 2 else 1
    return float(-np.sum(t * np.log(y + 1e-7)) / batch_size)
"""
# numerical_net or networks (either TwoLayerNet): the book's accuracy, which expects one-hot targets.
ACCURACY_FOR_ONE_HOT_ONLY = """
def _accuracy_for_one_hot(self, x, t):
    y = np.argmax(self.predict(x), axis=1)
    return float(np.sum(y == np.argmax(t, axis=1)) / x.shape[0])
TwoLayerNet.accuracy = _accuracy_for_one_hot
"""
# layers: the book's Relu.backward: it zeroes the caller's dout.
RELU_MUTATING_DOUT = """
def _backward_in_place(self, dout):
    dout[self.mask] = 0
    return dout
Relu.backward = _backward_in_place
"""
# layers: dx is left flat: right for 2-D inputs only.
AFFINE_WITHOUT_RESHAPE = """
def _backward_without_reshape(self, dout):
    self.dW = np.dot(self.x.T, dout)
    self.db = np.sum(dout, axis=0)
    return np.dot(dout, self.W.T) if self.needs_input_grad else None
Affine.backward = _backward_without_reshape
"""
# gates: XOR ends the process that runs it (the worker).
XOR_EXITING = "import os\ndef XOR(x1, x2):\n    os._exit(1)\n"
# graph_gates: sends dz to x always: right wherever x wins, so only a mix of both ways shows it.
MAX_GATE_ALWAYS_TO_X = """
MaxGate.backward = lambda self, dout: (dout * 1.0, dout * 0.0)
"""
# optimizers: params[key] = params[key] - ...: new arrays, which the network's layers never see.
SGD_REBINDING = """
def _update_rebinding(self, params, grads):
    for key in params:
        params[key] = params[key] - self.lr * grads[key]
SGD.update = _update_rebinding
"""
# optimizers: v starts from zero on every call: the first step is right, the momentum never builds up.
MOMENTUM_WITHOUT_STATE = """
def _update_without_state(self, params, grads):
    v = {key: np.zeros_like(value) for key, value in params.items()}
    for key in params:
        v[key] = self.momentum * v[key] - self.lr * grads[key]
        params[key] += v[key]
Momentum.update = _update_without_state
"""
ADAM_WITHOUT_BIAS_CORRECTION = """
def _update_without_bias_correction(self, params, grads):
    if self.m is None:
        self.m = {key: np.zeros_like(value) for key, value in params.items()}
        self.v = {key: np.zeros_like(value) for key, value in params.items()}
    for key in params:
        self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]
        self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grads[key] ** 2
        params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)
Adam.update = _update_without_bias_correction
"""

# Normalises each sample over its features (axis=1) instead of each feature over the batch, and keeps
# running statistics of those.
BATCHNORM_WRONG_AXIS = """
_right_forward = BatchNormalization.forward
def _forward_wrong_axis(self, x, train_flg=True):
    if not train_flg:
        return _right_forward(self, x, False)
    self.input_shape = x.shape
    x = np.asarray(x, dtype=np.float64).reshape(x.shape[0], -1)
    if self.running_mean is None:
        self.running_mean, self.running_var = np.zeros(x.shape[1]), np.zeros(x.shape[1])
    mu = x.mean(axis=1, keepdims=True)
    xc = x - mu
    var = np.mean(xc ** 2, axis=1, keepdims=True)
    std = np.sqrt(var + EPSILON)
    self.batch_size, self.xc, self.std, self.xn = x.shape[0], xc, std, xc / std
    self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
    self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
    return (self.gamma * self.xn + self.beta).reshape(self.input_shape)
BatchNormalization.forward = _forward_wrong_axis
"""

# Drops units whatever the mode.
DROPOUT_IGNORING_THE_FLAG = """
def _forward_always_dropping(self, x, train_flg=True):
    self.mask = self.rng.random(x.shape) > self.dropout_ratio
    return x * self.mask
Dropout.forward = _forward_always_dropping
"""

# Weight decay on the biases as well.
DECAYING_BIASES = """
_exact_gradient = MultiLayerNet.gradient
def _gradient_decaying_biases(self, x, t):
    grads = _exact_gradient(self, x, t)
    for idx in range(1, self.hidden_layer_num + 2):
        grads[f"b{idx}"] = grads[f"b{idx}"] + self.weight_decay_lambda * self.params[f"b{idx}"]
    return grads
MultiLayerNet.gradient = _gradient_decaying_biases
"""

# A true convolution: the filter flipped, as signal processing defines it.
FLIPPED_FILTERS = """
_cross_correlation = Convolution.forward
def _forward_flipped(self, x):
    W = self.W
    self.W = W[:, :, ::-1, ::-1]
    try:
        return _cross_correlation(self, x)
    finally:
        self.W = W
Convolution.forward = _forward_flipped
"""

# Patches put back with = where they overlap: the last one written wins.
COL2IM_OVERWRITING = """
def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_shape
    out_h, out_w = conv_output_size(H, filter_h, stride, pad), conv_output_size(W, filter_w, stride, pad)
    col = np.asarray(col, dtype=np.float64).reshape(N, out_h, out_w, C, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1))
    for y in range(filter_h):
        y_max = y + stride * out_h
        for x in range(filter_w):
            x_max = x + stride * out_w
            img[:, :, y:y_max:stride, x:x_max:stride] = col[:, :, y, x, :, :]
    return img[:, :, pad:H + pad, pad:W + pad]
"""
# A softmax that raises on a batch (sums over axis 1 without keepdims): ValueError at its last line.
SOFTMAX_THAT_RAISES = "def softmax(x):\n    e = np.exp(x - np.max(x))\n    return e / np.sum(e, axis=1)\n"
