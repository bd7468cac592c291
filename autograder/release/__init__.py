"""The student release: writing it (write.py), its manifest and the working copy it updates."""
