"""`tomllib` on Python 3.11+, its backport `tomli` (the same API) on 3.10: import it from here."""
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

__all__ = ["tomllib"]
