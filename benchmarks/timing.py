"""The one timing helper the benchmark scripts share."""
import statistics
import time


def best_of(repeats, action):
    """Run action() `repeats` times -> (fastest seconds, median seconds, last result)."""
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times), result
