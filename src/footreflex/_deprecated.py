"""Thin shims for import paths that moved, warning for one release (see ``CHANGELOG.md``)."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["moved"]

REMOVED_IN = "0.4"
"""The release that drops the shims."""


def moved(old: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for the old module ``old`` whose names now live elsewhere.

    Args:
        old: The old module's dotted name.
        names: Name -> the module it now lives in (under the same name).

    Returns:
        The ``__getattr__``: each access warns with :class:`DeprecationWarning`, naming the
        new path, and returns the object from its new module.
    """

    def __getattr__(name: str) -> Any:
        new = names.get(name)
        if new is None:
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        warnings.warn(f"{old}.{name} has moved: use {new}.{name} ({old} goes in "
                      f"footreflex {REMOVED_IN})", DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(new), name)

    return __getattr__
