"""The course repository's derived files: the generated stubs, student notebooks and README stage table in
sync with their sources (generated.py), and no solution leaking into what students get (leaks.py)."""
