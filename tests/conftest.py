import os

from hypothesis import settings

# Deadlines flake on a loaded 2-core CI machine; the example count keeps the suite quick.
settings.register_profile("ci", deadline=None, max_examples=50, print_blob=True)
settings.register_profile("dev", deadline=None, max_examples=25)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
