"""Hidden suite, stage 5: optimizers, step by step against the reference, state kept, updates in place."""
import pytest

from autograder.grading.checks import expect_array
from autograder.grading.errors import GradingFailure
from solutions import optimizers

# Non-default settings too, so a hard-coded default cannot pass.
CONFIGS = {
    "SGD": {"lr": 0.05},
    "Momentum": {"lr": 0.02, "momentum": 0.8},
    "AdaGrad": {"lr": 0.3},
    "RMSprop": {"lr": 0.01, "decay_rate": 0.9},
    "Adam": {"lr": 0.01, "beta1": 0.8, "beta2": 0.99},
}
HINTS = {
    "SGD": "W -= lr * dW",
    "Momentum": "keep v between calls: v = momentum * v - lr * dW; W += v",
    "AdaGrad": "keep h between calls: h += dW * dW; W -= lr * dW / (sqrt(h) + 1e-7)",
    "RMSprop": "keep h between calls: h = decay_rate * h + (1 - decay_rate) * dW^2",
    "Adam": "count steps from 1 and correct the bias: lr * sqrt(1 - beta2^t) / (1 - beta1^t)",
}
STEPS = 4


def _params_and_grads(rng):
    params = {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal(4), "W2": rng.standard_normal((4, 2))}
    grads = [{name: rng.standard_normal(value.shape) for name, value in params.items()} for _ in range(STEPS)]
    return params, grads


@pytest.mark.parametrize("name", list(CONFIGS))
@pytest.mark.parametrize("settings", ["default", "custom"])
def test_consecutive_updates(student, rng, credit, name, settings):
    kwargs = CONFIGS[name] if settings == "custom" else {}
    params, grads = _params_and_grads(rng)
    ours, theirs = getattr(optimizers, name)(**kwargs), getattr(student.optimizers, name)(**kwargs)
    current = {key: value.copy() for key, value in params.items()}
    for step, step_grads in enumerate(grads, start=1):
        reply = theirs.update.reply(current, step_grads, return_args=True)
        ours.update(params, step_grads)
        current = reply.args_after[0]
        try:
            for key in params:
                expect_array(current.get(key), params[key], f"{name}({_kwargs(kwargs)}) step {step}: params[{key!r}]",
                             rtol=1e-9, atol=1e-12, hint=HINTS[name])
        except AssertionError:
            credit.award(step - 1, STEPS)
            raise


@pytest.mark.parametrize("name", list(CONFIGS))
def test_update_changes_params_in_place(student, rng, name):
    params, grads = _params_and_grads(rng)
    reply = getattr(student.optimizers, name)().update.reply(params, grads[0], return_args=True)
    replaced = sorted(key for index, key in reply.rebound if index == 0)
    if replaced:
        raise GradingFailure(f"{name}.update replaced params{replaced} instead of updating them in place",
                             hint="write params[key] -= ... (in place); params[key] = params[key] - ... makes a "
                                  "new array that the layers holding the old one never see")


def _kwargs(kwargs):
    return ", ".join(f"{key}={value}" for key, value in kwargs.items())
