"""Measure how well footreflex understands complaints; prints figures, asserts nothing.

Run: ``python benchmarks/resolve_eval.py [--no-timing] [--split dev|independent]``.

Figures:
* exact-set accuracy over the labelled corpus (``tests/data/complaints_corpus*.jsonl``),
  per split and per category, and on the must-pass subset; sides where a row gives them;
* every miss: the text, what was expected, what was read;
* the time :func:`footreflex.understand` takes on 1 KB, 100 KB and 1 MB of complaint text
  (ordinary sentences mixed with distinct typos), with the per-KB rate, which should stay
  flat (linear cost).
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import footreflex
from footreflex import NotCoveredError, UnknownSymptomError

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
FILES = ("complaints_corpus.jsonl", "complaints_corpus_independent.jsonl",
         "complaints_holdout.jsonl")


def load_corpus() -> list[dict[str, Any]]:
    """Return every labelled row of both corpus files."""
    rows: list[dict[str, Any]] = []
    for name in FILES:
        path = DATA / name
        if path.exists():
            rows.extend(json.loads(line) for line in path.read_text("utf-8").splitlines()
                        if line.strip())
    return rows


def outcome(text: str) -> tuple[list[str] | str, dict[str, str]]:
    """What footreflex reads: sorted regions and sides, or "not_covered" / "unknown"."""
    try:
        complaint = footreflex.understand(text)
    except NotCoveredError:
        return "not_covered", {}
    except UnknownSymptomError:
        return "unknown", {}
    return sorted(complaint.regions), dict(complaint.sides)


def correct(row: dict[str, Any], got: list[str] | str, sides: dict[str, str]) -> bool:
    """Exact set (or not covered) and, where the row gives sides, the same sides."""
    if got != row["expect"]:
        return False
    return "sides" not in row or sides == row["sides"]


def evaluate(rows: list[dict[str, Any]], show_misses: bool = True) -> dict[str, float]:
    """Print accuracy per split and category and every miss; return accuracy per split."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[str] = []
    for row in rows:
        got, sides = outcome(row["text"])
        ok = correct(row, got, sides)
        keys = ["all", f"split:{row['split']}", f"category:{row['category']}",
                f"{row['split']}:{row['category']}"]
        if row.get("must"):
            keys.append("must")
        for key in keys:
            totals[key][0] += ok
            totals[key][1] += 1
        if not ok:
            wanted = row["expect"] if "sides" not in row else (row["expect"], row["sides"])
            read = got if not sides else (got, sides)
            misses.append(f"  [{row['split']}/{row['category']}] {row['text']!r}\n"
                          f"      expected {wanted}, read {read}")
    print(f"{'group':<40} {'right':>6} {'rows':>5} {'accuracy':>9}")
    for key in sorted(totals, key=lambda k: (k.count(":") > 0 and not k.startswith("split"),
                                             k)):
        right, n = totals[key]
        print(f"{key:<40} {right:>6} {n:>5} {right / n:>9.1%}")
    if show_misses:
        print(f"\n{len(misses)} misses:")
        print("\n".join(misses))
    return {k: r / n for k, (r, n) in totals.items() if k.startswith("split:") or k == "all"}


SENTENCES = [
    "my lower back is killing me after work",
    "stiff neck and sore shoulders from the desk, not my knee",
    "sciatica down the back of my left leg again",
    "no pain in my neck today but the mid back aches",
]


def synthetic(size: int, seed: int = 1) -> str:
    """Complaint-like text of ``size`` characters: sentences and distinct made-up typos."""
    rng = random.Random(seed)
    out: list[str] = []
    length = 0
    while length < size:
        if rng.random() < 0.5:
            piece = rng.choice(SENTENCES) + "."
        else:
            piece = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 9)))
        out.append(piece)
        length += len(piece) + 1
    return " ".join(out)[:size]


def timing() -> None:
    """Time understand() on 1 KB, 100 KB and 1 MB of text."""
    footreflex.understand("warm up the reader and its libraries: lower back, nekc")
    print("\nunderstand() timing (cold per-word memo each size):")
    for label, size in (("1 KB", 1_000), ("100 KB", 100_000), ("1 MB", 1_000_000)):
        text = synthetic(size, seed=size)
        start = time.perf_counter()
        footreflex.understand(text)
        took = time.perf_counter() - start
        print(f"  {label:>7}: {took * 1000:9.1f} ms  ({took * 1000 / (size / 1000):.2f} ms/KB)")


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--split", choices=["dev", "independent"])
    args = parser.parse_args(argv)
    rows = load_corpus()
    if args.split:
        rows = [r for r in rows if r["split"] == args.split]
    if not rows:
        print("no corpus rows found", file=sys.stderr)
        return 1
    evaluate(rows)
    if not args.no_timing:
        timing()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
