import numpy as np, time, sys
from dlscratch_data import load_dataset
from solutions.multi_layer_net import MultiLayerNet
from solutions.networks import TwoLayerNet
from solutions.optimizers import SGD, Adam
from solutions.experiments import fit, epochs_to_reach
name, (tr, te) = load_dataset("digits", normalize=True)
tr = (tr[0].astype(float), tr[1]); te = (te[0].astype(float), te[1])
opt_name, lr, epochs = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
Opt = {"sgd": SGD, "adam": Adam}[opt_name]
t0 = time.time()
for seed in range(5):
    np.random.seed(seed)
    two = TwoLayerNet(64, 100, 10, 0.1)
    h2 = fit(two, Opt(lr=lr), tr, te, epochs, 100, np.random.default_rng(seed))
    res = [round(h2[-1]["test_accuracy"], 3)]
    for bn in (False, True):
        net = MultiLayerNet(64, [100] * 4, 10, weight_init_std="he", use_batchnorm=bn, rng=np.random.default_rng(seed))
        h = fit(net, Opt(lr=lr), tr, te, epochs, 100, np.random.default_rng(seed))
        res.append((epochs_to_reach(h, h2[-1]["test_accuracy"]), round(h[-1]["test_accuracy"], 3)))
    print(seed, res, flush=True)
print(time.time() - t0)
