"""The optional HTTP service and the web app (``pip install 'footreflex[server]'``).

:func:`create_app` (an ASGI app) and :func:`serve` (uvicorn) load FastAPI on first use;
:mod:`footreflex.server.webapi` holds the web app's request and response models.
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

if _TYPE_CHECKING:
    from footreflex.server._app import LOOPBACK, MAX_BODY, create_app, exposure_warning, serve

_APP = ("LOOPBACK", "MAX_BODY", "create_app", "exposure_warning", "serve")


def __getattr__(name: str) -> _Any:
    if name not in _APP:
        raise AttributeError(f"module 'footreflex.server' has no attribute {name!r}")
    from footreflex.server import _app

    return getattr(_app, name)


__all__ = ["LOOPBACK", "MAX_BODY", "create_app", "exposure_warning", "serve"]
