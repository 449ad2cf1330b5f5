"""Measure footreflex's process start; prints figures, asserts nothing.

Run: ``python benchmarks/bench_start.py [--quick] [--runs N]``.

Fresh processes, interleaved (A, B, C, A, B, C, ...) so drift in machine load favours no side,
with bytecode caching on as after an install, each side once before timing (warm file cache,
written ``.pyc`` files and a written shipped-data cache). Figures (medians):

* ``from pydantic import BaseModel`` (the reference);
* ``import footreflex; footreflex.plan("lower back", minutes=20)`` (aim <= 2x the reference,
  1.5x hoped for), with the shipped-data cache and without it (``FOOTREFLEX_NO_CACHE=1``);
* ``footreflex --help`` and ``--version`` through :func:`footreflex.cli.main`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

REFERENCE = "from pydantic import BaseModel"
FIRST_PLAN = "import footreflex; footreflex.plan('lower back', minutes=20)"
HELP = ("from footreflex.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass")
VERSION = ("from footreflex.cli import main\n"
           "try:\n    main(['--version'])\nexcept SystemExit:\n    pass")


def process_medians(cases: list[tuple[str, str, dict[str, str]]], runs: int) -> list[float]:
    """Median wall time (ms) of ``python -c code`` per case, runs interleaved."""
    samples: list[list[float]] = [[] for _ in cases]
    for _, code, env in cases:  # warm: .pyc files, the data cache, the OS file cache
        subprocess.run([sys.executable, "-c", code], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    for _ in range(runs):
        for i, (_, code, env) in enumerate(cases):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, env=env,
                           stdout=subprocess.DEVNULL)
            samples[i].append((time.perf_counter() - start) * 1000)
    return [statistics.median(s) for s in samples]


def main() -> None:
    quick = "--quick" in sys.argv
    runs = 5 if quick else 21
    if "--runs" in sys.argv:
        runs = int(sys.argv[sys.argv.index("--runs") + 1])
    # As after a normal install: byte-code caches may be written and are warm.
    base = {k: v for k, v in os.environ.items()
            if k not in ("PYTHONDONTWRITEBYTECODE", "FOOTREFLEX_NO_CACHE")}
    with tempfile.TemporaryDirectory() as cache:
        cached = {**base, "FOOTREFLEX_CACHE_DIR": cache}
        uncached = {**base, "FOOTREFLEX_NO_CACHE": "1"}
        cases = [
            ("from pydantic import BaseModel", REFERENCE, base),
            ("import footreflex + first plan", FIRST_PLAN, cached),
            ("  the same, no data cache", FIRST_PLAN, uncached),
            ("footreflex --help", HELP, cached),
            ("footreflex --version", VERSION, cached),
        ]
        medians = process_medians(cases, runs)
    reference = medians[0]
    print(f"process start: medians of {runs} interleaved fresh processes, python "
          f"{sys.version.split()[0]}")
    for (label, _, _), ms in zip(cases, medians, strict=True):
        aim = "  (aim <= 2x, hoped 1.5x)" if label.startswith("import") else ""
        print(f"  {label:34} {ms:7.1f} ms  {ms / reference:4.2f}x{aim}")


if __name__ == "__main__":
    main()
