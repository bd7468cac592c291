import numpy as np, sys, time
sys.path.insert(0, "/work/wt-stage6")
from dlscratch_data import load_dataset
from solutions.multi_layer_net import MultiLayerNet
from solutions.optimizers import SGD
from solutions.experiments import fit
name, (tr, te) = load_dataset("digits", normalize=True)
n, epochs, lr = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
tr = (tr[0].astype(float)[:n], tr[1][:n]); te = (te[0].astype(float), te[1])
configs = (("plain", {}), ("dropout0.3", {"use_dropout": True, "dropout_ratio": 0.3}),
           ("dropout0.5", {"use_dropout": True, "dropout_ratio": 0.5}),
           ("decay0.03", {"weight_decay_lambda": 0.03}), ("decay0.1", {"weight_decay_lambda": 0.1}))
res = {k: [] for k, _ in configs}
for seed in range(5):
    for label, kw in configs:
        net = MultiLayerNet(64, [100] * 6, 10, weight_init_std="he", rng=np.random.default_rng(seed), **kw)
        h = fit(net, SGD(lr=lr), tr, te, epochs, 100, np.random.default_rng(seed))
        res[label].append((h[-1]["train_accuracy"], h[-1]["test_accuracy"], max(r["test_accuracy"] for r in h)))
for k, v in res.items():
    a = np.array(v)
    print(n, epochs, lr, k, "train %.3f test %.3f best-test %.3f gap %.3f" % (np.median(a[:, 0]), np.median(a[:, 1]), np.median(a[:, 2]), np.median(a[:, 0] - a[:, 1])))
