"""Measure footreflex planning speed; prints figures, asserts nothing.

Run: ``python benchmarks/bench_plan.py [--quick] [--warm]`` (``--warm``: only the warm
latencies on the shipped knowledge base and their per-stage split).

Figures, all in one run:
* warm ``plan()`` latency (p50 / p99) on the shipped knowledge base, next to
  ``Routine.model_validate`` of the plan's own output (the aim: plan <= 10x validate);
* where a warm plan's time goes, per stage, in multiples of that validation: the text
  (red-flag screen and reading the regions: ``prepare``), candidates, select, order, steps,
  and the rest (warnings, sources, the ``Routine``);
* the same for synthetic knowledge bases of 1,000, 10,000 and 100,000 targets (``--quick``:
  up to 10,000), each generated in both orders (the warm-up and cool-down listed first, and
  last), plain and with personal weights (two rated edges and a favourite); aim: 100k < 10x
  the 10k time, for both;
* memory per target of a loaded knowledge base (tracemalloc);
* process start (``bench_start.py``): ``import footreflex`` + first plan next to
  ``from pydantic import BaseModel``.
No result of ``plan()`` is cached between calls.
"""

from __future__ import annotations

import functools
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import footreflex
from footreflex import KnowledgeBase, Routine

REGIONS = ["lumbar", "cervical", "sciatic", "upper_back"]
SHAPES = [(30, 90, 180), (30, 120, 180), (60, 120, 240), (60, 90, 180), (60, 180, 600)]


def synthetic(n_targets: int, seed: int = 7, general_last: bool = False) -> KnowledgeBase:
    """A knowledge base of ``n_targets`` random zones over the four shipped regions.

    ``general_last`` lists the warm-up and cool-down after every zone instead of first (a
    lookup that scans the targets for them shows up only in this order).
    """
    rng = random.Random(seed)
    shipped = footreflex.knowledge()
    general: list[dict[str, Any]] = [
        t.model_dump(exclude_none=True) for t in (shipped.warmup, shipped.cooldown) if t
    ]
    targets: list[dict[str, Any]] = [] if general_last else list(general)
    source = next(iter(shipped.sources))  # any shipped source id
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
                        "evidence": "synthetic", "sources": [source]} for r in regions],
            "sources": [source],
        })
    if general_last:
        targets.extend(general)
    return KnowledgeBase({
        "schema_version": 1, "disclaimer": shipped.disclaimer,
        "sources": [s.model_dump() for s in shipped.sources.values()],
        "regions": [r.model_dump() for r in shipped.regions.values()],
        "techniques": dict(shipped.techniques), "targets": targets,
    }, origin=f"<synthetic {n_targets}>")


PROGRAM_SESSIONS = 7
"""The synthetic bases' program case: a week of daily sessions (timed per session)."""

PERSONAL_FACTORS = {("zone_1", "lumbar"): 1.3, ("zone_5", "lumbar"): 0.7}
PERSONAL_FAVOURITES = frozenset({"zone_9"})
"""The synthetic bases' personal case: two rated edges (either side of 1) and a favourite."""


def personal(kb: KnowledgeBase, text: str) -> Callable[[float], Routine]:
    """``minutes -> routine``: ``plan(text, minutes)`` on ``kb`` with the personal weights
    above (the text is read on every call, as ``plan`` does)."""
    import dataclasses

    from footreflex import _pipeline
    from footreflex.planning import Tuning

    tuning = Tuning(factors=PERSONAL_FACTORS, favourites=PERSONAL_FAVOURITES)

    def run(minutes: float) -> Routine:
        prepared = _pipeline.prepare(text, knowledge=kb)
        return _pipeline.build(dataclasses.replace(prepared, tuning=tuning), minutes)

    return run


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


def paired(fn: Callable[[], object], ref: Callable[[], object], repeat: int
           ) -> tuple[float, float, float]:
    """(p50, p99) of ``fn`` and p50 of ``ref`` in microseconds, their calls interleaved.

    Interleaving keeps a ratio honest on a shared machine: a busy second slows both.
    """
    fn()
    ref()
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        fn()
        mid = time.perf_counter_ns()
        ref()
        b.append((time.perf_counter_ns() - mid) / 1000)
        a.append((mid - start) / 1000)
    a.sort()
    return (statistics.median(a), a[min(len(a) - 1, int(0.99 * len(a)))],
            statistics.median(b))


CASES: list[tuple[str | list[str], float]] = [
    ("lower back", 20), ("lower back", 60), (["lower back", "neck", "sciatica", "upper back"], 60),
    ("neck", 5), ("neck", 15), ("sciatica", 20), ("upper back", 15), ("lower back and neck", 30)]


def _label(text: str | list[str]) -> str:
    return repr(text) if isinstance(text, str) else f"{len(text)} regions (list)"


def stages(text: str | list[str], minutes: float, repeat: int) -> dict[str, float]:
    """p50 in microseconds of each stage of a warm plan run alone, and of the validation."""
    from footreflex import _pipeline
    from footreflex.planning import UNIT_S, candidates, order, select, steps

    prepared = _pipeline.prepare(text)
    kb, effects, tuning = prepared.kb, prepared.effects, prepared.tuning
    regions, feet = list(prepared.regions), len(prepared.effects.feet)
    capacity = int(minutes * 60 // UNIT_S)
    items, flag = candidates(kb, regions, feet, capacity, effects, tuning)
    fitted = min(capacity, sum(item.hi for item in items))
    selection = select(items, fitted, flag - 1, flag)
    assert selection is not None
    arranged = order(selection, kb, effects.feet)
    dump = _pipeline.build(prepared, minutes).model_dump()
    runs: dict[str, Callable[[], object]] = {
        "text": functools.partial(_pipeline.prepare, text),
        "candidates": functools.partial(candidates, kb, regions, feet, capacity, effects,
                                        tuning),
        "select": functools.partial(select, items, fitted, flag - 1, flag),
        "order": functools.partial(order, selection, kb, effects.feet),
        "steps": functools.partial(steps, kb, regions, arranged, effects, tuning),
        "build": functools.partial(_pipeline.build, prepared, minutes),
        "validate": functools.partial(Routine.model_validate, dump),
    }
    out = {name: timings(run, repeat)[0] for name, run in runs.items()}
    out["rest"] = out.pop("build") - sum(out[k] for k in ("candidates", "select", "order",
                                                           "steps"))
    return out


def main() -> None:
    quick = "--quick" in sys.argv
    n = 200 if quick else 2000
    print("footreflex benchmark (no caching of plan() results)")
    print(f"python {sys.version.split()[0]}, footreflex {footreflex.__version__}")
    print()
    print("warm plan() on the shipped knowledge base")
    for text, minutes in CASES:
        routine = footreflex.plan(text, minutes=minutes)
        dump = routine.model_dump()
        p50, p99, v50 = paired(functools.partial(footreflex.plan, text, minutes=minutes),
                               functools.partial(Routine.model_validate, dump), n)
        print(f"  {_label(text):32} {minutes:>3} min  plan p50 {p50:8.1f} us  p99 {p99:8.1f} us"
              f" | model_validate p50 {v50:6.1f} us | ratio {p50 / v50:5.1f}x (aim <= 10x)")
    print()
    print("where a warm plan's time goes (p50 of each stage alone, x model_validate)")
    for text, minutes in CASES:
        parts = stages(text, minutes, n)
        v50 = parts.pop("validate")
        print(f"  {_label(text):32} {minutes:>3} min  " + "  ".join(
            f"{name} {value / v50:4.1f}x" for name, value in parts.items()))
    if "--warm" in sys.argv:
        return
    print()
    print("warm plan('lower back', 20) on synthetic knowledge bases (zones listed first or "
          "the warm-up and cool-down last)")
    sizes = [1_000, 10_000] if quick else [1_000, 10_000, 100_000]
    medians: dict[tuple[int, bool, str], float] = {}
    for size in sizes:
        for last in (False, True):
            kb = synthetic(size, general_last=last)
            start = time.perf_counter_ns()  # the first plan builds the ranked index
            footreflex.plan("lower back", 20, knowledge=kb)
            first = (time.perf_counter_ns() - start) / 1e6
            repeat = 5 if size >= 100_000 else (20 if quick else 60)
            order = "general last " if last else "general first"
            runs: list[tuple[str, int, Callable[[], object]]] = [
                    ("plain", 1, functools.partial(footreflex.plan, "lower back", 20,
                                                   knowledge=kb)),
                    ("personal", 1, functools.partial(personal(kb, "lower back"), 20)),
                    ("program", PROGRAM_SESSIONS, functools.partial(
                        footreflex.program, "lower back", 20, PROGRAM_SESSIONS, knowledge=kb))]
            for kind, per, run in runs:
                p50, p99 = timings(run, max(3, repeat // per))
                p50, p99 = p50 / per, p99 / per  # a program: per session
                medians[size, last, kind] = p50
                print(f"  {size:>7} targets, {order}, {kind:8} p50 {p50 / 1000:8.2f} ms"
                      f"  p99 {p99 / 1000:8.2f} ms" + (
                          f"  (first plan {first:7.1f} ms)" if kind == "plain" else
                          "  (per session)" if per > 1 else ""))
            del kb
    big = max(sizes)
    for kind in ("plain", "personal", "program"):
        for last in (False, True):
            ratio = medians[big, last, kind] / medians[big // 10, last, kind]
            order = "general last" if last else "general first"
            print(f"  {big:,} / {big // 10:,} targets ({order}, {kind}): {ratio:4.1f}x "
                  "(aim < 10x)")
    print()
    print("memory of a knowledge base (tracemalloc, after loading)")
    for size in (1_000, 10_000):
        tracemalloc.start()
        kb = synthetic(size)
        held, _ = tracemalloc.get_traced_memory()
        footreflex.plan("lower back", 20, knowledge=kb)
        planned, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  {size:>7} targets  {held / size / 1024:5.2f} KB per target loaded,"
              f" {planned / size / 1024:5.2f} KB after a plan")
        del kb
    print()
    from bench_start import main as start_main

    start_main()


if __name__ == "__main__":
    main()
