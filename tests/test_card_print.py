"""The printable card on paper: printed to PDF by a real Chromium at A4 and at Letter.

The page fixes no paper size; the browser's print options choose it (as a person's print
dialog does), and pypdf counts the pages. Selenium drives Debian's ``chromium`` through
Debian's ``chromium-driver`` (``/usr/bin/chromedriver``), so it never downloads a driver.
Locally these tests skip without them; in CI (CI=true) they must run.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from footreflex import plan
from footreflex.render._card import _CSS
from tests.helpers import start_chromium

PAPER = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0)}  # inches, as Page.printToPDF takes them

MANY = ["pregnant", "blood thinners", "diabetes", "osteoporosis", "varicose veins"]
# (text, minutes, conditions, most pages allowed)
ROUTINES: list[Any] = [
    ("lower back", 20, [], 1),
    ("lower back", 30, [], 1),
    ("stiff neck", 30, [], 1),
    ("sciatica", 30, [], 1),
    ("shoulders", 30, [], 1),
    ("neck", 10, [], 1),
    ("lower back", 30, ["pregnant"], 1),
    ("lower back", 30, ["wound:left"], 1),
    ("sciatica and shoulders", 30, ["wound:left"], 2),
    ("lower back, neck, sciatica and shoulders", 60, [], 2),
    # many conditions make "before you start" long (the card prints in smaller type)
    ("lower back", 30, ["diabetes", "osteoporosis"], 1),
    ("lower back", 30, MANY, 1),
    ("sciatica", 30, MANY, 1),
    ("neck", 30, MANY, 1),
    ("lower back, neck, sciatica and shoulders", 60, MANY, 2),
]


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    browser = start_chromium("printed-card")
    try:
        yield browser
    finally:
        browser.quit()


def print_pages(driver: Any, page: Path, paper: str) -> tuple[int, bytes]:
    from pypdf import PdfReader
    from selenium.common.exceptions import WebDriverException

    width, height = PAPER[paper]
    for attempt in range(3):  # headless Chromium now and then answers "Printing failed"
        driver.get(page.as_uri())
        try:
            out = driver.execute_cdp_cmd("Page.printToPDF", {
                "paperWidth": width, "paperHeight": height, "printBackground": True,
                "preferCSSPageSize": False})
            break
        except WebDriverException as exc:
            if "Printing failed" not in str(exc) or attempt == 2:
                raise
    data = base64.b64decode(out["data"])
    return len(PdfReader(io.BytesIO(data)).pages), data


def test_the_page_fixes_no_paper_size() -> None:
    assert not re.search(r"@page\s*{[^}]*size", _CSS)


def _case_id(case: Any) -> str:
    text, minutes, conditions, _ = getattr(case, "values", case)
    return f"{text}-{minutes}-{'+'.join(conditions) or 'none'}"


@pytest.mark.parametrize(("text", "minutes", "conditions", "most"), ROUTINES,
                         ids=[_case_id(case) for case in ROUTINES])
def test_card_fits_on_paper(driver: Any, tmp_path: Path, text: str, minutes: float,
                            conditions: list[str], most: int) -> None:
    r = plan(text, minutes=minutes, conditions=conditions)
    page = tmp_path / "card.html"
    page.write_text(r.to_html(), encoding="utf-8")
    for paper in PAPER:
        pages, data = print_pages(driver, page, paper)
        (tmp_path / f"card-{paper}.pdf").write_bytes(data)
        assert pages <= most, f"{text!r}, {minutes} min: {pages} pages on {paper}"


def test_printed_card_has_every_step_and_the_safety_text(driver: Any, tmp_path: Path) -> None:
    from pypdf import PdfReader

    r = plan("lower back", minutes=30)
    page = tmp_path / "card.html"
    page.write_text(r.to_html(), encoding="utf-8")
    _, data = print_pages(driver, page, "A4")
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
                    .split())
    for step in r.steps:
        assert step.name.split(" (")[0] in text
    assert "Watch for" in text and "Before you start" in text
    assert "not a diagnosis" in text
    for word in ("press_hold", "grip_knead", "target_id", "cam1999", "relevance"):
        assert word not in text
