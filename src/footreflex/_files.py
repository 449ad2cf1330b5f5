"""Writing user-named output files (SVG, HTML, iCalendar) with our errors only."""

from __future__ import annotations

import os
from pathlib import Path

from footreflex.errors import FileWriteError


def write_file(path: object, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` (``~`` expanded; text as UTF-8); return the path.

    Raises:
        FileWriteError: ``path`` is not a file path (not a text, empty, naming a folder) or
            the file cannot be written.
    """
    if not isinstance(path, str | os.PathLike):
        raise FileWriteError(f"a file path must be a text, not {type(path).__name__}")
    text = os.fspath(path)
    shown = str(text) if len(str(text)) <= 120 else "…" + str(text)[-119:]
    if not isinstance(text, str) or not text.strip() or "\0" in text:
        raise FileWriteError(f"{shown!r} is not a usable file name", shown)
    if text.endswith(("/", os.sep)):
        raise FileWriteError(f"{shown!r} names a folder; give a file name", shown)
    file = Path(os.path.expanduser(text))
    try:
        if isinstance(data, str):
            file.write_text(data, encoding="utf-8")
        else:
            file.write_bytes(data)
    except OSError as exc:
        raise FileWriteError(f"cannot write {shown}: {exc.strerror}", shown) from None
    except ValueError as exc:  # e.g. an embedded NUL in an os.PathLike
        raise FileWriteError(f"cannot write {shown}: {exc}", shown) from None
    return file
