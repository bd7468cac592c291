"""The `student` object hidden tests call: every call becomes a request to the stage's sandboxed worker.

    y = student.activations.softmax(x)        # a function: returns the decoded value
    layer = student.layers.Affine(W, b)       # a class: returns an ObjectProxy (the object stays in the worker)
    dx = layer.backward(dout)                 # a method call
    dW = layer.attr("dW")                     # an attribute read
    reply = student.activations.softmax.reply(x)   # value plus metadata (warnings, the worker's CPU time)
    grad = student.gradients.numerical_gradient(NamedFunction("function_2"), x)  # shared test functions

    params = student._keep({"W": W})           # a value kept in the worker, passed on by handle
    layer_W = net.sub("layers", "Affine1").attr("W")   # a path below an object

A Reply's `cpu_seconds` is the CPU time the worker's processes spent on the call, measured from
outside by the scorer (never reported by the worker).

Nothing here runs student code: values come back as plain NumPy arrays and Python scalars.
"""
import re
from dataclasses import dataclass, field

from course.language import _
from course.stages import function_label
from ..sandbox.worker.protocol import ProtocolError, decode_value, encode_value
from .errors import StudentCodeError, WorkerFailure, worker_text

# NumPy's warnings, most telling first.
OVERFLOW = re.compile(r"overflow encountered in (exp|power)")
LOG_OF_ZERO = re.compile(r"divide by zero encountered in log")
INVALID = re.compile(r"invalid value encountered")
DIVIDE_BY_ZERO = re.compile(r"divide by zero")


@dataclass
class Reply:
    """A successful call: value, warnings, the worker's CPU seconds."""

    value: object
    warnings: list = field(default_factory=list)
    cpu_seconds: float = 0.0


def hint_for_warning(text):
    """The likely cause of a NumPy warning the student's code raised, in the grade's language, or ""."""
    hints = ((OVERFLOW, _("exp overflowed: subtract the row maximum before exp (softmax), or use a stable form "
                          "(sigmoid)")),
             (LOG_OF_ZERO, _("log(0): add the small constant 1e-7 inside the log")),
             (INVALID, _("an operation gave NaN (inf - inf, 0 / 0 or inf * 0)")),
             (DIVIDE_BY_ZERO, _("a division by zero")))
    return next((hint for pattern, hint in hints if pattern.search(text)), "")


class Student:
    """Entry point: attribute access names a module of the student's package."""

    def __init__(self, session):
        self._session = session
        # Called with (arguments, value) of every call and attribute read while a carried-forward run
        # judges them (carry.recording).
        self._on_reply = None

    def _adapt(self, dotted, adapter):
        """Wrap the student's function `dotted` in sandbox/worker/adapters.py's ADAPTERS[adapter], in the
        worker, wherever their modules hold it, until _restore(); -> the worker generation it holds in."""
        self._request("adapt", "adapt", dotted.rsplit(".", 1)[0], {"target": dotted, "adapter": adapter})
        return self._session.generation

    def _restore(self):
        """Undo every _adapt in the worker."""
        self._request("restore", "restore", "", {})

    def __getattr__(self, module):
        if module.startswith("_"):
            raise AttributeError(module)
        return ModuleProxy(self, module)

    def _request(self, op, label, module, fields, args=(), kwargs=None, timeout=None):
        blobs = []
        header = {"id": self._session.next_request_id(), "op": op, **fields,
                  "args": encode_value(list(args), blobs, self._handle_of),
                  "kwargs": encode_value(dict(kwargs or {}), blobs, self._handle_of)}
        reply, reply_blobs = self._session.request(header, blobs, label, module, timeout)
        if "error" in reply:
            raise StudentCodeError.from_reply(reply["error"], label)
        resolve = lambda handle, type_name, path: ObjectProxy(self, handle, type_name, module, path)
        try:
            # Each reference to a blob counts against the reply limit again: one array sent once and
            # referenced a thousand times would otherwise decode to a thousand copies here.
            value = decode_value(reply.get("value"), reply_blobs, resolve, self._session.max_reply_bytes)
        except (ProtocolError, RecursionError, KeyError, TypeError) as error:
            self._session.stop()
            raise WorkerFailure(_("{label} sent back a reply the grader cannot read ({error})").format(
                label=label, error=error), what=label, kind=_("sent back a reply the grader cannot read")) from None
        if self._on_reply is not None and op in ("call", "method", "getattr"):
            self._on_reply((*args, *(kwargs or {}).values()), value)
        warnings = [worker_text(text) for text in reply.get("warnings", []) if isinstance(text, str)][:10]
        for text in warnings:
            hint = hint_for_warning(text)
            self._session.notes.append(_("{label} warned: {warning} (hint: {hint})").format(
                label=label, warning=text, hint=hint) if hint else _("{label} warned: {warning}").format(
                label=label, warning=text))
        return Reply(value, warnings, self._session.last_cpu_seconds)

    def _keep(self, value):
        """Keep `value` (arrays, dicts, lists) in the worker -> an ObjectProxy to pass to later calls."""
        return self._request("keep", "keep", "", {}, (value,)).value

    def _handle_of(self, obj):
        if isinstance(obj, ObjectProxy):
            if obj._generation != self._session.generation:
                raise WorkerFailure(_("a {type} object was lost when the worker restarted").format(type=obj._type_name))
            return ["h", obj._handle, obj._type_name, list(obj._path)]
        raise TypeError(f"cannot send a {type(obj).__name__} to the worker")


class ModuleProxy:
    def __init__(self, student, module):
        self._student, self._module = student, module

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return FunctionProxy(self._student, self._module, name)


class FunctionProxy:
    """A module-level function or class; an object a call creates stays in the worker as an ObjectProxy."""

    def __init__(self, student, module, name):
        self._student, self._module, self._name = student, module, name

    def reply(self, *args, timeout=None, **kwargs):
        return self._student._request("call", function_label(self._module, self._name), self._module,
                                      {"target": f"{self._module}.{self._name}"}, args, kwargs, timeout)

    def __call__(self, *args, **kwargs):
        return self.reply(*args, **kwargs).value


class ObjectProxy:
    """An object living in the worker (a layer, a network, an optimizer)."""

    def __init__(self, student, handle, type_name, module, path=()):
        self._student, self._handle, self._type_name, self._module = student, handle, type_name, module
        self._generation = student._session.generation
        self._path = tuple(path)

    def _fields(self, **extra):
        if self._generation != self._student._session.generation:
            raise WorkerFailure(_("the {type} object was lost when the worker restarted").format(type=self._type_name))
        return {"handle": self._handle, "path": list(self._path), **extra}

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return MethodProxy(self, name)

    def sub(self, *path):
        """The object at `path` below this one (net.sub("layers", "Affine1")), still in the worker."""
        return ObjectProxy(self._student, self._handle, self._type_name, self._module, self._path + path)

    def attr(self, *path):
        """Read an attribute (a path: attr("params", "W1")); -> the decoded value."""
        label = f"{self._type_name}.{'.'.join(path)}"
        return self._student._request("getattr", label, self._module,
                                      {**self._fields(), "path": list(self._path) + list(path)}).value

    def setitem(self, path, key, value):
        """obj.<path>[key][...] = value (in place when shape and type match, as tests set parameters)."""
        label = f"{self._type_name}.{'.'.join(path)}[{key!r}]"
        self._student._request("setitem", label, self._module,
                               {**self._fields(), "path": list(self._path) + list(path)}, (key, value))


class MethodProxy:
    def __init__(self, obj, name):
        self._obj, self._name = obj, name

    def reply(self, *args, timeout=None, **kwargs):
        obj = self._obj
        return obj._student._request("method", f"{obj._type_name}.{self._name}", obj._module,
                                     obj._fields(name=self._name), args, kwargs, timeout)

    def __call__(self, *args, **kwargs):
        return self.reply(*args, **kwargs).value
