# Course support code: generated from the course's reference solutions.
# Nothing to fill in here: course code given as it is (the grader uses the course's own copy).
"""Keep freed NumPy buffers for reuse instead of handing them back to the OS after every step.

Each training step allocates fresh arrays of a few hundred KB (gradients, the update's lr * dW). glibc
serves blocks that size with mmap and unmaps them when freed, so every step page-faults them in again:
about a fifth of an MNIST-sized epoch (benchmarks/epoch_time.py). Raising glibc's mmap and trim
thresholds lets malloc reuse that memory. Elsewhere (not glibc) this does nothing.
"""
import ctypes
import ctypes.util

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3


def reuse_freed_memory(threshold_bytes=64 << 20):
    """Ask glibc to keep blocks under threshold_bytes on its heap -> whether it was applied."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(M_MMAP_THRESHOLD, threshold_bytes)
                    and libc.mallopt(M_TRIM_THRESHOLD, 2 * threshold_bytes))
    except (OSError, AttributeError, TypeError):
        return False
