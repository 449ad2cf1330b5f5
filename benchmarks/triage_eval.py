"""Evaluate the red-flag screen on the labelled corpus; prints figures, asserts nothing.

Run: ``python benchmarks/triage_eval.py [--misses] [--quick]``.

Figures, per split (``dev``: written to develop the rules; ``independent``: written by an
author who never saw the rules, kept apart; ``holdout``: written last and never used to change
a rule — the best estimate of the truth, reported here and never asserted in the tests):

* recall per red category (a red line passes when the screen gives at least its level) and
  false alarms per green category (a green line fails when the screen gives anything but
  ``self_care``);
* the emergency rate of emergency-labelled lines;
* the slowest inputs;
* cost: 100 KB of ordinary sentences, and 100 KB of distinct near-miss words (typos of
  vocabulary words, which go through correction), next to 10 KB of each, to show the
  growth is linear.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import string
import sys
import time
from pathlib import Path

from footreflex import triage

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
FILES = {"dev": DATA / "triage_corpus.jsonl",
         "independent": DATA / "triage_corpus_independent.jsonl",
         "independent (b)": DATA / "triage_corpus_independent_b.jsonl",
         # written last by a fourth author and never used to change a rule: reported only
         "holdout": DATA / "triage_holdout.jsonl"}
RANK = {"self_care": 0, "see_clinician": 1, "emergency": 2}


def load(path: Path) -> list[dict[str, str]]:
    """The corpus lines of one file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def passes(expect: str, got: str) -> bool:
    """Red: at least the expected level. Green: exactly self_care."""
    if expect == "self_care":
        return got == "self_care"
    return RANK[got] >= RANK[expect]


def evaluate(split: str, rows: list[dict[str, str]], show_misses: bool) -> list[tuple[float, str]]:
    """Print one split's table; return (seconds, text) per line."""
    table: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    timings: list[tuple[float, str]] = []
    misses: list[str] = []
    emergency = [0, 0]
    for row in rows:
        start = time.perf_counter()
        got = triage(row["text"]).level
        timings.append((time.perf_counter() - start, row["text"]))
        ok = passes(row["expect"], got)
        cell = table[(row["expect"], row["category"])]
        cell[0] += ok
        cell[1] += 1
        if row["expect"] == "emergency":
            emergency[0] += got == "emergency"
            emergency[1] += 1
        if not ok:
            misses.append(f"  {row['category']:22} want {row['expect']:13} got {got:13} "
                          f"{row['text']}")
    red = [v for (e, _), v in table.items() if e != "self_care"]
    green = [v for (e, _), v in table.items() if e == "self_care"]
    red_ok, red_n = sum(a for a, _ in red), sum(b for _, b in red)
    green_ok, green_n = sum(a for a, _ in green), sum(b for _, b in green)
    print(f"\n== {split}: {len(rows)} lines ({red_n} red, {green_n} green)")
    print(f"{'level':14} {'category':22} {'passed':>9} {'rate':>7}")
    for (expect, category), (n_ok, n) in sorted(table.items(),
                                                key=lambda kv: (-RANK[kv[0][0]], kv[0][1])):
        print(f"{expect:14} {category:22} {n_ok:>4}/{n:<4} {n_ok / n:7.1%}")
    if red_n:
        print(f"red recall (not self_care, at least the level): {red_ok}/{red_n} "
              f"= {red_ok / red_n:.1%}")
    if emergency[1]:
        print(f"emergency lines answered emergency: {emergency[0]}/{emergency[1]} "
              f"= {emergency[0] / emergency[1]:.1%}")
    if green_n:
        print(f"green false alarms: {green_n - green_ok}/{green_n} "
              f"= {(green_n - green_ok) / green_n:.1%}")
    if show_misses and misses:
        print("misses:")
        print("\n".join(misses))
    return timings


def cost(quick: bool) -> None:
    """Time 10 KB and 100 KB of ordinary text and of distinct near-miss words."""
    rng = random.Random(5)
    ordinary = ("My lower back has been stiff since I sat at my desk all week, and my "
                "shoulders ache a bit by the evening. ")
    vocabulary = ["numbness", "bladder", "weakness", "tingling", "breathless", "swollen",
                  "thunderclap", "contractions", "osteoporosis", "ankylosing"]

    def near_miss() -> str:
        word = list(rng.choice(vocabulary))
        word[rng.randrange(len(word))] = rng.choice(string.ascii_lowercase)
        return "".join(word) + rng.choice(string.ascii_lowercase) * rng.randint(1, 3)

    print("\n== cost (best of 3)")
    sizes = (10_000,) if quick else (10_000, 100_000)
    def distinct(n: int) -> str:
        parts = [["My", "Her", "The"], ["lower back", "neck", "upper back", "left shoulder"],
                 ["has been stiff", "aches", "feels tight", "is sore"],
                 ["since Monday", "after work", "in the evening", "when I sit", "most days"],
                 ["and my", "but my", "while my"], ["hips", "knees", "shoulders", "calves"],
                 ["feel fine", "ache a bit", "are tired", "are stiff too"]]
        out: list[str] = []
        size = 0
        while size < n:
            sentence = " ".join(rng.choice(p) for p in parts) + f" {rng.randint(1, 999)}. "
            out.append(sentence)
            size += len(sentence)
        return "".join(out)

    for label, make in (("repeated ordinary sentences",
                         lambda n: (ordinary * (n // len(ordinary)))),
                        ("distinct ordinary sentences", distinct),
                        ("distinct near-miss words",
                         lambda n: " ".join(near_miss() for _ in range(n // 10)))):
        for size in sizes:
            text = make(size)[:size]
            best = min(_time(text) for _ in range(3))
            print(f"{label:28} {len(text) / 1000:6.0f} KB {best * 1000:9.1f} ms")


def _time(text: str) -> float:
    """Seconds for one triage (nothing is remembered per text or sentence)."""
    start = time.perf_counter()
    triage(text)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--quick", action="store_true", help="smaller cost figures")
    args = parser.parse_args(argv)
    triage("warm up")  # load the rules and word lists once, outside the timings
    timings: list[tuple[float, str]] = []
    for split, path in FILES.items():
        if path.exists():
            timings += evaluate(split, load(path), args.misses)
    print("\n== slowest inputs")
    for seconds, text in sorted(timings, reverse=True)[:5]:
        print(f"{seconds * 1000:8.2f} ms  {text[:90]}")
    cost(args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
