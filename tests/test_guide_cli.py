"""The guided session for people: plain lines without a TTY, live display under a pty."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pexpect
import pytest

import footreflex
from footreflex.cli._guide import start_lines

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def guide(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "footreflex", "guide", *args],
                          capture_output=True, text=True, timeout=60, check=False,
                          stdin=subprocess.DEVNULL)


def test_plain_output_line_by_line() -> None:
    out = guide("neck", "--minutes", "10", "--speed", "5000")
    assert out.returncode == 0, out.stderr
    assert "\x1b" not in out.stdout and "\a" not in out.stdout
    lines = out.stdout.splitlines()
    routine = footreflex.plan("neck", minutes=10)
    start = start_lines(routine)
    assert "Watch for:" in start and "Press Enter" not in out.stdout  # no terminal: no wait
    assert all(f"  - {line}" in start for line in routine.watch_for)
    assert all(f"  ! {warning}" in start for warning in routine.warnings)
    cues = [c for c in routine.cues() if not (c.kind == "warning" and c.step_index is None)]
    expected = start + [f"[{c.at_s // 60:02d}:{c.at_s % 60:02d}] {c.text}" for c in cues]
    assert lines[: len(expected)] == expected
    cautious = next(s for s in routine.steps if s.cautions)
    begins = lines.index(next(line for line in lines
                              if f"Step {cautious.index} of" in line))
    assert lines[begins + 1].endswith(f"Careful: {cautious.cautions[0]}")
    assert lines[len(expected)].startswith("Summary: Session complete.")
    assert lines[-1] == "Time: 10:00 of 10:00."


def test_plain_refusal_and_errors() -> None:
    refused = guide("lower back, I wet myself")
    assert refused.returncode == 3 and refused.stdout.startswith("Contact emergency")
    assert guide("neck", "--speed", "0").returncode == 2
    assert guide("neck", "--speed", "fast").returncode == 2
    assert guide("neck", "--condition", "dvt").returncode == 3


def spawn(*args: str, command: str = "guide") -> pexpect.spawn:
    child = pexpect.spawn(sys.executable, ["-m", "footreflex", command, *args],
                          encoding="utf-8", timeout=30, dimensions=(40, 120))
    return child


def start(child: pexpect.spawn) -> None:
    """Read the start screen (what to watch for), then press Enter."""
    child.expect("Watch for")
    child.expect("Press Enter to start")
    child.send("\r")


def test_tty_pause_skip_quit() -> None:
    child = spawn("lower back", "--minutes", "10", "--speed", "10")
    child.expect("quick safety questions")
    for number in range(1, 7):
        child.expect(rf"{number}/6\. .*\[y/n\]")
        child.send("x")  # other keys are ignored
        child.send("n")
    child.expect("numb")  # the lower back's watch-for lines, before the first cue
    child.expect("Press Enter to start")
    child.send("x")
    child.send("\r")
    child.expect(r"Step 1/\d+: General warm-up massage")
    child.expect("running")
    child.send(" ")
    child.expect("PAUSED")
    child.expect("Paused: press space to resume")
    child.send(" ")
    child.expect("Resumed")
    child.send("s")
    child.expect(r"Step 2/\d+")
    child.expect("Skipped")
    child.send("q")
    child.expect(r"Summary: Session stopped\. \d+ of \d+ steps done, 1 skipped \(1\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_tty_bell_and_display(tmp_path: Path) -> None:
    log = (tmp_path / "log.txt").open("w", encoding="utf-8")
    child = spawn("neck", "--minutes", "5", "--speed", "200", "--no-questions")
    child.logfile_read = log
    start(child)
    child.expect("Summary: Session complete", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    log.close()
    raw = (tmp_path / "log.txt").read_text(encoding="utf-8")
    assert raw.count("\a") >= 4  # a bell at each step change
    screen = ANSI.sub("", raw)
    assert "left in this step" in screen and "Next" in screen and "of 05:00" in screen


def test_tty_ctrl_c_exits_130_with_summary() -> None:
    child = spawn("sciatica", "--minutes", "20", "--speed", "5", "--no-questions")
    start(child)
    child.expect("Step 1/")
    child.sendintr()
    child.expect("Summary: Session stopped")
    child.expect("Stopped during step 1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in (child.before or "")


def test_tty_a_yes_gives_the_advice_and_exit_3() -> None:
    for command in ("guide", "plan"):
        child = spawn("my lower back", command=command)
        child.expect(r"1/6\. .*bottom, genitals or inner thighs.*\[y/n\]")
        child.send("n")
        child.expect(r"2/6\. .*peeing.*\[y/n\]")
        child.send("y")
        child.expect("Contact emergency services")
        child.expect("answered yes")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 3


def test_tty_questions_skipped_when_not_wanted() -> None:
    child = spawn("neck", "--minutes", "5", "--no-questions", command="plan")
    child.expect("Watch for")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "[y/n]" not in (child.before or "")
    child = spawn("neck", "--minutes", "5", "--json", command="plan")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "[y/n]" not in (child.before or "")
    child = spawn("neck", "--minutes", "5", "--answer", "neck_stroke=no", command="plan")
    child.expect(r"1/5\. .*\[y/n\]")  # the answered question is not asked again
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_tty_no_questions_for_a_text_without_a_region() -> None:
    child = spawn("my knee", command="plan")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2 and "[y/n]" not in (child.before or "")


def test_tty_plain_guide_waits_for_enter() -> None:
    child = spawn("neck", "--minutes", "5", "--speed", "500", "--plain", "--no-questions")
    child.expect("Watch for:")
    child.expect("Press Enter to start")
    child.send("q")
    child.expect("Summary: Session stopped. 0 of")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Stopped during" not in (child.before or "")  # nothing had started


def test_scripts_answer_with_options() -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "footreflex", *args],
                              capture_output=True, text=True, timeout=60, check=False,
                              stdin=subprocess.DEVNULL)

    refused = run("plan", "neck", "--answer", "neck_stroke=yes", "--json")
    assert refused.returncode == 3
    assert '"question:neck_stroke"' in refused.stdout
    fine = run("plan", "neck", "-a", "neck_stroke=no", "-a", "major_injury=n")
    assert fine.returncode == 0 and "Watch for:" in fine.stdout
    unknown = run("plan", "neck", "--answer", "stroke=yes")
    assert unknown.returncode == 2 and "did you mean 'neck_stroke'" in unknown.stderr
    assert run("plan", "neck", "--answer", "neck_stroke").returncode == 2
    assert run("triage", "sore neck", "--answer", "major_injury=yes").returncode == 3
    assert run("guide", "neck", "--answer", "major_injury=yes").returncode == 3
    listed = run("questions", "lower", "back")
    assert listed.returncode == 0 and "ce_bladder_bowel: " in listed.stdout
    assert "neck_stroke" not in listed.stdout
    as_json = run("questions", "--json")
    assert as_json.returncode == 0 and '"neck_stroke"' in as_json.stdout


# ------------------------------------------------------------------------------ calendar
def test_ics_export(tmp_path: Path) -> None:
    icalendar = pytest.importorskip("icalendar")
    path = tmp_path / "s.ics"
    out = subprocess.run([sys.executable, "-m", "footreflex", "plan", "lower back", "-m", "20",
                          "--ics", str(path), "--at", "2026-12-01 19:00", "--daily", "3"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == 3
    starts = [e.decoded("dtstart") for e in events]
    assert starts[0] == datetime(2026, 12, 1, 19, 0)
    assert starts[2] - starts[0] == timedelta(days=2)
    assert events[0].decoded("dtend") - starts[0] == timedelta(minutes=20)
    description = str(events[0].get("description"))
    assert "Kunlun" in description and "warm-up" in description
    assert len({str(e.get("uid")) for e in events}) == 3


@pytest.mark.parametrize("args", [["--ics", "x.ics"], ["--ics", "x.ics", "--at", "tomorrow"],
                                  ["--ics", "x.ics", "--at", "2026-12-01 19:00", "--daily",
                                   "0"]])
def test_ics_user_errors(tmp_path: Path, args: list[str]) -> None:
    out = subprocess.run([sys.executable, "-m", "footreflex", "plan", "neck", *args],
                         capture_output=True, text=True, check=False, cwd=tmp_path)
    assert out.returncode == 2 and out.stderr.startswith("footreflex: error:")
    assert len(out.stderr.strip().splitlines()) == 1


def test_import_stays_light() -> None:
    # platformdirs is not in the list: the shipped-data cache (footreflex._cache) finds the
    # user cache folder with it on the first plan
    code = ("import sys, footreflex; footreflex.plan('neck');"
            "print(sorted(m for m in ('rich', 'icalendar', 'IPython', 'fastapi', 'networkx',"
            " 'footreflex.render._footmap', 'footreflex.personal._profile', 'footreflex._program') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_plain_ctrl_c_exits_130_with_summary() -> None:
    import signal

    proc = subprocess.Popen([sys.executable, "-m", "footreflex", "guide", "neck", "--speed",
                             "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    while not first.startswith("[00:00]"):  # the start screen comes first
        assert first.startswith(("Read first:", "Watch for:", "  ")), first
        first = proc.stdout.readline()
    assert first.startswith("[00:00] Starting")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "Summary: Session stopped." in out and "Traceback" not in err
    assert "\x1b" not in out


def test_a_stop_right_after_enter_names_the_step() -> None:
    """Ctrl-C between Enter and the first tick (the old race) still names the step."""
    from footreflex.cli._guide import GuideSession

    routine = footreflex.plan("sciatica", minutes=20)
    session = GuideSession(routine)
    assert session.summary().stopped_in is None  # at the start screen: nothing started
    session.start()
    summary = session.summary()
    assert summary.stopped_in == routine.steps[0] and not summary.completed
    assert f"Stopped during step 1: {routine.steps[0].name}" in "\n".join(
        summary.lines(len(routine.steps)))


def test_keys_take_effect_when_pressed_and_time_is_what_was_done() -> None:
    from footreflex.cli._guide import GuideSession, _loop

    routine = footreflex.plan("neck", minutes=5)
    session = GuideSession(routine)
    now = [0.0]
    # (real seconds that pass in the poll, keys pressed at its end)
    script = [(0.05, " "), (10.0, ""), (0.02, " "), (2.0, "s"), (3.0, "q")]

    def poll(_wait: float) -> str:
        passed, keys = script.pop(0)
        now[0] += passed
        return keys

    def on_keys(keys: str) -> None:
        for key in keys:
            if key == " ":
                session.toggle_pause()
            elif key == "s":
                session.skip()
            elif key == "q":
                session.stop()

    _loop(session, 10.0, lambda _cues: None, lambda: None, poll, on_keys,
          clock=lambda: now[0])
    summary = session.summary()
    # 0.05 s before the pause, nothing while paused, 2 s until the skip, 3 s after it; x10
    first = routine.steps[0]
    assert summary.skipped == [1] and session.t == pytest.approx(first.end_s + 30)
    assert summary.elapsed_s == pytest.approx(0.5 + 20 + 30)
    assert not summary.completed and summary.stopped_in == routine.steps[1]
    total = routine.total_seconds
    assert summary.lines(len(routine.steps))[-1] == (
        f"Time: 00:50 of {total // 60:02d}:{total % 60:02d}.")
