"""Missing-extra hints: one message, right from an installed package and from a checkout."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

import footreflex
from footreflex import _extras
from footreflex.cli._main import main

ROOT = Path(__file__).resolve().parent.parent


def test_hint_for_an_installed_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_extras, "checkout_root", lambda: None)
    error = _extras.missing_extra("server")
    assert isinstance(error, footreflex.MissingExtraError)
    assert isinstance(error, footreflex.FootreflexError) and isinstance(error, ImportError)
    assert error.extra == "server"
    assert str(error) == ("the HTTP service (and its web app) needs the 'server' extra: "
                          'pip install "footreflex[server]"')


def test_hint_from_a_checkout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(_extras, "checkout_root", lambda: ROOT)
    monkeypatch.chdir(ROOT)
    assert _extras.install_hint("calendar") == (
        'pip install "footreflex[calendar]", or from this checkout: pip install -e ".[calendar]"')
    monkeypatch.chdir(tmp_path)  # elsewhere: the checkout's path, which works from anywhere
    assert _extras.install_hint("calendar").endswith(f'pip install -e "{ROOT}[calendar]"')


def test_checkout_is_recognised() -> None:
    here = Path(footreflex.__file__).resolve().parent
    expected = ROOT if here == ROOT / "src" / "footreflex" else None
    assert _extras.checkout_root() == expected


def test_serve_without_the_extra(monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(_extras, "checkout_root", lambda: None)
    monkeypatch.setitem(sys.modules, "fastapi", None)  # importing it raises ImportError
    monkeypatch.delitem(sys.modules, "footreflex.server._app", raising=False)
    assert main(["serve", "--port", "8123"]) == 2
    err = capsys.readouterr().err
    assert err == ("footreflex: error: the HTTP service (and its web app) needs the 'server' "
                   'extra: pip install "footreflex[server]"\n')
    with pytest.raises(footreflex.MissingExtraError):
        importlib.import_module("footreflex.server._app")


def test_ics_without_the_extra(monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    monkeypatch.setattr(_extras, "checkout_root", lambda: ROOT)
    monkeypatch.chdir(ROOT)
    monkeypatch.setitem(sys.modules, "icalendar", None)
    code = main(["plan", "neck", "--minutes", "5", "--ics", str(tmp_path / "s.ics"),
                 "--at", "2026-12-03 08:00"])
    assert code == 2
    err = capsys.readouterr().err
    assert "iCalendar export needs the 'calendar' extra" in err
    assert 'pip install -e ".[calendar]"' in err and "Traceback" not in err
    assert not (tmp_path / "s.ics").exists()
