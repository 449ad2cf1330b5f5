"""Measure footreflex's process start; prints figures, asserts nothing.

Run: ``python benchmarks/bench_start.py [--quick] [--runs N]``.

Fresh processes, interleaved (A, B, C, A, B, C, ...) so drift in machine load favours no side,
with bytecode caching on as after an install, each side once before timing (warm file cache,
written ``.pyc`` files and a written shipped-data cache). Figures (medians):

* ``from pydantic import BaseModel`` (the reference);
* the same plus one model with a constrained field, validated once: what any library that
  builds a pydantic validator pays on top of the reference (``pydantic.fields`` and
  ``pydantic.types`` imported, the plugin loader's ``importlib.metadata`` scan), a floor under
  footreflex's figure;
* ``import footreflex; footreflex.plan("lower back", minutes=20)`` (aim <= 2x the reference,
  1.5x hoped for), with the shipped-data cache and without it (``FOOTREFLEX_NO_CACHE=1``);
* ``footreflex --help`` and ``--version`` through :func:`footreflex.cli.main`.

``--compare SRC``: also time the first plan (with its own data cache) with another tree's
source folder first on the path (``git archive <commit> src | tar -x -C DIR``, then
``--compare DIR/src``), for a before/after in one run.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

REFERENCE = "from pydantic import BaseModel"
ONE_MODEL = ("from pydantic import BaseModel, Field\n"
             "class A(BaseModel):\n    x: int = Field(ge=0)\n"
             "A(x=1)")
FIRST_PLAN = "import footreflex; footreflex.plan('lower back', minutes=20)"
HELP = ("from footreflex.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass")
VERSION = ("from footreflex.cli import main\n"
           "try:\n    main(['--version'])\nexcept SystemExit:\n    pass")


def _cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def process_medians(cases: list[tuple[str, str, dict[str, str]]], runs: int
                    ) -> list[tuple[float, float]]:
    """Median wall and CPU time (ms) of ``python -c code`` per case, runs interleaved.

    CPU time (user + system of the child) is much less sensitive than wall time to other
    load on the machine.
    """
    wall: list[list[float]] = [[] for _ in cases]
    cpu: list[list[float]] = [[] for _ in cases]
    for _, code, env in cases:  # warm: .pyc files, the data cache, the OS file cache
        subprocess.run([sys.executable, "-c", code], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    for _ in range(runs):
        for i, (_, code, env) in enumerate(cases):
            used = _cpu_ms()
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, env=env,
                           stdout=subprocess.DEVNULL)
            wall[i].append((time.perf_counter() - start) * 1000)
            cpu[i].append(_cpu_ms() - used)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(wall, cpu, strict=True)]


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
            ("  + one model validated (floor)", ONE_MODEL, base),
            ("import footreflex + first plan", FIRST_PLAN, cached),
            ("  the same, no data cache", FIRST_PLAN, uncached),
            ("footreflex --help", HELP, cached),
            ("footreflex --version", VERSION, cached),
        ]
        if "--compare" in sys.argv:
            other = sys.argv[sys.argv.index("--compare") + 1]
            with tempfile.TemporaryDirectory() as other_cache:
                path = os.pathsep.join([other, *filter(None, [base.get("PYTHONPATH")])])
                cases.insert(3, ("  other tree, first plan", FIRST_PLAN,
                                 {**base, "PYTHONPATH": path,
                                  "FOOTREFLEX_CACHE_DIR": other_cache}))
                medians = process_medians(cases, runs)
        else:
            medians = process_medians(cases, runs)
    ref_wall, ref_cpu = medians[0]
    print(f"process start: medians of {runs} interleaved fresh processes, python "
          f"{sys.version.split()[0]} (wall time; CPU time of the process)")
    for (label, _, _), (wall, cpu) in zip(cases, medians, strict=True):
        aim = "  (aim <= 2x, hoped 1.5x)" if label.startswith("import") else ""
        print(f"  {label:32} wall {wall:7.1f} ms {wall / ref_wall:4.2f}x"
              f" | cpu {cpu:7.1f} ms {cpu / ref_cpu:4.2f}x{aim}")


if __name__ == "__main__":
    main()
