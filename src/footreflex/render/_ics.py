"""iCalendar export of a routine as one or more daily sessions (needs the ``calendar`` extra).

Times are *floating* local times (no time zone), so a 19:00 session stays at 19:00 wherever
the calendar is opened. Each event's description lists the steps; its UID is derived from the
routine and the date, so exporting the same plan twice updates rather than duplicates events.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from footreflex._text import clock, foot_phrase
from footreflex.errors import InvalidArgumentError

if TYPE_CHECKING:
    from footreflex._models import Routine

__all__ = ["routine_ics", "write_ics"]


def _parse_start(start: str | datetime) -> datetime:
    if isinstance(start, datetime):
        return start.replace(tzinfo=None, second=0, microsecond=0)
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(str(start).strip(), fmt)
        except ValueError:
            continue
    raise InvalidArgumentError(f"--at must look like '2026-12-01 19:00', not {start!r}")


def _description(routine: Routine) -> str:
    lines = []
    for step in routine.steps:
        lines.append(f"{step.index}. [{clock(step.start_s)}] {step.name} - "
                     f"{foot_phrase(step.foot)}, {clock(step.duration_s)}")
    lines.extend(["", *routine.warnings, "", routine.disclaimer])
    return "\n".join(lines)


def routine_ics(routine: Routine, start: str | datetime, sessions: int = 1) -> bytes:
    """Return an iCalendar document with ``sessions`` daily sessions of the routine.

    Args:
        routine: The routine.
        start: Local start of the first session (``"2026-12-01 19:00"`` or a datetime).
        sessions: Number of daily sessions (1-366).

    Returns:
        The ``.ics`` file contents.

    Raises:
        MissingExtraError: ``icalendar`` is not installed (the ``calendar`` extra).
        InvalidArgumentError: The arguments are invalid.
    """
    try:
        from icalendar import Calendar, Event
    except ImportError:
        from footreflex._extras import missing_extra

        raise missing_extra("calendar") from None
    if isinstance(sessions, bool) or not isinstance(sessions, int) or not 1 <= sessions <= 366:
        raise InvalidArgumentError("sessions must be a whole number from 1 to 366")
    first = _parse_start(start)
    from footreflex.render._plain import region_names

    names = region_names(routine)
    digest = hashlib.sha1(routine.model_dump_json().encode("utf-8")).hexdigest()[:16]
    cal = Calendar()
    cal.add("prodid", "-//footreflex//foot self-massage routine//EN")
    cal.add("version", "2.0")
    stamp = datetime.now(UTC).replace(microsecond=0)
    description = _description(routine)
    for day in range(sessions):
        begin = first + timedelta(days=day)
        event = Event()
        event.add("uid", f"{digest}-{begin:%Y%m%d}@footreflex")
        event.add("dtstamp", stamp)
        event.add("dtstart", begin)
        event.add("dtend", begin + timedelta(seconds=routine.total_seconds))
        event.add("summary", f"Foot self-massage ({names}), session {day + 1} of {sessions}")
        event.add("description", description)
        cal.add_component(event)
    return bytes(cal.to_ical())


def write_ics(routine: Routine, path: str | Path, start: str | datetime,
              sessions: int = 1) -> None:
    """Write :func:`routine_ics` to ``path``.

    Args:
        routine: The routine.
        path: File to write.
        start: Local start of the first session.
        sessions: Number of daily sessions.

    Raises:
        MissingExtraError: ``icalendar`` is not installed.
        InvalidArgumentError: The arguments are invalid.
        FileWriteError: The file cannot be written.
    """
    from footreflex._files import write_file

    write_file(path, routine_ics(routine, start, sessions))
