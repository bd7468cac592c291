"""Length-prefixed messages between scorer and worker: a JSON header, then raw .npy blobs.

Values are tagged JSON (["a", 0] is blob 0 as an array, ["h", 3, "Affine"] an object left in the
worker, ["h", 3, "TwoLayerNet", ["params"]] its attribute or item path, ["F", "function_2"] one of the
shared test functions, ["g", 7] a numpy Generator seeded with 7) so that no Python object is ever unpickled;
arrays are read with allow_pickle=False.
"""
import io
import json
import math
import struct

import numpy as np

from .functions import FUNCTIONS, NamedFunction, SeededGenerator

HEADER = struct.Struct(">I")
BLOB = struct.Struct(">Q")
MAX_HEADER_BYTES = 16 << 20
MAX_BLOBS = 4096


class ProtocolError(Exception):
    """A message that is malformed, too large, or cut short."""


# Integers beyond this travel as floats: both sides hold every "i" value as an exact machine integer.
MAX_INT = 2 ** 62


def encode_value(value, blobs, handle_for):
    """Tag `value` for JSON; arrays go to `blobs`; other objects become handle_for(obj), a tagged handle.

    A scalar is converted once and only its plain value is checked and sent: a subclass of int or float
    may answer differently each time it is converted (the scorer checks the range of what arrives again).
    """
    if value is None:
        return ["n"]
    if isinstance(value, (bool, np.bool_)):
        return ["b", bool(value)]
    if isinstance(value, (int, np.integer)):
        number = int.__int__(int(value))  # a plain int, whatever an int subclass's __int__ returned
        return ["i", number] if abs(number) < MAX_INT else ["f", str(float(number))]
    if isinstance(value, (float, np.floating)):
        number = float.__float__(float(value))
        return ["f", number if math.isfinite(number) else str(number)]
    if isinstance(value, str):
        return ["s", str(value)]
    if isinstance(value, NamedFunction):
        return ["F", value.name]
    if isinstance(value, SeededGenerator):
        return ["g", value.seed]
    if isinstance(value, np.ndarray):
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(value), allow_pickle=False)
        blobs.append(buffer.getvalue())
        return ["a", len(blobs) - 1]
    if isinstance(value, (list, tuple)):
        return ["l" if isinstance(value, list) else "t", [encode_value(v, blobs, handle_for) for v in value]]
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return ["d", [[key, encode_value(v, blobs, handle_for)] for key, v in value.items()]]
    return handle_for(value)


def decode_value(tagged, blobs, resolve_handle, max_bytes=None):
    """Inverse of encode_value; handles become resolve_handle(id, type name, path).

    Every way a value can be malformed raises ProtocolError. With `max_bytes`, the arrays of the
    decoded value may hold at most that many bytes in all (each reference to a blob counts again).
    """
    budget = [max_bytes if max_bytes is not None else float("inf")]
    try:
        return _decode(tagged, blobs, resolve_handle, budget, 0)
    except ProtocolError:
        raise
    except RecursionError:
        raise ProtocolError("value nested too deeply") from None
    except (ValueError, TypeError, OverflowError, KeyError, IndexError, MemoryError) as error:
        raise ProtocolError(f"malformed value ({type(error).__name__})") from None


MAX_DEPTH = 32


def _decode(tagged, blobs, resolve_handle, budget, depth):
    if depth > MAX_DEPTH:
        raise ProtocolError("value nested too deeply")
    if not isinstance(tagged, list) or not tagged or not isinstance(tagged[0], str):
        raise ProtocolError("malformed value")
    tag, rest = tagged[0], tagged[1:]
    if tag == "n":
        return None
    if tag in ("b", "s") and len(rest) == 1 and isinstance(rest[0], bool if tag == "b" else str):
        return rest[0]
    if tag == "i" and len(rest) == 1 and type(rest[0]) is int and abs(rest[0]) < MAX_INT:
        return rest[0]
    if tag == "f" and len(rest) == 1:
        return _decode_float(rest[0])
    if tag == "a" and len(rest) == 1 and type(rest[0]) is int and 0 <= rest[0] < len(blobs):
        budget[0] -= len(blobs[rest[0]])
        if budget[0] < 0:
            raise ProtocolError("the decoded value is over the size limit")
        return _load_array(blobs[rest[0]])
    if tag in ("l", "t") and len(rest) == 1 and isinstance(rest[0], list):
        items = [_decode(item, blobs, resolve_handle, budget, depth + 1) for item in rest[0]]
        return items if tag == "l" else tuple(items)
    if tag == "d" and len(rest) == 1 and isinstance(rest[0], list):
        return {_key(pair): _decode(pair[1], blobs, resolve_handle, budget, depth + 1) for pair in rest[0]}
    if tag == "F" and len(rest) == 1 and rest[0] in FUNCTIONS:
        return NamedFunction(rest[0])
    if tag == "g" and len(rest) == 1 and type(rest[0]) is int:
        return SeededGenerator(rest[0]).generator()  # a seed out of range: ValueError, a protocol error
    if tag == "h" and len(rest) in (2, 3) and type(rest[0]) is int and isinstance(rest[1], str):
        path = rest[2] if len(rest) == 3 else []
        if not (isinstance(path, list) and len(path) <= 8 and all(isinstance(part, str) for part in path)):
            raise ProtocolError("malformed handle path")
        return resolve_handle(rest[0], rest[1][:100], path)
    raise ProtocolError(f"malformed value tagged {tag[:10]!r}")


def _decode_float(raw):
    if type(raw) in (int, float):
        return float(raw)  # an int too large for a float raises OverflowError: a protocol error
    if raw in ("nan", "inf", "-inf"):
        return float(raw)
    raise ProtocolError("malformed float")


def _key(pair):
    if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
        raise ProtocolError("malformed dict entry")
    return pair[0]


def _load_array(blob):
    try:
        array = np.load(io.BytesIO(blob), allow_pickle=False)
    except Exception as error:
        raise ProtocolError(f"unreadable array: {type(error).__name__}") from None
    if not isinstance(array, np.ndarray):
        raise ProtocolError("blob is not a single array")
    return array


def encode_message(header, blobs=()):
    """One message as bytes: the length of the JSON header, the header, then its blobs."""
    header = dict(header, blobs=[len(blob) for blob in blobs])
    payload = json.dumps(header, allow_nan=False).encode()
    return b"".join([HEADER.pack(len(payload)), payload, *blobs])


def write_message(stream, header, blobs=()):
    """Send one message on a file object, then flush."""
    stream.write(encode_message(header, blobs))
    stream.flush()


def read_message(read_exact, max_blob_bytes, max_header_bytes=MAX_HEADER_BYTES):
    """Receive one message with read_exact(n) -> bytes; -> (header dict, [blob bytes])."""
    (length,) = HEADER.unpack(read_exact(HEADER.size))
    if length > max_header_bytes:
        raise ProtocolError(f"header of {length} bytes is over the limit")
    try:
        header = json.loads(read_exact(length))
    except (ValueError, RecursionError):
        raise ProtocolError("header is not JSON (or nested too deeply)") from None
    sizes = header.get("blobs") if isinstance(header, dict) else None
    if not isinstance(sizes, list) or len(sizes) > MAX_BLOBS or not all(type(s) is int and s >= 0 for s in sizes):
        raise ProtocolError("malformed blob list")
    if sum(sizes) > max_blob_bytes:
        raise ProtocolError(f"reply of {sum(sizes)} bytes is over the limit of {max_blob_bytes}")
    return header, [read_exact(size) for size in sizes]
