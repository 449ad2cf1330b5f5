"""Measure the cost of the worst HTTP request next to a normal one; prints, asserts nothing.

Run: ``python benchmarks/bench_service.py`` (needs the ``server`` extra).

Requests go through the whole ASGI app in process (FastAPI's TestClient), so the figures
are the service's own cost per request, without the network:
* a normal plan: ``{"symptoms": "lower back", "minutes": 20}``;
* the worst text under the cap: 2,000 characters of distinct near-miss words (each one
  goes through the typo corrector);
* the largest schema-valid body: ten texts of 500 near-miss characters (5,000 in all: the
  red-flag screen reads it all, then the cap refuses it with 422);
* the largest body that is read: :data:`footreflex.server.MAX_BODY` bytes of escapes.
"""

from __future__ import annotations

import json
import random
import statistics
import string
import time

from fastapi.testclient import TestClient

from footreflex.server._app import MAX_BODY, create_app


def near_misses(chars: int, seed: int) -> str:
    """Distinct words one letter off body words ("lowre bakc neik ..."), ``chars`` long."""
    rng = random.Random(seed)
    base = ["lower", "back", "neck", "shoulder", "sciatica", "upper", "spine", "hip",
            "stiff", "aching", "pain", "thigh", "buttock", "blade"]
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < chars:
        word = list(rng.choice(base))
        word[rng.randrange(len(word))] = rng.choice(string.ascii_lowercase)
        words.append("".join(word) + rng.choice(string.ascii_lowercase))
    return " ".join(words)[:chars]


def timed(client: TestClient, body: bytes, runs: int) -> tuple[float, int]:
    times = []
    status = 0
    for _ in range(runs):
        start = time.perf_counter()
        status = client.post("/plan", content=body,
                             headers={"content-type": "application/json"}).status_code
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), status


def main() -> None:
    with TestClient(create_app()) as client:
        cases = {
            "normal plan (lower back, 20 min)":
                json.dumps({"symptoms": "lower back", "minutes": 20}).encode(),
            "2,000 chars of near-miss words":
                json.dumps({"symptoms": near_misses(2000, 1), "minutes": 20}).encode(),
            "10 x 500 chars of near-miss words":
                json.dumps({"symptoms": [near_misses(500, s) for s in range(10)]}).encode(),
            f"{MAX_BODY:,} bytes of escapes":
                json.dumps({"symptoms": ["\U0001F600" * 500] * 10, "conditions":
                            ["\U0001F600" * 100] * 20}, indent=1).encode()[:MAX_BODY],
        }
        timed(client, cases["normal plan (lower back, 20 min)"], 5)  # warm up, and load the
        timed(client, b'{"symptoms": "my lowre bakc"}', 1)  # word lists (once per process)
        normal = None
        for name, body in cases.items():
            first, _ = timed(client, body, 1)  # first time: nothing memoised
            median, status = timed(client, body, 15)
            normal = normal or median
            print(f"{name:<36} {len(body):>7,} B  status {status}  first {first:7.1f} ms  "
                  f"median {median:7.1f} ms  = {median / normal:5.1f}x normal")


if __name__ == "__main__":
    main()
