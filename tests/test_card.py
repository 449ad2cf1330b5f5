"""The printable HTML card, checked in a real headless Chromium when one is installed.

Locally the browser tests skip without Chromium; in CI (CI=true) they must run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import footreflex
from footreflex import SeekCareError, plan

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("CI must have Chromium for the real-browser tests (.ci/run installs it)")
    pytest.skip("Chromium is not installed")


def run_browser(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    cmd = [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
           "--hide-scrollbars", *args, page.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    body = re.sub(r"<head>.*?</head>", "", html, flags=re.S | re.I)
    parser.feed(re.sub(r"<style.*?</style>", "", body, flags=re.S))
    return " ".join(" ".join(parser.parts).split())


# ------------------------------------------------------------------------------ no browser
def test_card_is_self_contained_and_complete() -> None:
    r = plan("lower back", minutes=20)
    html = r.to_html()
    assert html.startswith("<!doctype html>")
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "@import" not in html and "<script" not in html
    assert "@media print" in html
    text = visible_text(html)
    for step in r.steps:
        assert step.name in text
        assert step.instructions in text
    for warning in r.warnings:
        assert warning in text
    assert r.disclaimer in text
    assert "<svg" in html


def test_advice_page_replaces_the_routine() -> None:
    with pytest.raises(SeekCareError) as info:
        plan("lower back and I can't feel my groin")
    html = info.value.triage.to_html()
    text = visible_text(html)
    assert text.startswith("Contact emergency services")
    assert "did not plan" in text and "cauda equina" in text
    assert "<svg" not in html and "Steps" not in text


def test_cli_writes_pages(tmp_path: Path) -> None:
    card, advice, svg = tmp_path / "card.html", tmp_path / "advice.html", tmp_path / "m.svg"
    ok = subprocess.run([sys.executable, "-m", "footreflex", "plan", "neck", "--html",
                         str(card), "--svg", str(svg)], capture_output=True, text=True,
                        check=False)
    assert ok.returncode == 0 and card.exists() and svg.read_text().startswith("<svg")
    refused = subprocess.run([sys.executable, "-m", "footreflex", "plan", "neck after a fall",
                              "--html", str(advice)], capture_output=True, text=True,
                             check=False)
    assert refused.returncode == 3
    assert "See a clinician" in advice.read_text() and "<svg" not in advice.read_text()
    chart = tmp_path / "chart.svg"
    out = subprocess.run([sys.executable, "-m", "footreflex", "chart", "sciatica", "--svg",
                          str(chart)], capture_output=True, text=True, check=False)
    assert out.returncode == 0 and "Sciatic nerve band" in chart.read_text()


# ------------------------------------------------------------------------------ real browser
def test_console_detection_works(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<!doctype html><p>x</p><script>console.error('boom')</script>")
    out = run_browser(tmp_path, page, "--dump-dom")
    assert any("boom" in line for line in console_messages(out.stderr))


@pytest.mark.parametrize(("text", "minutes", "conditions"),
                         [("lower back", 20, []), ("sciatica and shoulders", 30, ["wound:left"])])
def test_card_in_chromium(tmp_path: Path, text: str, minutes: float,
                          conditions: list[str]) -> None:
    from PIL import Image

    r = plan(text, minutes=minutes, conditions=conditions)
    page = tmp_path / "card.html"
    page.write_text(r.to_html(), encoding="utf-8")
    dom = run_browser(tmp_path, page, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert console_messages(dom.stderr) == []
    rendered = visible_text(dom.stdout)
    for step in r.steps:
        assert f"{step.name}" in rendered
    numbered = re.findall(r'<tr class="step" data-steps="([0-9 ]+)"', dom.stdout)
    assert sorted(int(n) for row in numbered for n in row.split()) == [
        s.index for s in r.steps]
    shot = tmp_path / "card.png"
    out = run_browser(tmp_path, page, f"--screenshot={shot}", "--window-size=1000,1600")
    assert out.returncode == 0 and shot.exists(), out.stderr[-2000:]
    with Image.open(shot) as image:
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 50  # text, map and shading, not a blank page
        non_white = sum(n for n, c in colours if c != (255, 255, 255))
        assert non_white > 0.05 * rgb.width * rgb.height


def test_advice_page_in_chromium(tmp_path: Path) -> None:
    triage = footreflex.triage("chest pain and upper back ache")
    page = tmp_path / "advice.html"
    page.write_text(triage.to_html(), encoding="utf-8")
    dom = run_browser(tmp_path, page, "--dump-dom")
    assert console_messages(dom.stderr) == []
    assert "Contact emergency services" in visible_text(dom.stdout)
