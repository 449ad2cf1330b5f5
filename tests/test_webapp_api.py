"""The web app's page and endpoints over HTTP (the browser tests are in test_webapp.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
uvicorn = pytest.importorskip("uvicorn")
jsonschema = pytest.importorskip("jsonschema")

import httpx  # noqa: E402

import footreflex  # noqa: E402
from footreflex import SQLiteProfileStore  # noqa: E402
from footreflex.cli._main import main  # noqa: E402
from footreflex.server import webapi  # noqa: E402
from footreflex.server._app import create_app, exposure_warning  # noqa: E402
from tests.helpers import serve_in_thread  # noqa: E402


def _serve(store: SQLiteProfileStore | None) -> Iterator[httpx.Client]:
    with serve_in_thread(create_app(store)) as url, \
            httpx.Client(base_url=url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    yield from _serve(None)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteProfileStore]:
    with SQLiteProfileStore(tmp_path / "profiles.db") as opened:
        yield opened


@pytest.fixture
def with_profile(store: SQLiteProfileStore) -> Iterator[httpx.Client]:
    yield from _serve(store)


def validate(name: str, document: Any) -> None:
    jsonschema.Draft202012Validator(footreflex.schemas()[name]).validate(document)


def test_the_page_and_its_files(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp
    assert "script-src 'self';" in csp  # no inline script, nothing from elsewhere
    for path, kind in (("/app/app.js", "text/javascript"), ("/app/style.css", "text/css")):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith(kind)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "http://" not in r.text and "https://" not in r.text  # nothing fetched elsewhere
    assert "http://" not in page.text and "https://" not in page.text
    assert client.get("/app/other.js").status_code == 404


def test_the_page_endpoints_are_public_api(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/conditions", "/session", "/feedback", "/questions"):
        assert path in spec["paths"], path
    assert "/" not in spec["paths"] and "/app/app.js" not in spec["paths"]


def test_conditions(client: httpx.Client) -> None:
    listed = client.get("/conditions").json()
    assert listed == [c.model_dump(mode="json") for c in webapi.conditions()]
    for item in listed:
        validate("condition", item)
    by_id = {c["id"]: c for c in listed}
    assert by_id["wound"]["foot_level"] and not by_id["wound"]["stops_session"]
    assert by_id["dvt"]["stops_session"]
    for item in listed:  # every choice the page offers is accepted by plan()
        condition = f"{item['id']}:left" if item["foot_level"] else item["id"]
        if item["stops_session"]:
            with pytest.raises(footreflex.SeekCareError):
                footreflex.plan("neck", 10, conditions=[condition])
        else:
            footreflex.plan("neck", 10, conditions=[condition])


def test_session_is_the_routine_with_its_cues(client: httpx.Client) -> None:
    body = {"symptoms": "lower back", "minutes": 20, "conditions": ["wound:left"],
            "answers": {"ce_bladder_bowel": False}}
    r = client.post("/session", json=body)
    assert r.status_code == 200
    answer = r.json()
    validate("session", answer)
    routine = footreflex.plan("lower back", 20, conditions=["wound:left"],
                              answers={"ce_bladder_bowel": False})
    assert footreflex.Routine.model_validate(answer["routine"]) == routine
    assert answer["cues"] == [c.model_dump(mode="json") for c in routine.cues()]
    assert answer["map_svg"] == routine.foot_map().to_svg(legend=False)
    assert answer["card_html"] == routine.to_html()
    assert answer["regions"] == "lower back"
    assert answer["session_id"] is None and answer["profile"] is False
    # without a profile, recording asks for nothing to be written
    assert client.post("/session", json={**body, "record": True}).json()["session_id"] is None


@pytest.mark.parametrize("body", [
    {"symptoms": "lower back and I wet myself"},
    {"symptoms": "lower back", "answers": {"ce_bladder_bowel": True}},
    {"symptoms": "lower back", "conditions": ["dvt"]},
])
def test_session_refused_is_409_with_the_advice(client: httpx.Client, body: dict[str, Any]
                                                ) -> None:
    r = client.post("/session", json=body)
    assert r.status_code == 409
    assert r.json()["code"] == "SeekCareError" and r.json()["triage"]["advice"]


@pytest.mark.parametrize(("body", "code"), [
    ({"symptoms": "elbow"}, "NotCoveredError"),
    ({"symptoms": "lower back", "minutes": 0.5}, "BudgetError"),
    ({"symptoms": "lower back", "conditions": ["pregnnt"]}, "UnknownConditionError"),
    ({"symptoms": "lower back", "record": "yes please"}, "RequestValidationError"),
])
def test_session_bad_input_is_422(client: httpx.Client, body: dict[str, Any], code: str
                                  ) -> None:
    r = client.post("/session", json=body)
    assert r.status_code == 422
    assert r.json()["code"] in (code, "UnknownSymptomError")


def test_feedback_without_a_profile_is_not_stored(client: httpx.Client) -> None:
    r = client.post("/feedback", json={"ratings": {"BL60": "helped"}})
    assert r.status_code == 200 and r.json()["stored"] is False
    assert "not saved" in r.json()["message"]
    bad = client.post("/feedback", json={"ratings": {"BL60": "great"}})
    assert bad.status_code == 422


def test_with_a_profile_sessions_are_recorded_and_rated(with_profile: httpx.Client,
                                                        store: SQLiteProfileStore) -> None:
    body = {"symptoms": "lower back", "minutes": 20}
    preview = with_profile.post("/session", json=body).json()
    assert preview["profile"] is True and preview["session_id"] is None
    assert store.load("default").sessions == ()  # looking at a routine records nothing
    started = with_profile.post("/session", json={**body, "record": True}).json()
    assert started["routine"] == preview["routine"]
    person = store.load("default")
    assert person.last is not None and person.last.id == started["session_id"]
    assert person.last.symptoms == ["lower back"]

    rating = {"session_id": started["session_id"],
              "ratings": {"BL60": "helped", "LR3": "did_not_help", "heel": "neutral"},
              "pain_before": 5, "pain_after": 3}
    validate("feedback", rating)
    r = with_profile.post("/feedback", json=rating)
    assert r.status_code == 200 and r.json()["stored"] is True
    assert r.json()["message"].startswith("Thank you. 3 ratings saved")
    feedback = store.load("default").sessions[-1].feedback
    assert feedback is not None
    assert feedback.ratings == {"BL60": "helped", "LR3": "did_not_help", "heel": "neutral"}
    assert (feedback.pain_before, feedback.pain_after) == (5, 3)
    one = with_profile.post("/feedback", json={"session_id": started["session_id"],
                                               "ratings": {"BL60": "neutral"}})
    assert one.json()["message"].startswith("Thank you. 1 rating saved")

    used = {s["target_id"] for s in started["routine"]["steps"]}
    other = next(t for t in footreflex.knowledge().targets if t not in used)
    for wrong, status in (({"session_id": "nope", "ratings": {"BL60": "helped"}}, 422),
                          ({"ratings": {"BL60": "helped"}}, 422),
                          ({"session_id": started["session_id"],
                            "ratings": {other: "helped"}}, 422),  # not in that session
                          ({"session_id": started["session_id"],
                            "ratings": {"BL99": "helped"}}, 404)):
        r = with_profile.post("/feedback", json=wrong)
        assert r.status_code == status, (wrong, r.json())


def test_with_a_profile_routines_follow_its_preferences(with_profile: httpx.Client,
                                                        store: SQLiteProfileStore) -> None:
    store.prefer("default", exclude=["LR3"])
    answer = with_profile.post("/session", json={"symptoms": "lower back", "minutes": 20})
    ids = {s["target_id"] for s in answer.json()["routine"]["steps"]}
    assert "LR3" not in ids
    assert "LR3" in {s.target_id for s in footreflex.plan("lower back", 20).steps}


def test_binding_beyond_loopback_is_warned_about() -> None:
    assert exposure_warning("127.0.0.1") is None and exposure_warning("::1") is None
    warning = exposure_warning("0.0.0.0")
    assert warning is not None and "unencrypted" in warning and "plain HTTP" in warning


def test_serve_takes_a_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[tuple[Any, ...]] = []

    def fake(host: str, port: int, store: Any = None, profile: str = "default", *,
             workers: int = 1, docs: bool = False) -> None:
        calls.append((host, port, None if store is None else store.path, profile))

    monkeypatch.setattr("footreflex.server._app.serve", fake)
    db = tmp_path / "profiles.db"
    assert main(["serve", "--profile", "sam", "--profile-db", str(db), "--port", "8123"]) == 0
    assert main(["serve", "--profile", "--profile-db", str(db)]) == 0
    assert main(["serve"]) == 0
    assert calls == [("127.0.0.1", 8123, db, "sam"), ("127.0.0.1", 8000, db, "default"),
                     ("127.0.0.1", 8000, None, "default")]


def test_web_endpoints_fuzzed_with_a_profile(with_profile: httpx.Client,
                                             store: SQLiteProfileStore) -> None:
    """The endpoints that write to the profile: no 5xx, no answer outside the contract."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings

    base = str(with_profile.base_url).rstrip("/")
    with_profile.post("/session", json={"symptoms": "neck", "minutes": 10, "record": True})
    api = schemathesis.openapi.from_url(f"{base}/openapi.json")
    checks = [schemathesis.checks.not_a_server_error,
              schemathesis.checks.status_code_conformance,
              schemathesis.checks.content_type_conformance,
              schemathesis.checks.response_schema_conformance]
    operations = [r.ok() for r in api.get_all_operations()
                  if r.ok().path in ("/session", "/feedback")]
    assert len(operations) == 2
    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE,
                     schemathesis.GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=20, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def fuzz(case: Any) -> None:
                case.call_and_validate(checks=checks)

            fuzz()
    assert store.load("default").sessions  # still a readable profile


def test_serve_warns_beyond_loopback(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from footreflex import server

    runs: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: runs.append(kw))
    server.serve()
    quiet = capsys.readouterr().err
    assert "warning" not in quiet and "http://127.0.0.1:8000/" in quiet
    server.serve("0.0.0.0", 8080)
    loud = capsys.readouterr().err
    assert loud.startswith("warning: serving on 0.0.0.0") and "unencrypted" in loud
    assert "http://<this computer's address>:8080/" in loud
    assert [(r["host"], r["port"]) for r in runs] == [("127.0.0.1", 8000), ("0.0.0.0", 8080)]
