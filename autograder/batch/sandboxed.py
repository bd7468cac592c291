"""`python -m autograder.batch.sandboxed DIR`: exit 1 unless every result in DIR was graded in the sandbox.

A CI runner that refuses user namespaces makes the grader fall back to resource limits only, which the
report's isolation line says; grades from such a run must not count (see the instructor's workflow).
"""
import sys
from pathlib import Path

from . import store

SANDBOX_NOTE = "isolation: bubblewrap sandbox"


def unsandboxed(output):
    """[student] whose stored result does not say the bubblewrap sandbox ran (grader-errors excepted)."""
    return [student for student, result in sorted(store.load_all(output).items())
            if result["extra_data"]["status"] == "graded"
            and not any(line.startswith(SANDBOX_NOTE) for line in result["output"].splitlines())]


def main(argv=None):
    output = Path((argv or sys.argv[1:])[0])
    results = store.load_all(output)
    missing = unsandboxed(output)
    if not results or missing:
        print(f"not graded in the sandbox: {', '.join(missing) or 'no results at all'}", file=sys.stderr)
        return 1
    print(f"all {len(results)} results were graded in the bubblewrap sandbox")
    return 0


if __name__ == "__main__":
    sys.exit(main())
