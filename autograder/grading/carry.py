"""Error carried forward: a bug in an earlier function costs its points once.

A test that relies on an earlier function (`@pytest.mark.uses(name)`) and fails while that function is
wrong is graded again with the reference computing its expected values through the student's own
earlier function: every binding of the reference function in the `solutions` modules is replaced by a
call of the student's function in the worker, on the inputs the reference passes it. If the student's
replies then agree (to checks.CARRIED_RTOL), the failure is the earlier function's, and the test keeps
CARRIED_FORWARD_KEPT of its points. Where the hidden suite names an adapter for the earlier function
(probes.SUBSTITUTABLE), the function is wrapped in it on both sides, in the worker's modules too, so a
cross-entropy written for one-hot targets only is asked only that. A dependent call that crashed inside
the earlier function is not carried forward: the crash hides whether the dependent's own work is right,
and paying for it would let a stub plus a crashing earlier function collect points (a
SoftmaxWithLoss.forward that only calls a label-crashing cross_entropy_error earned 1.875 of stage 4's
points that way).
"""
import contextlib
import sys

from ..sandbox.worker.adapters import ADAPTERS
from . import checks

# The part of a test's points kept when its failure is carried forward from an earlier function.
CARRIED_FORWARD_KEPT = 0.75


def feedback(names):
    """The line a carried-forward test shows: which earlier function, and what part of the points is kept."""
    functions = " and ".join(name.rsplit(".", 1)[-1] for name in names)
    return f"carried forward from your {functions}: {CARRIED_FORWARD_KEPT:.0%} of this test's points kept"


def _bindings(original):
    """(module, attribute) of every `solutions` module binding the reference function `original`."""
    return [(module, name) for module_name, module in list(sys.modules.items())
            if module_name == "solutions" or module_name.startswith("solutions.")
            for name, value in list(vars(module).items()) if value is original]


@contextlib.contextmanager
def through_student(student, names):
    """Within: the reference calls the student's own functions ({"losses.cross_entropy_error": adapter
    name or None}) in the worker, both sides through the adapter where one is named (the worker's own
    modules too), and value checks compare as checks.carrying_forward says."""
    patched, adapted_in = [], []
    try:
        for name, adapter in names.items():
            module_name, function = name.rsplit(".", 1)
            original = getattr(sys.modules[f"solutions.{module_name}"], function)
            substitute = getattr(getattr(student, module_name), function)
            if adapter:
                adapted_in.append(student._adapt(name, adapter))
                substitute = ADAPTERS[adapter](substitute)
            for module, attribute in _bindings(original):
                patched.append((module, attribute, original))
                setattr(module, attribute, substitute)
        with checks.carrying_forward():
            yield
    finally:
        for module, attribute, original in reversed(patched):
            setattr(module, attribute, original)
        # A worker started since holds nothing adapted; the one that does is told to put things back.
        if adapted_in and student._session.generation == adapted_in[0]:
            student._restore()
