import numpy as np, sys, time
sys.path.insert(0, "/work/wt-stage6")
from dlscratch_data import load_dataset
from solutions.multi_layer_net import MultiLayerNet
from solutions.optimizers import SGD
from solutions.experiments import fit
name, (tr, te) = load_dataset("digits", normalize=True)
tr = (tr[0].astype(float)[:300], tr[1][:300]); te = (te[0].astype(float), te[1])
epochs, lr = 100, 0.1
configs = (("plain", {}), ("dropout0.1", {"use_dropout": True, "dropout_ratio": 0.1}),
           ("decay0.01", {"weight_decay_lambda": 0.01}), ("decay0.03", {"weight_decay_lambda": 0.03}))
res = {k: [] for k, _ in configs}
t0 = time.time()
for seed in range(5):
    for label, kw in configs:
        net = MultiLayerNet(64, [100] * 6, 10, weight_init_std="he", rng=np.random.default_rng(seed), **kw)
        h = fit(net, SGD(lr=lr), tr, te, epochs, 100, np.random.default_rng(seed))
        res[label].append((h[-1]["train_accuracy"], h[-1]["test_accuracy"]))
    print(seed, flush=True)
for k, v in res.items():
    a = np.array(v)
    print(k, "train %.3f test %.3f gap %.3f" % (np.median(a[:, 0]), np.median(a[:, 1]), np.median(a[:, 0] - a[:, 1])))
print(time.time() - t0)
