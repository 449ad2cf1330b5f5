"""The command line for people: files confirmed, plurals, no internal words, help, completion."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import footreflex
from footreflex._text import plural
from footreflex.cli._main import _parser


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "footreflex", *args], capture_output=True,
                          text=True, timeout=120, check=False, cwd=cwd,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


def _internal_words() -> set[str]:
    """Ids people never type: technique, target and region ids with an underscore, enums."""
    kb = footreflex.knowledge()
    ids = {*kb.techniques, *kb.targets, *kb.regions}
    words = {i for i in ids if "_" in i}
    # source ids are internal too, except those that are a plain word people might write
    words |= {s for s in kb.sources if "_" in s or any(c.isdigit() for c in s)}
    return words | {"routine.sources", "(s)", "did_not_help", "see_clinician", "self_care",
                    "step_start", "schema_version", "target_id", "None", "seed"}


def assert_no_internal_words(text: str) -> None:
    for word in sorted(_internal_words()):
        assert not re.search(rf"(?<![\w.]){re.escape(word)}(?![\w])", text), (word, text)


def test_plural() -> None:
    assert plural(1, "minute") == "1 minute" and plural(1.0, "minute") == "1 minute"
    assert plural(2.5, "minute") == "2.5 minutes" and plural(0, "rating") == "0 ratings"
    assert plural(3, "body", "bodies") == "3 bodies"


def test_every_file_written_is_confirmed(tmp_path: Path) -> None:
    out = run("plan", "neck", "-m", "5", "--svg", "map.svg", "--html", "card.html",
              "--ics", "neck.ics", "--at", "2026-12-03 08:00", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stderr.splitlines() == ["wrote neck.ics", "wrote map.svg", "wrote card.html"]
    assert all((tmp_path / name).stat().st_size > 0 for name in ("map.svg", "card.html",
                                                                   "neck.ics"))
    assert out.stdout.startswith("Foot self-massage for neck")  # stdout stays the routine
    refused = run("plan", "lower back, I wet myself", "--html", "advice.html", cwd=tmp_path)
    assert refused.returncode == 3 and refused.stderr == "wrote advice.html\n"
    chart = run("chart", "neck", "--svg", "atlas.svg", cwd=tmp_path)
    assert chart.returncode == 0 and chart.stderr == "wrote atlas.svg\n"
    assert (tmp_path / "atlas.svg").read_text(encoding="utf-8").startswith("<svg")


def test_plurals_in_messages(tmp_path: Path) -> None:
    with pytest.raises(footreflex.BudgetError, match=r"^1 minute is too short: .* at least "
                                                      r"3 minutes$"):
        footreflex.plan("neck", minutes=1)
    env = {"FOOTREFLEX_PROFILE_DB": str(tmp_path / "profiles.db")}
    assert run("plan", "neck", "-m", "5", "--profile", env=env).returncode == 0
    out = run("feedback", f"{_first_target('neck', 5)}=helped", env=env)
    assert out.returncode == 0, out.stderr
    assert "(1 rating)" in out.stdout
    bad = run("feedback", "LR3=great", env=env)
    assert bad.returncode == 2 and "did-not-help" in bad.stderr
    assert_no_internal_words(bad.stderr)
    shown = run("profile", env=env).stdout
    assert "1 session." in shown and ": 1 rating," in shown and "(s)" not in shown
    program = footreflex.program("neck", 10, sessions=2)
    assert "every day" in program.rule and "(s)" not in program.rule


def _first_target(text: str, minutes: float) -> str:
    routine = footreflex.plan(text, minutes=minutes)
    step = next(s for s in routine.steps if s.kind not in ("warmup", "cooldown"))
    return step.code or step.name


def test_the_advice_is_said_once() -> None:
    for args in (("triage", "my lower back", "--answer", "ce_bladder_bowel=yes"),
                 ("triage", "lower back pain and I can't control my bladder"),
                 ("plan", "neck", "--condition", "dvt")):
        out = run(*args)
        assert out.returncode == 3
        advice = out.stdout.splitlines()[0]
        action = advice.split(".")[0]
        assert out.stdout.count(action) == 1, out.stdout
    answered = run("triage", "neck", "--answer", "neck_stroke=yes").stdout
    assert "You answered yes to: Has your face drooped" in answered
    assert "matched: 'answered yes" not in answered


@pytest.mark.parametrize("args", [
    ("plan", "lower back", "-m", "20"),
    ("plan", "lower back and neck and shoulders", "-m", "30", "--condition", "pregnant"),
    ("plan", "sciatica", "-m", "15", "--markdown"),
    ("plan", "neck", "-m", "5", "--condition", "wound:left", "--markdown"),
    ("guide", "neck", "-m", "5", "--speed", "10000"),
    ("triage", "my groin is numb"),
    ("triage", "fell down the stairs and my back hurts"),
    ("plan", "neck", "--condition", "dvt"),
    ("plan", "neeck"),
    ("plan", "neck", "-m", "1"),
    ("chart", "--help"),
    ("sources",),
    ("--help",),
], ids=" ".join)
def test_no_internal_words_reach_people(args: tuple[str, ...]) -> None:
    out = run(*args)
    assert "Traceback" not in out.stderr
    assert_no_internal_words(out.stdout + out.stderr)


def test_markdown_technique_column_is_in_words() -> None:
    out = run("plan", "lower back", "-m", "20", "--markdown").stdout
    kb = footreflex.knowledge()
    rows = [line for line in out.splitlines() if line.startswith("| ") and "---" not in line]
    techniques = {row.split("|")[6].strip() for row in rows[1:]}
    assert techniques and not techniques & set(kb.techniques)
    assert "Steady thumb pressure on the point" in techniques
    assert "(see routine.sources" not in run("plan", "neck").stdout


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_option_has_help_and_every_command_examples() -> None:
    parser = _parser()
    assert "examples:" in (parser.epilog or "")
    for name, command in _commands(parser).items():
        assert command.description, name
        assert "examples:" in (command.epilog or ""), name
        for action in command._actions:
            assert action.help and action.help != argparse.SUPPRESS, (name, action.dest)
        shown = command.format_help()
        assert f"footreflex {name}" in shown.split("examples:")[1], name


def test_help_shows_examples_as_written() -> None:
    out = run("plan", "--help")
    assert out.returncode == 0
    assert "\n  footreflex plan \"lower back\" --minutes 20\n" in out.stdout
    assert "exit codes:" in out.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "tcsh", "fish", "powershell"])
def test_completion_scripts(shell: str) -> None:
    out = run("completion", shell)
    assert out.returncode == 0 and out.stderr == ""
    assert "footreflex" in out.stdout and "plan" in out.stdout and "minutes" in out.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion_completes(tmp_path: Path) -> None:
    script = tmp_path / "footreflex.bash"
    script.write_text(run("completion", "bash").stdout, encoding="utf-8")
    probe = (f"source {script}\n"
             "COMP_WORDS=(footreflex pl); COMP_CWORD=1; _shtab_footreflex footreflex pl "
             "footreflex; echo \"1:${COMPREPLY[*]}\"\n"
             "COMP_WORDS=(footreflex plan --mark); COMP_CWORD=2; _shtab_footreflex footreflex "
             "--mark plan; echo \"2:${COMPREPLY[*]}\"\n"
             "COMP_WORDS=(footreflex completion z); COMP_CWORD=2; _shtab_footreflex "
             "footreflex z completion; echo \"3:${COMPREPLY[*]}\"\n")
    out = subprocess.run(["bash", "--norc", "-c", probe], capture_output=True, text=True,
                         timeout=60, check=False)
    assert out.stdout.splitlines() == ["1:plan", "2:--markdown", "3:zsh"], out.stderr
