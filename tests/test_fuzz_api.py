"""Any input to the public API raises only FootreflexError subclasses (never TypeError & co)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import footreflex
from footreflex import FootreflexError, Profile

ANYTHING = st.one_of(
    st.text(max_size=30), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.none(), st.booleans(), st.binary(max_size=5), st.lists(st.text(max_size=10), max_size=3),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)
BASE = Profile().record(footreflex.plan("neck", 10))


def calls(a: Any, b: Any) -> list[Callable[[], object]]:
    return [
        lambda: footreflex.plan(a, minutes=b),
        lambda: footreflex.plan("neck", minutes=10, conditions=a, profile=Profile()),
        lambda: footreflex.plan(a, minutes=10, profile=BASE.prefer(exclude=["KI3"])),
        lambda: footreflex.knowledge().target(a),
        lambda: footreflex.chart(a),
        lambda: footreflex.resolve(a),
        lambda: footreflex.resolve(a, b),
        lambda: footreflex.understand(a),
        lambda: footreflex.understand("neck", knowledge=a),
        lambda: footreflex.triage(a),
        lambda: footreflex.program(a, b, sessions=2),
        lambda: Profile().prefer(exclude=a),
        lambda: Profile().prefer(favourites=a, pressure=b),
        lambda: Profile().prefer(minutes=b, conditions=a),
        lambda: BASE.rate(a),
        lambda: BASE.rate({"BL60": "helped"}, pain_before=a, note=b),
        lambda: BASE.record(a, symptoms=b),
        lambda: footreflex.plan("neck").step_at(a),
        lambda: footreflex.plan("neck").remaining(b),
        lambda: list(footreflex.plan("neck").cues(a)),
    ]


@settings(max_examples=150)
@given(ANYTHING, ANYTHING)
def test_public_api_raises_only_footreflex_errors(a: Any, b: Any) -> None:
    for call in calls(a, b):
        with contextlib.suppress(FootreflexError):
            call()
