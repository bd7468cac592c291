"""Hidden suite, stage 5: optimizers, step by step against the reference, state kept, updates in place.

Each test runs the student's optimizer and the reference side by side on the same seeded parameters and
gradients for several consecutive update calls. The student's params dict is kept in the worker and
updated there call after call, so state the optimizer keeps between calls (Momentum's v, AdaGrad's and
RMSprop's h, Adam's m, v and step count) shows from the second step on; after each call the scorer
fetches the values back and compares them. Every test pays only for right parameters: in place is
judged through a second dict holding the original arrays (as a network's layers do), left alone by
fetching the gradients back. The consequence of an update that misses the layers, a network that does
not learn, is worth most of an optimizer's points (test_the_network_learns). Nothing here measures time.
"""
import numpy as np
import pytest

from autograder.grading.checks import as_array, expect_array, expect_unchanged
from autograder.grading.errors import GradingFailure
from course.language import _
from solutions import networks, optimizers

# Non-default settings too, so a hard-coded default cannot pass.
CONFIGS = {
    "SGD": {"lr": 0.05},
    "Momentum": {"lr": 0.02, "momentum": 0.8},
    "AdaGrad": {"lr": 0.3},
    "RMSprop": {"lr": 0.01, "decay_rate": 0.9},
    "Adam": {"lr": 0.01, "beta1": 0.8, "beta2": 0.99},
}
# Worded when the suite is imported: every grade imports it afresh, in its own language (grading/grade.py).
HINTS = {
    "SGD": "W -= lr * dW",
    "Momentum": _("keep v between calls (zeros on the first): v = momentum * v - lr * dW; W += v"),
    "AdaGrad": _("keep h between calls (zeros on the first): h += dW * dW; W -= lr * dW / (sqrt(h) + 1e-7)"),
    "RMSprop": _("keep h between calls: h = decay_rate * h + (1 - decay_rate) * dW * dW; "
                 "W -= lr * dW / (sqrt(h) + 1e-7)"),
    "Adam": _("keep m, v and the step count self.iter between calls; add 1 to iter first, then correct the bias: "
              "W -= lr * sqrt(1 - beta2**iter) / (1 - beta1**iter) * m / (sqrt(v) + 1e-7), the book's form (1e-7 "
              "added to sqrt(v), not to the square root of a bias-corrected v)"),
}
STEPS = 5
# Parameters as a network holds them: matrices, bias vectors, and a 4-D convolution filter.
SHAPES = {"W1": (3, 4), "b1": (4,), "W2": (4, 2), "b2": (2,), "W3": (2, 1, 3, 3)}


def _params_and_grads(rng, steps=STEPS):
    params = {name: rng.standard_normal(shape) for name, shape in SHAPES.items()}
    grads = [{name: rng.standard_normal(shape) for name, shape in SHAPES.items()} for _step in range(steps)]
    return params, grads


def _kept_params(student, params):
    """params kept in the worker (a copy), and a second kept dict holding the very same arrays."""
    kept = student._keep(params)
    return kept, student._keep({key: kept.sub(key) for key in params})


def _expect_params(value, expected, what, hint):
    if not isinstance(value, dict) or set(value) != set(expected):
        raise GradingFailure(_("{what}: params no longer has the keys {keys}").format(what=what, keys=sorted(expected)),
                             hint=hint)
    for key, param in expected.items():
        # 1e-8: the same arithmetic in another order differs by 1e-15; a wrong step by far more than 1e-8.
        expect_array(value[key], param, _("{what}: {part}").format(what=what, part=f"params[{key!r}]"), rtol=1e-8,
                     atol=1e-12, hint=hint)


@pytest.mark.parametrize("name", list(CONFIGS))
@pytest.mark.parametrize("settings", ["default", "custom"])
def test_consecutive_updates(student, rng, credit, name, settings):
    kwargs = CONFIGS[name] if settings == "custom" else {}
    params, grads = _params_and_grads(rng)
    ours, theirs = getattr(optimizers, name)(**kwargs), getattr(student.optimizers, name)(**kwargs)
    kept = student._keep(params)
    for step, step_grads in enumerate(grads, start=1):
        ours.update(params, step_grads)
        try:
            theirs.update(kept, step_grads)
            what = (_("{function} with default settings, call {step} of {steps}") if settings == "default" else
                    _("{function} with custom settings, call {step} of {steps}"))
            _expect_params(kept.attr(), params, what.format(function=f"{name}.update", step=step, steps=STEPS),
                           HINTS[name])
        except GradingFailure as failure:
            credit.award(step - 1, STEPS)
            if not kwargs:
                raise
            # The settings are this test's inputs: in the detail, which a hidden test does not show.
            settings_used = ", ".join(f"{key}={value}" for key, value in kwargs.items())
            raise GradingFailure(failure.summary, f"{name}({settings_used}); {failure.detail}",
                                 failure.hint, failure.what, failure.kind) from None


@pytest.mark.parametrize("name", list(CONFIGS))
def test_update_changes_params_in_place(student, rng, name):
    # A network's layers hold its parameter arrays: an update that puts new arrays into the dict is never
    # seen by the layers, and the network does not learn. The layers' view: a second dict of the same
    # arrays, fetched back after each call and compared with the reference's update.
    params, grads = _params_and_grads(rng, steps=2)
    ours, theirs = getattr(optimizers, name)(), getattr(student.optimizers, name)()
    kept, held = _kept_params(student, params)
    for step, step_grads in enumerate(grads, start=1):
        ours.update(params, step_grads)
        theirs.update(kept, step_grads)
        _expect_params(held.attr(), params, _("{function}, call {step}: the arrays params held before the call").format(
                           function=f"{name}.update", step=step),
                       hint=_("write params[key] -= ... (in place); params[key] = params[key] - ... makes a new "
                              "array that the layers holding the old one never see"))


def test_update_leaves_grads_alone(student, rng, credit):
    # Three calls: state that aliases a gradient array (self.v[key] = grads[key]) changes it on the next.
    # Leaving grads alone counts only for an update that gives the right parameters.
    def check(name):
        params, grads = _params_and_grads(rng, steps=3)
        ours, theirs = getattr(optimizers, name)(), getattr(student.optimizers, name)()
        kept = student._keep(params)
        for step, step_grads in enumerate(grads, start=1):
            ours.update(params, step_grads)
            kept_grads = student._keep(step_grads)
            theirs.update(kept, kept_grads)
            call = _("{function}, call {step}").format(function=f"{name}.update", step=step)
            _expect_params(kept.attr(), params, call, HINTS[name])
            after = kept_grads.attr()
            for key, value in step_grads.items():
                expect_unchanged(value, after.get(key) if isinstance(after, dict) else None, f"{call} (grads[{key!r}])")
    credit.run([lambda name=name: check(name) for name in CONFIGS])


TRAINING_SIZES = (4, 8, 2)
TRAINING_STEPS = 20
IN_PLACE_HINT = _("write params[key] -= ... (in place): the network's layers hold the arrays params held, and "
                  "params[key] = params[key] - ... makes a new array they never see")


def _layers_view(held, reference):
    """The parameters the network's layers hold (the held dict, fetched back) as float64 arrays."""
    value = held.attr()
    if not isinstance(value, dict) or set(value) != set(reference.params):
        raise GradingFailure(_("{what}: expected a dict with keys {keys}").format(
            what=_("the network's parameters"), keys=sorted(reference.params)))
    return {key: as_array(value[key], _("the network's {key}").format(key=key), param.shape)
            for key, param in reference.params.items()}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_the_network_learns(student, rng, name):
    # Full-batch training of a TwoLayerNet whose layers hold the arrays of params (the held dict): the
    # scorer computes each gradient with the reference network on the parameters the layers hold, the
    # student's optimizer updates params in the worker, and the layers must follow the reference's run.
    x = rng.standard_normal((100, TRAINING_SIZES[0]))
    t = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    ours, seen = networks.TwoLayerNet(*TRAINING_SIZES), networks.TwoLayerNet(*TRAINING_SIZES)
    for param in ours.params.values():
        param[...] = rng.standard_normal(param.shape) * 0.5
    kept, held = _kept_params(student, ours.params)
    ours_optimizer = getattr(optimizers, name)(**CONFIGS[name])
    theirs_optimizer = getattr(student.optimizers, name)(**CONFIGS[name])
    for _step in range(TRAINING_STEPS):
        for key, value in _layers_view(held, ours).items():
            seen.params[key][...] = value
        theirs_optimizer.update(kept, seen.gradient(x, t))
        ours_optimizer.update(ours.params, ours.gradient(x, t))
    for key, value in _layers_view(held, ours).items():
        seen.params[key][...] = value
    what = _("training a network with {optimizer}, {steps} steps").format(optimizer=name, steps=TRAINING_STEPS)
    if seen.loss(x, t) > ours.loss(x, t) + 0.01:
        raise GradingFailure(_("{what}: the network did not learn (its loss {loss}, expected {expected})").format(
            what=what, loss=f"{seen.loss(x, t):.3f}", expected=f"{ours.loss(x, t):.3f}"), hint=IN_PLACE_HINT)
    for key, value in ours.params.items():
        expect_array(seen.params[key], value, _("{what}: {part}").format(
            what=what, part=_("the network's {key}").format(key=key)), rtol=1e-6, atol=1e-9,
                     hint=HINTS[name])
