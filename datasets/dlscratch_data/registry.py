"""load_dataset: pick a data set by name, or MNIST when it is at hand and the digits otherwise."""
import inspect
import logging

from .digits import load_digits
from .errors import DatasetCorrupt, DatasetUnavailable
from .mnist import load_mnist

logger = logging.getLogger(__name__)

LOADERS = {"mnist": load_mnist, "digits": load_digits}


def load_dataset(name="auto", **kwargs):
    """Load a data set by name -> (name_used, ((x_train, t_train), (x_test, t_test))).

    name: "mnist", "digits" or "auto". "auto" gives MNIST when it loads without downloading
    (cache or data_dir; pass download=True to allow that too), else the bundled digits;
    each loader gets the keyword arguments it accepts (normalize, flatten, one_hot_label for both).
    Shapes and dtypes are those of load_mnist / load_digits; print name_used so runs say what they trained on.
    """
    if name == "auto":
        return _load_auto(kwargs)
    if name not in LOADERS:
        raise ValueError(f"unknown dataset {name!r}; valid names: {', '.join(['auto', *sorted(LOADERS)])}")
    return name, LOADERS[name](**kwargs)


def _load_auto(kwargs):
    accepted = {name: set(inspect.signature(loader).parameters) for name, loader in LOADERS.items()}
    unknown = set(kwargs).difference(*accepted.values())
    if unknown:
        raise TypeError(f"load_dataset('auto') got unexpected keyword arguments: {sorted(unknown)}")
    picked = {name: {k: v for k, v in kwargs.items() if k in keys} for name, keys in accepted.items()}
    try:
        return "mnist", load_mnist(**{"download": False, **picked["mnist"]})
    except DatasetCorrupt:
        raise
    except DatasetUnavailable as exc:
        logger.info("MNIST unavailable, using the bundled digits: %s", exc)
    return "digits", load_digits(**picked["digits"])
