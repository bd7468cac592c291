"""The worker's loop: import the student's modules on demand and answer the scorer's requests.

Requests name a function or class to call ("activations.softmax", "layers.Affine"), or a method or
attribute of an object a call created earlier (kept here, known to the scorer by a handle). Replies carry
the value and any warnings; the scorer times calls from outside.
Exceptions from student code, including SystemExit and KeyboardInterrupt, become error replies.
"""
import importlib
import os
import sys
import traceback
import warnings

from .adapters import ADAPTERS
from .blocklist import install_import_blocker
from .protocol import decode_value, encode_value, read_message, write_message

MAX_REQUEST_BYTES = 1 << 30
MAX_TEXT = 600


class Worker:
    """Holds the objects student code created, by handle id, and answers requests about them."""

    def __init__(self, package, reply_stream):
        self.package = package
        self.reply_stream = reply_stream
        self.objects = {}
        self.pid = os.getpid()
        self.adapted = []  # (module, attribute, original function) to put back on "restore"

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
        wrapped = ADAPTERS[adapter](original)
        for name, module in list(sys.modules.items()):
            if name == self.package or name.startswith(self.package + "."):
                for attribute, value in list(vars(module).items()):
                    if value is original:
                        self.adapted.append((module, attribute, original))
                        setattr(module, attribute, wrapped)

    def restore(self):
        for module, attribute, original in reversed(self.adapted):
            setattr(module, attribute, original)
        self.adapted = []

    def target(self, request):
        op = request["op"]
        if op in ("keep", "adapt", "restore"):
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
            return self.restore()
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
    worker = Worker(config["package"], reply_stream)
    # A process the student's code forks is not the worker: it may neither read requests nor answer them.
    os.register_at_fork(after_in_child=lambda: [os.close(fd) for fd in (request_fd, reply_fd)])
    read_exact = _reader(request_fd)
    write_message(reply_stream, {"event": "ready", "pid": os.getpid()})
    while True:
        try:
            request, blobs = read_message(read_exact, MAX_REQUEST_BYTES)
        except EOFError:
            return
        worker.answer(request, blobs)
