"""The web app's routes: the page at ``/`` (package data) and the endpoints it uses.

Kept apart from :mod:`footreflex.server` (which calls :func:`add_webapp`) so the page and its
API move together. The page is three static files in ``footreflex/server/webapp/``: no build step,
nothing fetched from anywhere but this server (a Content-Security-Policy says so to the
browser too).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response

from footreflex.server._app import _ERRORS, _PLAN_ERRORS, _TOO_LARGE, ErrorBody
from footreflex.server.webapi import (
    ConditionInfo,
    FeedbackRequest,
    FeedbackResult,
    ServerProfile,
    SessionPlan,
    SessionRequest,
    conditions,
    give_feedback,
    session_plan,
)

__all__ = ["CSP", "STATIC", "add_webapp"]

STATIC = {"index.html": "text/html; charset=utf-8",
          "app.js": "text/javascript; charset=utf-8",
          "style.css": "text/css; charset=utf-8"}
"""The page's files (package data in ``footreflex/server/webapp/``) and their media types."""

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
"""Content-Security-Policy of the page: only this server (inline styles: the SVG's own)."""

_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}


def _file(name: str) -> Response:
    body = resources.files("footreflex.server").joinpath("webapp", name).read_bytes()
    return Response(body, media_type=STATIC[name], headers=_HEADERS)


def add_webapp(app: FastAPI, profile: ServerProfile | None = None) -> None:
    """Add the page and its endpoints to the service.

    Args:
        app: The FastAPI app of :func:`footreflex.server.create_app`.
        profile: The profile the server runs with (``serve --profile``), if any.
    """

    @app.get("/", include_in_schema=False)
    def page() -> Response:
        return _file("index.html")

    @app.get("/app/app.js", include_in_schema=False)
    def script() -> Response:
        return _file("app.js")

    @app.get("/app/style.css", include_in_schema=False)
    def style() -> Response:
        return _file("style.css")

    @app.get("/conditions", response_model=list[ConditionInfo])
    def condition_list() -> list[ConditionInfo]:
        """The conditions a plan understands (the choices the web app offers)."""
        return conditions()

    session_errors: dict[int | str, dict[str, Any]] = _PLAN_ERRORS | _TOO_LARGE

    @app.post("/session", response_model=SessionPlan, responses=session_errors)
    def session(request: SessionRequest) -> SessionPlan:
        """Plan a session: the routine, its cues, the foot map and the card (409: advice).

        With a server profile the routine is planned with it, and ``record: true`` records
        the session (its id comes back for ``POST /feedback``).
        """
        return session_plan(request, profile)

    feedback_errors: dict[int | str, dict[str, Any]] = {
        **_ERRORS, **_TOO_LARGE,
        404: {"model": ErrorBody, "description": "A rated name is not a target."}}

    @app.post("/feedback", response_model=FeedbackResult, responses=feedback_errors)
    def feedback(request: FeedbackRequest) -> FeedbackResult:
        """Rate the targets of a recorded session (stored only when the server has a profile).

        422 for an unknown session or a target that was not in it.
        """
        return give_feedback(request, profile)
