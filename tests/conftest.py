from __future__ import annotations

import os
import tempfile

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", deadline=None, max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci", deadline=None, max_examples=120, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") else "default")

# No test reads or writes the real user's profiles: the default data folder (platformdirs
# follows XDG_DATA_HOME) is a fresh temporary folder for this run and its subprocesses.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="footreflex-test-data-")
