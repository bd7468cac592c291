"""No work, no points: bodies that return None, 0.0, zeros, a constant or a copy of an argument earn exactly
nothing, whether on their own, as consistent with an equally empty earlier function (carried forward), or
with earlier functions that behave only while the grader is deciding whether to carry a failure forward.

Each submission is the stub release (or the reference) with the exercise functions of stages 2-5 redefined;
the functions are read from the stubs themselves (every body that raises NotImplementedError).
"""
import ast

import pytest

from course.stages import STAGES

from .conftest import grade, paid, scores_by_test, stage_scores

pytestmark = pytest.mark.slow

GRADED_STAGES = ("stage2", "stage3", "stage4", "stage5")

# What a degenerate body returns; `params` is self.params where the object has them (a network's
# gradients), `arrays` the array and number arguments of the call.
DEGENERATE_BODIES = {
    "None": "return None",
    "0.0": "return 0.0",
    "zeros": "if isinstance(params, dict):\n"
             "        return {key: _np.zeros(_np.shape(value)) for key, value in params.items()}\n"
             "    return _np.zeros(_np.shape(arrays[0])) if arrays else 0.0",
    "constant": "if isinstance(params, dict):\n"
                "        return {key: _np.full(_np.shape(value), 0.5) for key, value in params.items()}\n"
                "    return _np.full(_np.shape(arrays[0]), 0.5) if arrays else 0.5",
    "copied argument": "if isinstance(params, dict):\n"
                       "        return {key: _np.array(value, dtype=float) for key, value in params.items()}\n"
                       "    return _np.array(arrays[0], dtype=float) if arrays else None",
}
# A copy of its argument is identity_function's right answer: it keeps its stub for that kind.
RIGHT_AS_A_COPY = {"identity_function"}
HELPER = """
import numpy as _np

def _degenerate(self, args, kwargs):
    params = getattr(self, "params", None)
    arrays = [arg for arg in (*args, *kwargs.values()) if isinstance(arg, _np.ndarray) or type(arg) in (int, float)]
    {body}
"""


def exercise_functions(package, module):
    """The dotted names ("Affine.forward", "softmax") of `module`'s bodies that raise NotImplementedError in
    the stub package."""
    def names(body, prefix=""):
        for node in body:
            if isinstance(node, ast.ClassDef):
                yield from names(node.body, f"{node.name}.")
            elif isinstance(node, ast.FunctionDef) and any(
                    isinstance(inner, ast.Raise) and "NotImplementedError" in ast.unparse(inner)
                    for inner in ast.walk(node)):
                yield prefix + node.name
    return list(names(ast.parse((package / f"{module}.py").read_text()).body))


def degenerate_code(stubs, module, kind, only=None):
    """Code appended to `module` that redefines every exercise function in it (or those in `only`) with the
    `kind` body; `stubs` is the stub package the functions are read from."""
    lines = [HELPER.format(body=DEGENERATE_BODIES[kind])]
    for name in exercise_functions(stubs, module):
        if (kind == "copied argument" and name in RIGHT_AS_A_COPY) or (only and name not in only):
            continue
        if "." in name:
            lines.append(f"{name} = lambda self, *args, **kwargs: _degenerate(self, args, kwargs)")
        else:
            lines.append(f"def {name}(*args, **kwargs):\n    return _degenerate(None, args, kwargs)")
    return "\n".join(lines) + "\n"


def stage_modules(*stages):
    return [module for stage in STAGES if stage.name in stages for module in stage.modules]


@pytest.mark.parametrize("kind", DEGENERATE_BODIES)
def test_degenerate_bodies_earn_nothing(make_stub_submission, stub_package, kind):
    code = {module: degenerate_code(stub_package, module, kind) for module in stage_modules(*GRADED_STAGES)}
    report = grade(make_stub_submission(append=code), *GRADED_STAGES)
    assert all(score == 0.0 for score, _ in stage_scores(report).values()), paid(report)


def test_degenerate_bodies_find_every_exercise_function(stub_package):
    # The generator sees what the stubs hold, e.g. a network's numerical gradient and an optimizer's update.
    assert "TwoLayerNet.numerical_gradient" in exercise_functions(stub_package, "numerical_net")
    assert exercise_functions(stub_package, "optimizers") == [f"{name}.update" for name in
                                                              ("SGD", "Momentum", "AdaGrad", "RMSprop", "Adam")]


@pytest.mark.parametrize("kind", ["zeros", "copied argument"])
@pytest.mark.parametrize("function", ["gradient_descent", "numerical_gradient"])
def test_a_degenerate_function_next_to_right_ones_earns_nothing(make_submission, stub_package, kind, function):
    # The rest of stage 3 right: zeros used to pass test_gradient_descent[book], whose twin also ended at 0.
    code = degenerate_code(stub_package, "gradients", kind, only={function})
    report = scores_by_test(grade(make_submission(append={"gradients": code}), "stage3"))
    assert {name: score for name, score in report.items() if function in name and score} == {}


# Zero sigmoid and softmax, a 0.0 loss, and dependents that return what those make "right": b3, zero
# predictions, a 0.0 loss, the share of label 0 as accuracy, zero gradients.
ZERO_EARLIER_FUNCTIONS = {
    "activations": """
def sigmoid(x):
    return np.zeros(np.shape(x))

softmax = sigmoid
""",
    "losses": """
def cross_entropy_error(y, t):
    return 0.0
""",
}
CONSTANT_DEPENDENTS = {
    "neuralnet": """
def forward(network, x):
    return np.zeros((*np.shape(x)[:-1], np.size(network["b3"]))) + network["b3"]

def predict(network, x):
    return np.zeros((*np.shape(x)[:-1], np.size(network["b3"])))

def accuracy(network, x, t, batch_size=100):
    return float(np.mean(np.asarray(t) == 0))
""",
    "numerical_net": """
def _label_zero_share(self, x, t):
    t = np.asarray(t)
    return float(np.mean((t.argmax(axis=1) if t.ndim == 2 else t) == 0))

TwoLayerNet.predict = lambda self, x: np.zeros((len(x), self.params["b2"].size))
TwoLayerNet.loss = lambda self, x, t: 0.0
TwoLayerNet.accuracy = _label_zero_share
TwoLayerNet.numerical_gradient = lambda self, x, t: {key: np.zeros_like(value) for key, value in self.params.items()}
""",
    "layers": """
SoftmaxWithLoss.forward = lambda self, x, t: 0.0
""",
    "networks": """
TwoLayerNet.loss = lambda self, x, t: 0.0
TwoLayerNet.numerical_gradient = lambda self, x, t: {key: np.zeros_like(value) for key, value in self.params.items()}
TwoLayerNet.gradient = TwoLayerNet.numerical_gradient
""",
}


def test_zero_earlier_functions_carry_nothing_forward(make_stub_submission):
    submission = make_stub_submission(append={**ZERO_EARLIER_FUNCTIONS, **CONSTANT_DEPENDENTS})
    report = grade(submission, "stage2", "stage3", "stage4")
    assert not [test["name"] for test in report["tests"] if "carried forward" in test["output"]]
    assert all(score == 0.0 for score, _ in stage_scores(report).values()), paid(report)


# Right earlier functions that return zeros only when they can tell the grader is deciding whether to carry
# a failure forward: a request they never see otherwise (adapt, restore), a request id that starts again, a
# direct call right after a dependent's, or a probe's fixed input.
DETECTING_EARLIER_FUNCTIONS = {
    "activations": """
import sys

_SEEN = {"last_id": 0, "suspicious": False, "last_target": ""}
_DEPENDENT_MODULES = ("neuralnet.", "numerical_net.", "layers.", "networks.")


def _watch(request):
    kind, target = request.get("op"), str(request.get("target", ""))
    if kind in ("adapt", "restore") or not isinstance(request.get("id"), int) or request["id"] <= _SEEN["last_id"]:
        _SEEN["suspicious"] = True
    if kind == "call" and target.startswith(("activations.", "losses.")) and _SEEN["last_target"].startswith(
            _DEPENDENT_MODULES):
        _SEEN["suspicious"] = True
    if kind in ("call", "method"):
        _SEEN["last_target"] = target or str(request.get("name", ""))
    _SEEN["last_id"] = request.get("id") if isinstance(request.get("id"), int) else _SEEN["last_id"]


for _module in list(sys.modules.values()):
    _worker = getattr(_module, "Worker", None)
    if isinstance(_worker, type) and hasattr(_worker, "perform"):
        def _perform(self, request, blobs, _perform=_worker.perform):
            _watch(request)
            return _perform(self, request, blobs)
        _worker.perform = _perform


def _detected(x):
    return _SEEN["suspicious"] or bool(np.any(np.abs(np.asarray(x, dtype=np.float64)) > 900))


_right_sigmoid, _right_softmax = sigmoid, softmax


def sigmoid(x):
    return np.zeros(np.shape(x)) if _detected(x) else _right_sigmoid(x)


def softmax(x):
    return np.zeros(np.shape(x)) if _detected(x) else _right_softmax(x)
""",
    "losses": """
from .activations import _detected

_right_cross_entropy_error = cross_entropy_error


def cross_entropy_error(y, t):
    return 0.0 if _detected(y) else _right_cross_entropy_error(y, t)
""",
}


def test_earlier_functions_that_detect_the_carried_forward_run_earn_nothing_extra(make_submission):
    # The same constant dependents next to plainly right earlier functions: what the detection must not beat.
    honest = stage_scores(grade(make_submission(append=CONSTANT_DEPENDENTS, name="honest"), "stage2", "stage3",
                                "stage4"))
    report = grade(make_submission(append={**CONSTANT_DEPENDENTS, **{
        module: CONSTANT_DEPENDENTS.get(module, "") + code for module, code in DETECTING_EARLIER_FUNCTIONS.items()}},
        name="detecting"), "stage2", "stage3", "stage4")
    assert not [test["name"] for test in report["tests"] if "carried forward" in test["output"]]
    assert all(stage_scores(report)[stage][0] <= score for stage, (score, _) in honest.items())
