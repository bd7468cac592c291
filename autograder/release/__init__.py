"""The student release: writing it (write.py), its manifest and the working copy it updates, the
repository's generated files (generated.py) and the scan for solutions leaking into either (leaks.py)."""
