"""The person: their profile, its store, and the tuning planning takes from it.

``Profile`` and friends are also in :mod:`footreflex`; this package adds the profile format's
constants, the feedback model (:data:`PRIOR_STRENGTH`, :func:`factor`, :func:`tuning_for`)
and :func:`explain`. The SQLite store (:class:`~footreflex.SQLiteProfileStore`) loads on first
use, so planning never imports :mod:`sqlite3`.
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from footreflex.personal._profile import (
    MAX_PROFILE_BYTES,
    MIGRATIONS,
    PROFILE_SCHEMA_VERSION,
    Feedback,
    Preferences,
    Profile,
    Rating,
    Session,
    SessionTarget,
)
from footreflex.personal._tuning import (
    PRIOR_STRENGTH,
    explain,
    factor,
    merged_conditions,
    tuning_for,
)

if _TYPE_CHECKING:
    from footreflex.personal._store import (
        DEFAULT_PROFILE,
        STORE_SCHEMA_VERSION,
        ProfileStore,
        SQLiteProfileStore,
        build_profile,
        open_store,
    )

_STORE = ("DEFAULT_PROFILE", "STORE_SCHEMA_VERSION", "ProfileStore", "SQLiteProfileStore",
          "build_profile", "open_store")


def __getattr__(name: str) -> _Any:
    if name not in _STORE:
        raise AttributeError(f"module 'footreflex.personal' has no attribute {name!r}")
    from footreflex.personal import _store

    return getattr(_store, name)


__all__ = [
    "DEFAULT_PROFILE",
    "MAX_PROFILE_BYTES",
    "MIGRATIONS",
    "PRIOR_STRENGTH",
    "PROFILE_SCHEMA_VERSION",
    "STORE_SCHEMA_VERSION",
    "Feedback",
    "Preferences",
    "Profile",
    "ProfileStore",
    "Rating",
    "SQLiteProfileStore",
    "Session",
    "SessionTarget",
    "build_profile",
    "explain",
    "factor",
    "merged_conditions",
    "open_store",
    "tuning_for",
]
