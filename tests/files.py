"""File-tree helpers shared by the release tests."""
import hashlib


def tree_hashes(root):
    """{POSIX path relative to root: sha256} of every file under root."""
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in root.rglob("*") if path.is_file()}
