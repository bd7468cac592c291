"""Honest implementations of six exercise functions, each written differently from the reference and from
each other (loops against vectorised code, other NumPy calls, other order and intermediate values): what
independent students who did not follow the lecture's code write. Read by benchmarks/similarity_class.py."""

CROSS_ENTROPY_ERROR = [
    '''def cross_entropy_error(y, t):
    y = np.array(y, dtype=float)
    t = np.array(t)
    if y.ndim == 1:
        y = y[np.newaxis, :]
        t = t[np.newaxis, ...]
    if t.shape == y.shape:
        labels = np.argmax(t, axis=1)
    else:
        labels = t.reshape(-1)
    total = 0.0
    for i in range(y.shape[0]):
        total -= np.log(y[i, labels[i]] + 1e-7)
    return float(total / y.shape[0])
''',
    '''def cross_entropy_error(y, t):
    y = np.atleast_2d(np.asarray(y, dtype=np.float64))
    t = np.asarray(t)
    if t.size != y.size:
        onehot = np.zeros_like(y)
        onehot[np.arange(y.shape[0]), t.ravel()] = 1.0
        t = onehot
    t = t.reshape(y.shape)
    return float(-(t * np.log(y + 1e-7)).sum() / y.shape[0])
''',
    '''def cross_entropy_error(y, t):
    probs = np.asarray(y, dtype=np.float64)
    if probs.ndim < 2:
        probs = probs.reshape(1, probs.size)
    target = np.asarray(t).reshape(probs.shape[0], -1)
    if target.shape[1] > 1:
        target = target.argmax(axis=-1)[:, None]
    picked = np.take_along_axis(probs, target, axis=1)
    return float(np.mean(-np.log(picked + 1e-7)))
''',
]

NUMERICAL_GRADIENT = [
    '''def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x, dtype=np.float64)
    flat_x = x.reshape(-1)
    flat_g = grad.reshape(-1)
    for i in range(flat_x.size):
        keep = flat_x[i]
        flat_x[i] = keep + h
        up = f(x)
        flat_x[i] = keep - h
        down = f(x)
        flat_x[i] = keep
        flat_g[i] = (up - down) / (2 * h)
    return grad
''',
    '''def numerical_gradient(f, x):
    grad = np.empty(x.shape)
    for index in np.ndindex(*x.shape):
        saved = float(x[index])
        values = []
        for step in (H, -H):
            x[index] = saved + step
            values.append(f(x))
        x[index] = saved
        grad[index] = (values[0] - values[1]) / (2 * H)
    return grad
''',
    '''def numerical_gradient(f, x):
    result = np.zeros(x.shape)
    n = 0
    while n < x.size:
        pos = np.unravel_index(n, x.shape)
        tmp = x[pos].copy()
        x[pos] = tmp + H
        fxh1 = f(x)
        x[pos] = tmp - H
        fxh2 = f(x)
        result[pos] = (fxh1 - fxh2) / (H + H)
        x[pos] = tmp
        n += 1
    return result
''',
]

COL2IM = [
    '''def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    padded = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    patches = np.asarray(col, dtype=np.float64).reshape(N, out_h, out_w, C, filter_h, filter_w)
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * stride, j * stride
            padded[:, :, top:top + filter_h, left:left + filter_w] += patches[:, i, j]
    return padded[:, :, pad:pad + H, pad:pad + W]
''',
    '''def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    n, c, h, w = input_shape
    oh = conv_output_size(h, filter_h, stride, pad)
    ow = conv_output_size(w, filter_w, stride, pad)
    rows = (np.arange(oh) * stride)[:, None] + np.arange(filter_h)[None, :]
    cols = (np.arange(ow) * stride)[:, None] + np.arange(filter_w)[None, :]
    blocks = np.asarray(col, dtype=np.float64).reshape(n, oh, ow, c, filter_h, filter_w)
    out = np.zeros((n, c, h + 2 * pad, w + 2 * pad))
    r = rows[:, None, :, None]
    q = cols[None, :, None, :]
    np.add.at(out.transpose(2, 3, 0, 1), (r, q), blocks.transpose(1, 2, 4, 5, 0, 3))
    return out[:, :, pad:h + pad, pad:w + pad]
''',
    '''def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_shape
    out_h = conv_output_size(H, filter_h, stride, pad)
    out_w = conv_output_size(W, filter_w, stride, pad)
    img = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    row = 0
    for n in range(N):
        for i in range(out_h):
            for j in range(out_w):
                patch = col[row].reshape(C, filter_h, filter_w)
                img[n, :, i * stride:i * stride + filter_h, j * stride:j * stride + filter_w] += patch
                row += 1
    if pad == 0:
        return img
    return img[:, :, pad:-pad, pad:-pad]
''',
]

ADAM_UPDATE = [
    '''def update(self, params, grads):
    if self.m is None:
        self.m, self.v = {}, {}
        for name, value in params.items():
            self.m[name] = np.zeros_like(value)
            self.v[name] = np.zeros_like(value)
    self.iter += 1
    for name in params.keys():
        g = grads[name]
        self.m[name] = self.beta1 * self.m[name] + (1 - self.beta1) * g
        self.v[name] = self.beta2 * self.v[name] + (1 - self.beta2) * g * g
        m_hat = self.m[name] / (1 - self.beta1 ** self.iter)
        v_hat = self.v[name] / (1 - self.beta2 ** self.iter)
        params[name] -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-7)
''',
    '''def update(self, params, grads):
    self.m = self.m or {}
    self.v = self.v or {}
    self.iter = self.iter + 1
    c1 = 1.0 - self.beta1 ** self.iter
    c2 = 1.0 - self.beta2 ** self.iter
    step = self.lr * np.sqrt(c2) / c1
    for key, grad in grads.items():
        m = self.m.setdefault(key, np.zeros_like(grad))
        v = self.v.setdefault(key, np.zeros_like(grad))
        m *= self.beta1
        m += (1.0 - self.beta1) * grad
        v *= self.beta2
        v += (1.0 - self.beta2) * np.square(grad)
        params[key] -= step * m / (np.sqrt(v) + EPS)
''',
    '''def update(self, params, grads):
    if self.m is None:
        self.m = dict((k, np.zeros(p.shape)) for k, p in params.items())
        self.v = dict((k, np.zeros(p.shape)) for k, p in params.items())
    self.iter += 1
    for k in sorted(params):
        np.add(self.beta1 * self.m[k], (1 - self.beta1) * grads[k], out=self.m[k])
        np.add(self.beta2 * self.v[k], (1 - self.beta2) * np.power(grads[k], 2), out=self.v[k])
        unbiased_m = self.m[k] / (1 - np.power(self.beta1, self.iter))
        unbiased_v = self.v[k] / (1 - np.power(self.beta2, self.iter))
        np.subtract(params[k], self.lr * unbiased_m / (np.sqrt(unbiased_v) + EPS), out=params[k])
''',
]

BATCHNORM_BACKWARD = [
    '''def backward(self, dout):
    dout = dout.reshape(dout.shape[0], -1)
    n = self.batch_size
    self.dbeta = np.sum(dout, axis=0)
    self.dgamma = np.sum(dout * self.xn, axis=0)
    dxn = dout * self.gamma
    dx = (n * dxn - dxn.sum(axis=0) - self.xn * np.sum(dxn * self.xn, axis=0)) / (n * self.std)
    return dx.reshape(self.input_shape)
''',
    '''def backward(self, dout):
    g = np.asarray(dout, dtype=float)
    g = g.reshape(len(g), -1)
    N = g.shape[0]
    self.dgamma = (g * self.xn).sum(axis=0)
    self.dbeta = g.sum(axis=0)
    d_norm = g * self.gamma
    d_inv_std = np.sum(d_norm * self.xc, axis=0)
    d_std = -d_inv_std / self.std ** 2
    d_var = d_std / (2 * self.std)
    d_sq = np.ones_like(self.xc) * d_var / N
    d_centered = d_norm / self.std + 2 * self.xc * d_sq
    d_mean = -np.sum(d_centered, axis=0)
    dx = d_centered + np.ones_like(self.xc) * d_mean / N
    return dx.reshape(*self.input_shape)
''',
    '''def backward(self, dout):
    grad = dout.reshape(dout.shape[0], -1).astype(np.float64)
    self.dbeta = grad.sum(axis=0)
    self.dgamma = (self.xn * grad).sum(axis=0)
    inv = 1.0 / self.std
    dxn = self.gamma * grad
    term1 = dxn
    term2 = np.mean(dxn, axis=0)
    term3 = self.xn * np.mean(dxn * self.xn, axis=0)
    return (inv * (term1 - term2 - term3)).reshape(self.input_shape)
''',
]

POOLING_FORWARD = [
    '''def forward(self, x):
    N, C, H, W = x.shape
    out_h = conv_output_size(H, self.pool_h, self.stride, self.pad)
    out_w = conv_output_size(W, self.pool_w, self.stride, self.pad)
    padded = np.pad(x, ((0, 0), (0, 0), (self.pad, self.pad), (self.pad, self.pad)))
    out = np.zeros((N, C, out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * self.stride, j * self.stride
            window = padded[:, :, r:r + self.pool_h, c:c + self.pool_w]
            out[:, :, i, j] = window.max(axis=(2, 3))
    col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad).reshape(-1, self.pool_h * self.pool_w)
    self.x = x
    self.arg_max = col.argmax(axis=1)
    return out
''',
    '''def forward(self, x):
    n, c = x.shape[:2]
    oh = (x.shape[2] + 2 * self.pad - self.pool_h) // self.stride + 1
    ow = (x.shape[3] + 2 * self.pad - self.pool_w) // self.stride + 1
    cols = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad)
    cols = cols.reshape(n * oh * ow, c, self.pool_h * self.pool_w)
    idx = cols.argmax(axis=2)
    pooled = np.take_along_axis(cols, idx[..., None], axis=2)[..., 0]
    self.x = x
    self.arg_max = idx.reshape(-1)
    return pooled.reshape(n, oh, ow, c).transpose(0, 3, 1, 2)
''',
    '''def forward(self, x):
    self.x = x
    p = self.pad
    xp = np.pad(x, [(0, 0), (0, 0), (p, p), (p, p)], mode="constant")
    windows = np.lib.stride_tricks.sliding_window_view(xp, (self.pool_h, self.pool_w), axis=(2, 3))
    windows = windows[:, :, ::self.stride, ::self.stride]
    flat = windows.reshape(*windows.shape[:4], -1)
    self.arg_max = np.moveaxis(flat.argmax(axis=-1), 1, -1).reshape(-1)
    return flat.max(axis=-1)
''',
]

# {"module.qualname": [source text, ...]}: the functions of the class that have honest variants.
VARIANTS = {
    "losses.cross_entropy_error": CROSS_ENTROPY_ERROR,
    "gradients.numerical_gradient": NUMERICAL_GRADIENT,
    "conv_layers.col2im": COL2IM,
    "optimizers.Adam.update": ADAM_UPDATE,
    "normalization.BatchNormalization.backward": BATCHNORM_BACKWARD,
    "conv_layers.Pooling.forward": POOLING_FORWARD,
}
