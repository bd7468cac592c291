"""Stage 7's speed: im2col convolution against a direct loop, and a SimpleConvNet epoch against its bare bound.

    python benchmarks/conv_speed.py [--repeats 7]
    OPENBLAS_NUM_THREADS=1 python benchmarks/conv_speed.py     # the same with one BLAS thread

Convolution: the reference Convolution's forward + backward (im2col, one matrix product each way, col2im)
against the layer as students first write it, a Python loop over output positions (at each one a product
over channels and filter rows and columns, for the whole batch and every filter at once), on two shapes:
SimpleConvNet's on a digits batch, and the book's MNIST layer. The loop's output and gradients are checked
against the layer's before anything is timed.
Epoch: one epoch of SimpleConvNet training on the digits, experiments.fit_epoch (gradient + update per batch,
without fit's accuracy evaluation), with conv_experiments' settings, against its bound: per step the
im2col and col2im calls (convolution and pooling, forward and backward) and the eight matrix products, same
shapes and dtype, timed the same way (best of --repeats interleaved rounds after a warm-up round, as
benchmarks/epoch_time.py does).
"""
import argparse

import numpy as np
from dlscratch_data import load_digits

from epoch_time import blas_context, interleaved
from solutions import conv_experiments
from solutions.conv_layers import Convolution, col2im
from solutions.conv_util import conv_output_size, im2col
from solutions.experiments import fit_epoch
from solutions.simple_conv_net import DIGITS_CONV_PARAM, SimpleConvNet

# (label, x shape, W shape, stride, pad)
SHAPES = [("SimpleConvNet on a digits batch", (conv_experiments.BATCH_SIZE, 1, 8, 8),
           (DIGITS_CONV_PARAM["filter_num"], 1, DIGITS_CONV_PARAM["filter_size"], DIGITS_CONV_PARAM["filter_size"]),
           DIGITS_CONV_PARAM["stride"], DIGITS_CONV_PARAM["pad"]),
          ("the book's MNIST layer", (100, 1, 28, 28), (30, 1, 5, 5), 1, 0)]


def loop_forward(x, W, b, stride, pad):
    """The convolution one output position at a time: (N, C, H, W), (FN, C, FH, FW), (FN,) -> (N, FN, out_h, out_w)."""
    FN, _, FH, FW = W.shape
    padded = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    out_h, out_w = conv_output_size(x.shape[2], FH, stride, pad), conv_output_size(x.shape[3], FW, stride, pad)
    out = np.empty((len(x), FN, out_h, out_w))
    for r in range(out_h):
        for s in range(out_w):
            patch = padded[:, :, r * stride:r * stride + FH, s * stride:s * stride + FW]
            out[:, :, r, s] = np.tensordot(patch, W, axes=([1, 2, 3], [1, 2, 3])) + b
    return out


def loop_backward(x, W, dout, stride, pad):
    """loop_forward's backward, position by position: dout (N, FN, out_h, out_w) -> (dx, dW, db)."""
    _, _, FH, FW = W.shape
    padded = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    dpadded, dW = np.zeros_like(padded), np.zeros_like(W)
    for r in range(dout.shape[2]):
        for s in range(dout.shape[3]):
            window = (slice(None), slice(None), slice(r * stride, r * stride + FH), slice(s * stride, s * stride + FW))
            dW += np.tensordot(dout[:, :, r, s], padded[window], axes=(0, 0))
            dpadded[window] += np.tensordot(dout[:, :, r, s], W, axes=(1, 0))
    return dpadded[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]], dW, dout.sum(axis=(0, 2, 3))


def convolution_actions(x_shape, w_shape, stride, pad, rng):
    """{"im2col": callable, "loop": callable}, each a forward + backward on the same inputs, checked to agree."""
    x, W, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])
    layer = Convolution(W, b, stride, pad)
    dout = rng.standard_normal(layer.forward(x).shape)
    np.testing.assert_allclose(loop_forward(x, W, b, stride, pad), layer.forward(x), rtol=1e-10, atol=1e-10)
    for loop, reference in zip(loop_backward(x, W, dout, stride, pad), (layer.backward(dout), layer.dW, layer.db)):
        np.testing.assert_allclose(loop, reference, rtol=1e-10, atol=1e-10)
    return {"im2col": lambda: (layer.forward(x), layer.backward(dout)),
            "loop": lambda: (loop_forward(x, W, b, stride, pad), loop_backward(x, W, dout, stride, pad))}


def epoch_action(x, t):
    """A callable running one epoch of fit()'s steps for a SimpleConvNet trained as conv_experiments says."""
    network = SimpleConvNet(weight_init_std=conv_experiments.WEIGHT_INIT_STD, rng=np.random.default_rng(0))
    optimizer, rng = conv_experiments.OPTIMIZER(lr=conv_experiments.LR), np.random.default_rng(0)
    return lambda: fit_epoch(network, optimizer, (x, t), conv_experiments.BATCH_SIZE, rng)


def bound_actions(x, rng):
    """{"matrix products": callable, "im2col and col2im": callable}, each doing its part of every step of an
    epoch on SimpleConvNet's shapes (the last batch smaller, as in the epoch)."""
    network = SimpleConvNet(rng=rng)
    FN, C, FH, FW = network.params["W1"].shape
    stride, pad, batch_size = DIGITS_CONV_PARAM["stride"], DIGITS_CONV_PARAM["pad"], conv_experiments.BATCH_SIZE
    _, _, H, W = x.shape
    conv_h, conv_w = conv_output_size(H, FH, stride, pad), conv_output_size(W, FW, stride, pad)
    pooled_size, hidden = network.params["W2"].shape
    col_W, W2, W3 = network.params["W1"].reshape(FN, -1).T, network.params["W2"], network.params["W3"]
    # per-step inputs of the right shapes for a full batch; the last batch uses their first rows
    conv_out = rng.standard_normal((batch_size, FN, conv_h, conv_w))
    pooled, relu_out = rng.standard_normal((batch_size, pooled_size)), rng.standard_normal((batch_size, hidden))
    dscores, dhidden = rng.standard_normal((batch_size, W3.shape[1])), rng.standard_normal((batch_size, hidden))
    col = im2col(x[:batch_size], FH, FW, stride, pad)
    dconv, dcol = rng.standard_normal((len(col), FN)), rng.standard_normal(col.shape)
    dpool_col = rng.standard_normal((batch_size * (conv_h // 2) * (conv_w // 2), FN * 4))
    sizes = [min(batch_size, len(x) - start) for start in range(0, len(x), batch_size)]

    def products():
        for n in sizes:
            rows = n * conv_h * conv_w
            col[:rows] @ col_W, pooled[:n] @ W2, relu_out[:n] @ W3
            relu_out[:n].T @ dscores[:n], dscores[:n] @ W3.T, pooled[:n].T @ dhidden[:n], dhidden[:n] @ W2.T
            col[:rows].T @ dconv[:rows], dconv[:rows] @ col_W.T

    def bookkeeping():
        for n in sizes:
            im2col(x[:n], FH, FW, stride, pad), im2col(conv_out[:n], 2, 2, 2)
            col2im(dpool_col[:n * (conv_h // 2) * (conv_w // 2)], (n, FN, conv_h, conv_w), 2, 2, 2)
            col2im(dcol[:n * conv_h * conv_w], (n, C, H, W), FH, FW, stride, pad)
    return {"matrix products": products, "im2col and col2im": bookkeeping}


def main():
    """Print the context, each convolution shape's loop and im2col times and ratio, then the epoch against its bound."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(blas_context())
    print("Convolution forward + backward, float64 (best of rounds):")
    for label, x_shape, w_shape, stride, pad in SHAPES:
        best = interleaved(args.repeats, convolution_actions(x_shape, w_shape, stride, pad, rng))
        print(f"  {label}: x {x_shape}, W {w_shape}, stride {stride}, pad {pad}: loop over positions "
              f"{best['loop'] * 1e3:.2f} ms, im2col {best['im2col'] * 1e3:.2f} ms, "
              f"ratio {best['loop'] / best['im2col']:.1f}x")
    (x, t), _ = load_digits(flatten=False)
    x = x.astype(np.float64)
    best = interleaved(args.repeats, {"epoch": epoch_action(x, t), **bound_actions(x, rng)})
    bound = best["matrix products"] + best["im2col and col2im"]
    steps = -(-len(x) // conv_experiments.BATCH_SIZE)
    print(f"SimpleConvNet epoch on the digits: {len(x)} images, batch {conv_experiments.BATCH_SIZE}, {steps} steps "
          f"({conv_experiments.OPTIMIZER.__name__})")
    print(f"  bound: {bound * 1e3:.1f} ms ({best['matrix products'] * 1e3:.1f} ms in the 8 matrix products a step, "
          f"{best['im2col and col2im'] * 1e3:.1f} ms in 2 im2col and 2 col2im calls a step)")
    print(f"  epoch: {best['epoch'] * 1e3:.1f} ms ({best['epoch'] / steps * 1e3:.2f} ms a step)  "
          f"ratio {best['epoch'] / bound:.2f}x the bound")


if __name__ == "__main__":
    main()
