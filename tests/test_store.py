"""The profile store under real processes, crashes and foreign files."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import footreflex
from footreflex import Profile, ProfileError, ProfileStore, SQLiteProfileStore, plan
from footreflex.personal._store import APPLICATION_ID, STORE_SCHEMA_VERSION

T0 = datetime(2026, 1, 1, 19, 0, tzinfo=UTC)

WRITER = """
import sys
from footreflex import SQLiteProfileStore, plan
db, what, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
routine = plan("lower back", 20)
with SQLiteProfileStore(db) as store:
    sessions = [s.id for s in store.load().sessions]
    sys.stdout.write("ready\\n")
    sys.stdout.flush()
    sys.stdin.readline()  # start together
    for i in range(count):
        if what == "record":
            store.record("default", routine, symptoms="lower back")
        elif what == "forever":
            store.record("default", routine, symptoms=f"lower back {i}")
            store.rate("default", {"BL60": "helped"}, pain_after=i % 11)
        else:  # rate one target on every session, and exclude one more target each time
            target, excluded = what.split(":")
            store.rate_step("default", sessions[i], target, "helped")
            if i < len(excluded.split(",")):
                store.prefer("default", exclude=[excluded.split(",")[i]])
"""


def writers(db: Path, jobs: list[tuple[str, int]]) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), what, str(count)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for what, count in jobs]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        assert proc.wait(timeout=600) == 0


def test_two_processes_recording_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "profiles.db"
    SQLiteProfileStore(db).close()
    writers(db, [("record", 200), ("record", 200)])
    with SQLiteProfileStore(db) as store:
        person = store.load("default")
    assert len(person.sessions) == 400
    assert len({s.id for s in person.sessions}) == 400  # identical routines, unique ids


def test_interleaved_ratings_and_preferences_are_all_kept(tmp_path: Path) -> None:
    db = tmp_path / "profiles.db"
    routine = plan("lower back", 20)
    with SQLiteProfileStore(db) as store:
        for i in range(30):
            store.record("default", routine, when=T0 + timedelta(days=i))
    writers(db, [("BL60:heel,KI3", 30), ("LR3:BL62,GB40", 30)])
    with SQLiteProfileStore(db) as store:
        person = store.load()
    for session in person.sessions:
        assert session.feedback is not None
        assert session.feedback.ratings == {"BL60": "helped", "LR3": "helped"}
    assert sorted(person.preferences.excluded) == sorted(["heel", "KI3", "BL62", "GB40"])


def test_kill_9_while_writing_never_corrupts(tmp_path: Path) -> None:
    db = tmp_path / "profiles.db"
    SQLiteProfileStore(db).close()
    rng = random.Random(13)
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db), "forever", "100000"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
        time.sleep(rng.uniform(0.05, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdin.close()
        proc.stdout.close()
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()
    with SQLiteProfileStore(db) as store:
        person = store.load()
    assert len(person.sessions) > 0
    rated = [s for s in person.sessions if s.feedback is not None]
    assert all(s.feedback is not None and s.feedback.ratings == {"BL60": "helped"}
               for s in rated)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profiles.db"]


def sqlite_file(path: Path, *statements: str) -> Path:
    raw = sqlite3.connect(path)
    for statement in statements:
        raw.execute(statement)
    raw.commit()
    raw.close()
    return path


@pytest.mark.parametrize("make", [
    lambda p: p.write_bytes(os.urandom(8192)) and p,
    lambda p: p.write_text("name,age\nana,40\n" * 300) and p,
    lambda p: p.write_bytes(b"SQLite format 3\x00" + os.urandom(4000)) and p,
    lambda p: sqlite_file(p, "CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('x')"),
    lambda p: sqlite_file(p, "PRAGMA application_id = 7", "CREATE TABLE t (x)"),
    lambda p: sqlite_file(p, f"PRAGMA application_id = {APPLICATION_ID}",
                          f"PRAGMA user_version = {STORE_SCHEMA_VERSION + 1}",
                          "CREATE TABLE future (x)"),
], ids=["random", "text", "bad-sqlite", "foreign", "foreign-app-id", "newer"])
def test_corrupt_or_foreign_files_are_refused_untouched(tmp_path: Path, make: object) -> None:
    db = tmp_path / "profiles.db"
    make(db)  # type: ignore[operator]
    before = db.read_bytes()
    with pytest.raises(ProfileError) as info, SQLiteProfileStore(db) as store:
        store.record("default", plan("neck", 10))
    assert "untouched" in str(info.value) or "newer" in str(info.value)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profiles.db"]


def test_a_truncated_store_is_a_profile_error(tmp_path: Path) -> None:
    db = tmp_path / "profiles.db"
    with SQLiteProfileStore(db) as store:
        for i in range(200):
            store.record("default", plan("neck", 10), symptoms="neck " * 40,
                         when=T0 + timedelta(days=i))
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProfileError), SQLiteProfileStore(db) as store:
        store.load()


def test_store_api(tmp_path: Path) -> None:
    store = SQLiteProfileStore(tmp_path / "s.db")
    assert isinstance(store, ProfileStore)
    assert store.load("nobody") == Profile() and store.profiles() == []
    routine = plan("lower back", 20)
    first = store.record("ana", routine, symptoms=["lower back"], when=T0)
    second = store.record("ana", routine, symptoms="lower back", when=T0)
    assert first.id != second.id
    assert store.rate_step("ana", first.id, "Kunlun", "helped").feedback is not None
    after = store.rate("ana", {"tai chong": "did_not_help"}, pain_before=7, note="ok")
    assert after.id == second.id and after.feedback is not None
    assert after.feedback.ratings == {"LR3": "did_not_help"}
    after = store.rate("ana", {}, pain_after=3)
    assert after.feedback is not None and after.feedback.pain_before == 7
    assert after.feedback.pain_after == 3 and after.feedback.note == "ok"
    prefs = store.prefer("ana", exclude=["heel"], minutes=12)
    assert prefs.excluded == ["heel"] and prefs.minutes == 12
    person = store.load("ana")
    expected = (Profile().record(routine, symptoms="lower back", when=T0, session_id=first.id)
                .record(routine, symptoms="lower back", when=T0, session_id=second.id)
                .rate({"BL60": "helped"}, session=first.id)
                .rate({"LR3": "did_not_help"}, pain_before=7, note="ok")
                .rate({}, pain_after=3).prefer(exclude=["heel"], minutes=12))
    assert person == expected
    # the store and the model agree on what the planner gets
    assert plan("lower back", 20, profile=person) == plan("lower back", 20, profile=expected)
    bads: list[Callable[[], object]] = [
                lambda: store.rate("ana", {"BL60": "great"}),
                lambda: store.rate("ana", {"KI3": "helped"}),
                lambda: store.rate("ana", {}, session="nope"),
                lambda: store.rate("bob", {"BL60": "helped"}),
                lambda: store.rate("ana", {}, pain_after=11),
                lambda: store.rate_step("ana", 5, "BL60", "helped"),  # type: ignore[arg-type]
                lambda: store.prefer("ana", pressure="crushing"),
                lambda: store.prefer("ana", colour="red"),
                lambda: store.record("", routine),
                lambda: store.record("x" * 101, routine),
                lambda: store.record(3, routine),  # type: ignore[arg-type]
                lambda: store.record("ana", "routine"),  # type: ignore[arg-type]
                lambda: store.record("ana", routine, when="x"),  # type: ignore[arg-type]
                lambda: store.import_profile("ana", {})]  # type: ignore[arg-type]
    for bad in bads:
        with pytest.raises(ProfileError):
            bad()
    with pytest.raises(footreflex.UnknownTargetError):
        store.rate("ana", {"BL99": "helped"})
    assert store.load("ana") == person  # nothing half-written by the failures
    assert store.profiles() == ["ana"]
    # import: merge by session id, preferences replaced
    assert store.import_profile("bob", person) == 2
    assert store.import_profile("bob", person) == 0
    assert store.load("bob") == person
    store.close()
    with pytest.raises(ProfileError, match="closed"):
        store.load("ana")


def test_store_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ProfileError, match="folder does not exist"):
        SQLiteProfileStore(tmp_path / "no" / "s.db")
    with pytest.raises(ProfileError, match="names a folder"):
        SQLiteProfileStore(str(tmp_path) + "/")
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(ProfileError, match="not a regular file"):
        SQLiteProfileStore(tmp_path / "fifo")
    SQLiteProfileStore(tmp_path / "deep" / "s.db", create_folder=True).close()
    monkeypatch.setenv("HOME", str(tmp_path))
    with SQLiteProfileStore("~/home.db") as store:
        assert store.path == tmp_path / "home.db"
    monkeypatch.setenv("FOOTREFLEX_PROFILE_DB", "~/env.db")
    with footreflex.open_store() as store:
        assert store.path == tmp_path / "env.db"


def test_a_profile_of_1000_sessions_stays_small(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    routine = plan("lower back and neck", 30)
    with SQLiteProfileStore(db) as store:
        person = Profile()
        for i in range(1000):
            person = person.record(routine, symptoms="lower back and neck",
                                   when=T0 + timedelta(hours=i))
        store.import_profile("default", person)
        for session in person.sessions[::2]:
            store.rate_step("default", session.id, "BL60", "helped")
        assert len(store.load().sessions) == 1000
    assert db.stat().st_size < 1000 * 1024  # well under a kilobyte per session
