"""Any input to the public API and the CLI raises only documented FootreflexError subclasses.

Never TypeError & co., never the base class itself, and the CLI never prints a traceback.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import footreflex
from footreflex import FootreflexError, KnowledgeBase, Profile, SQLiteProfileStore
from footreflex._schemas import schema
from footreflex.cli._main import main
from footreflex.errors import BudgetError, InvalidArgumentError
from footreflex.render._ics import routine_ics, write_ics

ANYTHING = st.one_of(
    st.text(max_size=30), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.none(), st.booleans(), st.binary(max_size=5), st.lists(st.text(max_size=10), max_size=3),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
    st.just(10**400), st.just(-(10**400)), st.just([[[[[]]]]]), st.just("~/x"),
    st.just("folder/"), st.just("/dev/zero"), st.just("x" * 5000),
    st.just(datetime(2026, 1, 1, tzinfo=UTC)), st.just(object()),
    st.sampled_from(["neck", "lower back", "BL60", "helped", "wound:left", "lumbar"]),
)
ROUTINE = footreflex.plan("neck", 10)
BASE = Profile().record(ROUTINE)
WORK = Path(tempfile.mkdtemp(prefix="footreflex-fuzz-"))
STORE = SQLiteProfileStore(WORK / "fuzz.db")
STORE.record("p", ROUTINE)


def calls(a: Any, b: Any) -> list[Callable[[], object]]:
    return [
        lambda: footreflex.plan(a, minutes=b),
        lambda: footreflex.plan("neck", minutes=10, conditions=a, profile=Profile()),
        lambda: footreflex.plan(a, minutes=10, profile=BASE.prefer(exclude=["KI3"])),
        lambda: footreflex.plan("neck", minutes=10, answers=a),
        lambda: footreflex.plan("neck", 10, knowledge=a),
        lambda: footreflex.plan("neck", 10, profile=a),
        lambda: footreflex.knowledge().target(a),
        lambda: footreflex.chart(a),
        lambda: footreflex.chart("neck", knowledge=a),
        lambda: footreflex.resolve(a),
        lambda: footreflex.resolve(a, b),
        lambda: footreflex.understand(a),
        lambda: footreflex.understand("neck", knowledge=a),
        lambda: footreflex.triage(a),
        lambda: footreflex.triage("neck", a),
        lambda: footreflex.red_flag_questions(a),
        lambda: footreflex.red_flag_questions(text=a),
        lambda: footreflex.program(a, b, sessions=2),
        lambda: footreflex.program("neck", 10, sessions=a, profile=b),
        lambda: footreflex.schemas(),
        lambda: schema(a),
        lambda: KnowledgeBase.from_toml(a),
        lambda: KnowledgeBase(a),
        lambda: Profile().prefer(exclude=a),
        lambda: Profile().prefer(favourites=a, pressure=b),
        lambda: Profile().prefer(minutes=b, conditions=a),
        lambda: Profile().prefer(include=a, knowledge=b),
        lambda: BASE.rate(a),
        lambda: BASE.rate({"BL60": "helped"}, pain_before=a, note=b),
        lambda: BASE.rate({"cervical_spine": "helped"}, session=a, knowledge=b),
        lambda: BASE.record(a, symptoms=b),
        lambda: BASE.record(ROUTINE, when=a),
        lambda: BASE.record(ROUTINE, session_id=a),
        lambda: Profile.load(a),
        lambda: Profile.parse_json(a),
        lambda: BASE.save(a),
        lambda: STORE.load(a),
        lambda: STORE.record(a, ROUTINE, symptoms=b),
        lambda: STORE.record("p", a, when=b),
        lambda: STORE.rate("p", a, session=b),
        lambda: STORE.rate_step("p", a, b, "helped"),
        lambda: STORE.prefer("p", exclude=a, pressure=b),
        lambda: STORE.import_profile(a, b),
        lambda: STORE.import_file("p", a),
        lambda: SQLiteProfileStore(a).close(),
        lambda: ROUTINE.step_at(a),
        lambda: ROUTINE.remaining(b),
        lambda: list(ROUTINE.cues(a)),
        lambda: ROUTINE.foot_map(a),
        lambda: ROUTINE.to_html(a),
        lambda: ROUTINE.foot_map().save(a),
        lambda: routine_ics(ROUTINE, a, b),
        lambda: write_ics(ROUTINE, a, "2026-01-01 19:00"),
    ]


@contextlib.contextmanager
def sandbox() -> Iterator[None]:
    """Run in a scratch folder with the profile store and HOME pointing into it."""
    saved = {k: os.environ.get(k) for k in ("HOME", "FOOTREFLEX_PROFILE_DB", "XDG_DATA_HOME",
                                            "FOOTREFLEX_PROFILE")}
    os.environ.update(HOME=str(WORK), FOOTREFLEX_PROFILE_DB=str(WORK / "cli.db"),
                      XDG_DATA_HOME=str(WORK / "data"))
    os.environ.pop("FOOTREFLEX_PROFILE", None)
    try:
        with contextlib.chdir(WORK):
            yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@settings(max_examples=150, deadline=None)
@given(ANYTHING, ANYTHING)
def test_public_api_raises_only_footreflex_errors(a: Any, b: Any) -> None:
    with sandbox():
        for call in calls(a, b):
            try:
                call()
            except FootreflexError as exc:
                assert type(exc) is not FootreflexError, "raise a specific subclass"
                assert str(exc)


def test_fuzz_findings_are_specific_errors(tmp_path: Path) -> None:
    with pytest.raises(BudgetError, match="too large"):
        footreflex.plan("neck", 10**400)
    with pytest.raises(InvalidArgumentError, match="KnowledgeBase"):
        footreflex.chart("neck", knowledge=1)  # type: ignore[arg-type]
    with pytest.raises(footreflex.ProfileError, match="datetime"):
        Profile().record(ROUTINE, when="x")  # type: ignore[arg-type]
    with pytest.raises(footreflex.ProfileError, match="names a folder"):
        BASE.save(str(tmp_path) + "/")
    assert list(tmp_path.iterdir()) == []


WORDS = st.sampled_from([
    "plan", "triage", "questions", "conditions", "schema", "profile", "feedback", "chart",
    "sources", "completion", "bash",
    "lower back", "neck", "sciatica", "my groin is numb", "-m", "--minutes", "0", "-1", "1e999",
    "nan", "20", "--json", "--markdown", "--profile", "--profile-db", "--condition", "-c",
    "pregnant", "wound:left", "--answer", "a=yes", "red_flag=no", "--svg", "out.svg", "--html",
    "out.html", "--ics", "--at", "2026-01-01 19:00", "--daily", "400", "BL60=helped",
    "x=great", "--pain-before", "11", "--exclude", "heel", "--favourite", "--pressure", "firm",
    "--prefer-minutes", "--export", "e.json", "--import", "e.json", "routine", "knowledge",
    "--no-questions", "folder/", "~/p.db", "/dev/zero", "", "=", "--bogus", "x" * 300,
])


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(WORDS, st.text(max_size=12)), min_size=1, max_size=7))
def test_cli_never_prints_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                      argv: list[str]) -> None:
    if argv[0] in ("serve", "guide"):  # a server and a real-time run: tested elsewhere
        return
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    with sandbox():
        try:
            code = main(argv)
        except SystemExit as exc:  # --help and --version only
            assert exc.code == 0
            return
    assert code in (0, 2, 3)
    assert "Traceback" not in err.getvalue()
    if code:
        assert err.getvalue().count("\n") >= 1 or code == 3
