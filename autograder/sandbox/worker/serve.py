"""The worker's loop: import the student's modules on demand and answer the scorer's requests.

Requests name a function or class to call ("activations.softmax", "layers.Affine"), or a method or
attribute of an object a call created earlier (kept here, known to the scorer by a handle). Replies carry
the value and any warnings; the scorer times calls from outside.
Exceptions from student code, including SystemExit and KeyboardInterrupt, become error replies.

While a dependent test is graded with an earlier function taken out of the question (grading/carry.py,
stand_in), that function's bindings in the student's modules ask the scorer for the course's value: an "ask"
event on the reply stream, answered on the request stream. The reference never enters the worker, only its
values on the arguments the student's code passes.
"""
import importlib
import os
import sys
import threading
import traceback
import warnings

from .adapters import ADAPTERS
from .blocklist import install_import_blocker
from .protocol import decode_value, encode_value, read_message, write_message

MAX_REQUEST_BYTES = 1 << 30
MAX_TEXT = 600


class Worker:
    """Holds the objects student code created, by handle id, and answers requests about them."""

    def __init__(self, package, reply_stream, read_exact):
        self.package = package
        self.reply_stream = reply_stream
        self.read_exact = read_exact
        self.objects = {}
        self.pid = os.getpid()
        # (module, attribute, original function) to put back on "restore" (adapters) or "stand_down".
        self.rebound = {"adapt": [], "stand_in": []}
        self.asking = threading.Lock()

    def handle_for(self, obj):
        handle = len(self.objects) + 1
        self.objects[handle] = obj
        return ["h", handle, type(obj).__name__]

    def resolve(self, handle, _type_name, path=()):
        if handle not in self.objects:
            raise KeyError(f"unknown handle {handle}")
        return _walk(self.objects[handle], path)

    def load(self, dotted):
        module_name, _, attribute = dotted.rpartition(".")
        full_name = f"{self.package}.{module_name}"
        if full_name not in sys.modules:
            write_message(self.reply_stream, {"event": "importing", "module": full_name})
            importlib.import_module(full_name)
            write_message(self.reply_stream, {"event": "imported", "module": full_name})
        return getattr(sys.modules[full_name], attribute)

    def adapt(self, dotted, adapter):
        """Rebind `dotted` ("losses.cross_entropy_error") wherever the student's modules hold it, wrapped
        in ADAPTERS[adapter], until restore()."""
        original = self.load(dotted)
        self._rebind("adapt", original, ADAPTERS[adapter](original))

    def stand_in(self, dotted):
        """Rebind `dotted` wherever the student's modules hold it to a function that asks the scorer for the
        course's value on its arguments, until stand_down()."""
        def standing_in(*args, **kwargs):
            return self.ask(dotted, args, kwargs)
        standing_in.__name__ = dotted.rsplit(".", 1)[-1]
        self._rebind("stand_in", self.load(dotted), standing_in)

    def _rebind(self, kind, original, replacement):
        for name, module in list(sys.modules.items()):
            if name == self.package or name.startswith(self.package + "."):
                for attribute, value in list(vars(module).items()):
                    if value is original:
                        self.rebound[kind].append((module, attribute, original))
                        setattr(module, attribute, replacement)

    def put_back(self, kind):
        for module, attribute, original in reversed(self.rebound[kind]):
            setattr(module, attribute, original)
        self.rebound[kind] = []

    def ask(self, dotted, args, kwargs):
        """The course's `dotted` on these arguments, as the scorer answers; one question at a time."""
        if os.getpid() != self.pid:
            raise RuntimeError(f"the course's {dotted} stands in only in the worker's own process")
        blobs = []
        header = {"event": "ask", "target": dotted, "args": encode_value(list(args), blobs, _not_sendable),
                  "kwargs": encode_value(dict(kwargs), blobs, _not_sendable)}
        with self.asking:
            write_message(self.reply_stream, header, blobs)
            answer, answer_blobs = read_message(self.read_exact, MAX_REQUEST_BYTES)
        if "error" in answer:
            raise ValueError(f"the course's {dotted.rsplit('.', 1)[-1]}, standing in for yours, "
                             f"raised {str(answer['error'])[:100]} on the arguments your code passed it")
        return decode_value(answer.get("value", ["n"]), answer_blobs, self.resolve)

    def target(self, request):
        op = request["op"]
        if op in ("keep", "adapt", "restore", "stand_in", "stand_down"):
            return None
        if op == "call":
            return self.load(request["target"])
        return self.resolve(request["handle"], "", request.get("path", []))

    def perform(self, request, blobs):
        decode = lambda tagged: decode_value(tagged, blobs, self.resolve)
        args, kwargs = decode(request.get("args", ["l", []])), decode(request.get("kwargs", ["d", []]))
        op, target = request["op"], self.target(request)
        if op in ("call", "method"):
            function = getattr(target, request["name"]) if op == "method" else target
            return function(*args, **kwargs)
        if op == "getattr":
            return target
        if op == "keep":
            return _Kept(args[0])
        if op == "adapt":
            return self.adapt(request["target"], request["adapter"])
        if op == "restore":
            return self.put_back("adapt")
        if op == "stand_in":
            return self.stand_in(request["target"])
        if op == "stand_down":
            return self.put_back("stand_in")
        if op == "setitem":
            key, value = args
            if isinstance(target.get(key), type(value)) and getattr(target[key], "shape", None) == value.shape:
                target[key][...] = value
            else:
                target[key] = value
            return None
        raise ValueError(f"unknown op {op!r}")

    def answer(self, request, blobs):
        """Run one request and write its reply; a forked copy of the worker leaves instead of answering."""
        reply, out_blobs = {"id": request.get("id")}, []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                value = self.perform(request, blobs)
                reply["value"] = (self.handle_for(value.value) if isinstance(value, _Kept)
                                  else encode_value(value, out_blobs, self.handle_for))
            except BaseException as error:  # noqa: BLE001 - student code may raise anything
                reply["error"] = describe(error, self.package)
        reply["warnings"] = sorted({f"{w.category.__name__}: {w.message}"[:MAX_TEXT] for w in caught})[:10]
        sys.stdout.flush()
        sys.stderr.flush()
        if os.getpid() != self.pid:
            os._exit(0)
        write_message(self.reply_stream, reply, out_blobs)


def _not_sendable(value):
    raise TypeError(f"a {type(value).__name__} cannot be sent to the course's function standing in for yours: "
                    "pass arrays and numbers")


class _Kept:
    """A value the scorer asked to keep in the worker (a params dict): it is answered with a handle."""

    def __init__(self, value):
        self.value = value


def _walk(obj, path):
    for name in path:
        obj = obj[name] if isinstance(obj, dict) else getattr(obj, name)
    return obj


def describe(error, package):
    """Type, message and the innermost frame in the student's package, for feedback."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [frame for frame in frames if f"/{package}/" in frame.filename]
    # errors.WORKER_WHERE reads this form back, to word it in the grade's language.
    where = f"{os.path.basename(own[-1].filename)}:{own[-1].lineno} in {own[-1].name}" if own else ""
    if isinstance(error, SyntaxError) and error.filename:
        where = f"{os.path.basename(error.filename)}:{error.lineno}"
    try:
        message = str(error)
    except Exception:  # noqa: BLE001 - a hostile __str__
        message = "<unprintable>"
    return {"type": type(error).__name__[:100], "message": message[:MAX_TEXT], "where": where[:200]}


def _reader(fd):
    def read_exact(count):
        chunks, remaining = [], count
        while remaining:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    return read_exact


def serve(config):
    """Answer requests from stdin on the reply descriptor until the scorer closes stdin."""
    request_fd, reply_fd = os.dup(0), config["reply_fd"]
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    install_import_blocker(config["blocked_imports"])
    reply_stream = os.fdopen(reply_fd, "wb", buffering=1 << 16)
    read_exact = _reader(request_fd)
    worker = Worker(config["package"], reply_stream, read_exact)
    # A process the student's code forks is not the worker: it may neither read requests nor answer them.
    os.register_at_fork(after_in_child=lambda: [os.close(fd) for fd in (request_fd, reply_fd)])
    write_message(reply_stream, {"event": "ready", "pid": os.getpid()})
    while True:
        try:
            request, blobs = read_message(read_exact, MAX_REQUEST_BYTES)
        except EOFError:
            return
        worker.answer(request, blobs)
