"""The web app in a real browser: Debian's chromium driven by Selenium through chromium-driver.

The server runs on loopback with a temporary profile; the page's clock runs fast (``?speed=``).
Headless Chromium has no voices, so ``speechSynthesis`` is replaced before the page loads by a
stub that records each utterance with the session second the page was at (``data-t``); the
texts and seconds are checked against ``Routine.cues()``. Every test also checks that the
console has no error and that no request left 127.0.0.1. Set ``FOOTREFLEX_SCREENSHOTS`` to a
folder to keep the screenshots. Locally these tests skip without Chromium; in CI they run.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

uvicorn = pytest.importorskip("uvicorn")
pytest.importorskip("fastapi")

import footreflex  # noqa: E402
from footreflex import SQLiteProfileStore  # noqa: E402
from footreflex.server._app import create_app  # noqa: E402
from tests.helpers import serve_in_thread, start_chromium  # noqa: E402

SPEED = 60  # session seconds per real second

STUB = r"""
(() => {
  const spoken = [];
  const voice = {name: "Test voice", lang: "en-US", default: true, localService: true,
                 voiceURI: "test"};
  const events = new EventTarget();
  const fake = {
    speaking: false, pending: false, paused: false,
    // "?voices=0" (read by this stub only) plays a browser without any voice
    getVoices: () => (location.search.includes("voices=0") ? [] : [voice]),
    speak: (u) => {
      const view = document.getElementById("view-session");
      spoken.push({text: u.text, t: view ? Number(view.dataset.t) : null});
    },
    cancel: () => {}, pause: () => {}, resume: () => {},
    addEventListener: (...a) => events.addEventListener(...a),
    removeEventListener: (...a) => events.removeEventListener(...a),
    dispatchEvent: (e) => events.dispatchEvent(e),
  };
  Object.defineProperty(window, "speechSynthesis", {value: fake, configurable: true});
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
  window.__spoken = spoken;
  window.print = () => { window.top.__printed = (window.top.__printed || 0) + 1; };
})();
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteProfileStore]:
    with SQLiteProfileStore(tmp_path_factory.mktemp("profile") / "profiles.db") as opened:
        yield opened


@pytest.fixture(scope="module")
def base_url(store: SQLiteProfileStore) -> Iterator[str]:
    with serve_in_thread(create_app(store)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    import tempfile

    profile_dir = tempfile.mkdtemp(prefix="footreflex-chromium-")
    driver = start_chromium(
        "web app", "--disable-sync", "--disable-default-apps",
        "--autoplay-policy=no-user-gesture-required", "--window-size=1280,900",
        f"--user-data-dir={profile_dir}",
        capabilities={"goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"}})
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": STUB})
    driver.get("about:blank")
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile_dir, ignore_errors=True)


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """The browser, its logs emptied before the test and checked after it."""
    browser.get_log("browser")
    browser.get_log("performance")
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    yield browser
    # Chromium logs every 4xx answer as a console error; the page asks for the advice (409)
    # and explains bad input (422) on purpose. Anything else (a script error, a CSP block,
    # a 404 or a 5xx) fails the test.
    expected = (f"{base_url}/session - Failed to load resource: the server responded with a "
                "status of ")
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"
              and not (e["source"] == "network" and e["message"].startswith(expected)
                       and e["message"][len(expected):].startswith(("409", "422")))]
    assert not errors, errors
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    assert urls, "no request was seen"
    # data:, blob:, about: and the browser's own chrome:// pages never touch the network
    outside = [u for u in urls if u.split(":", 1)[0].lower() in ("http", "https", "ws", "wss")
               and not u.startswith(base_url + "/")]
    assert any(u.startswith(base_url + "/") for u in urls)
    assert not outside, outside


def wait(driver: Any, condition: Callable[[], object], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting in the browser")
        time.sleep(0.05)


def visible(driver: Any, view: str) -> bool:
    return bool(driver.execute_script(
        f"return !document.getElementById('view-{view}').hidden"))


def by_id(driver: Any, name: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, name)


def screenshot(driver: Any, name: str, width: int, tmp_path: Path) -> None:
    """Screenshot at ``width`` CSS px: not blank, and nothing wider than the screen."""
    from PIL import Image

    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 800 if width < 500 else 900, "deviceScaleFactor": 1,
        "mobile": width < 500})
    time.sleep(0.2)
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name}: {overflow} px wider than {width} px"
    png = driver.get_screenshot_as_png()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width == width
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 20, f"{name}: blank screenshot"
    light = max(count for count, _ in colours) / (image.width * image.height)
    assert light < 0.97, f"{name}: almost all one colour"
    for folder in (tmp_path, Path(os.environ.get("FOOTREFLEX_SCREENSHOTS", tmp_path))):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}-{width}.png").write_bytes(png)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


CONTRAST = r"""
const rgb = (text) => (text.match(/[\d.]+/g) || []).map(Number);
const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
  .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
const background = (node) => {
  for (; node && node.nodeType === 1; node = node.parentElement) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
  }
  return [255, 255, 255];
};
const low = [];
for (const node of document.querySelectorAll("body *")) {
  if (node.closest("svg") || node.closest("[hidden]") || node.disabled) continue;
  const text = [...node.childNodes].filter((n) => n.nodeType === 3)
    .map((n) => n.textContent.trim()).join("");
  if (!text || !node.getClientRects().length) continue;
  const style = getComputedStyle(node);
  if (style.visibility === "hidden" || node.closest(".skip-link, .visually-hidden")) continue;
  const a = lum(rgb(style.color).slice(0, 3)), b = lum(background(node));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
  const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
  if (ratio < need) low.push(`${text.slice(0, 40)}: ${ratio.toFixed(2)}`);
}
return low;
"""


def contrast_failures(driver: Any) -> list[str]:
    """Visible page text (not the map) below WCAG AA contrast on its background."""
    return list(driver.execute_script(CONTRAST))


def ask(driver: Any, base_url: str, text: str, minutes: int, speed: float = SPEED,
        query: str = "") -> None:
    driver.get(f"{base_url}/?speed={speed}{query}")
    wait(driver, lambda: driver.execute_script(
        "return document.querySelectorAll('#conditions input').length > 0"))
    by_id(driver, "complaint").send_keys(text)
    field = by_id(driver, "minutes")
    field.clear()
    field.send_keys(str(minutes))
    by_id(driver, "ask-next").click()


def answer_all(driver: Any, yes: tuple[str, ...] = ()) -> list[str]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    wait(driver, lambda: visible(driver, "questions"))
    ids = [q.get_attribute("data-id") for q in
           driver.find_elements(By.CSS_SELECTOR, "#questions fieldset.question")]
    for qid in ids:
        choice = by_id(driver, f"q-{qid}-{'yes' if qid in yes else 'no'}")
        choice.send_keys(Keys.SPACE)  # by keyboard
        assert choice.is_selected()
    return ids


# ------------------------------------------------------------------------------ the flow
def test_lower_back_session_end_to_end(page: Any, base_url: str, store: SQLiteProfileStore,
                                       tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    routine = footreflex.plan("my lower back aches", minutes=20)
    ask(page, base_url, "my lower back aches", 20)
    ids = answer_all(page)
    assert ids == [q.id for q in footreflex.red_flag_questions(text="my lower back aches")]
    by_id(page, "questions-next").click()
    wait(page, lambda: visible(page, "routine"))

    steps = page.find_elements(By.CSS_SELECTOR, "#routine-steps li")
    assert len(steps) == len(routine.steps)
    assert routine.steps[1].name in steps[1].text
    assert [e.text for e in page.find_elements(By.CSS_SELECTOR, "#routine-watch li")] == \
        list(routine.watch_for)
    assert [e.text for e in page.find_elements(By.CSS_SELECTOR, "#routine-warnings li")] == \
        list(routine.warnings)
    assert page.find_element(By.CSS_SELECTOR, "#map-home svg.footreflex-map")
    speech = by_id(page, "opt-speech")
    assert speech.is_enabled() and speech.is_selected()  # a voice: on by default
    assert contrast_failures(page) == []
    screenshot(page, "routine", 1280, tmp_path)
    screenshot(page, "routine", 360, tmp_path)

    by_id(page, "start").click()
    wait(page, lambda: visible(page, "session"))
    wait(page, lambda: float(by_id(page, "view-session").get_attribute("data-t")) > 300)
    current = page.find_elements(By.CSS_SELECTOR, "#map-session svg .current")
    assert current, "the current step is highlighted on the map"
    zoom = page.execute_script("const s = document.querySelector('#map-session svg');"
                               "return [s.getAttribute('viewBox'), s.dataset.viewBox]")
    assert zoom[0] != zoom[1], "the map is zoomed onto the current step's views"
    assert contrast_failures(page) == []
    screenshot(page, "session", 360, tmp_path)
    screenshot(page, "session", 1280, tmp_path)
    wait(page, lambda: visible(page, "end"), timeout=120)

    spoken = page.execute_script("return window.__spoken")
    cues = list(routine.cues())
    assert [s["text"] for s in spoken] == [c.text for c in cues]
    for s, cue in zip(spoken, cues, strict=True):
        # never early; late by less than 3 real seconds even on a loaded machine
        assert cue.at_s <= s["t"] < cue.at_s + 3 * SPEED, (cue, s)
    assert by_id(page, "end-title").text == "Session complete"
    assert f"{len(routine.steps)} of {len(routine.steps)} steps done" in \
        by_id(page, "end-summary").text

    # feedback: one row per target of the treatment steps, stored in the server's profile
    rows = page.find_elements(By.CSS_SELECTOR, "#feedback-rows fieldset.rating")
    targets = list(dict.fromkeys(s.target_id for s in routine.steps
                                 if s.kind not in ("warmup", "cooldown")))
    assert [r.get_attribute("data-target") for r in rows] == targets
    by_id(page, f"rate-{targets[0]}-helped").click()
    by_id(page, f"rate-{targets[1]}-did_not_help").click()
    by_id(page, "pain-before").send_keys("6")
    by_id(page, "pain-after").send_keys("4")
    by_id(page, "feedback-send").click()
    wait(page, lambda: "saved" in by_id(page, "feedback-result").text)
    person = store.load("default")
    assert person.last is not None and person.last.symptoms == ["my lower back aches"]
    assert [t.id for t in person.last.targets] == \
        list(dict.fromkeys(s.target_id for s in routine.steps))
    assert person.last.feedback is not None
    assert person.last.feedback.ratings == {targets[0]: "helped",
                                            targets[1]: "did_not_help"}
    assert (person.last.feedback.pain_before, person.last.feedback.pain_after) == (6, 4)
    screenshot(page, "end", 360, tmp_path)

    by_id(page, "end-print").click()
    wait(page, lambda: page.execute_script("return window.__printed || 0"))
    card = page.execute_script("return document.getElementById('card-frame').srcdoc")
    assert card == routine.to_html()


def test_a_yes_to_a_red_flag_question_ends_on_the_advice(page: Any, base_url: str,
                                                         tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    ask(page, base_url, "lower back pain", 15)
    answer_all(page, yes=("ce_bladder_bowel",))
    by_id(page, "questions-next").send_keys(Keys.ENTER)
    wait(page, lambda: visible(page, "advice"))
    assert by_id(page, "advice-title").text == "Get help now"
    triage = footreflex.triage("lower back pain", {"ce_bladder_bowel": True})
    assert by_id(page, "advice-text").text == triage.advice
    buttons = [b for b in page.find_elements(By.CSS_SELECTOR, "#view-advice button")
               if b.is_displayed()]
    assert [b.text for b in buttons] == ["Start over"]  # nothing leads to a routine
    assert not page.find_elements(By.CSS_SELECTOR, "#routine-steps li")
    assert contrast_failures(page) == []
    screenshot(page, "advice", 360, tmp_path)
    buttons[0].send_keys(Keys.ENTER)
    wait(page, lambda: visible(page, "ask"))
    assert by_id(page, "complaint").get_attribute("value") == ""
    assert not page.find_elements(By.CSS_SELECTOR, "#questions fieldset")


def test_a_red_flag_in_the_text_ends_on_the_advice(page: Any, base_url: str) -> None:
    text = "my lower back hurts and I wet myself"
    assert footreflex.triage(text).level == "emergency"
    ask(page, base_url, text, 15)
    wait(page, lambda: visible(page, "advice"))
    assert not visible(page, "questions")
    assert by_id(page, "advice-text").text == footreflex.triage(text).advice


def test_unknown_words_are_explained_on_the_form(page: Any, base_url: str) -> None:
    ask(page, base_url, "my elbow", 15)
    wait(page, lambda: by_id(page, "ask-error").is_displayed())
    assert visible(page, "ask") and by_id(page, "ask-error").text


def test_pause_skip_and_stop(page: Any, base_url: str) -> None:
    from selenium.webdriver.common.by import By

    routine = footreflex.plan("neck", minutes=10)
    long = next(s for s in routine.steps[1:] if s.duration_s >= 120)
    ask(page, base_url, "neck", 10, speed=30)
    answer_all(page)
    by_id(page, "questions-next").click()
    wait(page, lambda: visible(page, "routine"))
    by_id(page, "start").click()
    wait(page, lambda: visible(page, "session"))

    def t() -> float:
        return float(by_id(page, "view-session").get_attribute("data-t"))

    wait(page, lambda: t() >= long.start_s + 1)
    body = page.find_element(By.TAG_NAME, "body")
    body.send_keys("p")  # pause
    assert by_id(page, "pause").text == "Resume"
    held = t()
    time.sleep(0.5)
    assert t() == held
    body.send_keys("p")
    assert by_id(page, "pause").text == "Pause"
    body.send_keys("s")  # skip the rest of this step
    wait(page, lambda: t() >= long.start_s + long.duration_s)
    by_id(page, "stop").click()
    wait(page, lambda: visible(page, "end"))
    assert by_id(page, "end-title").text == "Session stopped"
    assert "1 skipped" in by_id(page, "end-summary").text
    spoken = [s["text"] for s in page.execute_script("return window.__spoken")]
    inside = [c.text for c in routine.cues() if c.step_index == long.index
              and c.kind in ("halfway", "one_minute_left")]
    assert inside and not set(inside) & set(spoken)
    assert f"Step {long.index} done." in spoken  # the cues at its end still come


def test_without_a_voice_the_speech_toggle_is_disabled_with_a_note(page: Any, base_url: str
                                                                   ) -> None:
    ask(page, base_url, "stiff neck", 10, query="&voices=0")
    answer_all(page)
    by_id(page, "questions-next").click()
    wait(page, lambda: visible(page, "routine"))
    toggle = by_id(page, "opt-speech")
    assert not toggle.is_enabled() and not toggle.is_selected()
    note = by_id(page, "speech-note")
    assert note.is_displayed() and "no voice" in note.text
    by_id(page, "start").click()
    wait(page, lambda: visible(page, "session"))
    wait(page, lambda: by_id(page, "cue").text)  # the cues are still shown
    assert page.execute_script("return window.__spoken") == []
    by_id(page, "stop").click()
    wait(page, lambda: visible(page, "end"))
