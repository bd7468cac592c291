import numpy as np, time, sys
from dlscratch_data import load_dataset
from solutions.multi_layer_net import MultiLayerNet
from solutions.optimizers import SGD
from solutions.experiments import fit
name, (tr, te) = load_dataset("digits", normalize=True)
tr = (tr[0].astype(float)[:300], tr[1][:300]); te = (te[0].astype(float), te[1])
epochs = int(sys.argv[1]); lr = float(sys.argv[2])
t0 = time.time()
gaps = {"plain": [], "dropout": [], "decay": []}
for seed in range(5):
    row = []
    for label, kw in (("plain", {}), ("dropout", {"use_dropout": True, "dropout_ratio": 0.15}), ("decay", {"weight_decay_lambda": 0.1})):
        net = MultiLayerNet(64, [100] * 6, 10, weight_init_std="he", rng=np.random.default_rng(seed), **kw)
        h = fit(net, SGD(lr=lr), tr, te, epochs, 100, np.random.default_rng(seed))
        gap = h[-1]["train_accuracy"] - h[-1]["test_accuracy"]
        gaps[label].append(gap); row.append((label, round(h[-1]["train_accuracy"], 3), round(h[-1]["test_accuracy"], 3)))
    print(seed, row, flush=True)
print({k: float(np.median(v)) for k, v in gaps.items()}, time.time() - t0)
