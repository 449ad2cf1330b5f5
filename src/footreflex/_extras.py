"""Hints for optional features whose extra is not installed.

One helper, :func:`missing_extra`, builds the error every optional import raises, so the
advice is the same everywhere and works from where the user is: an installed package is
told ``pip install "footreflex[server]"``; a source checkout (the package imported from a
``src/footreflex`` folder next to footreflex's ``pyproject.toml``) is told ``pip install -e
".[server]"``, with the checkout's path instead of ``.`` when the current folder is not its
root. The PyPI form is given in both cases, since it is right for a plain install.
"""

from __future__ import annotations

import os
from pathlib import Path

from footreflex.errors import MissingExtraError

__all__ = ["EXTRAS", "checkout_root", "install_hint", "missing_extra"]

EXTRAS: dict[str, str] = {
    "server": "the HTTP service (and its web app)",
    "calendar": "iCalendar export",
    "plot": "plotting",
}
"""Each optional extra and the feature it enables, in words for people."""


def checkout_root() -> Path | None:
    """Return the source checkout footreflex is imported from, or ``None`` when installed.

    A checkout is recognised by ``pyproject.toml`` two folders above the package
    (``<root>/src/footreflex``) naming the project ``footreflex``.
    """
    package = Path(__file__).resolve().parent
    if package.parent.name != "src":
        return None
    root = package.parent.parent
    try:
        text = (root / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return None
    return root if 'name = "footreflex"' in text else None


def install_hint(extra: str) -> str:
    """Return how to install an extra, from where the user is.

    Args:
        extra: The extra's name, e.g. ``"server"``.

    Returns:
        ``pip install "footreflex[server]"``, followed, in a source checkout, by ``or, in
        this checkout: pip install -e ".[server]"`` (the checkout's path when the current
        folder is elsewhere).
    """
    hint = f'pip install "footreflex[{extra}]"'
    root = checkout_root()
    if root is None:
        return hint
    try:
        here = Path(os.getcwd()).resolve() == root
    except OSError:  # the current folder was deleted
        here = False
    where = "." if here else str(root)
    return f'{hint}, or from this checkout: pip install -e "{where}[{extra}]"'


def missing_extra(extra: str, feature: str | None = None) -> MissingExtraError:
    """Return the error for an optional feature used without its extra.

    Raise it from the ``except ImportError`` of the optional import::

        try:
            import uvicorn
        except ImportError:
            raise missing_extra("server") from None

    Args:
        extra: The extra's name (a key of :data:`EXTRAS`).
        feature: The feature in words (default: the one :data:`EXTRAS` gives).

    Returns:
        A :class:`~footreflex.MissingExtraError` whose message names the feature and says
        how to install it.
    """
    what = feature or EXTRAS.get(extra, f"this feature ({extra})")
    return MissingExtraError(f"{what} needs the '{extra}' extra: {install_hint(extra)}",
                             extra=extra)
