"""Refuse imports that would do the exercise (scipy.special.softmax, torch, ...) or reach the course."""
import sys


class ImportBlocker:
    """A meta path finder that raises ImportError, with a reason, for blocked top-level packages."""

    def __init__(self, blocked):
        self.blocked = dict(blocked)

    def find_spec(self, fullname, path=None, target=None):
        reason = self.blocked.get(fullname.partition(".")[0])
        if reason is not None:
            raise ImportError(f"import of {fullname} is not allowed here: {reason}", name=fullname)
        return None


def install_import_blocker(blocked):
    """blocked: {top-level package name: reason}. The finder goes first on sys.meta_path."""
    sys.meta_path.insert(0, ImportBlocker(blocked))
    for name in list(sys.modules):
        if name.partition(".")[0] in blocked:
            del sys.modules[name]
