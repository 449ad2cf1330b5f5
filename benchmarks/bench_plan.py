"""Measure footreflex planning speed; prints figures, asserts nothing.

Run: ``python benchmarks/bench_plan.py [--quick]``.

Figures:
* warm ``plan()`` latency (p50 / p99) on the shipped knowledge base, next to
  ``Routine.model_validate`` of the plan's own output (the aim: plan <= 10x validate);
* the same for synthetic knowledge bases of 1,000 and 10,000 targets (aims: < 20 ms and
  < 200 ms, growing about linearly);
* whole-process time of ``import footreflex`` + first plan, next to a bare
  ``python -c "from pydantic import BaseModel; import networkx"`` (aim: <= 1.15x).
No result of ``plan()`` is cached between calls.
"""

from __future__ import annotations

import functools
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import footreflex
from footreflex import KnowledgeBase, Routine

REGIONS = ["lumbar", "cervical", "sciatic", "upper_back"]
SHAPES = [(30, 90, 180), (30, 120, 180), (60, 120, 240), (60, 90, 180), (60, 180, 600)]


def synthetic(n_targets: int, seed: int = 7) -> KnowledgeBase:
    """A knowledge base of ``n_targets`` random zones over the four shipped regions."""
    rng = random.Random(seed)
    shipped = footreflex.knowledge()
    targets: list[dict[str, Any]] = [
        t.model_dump(exclude_none=True) for t in (shipped.warmup, shipped.cooldown) if t
    ]
    for i in range(n_targets):
        lo, default, hi = rng.choice(SHAPES)
        regions = rng.sample(REGIONS, rng.randint(1, 2))
        targets.append({
            "id": f"zone_{i}", "kind": "zone", "name": f"Zone {i}", "location": "synthetic",
            "surfaces": [rng.choice(["plantar", "dorsal", "medial", "lateral"])],
            "position": {"along": rng.random(), "across": rng.random(),
                         "height": rng.random()},
            "technique": "press_hold", "instructions": "Press.",
            "seconds": {"min": lo, "default": default, "max": hi},
            "serves": [{"region": r, "relevance": round(rng.uniform(0.1, 1.0), 2),
                        "evidence": "synthetic", "sources": ["seed"]} for r in regions],
            "sources": ["seed"],
        })
    return KnowledgeBase({
        "schema_version": 1, "disclaimer": shipped.disclaimer,
        "sources": [s.model_dump() for s in shipped.sources.values()],
        "regions": [r.model_dump() for r in shipped.regions.values()],
        "techniques": dict(shipped.techniques), "targets": targets,
    }, origin=f"<synthetic {n_targets}>")


def timings(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Return (p50, p99) in microseconds of ``repeat`` calls after a warm-up call."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - start) / 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.99 * len(samples)))]


def process_times(codes: list[str], repeat: int) -> list[float]:
    """Median wall time in ms of ``python -c code`` for each code, runs interleaved.

    Interleaving (A, B, A, B, ...) keeps drift in machine load from favouring either side.
    """
    import os

    # As after a normal install: byte-code caches may be written and are warm (a
    # PYTHONDONTWRITEBYTECODE environment would otherwise recompile an editable checkout's
    # sources on every start, which an installed wheel never does).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for code in codes:
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
    samples: list[list[float]] = [[] for _ in codes]
    for _ in range(repeat):
        for i, code in enumerate(codes):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, env=env)
            samples[i].append((time.perf_counter() - start) * 1000)
    return [statistics.median(s) for s in samples]


def main() -> None:
    quick = "--quick" in sys.argv
    n = 200 if quick else 2000
    print("footreflex benchmark (no caching of plan() results)")
    print(f"python {sys.version.split()[0]}, footreflex {footreflex.__version__}")
    print()
    print("warm plan() on the shipped knowledge base")
    for text, minutes in [("lower back", 20), ("neck", 15), ("sciatica", 20),
                          ("upper back", 15), ("lower back and neck", 30)]:
        routine = footreflex.plan(text, minutes=minutes)
        dump = routine.model_dump()
        p50, p99 = timings(functools.partial(footreflex.plan, text, minutes=minutes), n)
        v50, _v99 = timings(functools.partial(Routine.model_validate, dump), n)
        print(f"  {text!r:24} {minutes:>3} min  plan p50 {p50:8.1f} us  p99 {p99:8.1f} us"
              f" | model_validate p50 {v50:6.1f} us | ratio {p50 / v50:5.1f}x (aim <= 10x)")
    print()
    print("warm plan('lower back', 20) on synthetic knowledge bases")
    for size, aim in [(1_000, 20), (10_000, 200)]:
        kb = synthetic(size)
        p50, p99 = timings(functools.partial(footreflex.plan, "lower back", 20, knowledge=kb),
                           20 if quick else 100)
        print(f"  {size:>6} targets  p50 {p50 / 1000:8.2f} ms  p99 {p99 / 1000:8.2f} ms"
              f"  (aim < {aim} ms)")
    print()
    reps = 3 if quick else 15
    bare, ours = process_times(["from pydantic import BaseModel; import networkx",
                                "import footreflex; footreflex.plan('lower back', minutes=20)"],
                               reps)
    print("whole process (median of fresh processes)")
    print(f"  bare pydantic + networkx import   {bare:7.1f} ms")
    print(f"  import footreflex + first plan    {ours:7.1f} ms  ratio {ours / bare:4.2f}x"
          " (aim <= 1.15x)")


if __name__ == "__main__":
    main()
