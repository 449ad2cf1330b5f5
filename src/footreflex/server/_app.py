"""An optional HTTP service (``pip install 'footreflex[server]'``; ``footreflex serve``).

FastAPI and uvicorn are imported only here. Every error is JSON with a stable ``code`` (the
exception class name) and a ``message``. The statuses:

* **200** the answer; ``HEAD`` is answered on every ``GET`` route (headers only);
* **404** an unknown target (``GET /targets/{alias}``) or an unknown path;
* **405** a method the route does not take, with the ``Allow`` header;
* **408** the request body did not arrive within :data:`BODY_TIMEOUT_S` seconds;
* **409** a refused plan (a red flag, a "yes" to a red-flag question, or a condition that
  stops the session), with the triage to show instead;
* **413** a body over :data:`MAX_BODY` bytes (derived from the schema's text limits, so
  any schema-valid body fits even with every character escaped);
* **422** user errors: an unknown symptom, condition or question id, bad minutes, a symptom
  text over :data:`~footreflex.MAX_SYMPTOM_CHARS`, or a request outside the schema;
* **503** the server is at its concurrency limit (``limit_concurrency``; uvicorn answers).

No input should produce a 500 (the OpenAPI contract is fuzzed with schemathesis, all
checks, in the tests). Every response carries ``X-Content-Type-Options: nosniff``. The
access log (logger ``footreflex.access``) records the method, the route template, the status
and the time, never a query string or a body: symptom texts are health data. The
interactive ``/docs`` page loads scripts from a CDN, so it is off unless
``create_app(docs=True)``; ``/openapi.json`` is always served.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import TYPE_CHECKING, Annotated, Any, Literal

from footreflex._extras import missing_extra

try:
    from fastapi import Depends, FastAPI, Query, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse, JSONResponse, Response
except ImportError:  # the 'server' extra is not installed
    raise missing_extra("server") from None
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import footreflex
from footreflex._models import Question, Region, Routine, Target, Triage
from footreflex.errors import (
    FootreflexError,
    InvalidArgumentError,
    SeekCareError,
    ServiceError,
    UnknownTargetError,
)

if TYPE_CHECKING:
    from footreflex.personal._store import ProfileStore

__all__ = ["LOOPBACK", "MAX_BODY", "create_app", "exposure_warning", "serve"]

_BODY_CHARS = 10 * 500 + 20 * 100 + 50 * 64
"""The most characters of text a schema-valid body carries: ten symptom texts of 500, twenty
conditions of 100 and fifty question ids of 64 (``POST /plan``; ``POST /triage`` carries
fewer: :data:`~footreflex.MAX_SYMPTOM_CHARS` and fifty ids)."""
MAX_BODY = 12 * _BODY_CHARS + 8 * 1024
"""Largest request body accepted, in bytes: every character of the longest schema-valid body
written as a JSON escaped surrogate pair (12 bytes, ``\\ud83d\\ude00``), plus 8 KiB for the
structure (about 130 KiB). A larger body cannot be schema-valid except by padding."""
BODY_TIMEOUT_S = 10.0
"""Seconds a client has to send the whole request body (then 408)."""
LIMIT_CONCURRENCY = 64
"""Connections and tasks one worker serves at once before answering 503 (uvicorn)."""
Text = Annotated[str, Field(max_length=500)]
Symptoms = Annotated[str, Query(min_length=1, max_length=500)]
Minutes = Annotated[float, Query()]
Conditions = Annotated[list[Annotated[str, Field(max_length=100)]] | None, Query(max_length=20)]
Alias = Annotated[str, Field(max_length=100)]
RegionQuery = Annotated[str | None, Query(max_length=200)]
AnswerQuery = Annotated[
    list[Annotated[str, Field(max_length=80)]] | None,
    Query(max_length=50, description="An answer to a red-flag question, `ID=yes` or `ID=no`, "
          "repeatable (see GET /questions).")]


def _query_answers(items: list[str] | None) -> dict[str, bool]:
    """``["ce_legs=no", ...]`` -> ``{"ce_legs": False}`` (the ids are checked by plan())."""
    from footreflex.safety._questions import parse_answer_items

    return parse_answer_items(items or [], "answer")
QuestionId = Annotated[str, Field(max_length=64)]
Answers = Annotated[dict[QuestionId, bool], Field(max_length=50, description=(
    "Answers to the red-flag questions (GET /questions): question id -> true for yes, "
    "false for no. A yes leads to the question's level; a no never lowers what the text "
    "shows."))]
RegionsQuery = Annotated[list[Annotated[str, Field(max_length=200)]] | None,
                         Query(max_length=10, description=(
                             "Region ids, repeated or comma-separated (lumbar,cervical)."))]
TextQuery = Annotated[str | None, Query(max_length=2000, description=(
    "A symptom text whose regions to add."))]


class PlanRequest(BaseModel):
    """Body of ``POST /plan``."""

    model_config = ConfigDict(extra="forbid")

    symptoms: Text | Annotated[list[Text], Field(min_length=1, max_length=10)] = Field(
        description="One text, or a list of texts, naming what hurts.")
    minutes: float = Field(default=15, description="Time budget in minutes (finite, > 0).")
    conditions: Annotated[list[Annotated[str, Field(max_length=100)]],
                          Field(max_length=20)] = Field(default_factory=list)
    answers: Answers = Field(default_factory=dict)


class TriageRequest(BaseModel):
    """Body of ``POST /triage``."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(max_length=2000)]
    answers: Answers = Field(default_factory=dict)


class ErrorBody(BaseModel):
    """Every error response."""

    code: str = Field(description="Stable error code: the exception class name.")
    message: str
    suggestions: list[str] | None = None
    minimum_minutes: float | None = None


class SeekCareBody(BaseModel):
    """The 409 answer when self-care is the wrong answer: show the triage advice."""

    code: Literal["SeekCareError"] = "SeekCareError"
    message: str
    triage: Triage


class Health(BaseModel):
    """``GET /health``."""

    status: Literal["ok"] = "ok"
    version: str
    ruleset_version: str
    knowledge_version: str


def _error(status: int, exc: Exception) -> JSONResponse:
    body = ErrorBody(code=type(exc).__name__, message=str(exc),
                     suggestions=getattr(exc, "suggestions", None),
                     minimum_minutes=getattr(exc, "minimum_minutes", None))
    return JSONResponse(status_code=status, content=body.model_dump(exclude_none=True))


def _seek_care(exc: SeekCareError) -> JSONResponse:
    body = SeekCareBody(message=str(exc), triage=exc.triage)
    return JSONResponse(status_code=409, content=body.model_dump(mode="json"))


_ACCESS = logging.getLogger("footreflex.access")


class _Guard:
    """The service's outer layer (pure ASGI), for every request.

    * bodies over ``limit`` bytes get 413, streamed or not, and a body that does not arrive
      within ``timeout`` seconds gets 408;
    * ``HEAD`` on a ``GET`` route is answered as ``GET`` without the body;
    * every response carries ``X-Content-Type-Options: nosniff``;
    * one access-log line per request: method, route template, status, milliseconds.
    """

    def __init__(self, app: ASGIApp, limit: int, timeout: float) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method = scope["method"]
        head = method == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        status = 0

        async def respond(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"x-content-type-options"]
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            replay = await self._body(scope, receive, respond)
            if replay is not None:
                await self.app(scope, replay, respond)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "(no route)"
            _ACCESS.info("%s %s %s %.1fms", method, template, status,
                         (time.perf_counter() - started) * 1000)

    async def _body(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """Read the whole body within the limits, or answer 413 / 408 and return None."""
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = True
                if too_big:
                    await self._reject(send, 413, "RequestTooLarge",
                                       f"request body over {self.limit} bytes")
                    return None
        chunks: list[bytes] = []
        size = 0
        more = True
        deadline = time.monotonic() + self.timeout
        while more:
            try:
                message = await asyncio.wait_for(receive(), deadline - time.monotonic())
            except TimeoutError:
                await self._reject(send, 408, "RequestTimeout", "the request body did not "
                                   f"arrive within {self.timeout:g} seconds")
                return None
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._reject(send, 413, "RequestTooLarge",
                                   f"request body over {self.limit} bytes")
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        return replay

    @staticmethod
    async def _reject(send: Send, status: int, code: str, message: str) -> None:
        body = ErrorBody(code=code, message=message).model_dump_json(exclude_none=True)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body.encode()})


_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "Bad input: unknown symptom, condition or "
          "question id, bad minutes, a symptom text over the length cap, or a request that "
          "does not match the schema."},
}
_TOO_LARGE: dict[int | str, dict[str, Any]] = {
    408: {"model": ErrorBody, "description": f"The request body did not arrive within "
          f"{BODY_TIMEOUT_S:g} seconds."},
    413: {"model": ErrorBody, "description": f"The request body is over {MAX_BODY} bytes."},
}
_PLAN_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    409: {"model": SeekCareBody, "description": "Self-care is the wrong answer: show the "
          "triage advice instead of a routine."},
}


_LIST_PARAMETERS = frozenset({"conditions", "regions"})
"""Query parameters that may be repeated (lists); any other given twice is a 422."""


def _single_values(request: Request) -> None:
    """Refuse a repeated query parameter the route takes once (``?text=a&text=b``).

    Taking the last value silently would accept a request outside the schema.
    """
    seen: set[str] = set()
    for key, _ in request.query_params.multi_items():
        if key in seen and key not in _LIST_PARAMETERS:
            raise RequestValidationError([{"loc": ("query", key), "type": "value_error",
                                           "msg": "given more than once", "input": None}])
        seen.add(key)


def _plan(symptoms: str | list[str], minutes: float, conditions: list[str],
          answers: dict[str, bool] | None = None) -> Routine:
    return footreflex.plan(symptoms, minutes=minutes, conditions=conditions, answers=answers)


def create_app(store: ProfileStore | None = None, profile: str = "default", *,
               docs: bool = False, body_timeout: float = BODY_TIMEOUT_S) -> FastAPI:
    """Build the ASGI application.

    Args:
        store: A profile store: the web app's sessions are planned with the profile
            ``profile`` in it, recorded in it, and their ratings stored (``footreflex serve
            --profile``). Without one nothing is written.
        profile: Whose profile in ``store``.
        docs: Serve the interactive API pages ``/docs`` and ``/redoc``; they load their
            scripts from a third-party CDN, so they are off by default (``/openapi.json`` is
            always served).
        body_timeout: Seconds a client has to send the request body (then 408).

    Returns:
        The FastAPI app (serve it with uvicorn, or ``footreflex serve``).
    """
    app = FastAPI(
        dependencies=[Depends(_single_values)],
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        title="footreflex",
        version=footreflex.__version__,
        description="Foot self-massage routines for back, neck and shoulder complaints. "
        "Traditional self-care, not a diagnosis or treatment: a 409 answer means self-care "
        "is the wrong answer and carries the advice to show instead.",
    )

    @app.exception_handler(SeekCareError)
    async def _seek(_: Request, exc: SeekCareError) -> JSONResponse:
        return _seek_care(exc)

    @app.exception_handler(UnknownTargetError)
    async def _unknown_target(_: Request, exc: UnknownTargetError) -> JSONResponse:
        return _error(404, exc)

    @app.exception_handler(FootreflexError)
    async def _user(_: Request, exc: FootreflexError) -> JSONResponse:
        return _error(422, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        body = ErrorBody(code="RequestValidationError",
                         message=f"{where}: {first.get('msg', 'invalid request')}")
        return JSONResponse(status_code=422, content=body.model_dump(exclude_none=True))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # A body that is not JSON at all is bad input like any other: 422, same error shape.
        status = 422 if exc.status_code == 400 else exc.status_code
        code = "RequestValidationError" if status == 422 else "HTTPError"
        body = ErrorBody(code=code, message=str(exc.detail))
        return JSONResponse(status_code=status, content=body.model_dump(exclude_none=True),
                            headers=exc.headers)  # e.g. Allow on a 405

    @app.exception_handler(Exception)
    async def _bug(_: Request, exc: Exception) -> JSONResponse:  # pragma: no cover
        body = ErrorBody(code="InternalError", message="internal error")
        return JSONResponse(status_code=500, content=body.model_dump(exclude_none=True))

    @app.get("/health", response_model=Health)
    def health() -> Health:
        """Liveness and versions."""
        from footreflex.safety import rules

        return Health(version=footreflex.__version__, ruleset_version=rules().ruleset_version,
                      knowledge_version=footreflex.knowledge().version)

    @app.post("/plan", response_model=Routine, responses=_PLAN_ERRORS | _TOO_LARGE)
    def plan(request: PlanRequest) -> Routine:
        """Plan a routine (200), or answer 409 with the triage when care is advised."""
        return _plan(request.symptoms, request.minutes, request.conditions, request.answers)

    @app.post("/triage", response_model=Triage, responses=_ERRORS | _TOO_LARGE)
    def triage(request: TriageRequest) -> Triage:
        """Screen a text and the answers to the red-flag questions (422: unknown question)."""
        return footreflex.triage(request.text, request.answers)

    @app.get("/questions", response_model=list[Question], responses=_ERRORS)
    def questions(regions: RegionsQuery = None, text: TextQuery = None) -> list[Question]:
        """The red-flag questions to ask before planning (send the answers with POST /plan).

        The general questions, and those of the regions given (ids) or named in the text.
        """
        ids = [part.strip() for item in regions or [] for part in item.split(",")
               if part.strip()]
        return footreflex.red_flag_questions(ids, text=text)

    @app.get("/regions", response_model=list[Region])
    def regions() -> list[Region]:
        """The regions footreflex plans for, with their synonyms."""
        return list(footreflex.knowledge().regions.values())

    @app.get("/targets/{alias}", response_model=Target,
             responses={404: {"model": ErrorBody, "description": "No such target."}, **_ERRORS})
    def target(alias: Alias) -> Target:
        """A target by id, code or any alias (``Liv-3``, ``tai chong``)."""
        return footreflex.knowledge().target(alias)

    svg = {"content": {"image/svg+xml": {"schema": {"type": "string"}}},
           "description": "An SVG drawing."}

    json_error_svg = {"model": ErrorBody, "content": {"application/json": {}},
                      "description": _ERRORS[422]["description"]}

    @app.get("/chart.svg", response_class=Response, responses={200: svg, 422: json_error_svg})
    def chart(region: RegionQuery = None) -> Response:
        """The atlas of all targets, or one region's (an id or any symptom text)."""
        return Response(footreflex.chart(region).to_svg(), media_type="image/svg+xml")

    @app.get("/plan.svg", response_class=Response,
             responses={200: svg, 409: _PLAN_ERRORS[409] | {"content": {"application/json": {}}},
                        422: json_error_svg})
    def plan_svg(symptoms: Symptoms, minutes: Minutes = 15,
                 conditions: Conditions = None, answer: AnswerQuery = None) -> Response:
        """The foot map of a planned routine (``answer=ID=yes|no``, repeatable)."""
        routine = _plan(symptoms, minutes, conditions or [], _query_answers(answer))
        return Response(routine.foot_map().to_svg(), media_type="image/svg+xml")

    html = {"content": {"text/html": {"schema": {"type": "string"}}},
            "description": "A self-contained HTML page."}
    refused_html = {"content": {"text/html": {"schema": {"type": "string"}}},
                    "description": "Self-care is the wrong answer: the page with the advice."}

    json_error = {"content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorBody"}}},
        "description": _ERRORS[422]["description"]}

    @app.get("/plan.html", response_class=HTMLResponse,
             responses={200: html, 409: refused_html, 422: json_error})
    def plan_html(symptoms: Symptoms, minutes: Minutes = 15,
                  conditions: Conditions = None, answer: AnswerQuery = None) -> HTMLResponse:
        """The printable card of a planned routine (409 with the advice page if refused).

        Answers to the red-flag questions go as ``answer=ID=yes|no``, repeatable.
        """
        try:
            routine = _plan(symptoms, minutes, conditions or [], _query_answers(answer))
        except SeekCareError as exc:
            return HTMLResponse(exc.triage.to_html(), status_code=409)
        return HTMLResponse(routine.to_html())

    # ---- the web app (the page at / and its endpoints): footreflex/_webapp.py
    from footreflex.server._webapp import add_webapp
    from footreflex.server.webapi import ServerProfile

    add_webapp(app, ServerProfile(store, profile) if store is not None else None)
    # ---- end of the web app

    return _wrap(app, body_timeout)


def _wrap(app: FastAPI, body_timeout: float = BODY_TIMEOUT_S) -> FastAPI:
    app.add_middleware(_Guard, limit=MAX_BODY, timeout=body_timeout)
    return app


LOOPBACK = ("127.0.0.1", "localhost", "::1")
"""Addresses that only this computer can reach."""


def exposure_warning(host: str) -> str | None:
    """Return the warning for binding ``host`` (``None`` for a loopback address).

    Args:
        host: The address to bind.

    Returns:
        One line to print at start, or ``None``.
    """
    if host in LOOPBACK:
        return None
    return (f"warning: serving on {host}: other devices on the network can reach the web app "
            "and the API over plain HTTP, so health words travel unencrypted and anyone on "
            "the network can use it (and rate sessions of the profile); use it on a network "
            "you trust, and stop the server when done")


def serve(host: str = "127.0.0.1", port: int = 8000, store: ProfileStore | None = None,
          profile: str = "default", *, workers: int = 1, docs: bool = False) -> None:
    """Run the service with uvicorn until interrupted.

    Planning is stateless, so the service scales out as processes: ``workers`` processes
    share the port (uvicorn's supervisor restarts one that dies). Each serves at most
    :data:`LIMIT_CONCURRENCY` connections at once (then 503). Header timeouts and TLS belong
    to the reverse proxy in front (see ``docs/embedding.md``); the body-read timeout is
    :data:`BODY_TIMEOUT_S`.

    Args:
        host: Address to bind (loopback by default; any other address is warned about on
            standard error: plain HTTP, reachable by the whole network).
        port: Port.
        store: Profile store for the web app's sessions and ratings (see
            :func:`create_app`). With more than one worker it must be a
            :class:`~footreflex.SQLiteProfileStore` (each worker opens its file; SQLite in
            WAL mode keeps concurrent writers safe).
        profile: Whose profile in ``store``.
        workers: Worker processes (1 to 64).
        docs: Serve ``/docs`` (its scripts come from a CDN).

    Raises:
        InvalidArgumentError: ``workers`` is not 1 to 64, or a store other than an SQLite
            file is given for several workers.
        ServiceError: The address cannot be bound (the port is taken) or the server did
            not start.
    """
    import errno
    import socket
    import sys

    try:
        import uvicorn
    except ImportError:
        raise missing_extra("server") from None
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= 64:
        raise InvalidArgumentError(f"--workers must be a whole number from 1 to 64, not "
                                   f"{workers!r}")
    store_path = getattr(store, "path", None)
    if store is not None and workers > 1 and store_path is None:
        raise InvalidArgumentError("several workers need a profile store that is an SQLite "
                                   "file (each worker opens it)")
    try:  # fail early with one line, not uvicorn's log and its exit status 3
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        why = ("the port is taken" if exc.errno == errno.EADDRINUSE
               else exc.strerror or str(exc))
        raise ServiceError(f"cannot listen on {host}:{port}: {why}") from None
    warning = exposure_warning(host)
    if warning:
        sys.stderr.write(warning + "\n")
    if host in ("0.0.0.0", "::"):
        shown = "<this computer's address>"
    else:
        shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"footreflex web app: http://{shown}:{port}/ (Ctrl-C to stop)\n")
    options: dict[str, Any] = {
        "host": host, "port": port, "log_level": "info", "access_log": False,
        "limit_concurrency": LIMIT_CONCURRENCY, "timeout_keep_alive": 5,
        "log_config": _LOG_CONFIG}
    try:
        if workers == 1:
            uvicorn.run(create_app(store, profile, docs=docs), **options)
        else:  # each worker process builds its own app (and opens the store by its path)
            os.environ["FOOTREFLEX_SERVER_DOCS"] = "1" if docs else ""
            os.environ["FOOTREFLEX_SERVER_PROFILE"] = profile if store is not None else ""
            os.environ["FOOTREFLEX_SERVER_PROFILE_DB"] = str(store_path or "")
            uvicorn.run("footreflex.server._app:_app_from_env", factory=True, workers=workers,
                        **options)
    except SystemExit as exc:
        if exc.code:
            raise ServiceError(f"the server on {host}:{port} did not start") from None


def _app_from_env() -> FastAPI:
    """The app for uvicorn's workers (each process builds its own, and opens the store)."""
    docs = bool(os.environ.get("FOOTREFLEX_SERVER_DOCS"))
    database = os.environ.get("FOOTREFLEX_SERVER_PROFILE_DB")
    if not database:
        return create_app(docs=docs)
    from footreflex.personal._store import SQLiteProfileStore

    return create_app(SQLiteProfileStore(database),
                      os.environ.get("FOOTREFLEX_SERVER_PROFILE") or "default", docs=docs)


_LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                            "stream": "ext://sys.stderr"}},
    "loggers": {"uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
                "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
                "footreflex.access": {"handlers": ["stderr"], "level": "INFO",
                                      "propagate": False}},
}
"""Logging for ``footreflex serve``: uvicorn's own access log (which records query strings)
is off; ``footreflex.access`` logs method, route template, status and time."""
