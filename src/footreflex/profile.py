"""Deprecated: profiles live in :mod:`footreflex.personal` (and ``footreflex.Profile`` …)."""

from footreflex._deprecated import moved

__getattr__ = moved("footreflex.profile", dict.fromkeys(
    ["MAX_PROFILE_BYTES", "MIGRATIONS", "PROFILE_SCHEMA_VERSION", "Feedback", "Preferences",
     "Profile", "Rating", "Session", "SessionTarget"], "footreflex.personal"))
