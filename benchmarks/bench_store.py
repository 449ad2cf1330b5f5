"""Measure the profile store; prints figures, asserts nothing.

Run: ``python benchmarks/bench_store.py``.

Figures, for a profile of 1,000 sessions (half of them rated) in a fresh SQLite store:
* ``record()`` latency (p50 / p99; one durable transaction each, ``synchronous=FULL``);
* ``rate_step()`` latency;
* ``load()`` latency (the whole profile folded into a ``Profile``);
* bytes per session in the database file, next to the format-1 JSON (whole routines).
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from footreflex import Profile, SQLiteProfileStore, plan


def timed(fn: object, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(f"{name:<34} p50 {statistics.median(ms):7.2f} ms   p99 {p99:7.2f} ms   (n={len(ms)})")


def main() -> None:
    routine = plan("lower back and neck", 30)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "profiles.db"
        with SQLiteProfileStore(db) as store:
            person = Profile()
            for i in range(1000):
                person = person.record(routine, symptoms="lower back and neck",
                                       when=t0 + timedelta(hours=i))
            start = time.perf_counter()
            store.import_profile("default", person)
            print(f"import of 1,000 sessions (one transaction): "
                  f"{(time.perf_counter() - start) * 1000:.1f} ms")
            for session in person.sessions[::2]:
                store.rate_step("default", session.id, "BL60", "helped")
            summary("record() at 1,000 sessions", timed(
                lambda: store.record("default", routine, symptoms="lower back"), 100))
            last = store.load().sessions[-1].id
            summary("rate_step() at 1,100 sessions", timed(
                lambda: store.rate_step("default", last, "BL60", "helped"), 100))
            summary("load() of 1,100 sessions", timed(lambda: store.load("default"), 30))
            sessions = len(store.load().sessions)
        size = db.stat().st_size
        v1 = {"schema_version": 1, "sessions": [
            {"id": "x" * 16, "date": "2026-01-01T00:00:00Z", "minutes": 30,
             "symptoms": ["lower back and neck"], "routine": json.loads(routine.model_dump_json()),
             "feedback": None}]}
        print(f"database: {size / 1024:.0f} KiB for {sessions} sessions = "
              f"{size / sessions:.0f} bytes per session (format-1 JSON kept "
              f"{len(json.dumps(v1)) / 1024:.1f} KiB per session)")


if __name__ == "__main__":
    main()
