"""Removing the grader's scratch folders without ever raising, however deep or odd they are."""
import os
import stat


def remove_tree(root):
    """Delete `root` and everything below it, iteratively (no recursion limit); errors are ignored."""
    stack = [os.fsencode(root)]
    visited = set()
    while stack:
        path = stack[-1]
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            stack.pop()
            continue
        if not stat.S_ISDIR(mode):
            _ignore(os.unlink, path)
            stack.pop()
            continue
        if path not in visited:
            visited.add(path)
            _ignore(os.chmod, path, 0o700)
            try:
                stack += [os.path.join(path, name) for name in os.listdir(path)]
            except OSError:
                pass
            continue
        _ignore(os.rmdir, path)
        stack.pop()


def _ignore(function, *args):
    try:
        function(*args)
    except OSError:
        pass
