from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

import footreflex
from footreflex import Routine


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "footreflex", *args], capture_output=True,
                          text=True, timeout=60, check=False)


def test_plan_text() -> None:
    out = run("plan", "lower back", "--minutes", "20")
    assert out.returncode == 0, out.stderr
    assert "General warm-up massage" in out.stdout and "Kunlun" in out.stdout
    assert out.stderr == ""


def test_plan_words_are_one_text() -> None:
    out = run("plan", "lower", "back", "and", "neck", "-m", "25", "--json")
    assert json.loads(out.stdout)["regions"] == ["lumbar", "cervical"]


def test_plan_json_is_pure_and_matches_the_api() -> None:
    out = run("plan", "neck", "--minutes", "15", "--json")
    assert out.returncode == 0
    routine = Routine.model_validate_json(out.stdout)
    assert routine == footreflex.plan("neck", minutes=15)


def test_plan_markdown() -> None:
    out = run("plan", "sciatica", "--markdown")
    assert out.returncode == 0 and out.stdout.startswith("## ")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("plan", "neeck"), "did you mean 'neck'"),
        (("plan", "neck", "--minutes", "abc"), "minutes must be a number"),
        (("plan", "neck", "--minutes", "1"), "at least 3 minutes"),
        (("plan", "neck", "--minutes", "nan"), "finite"),
        (("plan", "neck", "--minutes", "-5"), "greater than 0"),
        (("plan",), "required"),
        (("plan", "neck", "--json", "--markdown"), "not allowed"),
        (("bogus",), "invalid choice"),
    ],
)
def test_user_errors_exit_2_with_one_line(args: tuple[str, ...], needle: str) -> None:
    out = run(*args)
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("footreflex: error:")
    assert needle in lines[0]
    assert "Traceback" not in out.stderr


def test_help_and_version() -> None:
    assert run("--help").returncode == 0
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"footreflex {footreflex.__version__}"
    assert run().returncode == 2


def test_console_script_installed() -> None:
    exe = os.path.join(os.path.dirname(sys.executable), "footreflex")
    if not os.path.exists(exe):
        pytest.skip("console script not installed in this environment")
    out = subprocess.run([exe, "plan", "neck"], capture_output=True, text=True, check=False)
    assert out.returncode == 0 and "Neck" not in out.stderr


def test_closed_pipe_is_quiet() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "footreflex", "plan", "lower back", "-m",
                             "40"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err
    assert proc.returncode in (0, -signal.SIGPIPE)


def test_ctrl_c_exits_130_without_traceback(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from footreflex import cli

    def boom(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(footreflex, "plan", boom)
    assert cli.main(["plan", "neck"]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_main_in_process() -> None:
    from footreflex import cli

    assert cli.main(["plan", "neck", "--json"]) == 0
    assert cli.main(["plan", "knee"]) == 2


def test_broken_pipe_in_process(monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    from footreflex import cli

    read_end, write_end = os.pipe()
    os.close(read_end)
    with os.fdopen(write_end, "w") as broken:
        monkeypatch.setattr(sys, "stdout", broken)
        assert cli.main(["plan", "lower back", "--minutes", "30"]) == 0
        monkeypatch.undo()
    assert "Traceback" not in capsys.readouterr().err


def test_red_flag_exits_3_with_advice() -> None:
    out = run("plan", "lower back and my groin is numb")
    assert out.returncode == 3
    assert out.stdout.startswith("Contact emergency services")
    assert "cauda equina" in out.stdout and "Traceback" not in out.stderr


def test_red_flag_json_is_the_triage() -> None:
    out = run("plan", "neck pain after a car accident", "--json")
    assert out.returncode == 3
    data = json.loads(out.stdout)
    assert data["level"] == "see_clinician"
    assert data["findings"][0]["rule_id"] == "trauma"
    assert data["ruleset_version"]


def test_conditions_on_the_cli() -> None:
    out = run("plan", "lower back", "-m", "20", "--condition", "pregnant", "--json")
    assert out.returncode == 0
    routine = Routine.model_validate_json(out.stdout)
    assert "BL60" not in {s.target_id for s in routine.steps}
    assert list(routine.conditions) == ["pregnancy"]
    out = run("plan", "lower back", "--condition", "wound:left", "--condition", "warfarin")
    assert out.returncode == 0 and "left foot" in out.stdout
    assert out.stdout.index("! ") < out.stdout.index(" 1. [0:00]")  # warnings before steps
    out = run("plan", "neck", "--condition", "dvt")
    assert out.returncode == 3 and "blood clot" in out.stdout
    out = run("plan", "neck", "--condition", "pregnnt")
    assert out.returncode == 2 and "did you mean" in out.stderr


def test_triage_and_conditions_commands() -> None:
    assert run("triage", "stiff", "neck").returncode == 0
    out = run("triage", "I", "can't", "pee", "--json")
    assert out.returncode == 3 and json.loads(out.stdout)["level"] == "emergency"
    out = run("conditions")
    assert out.returncode == 0 and "pregnancy" in out.stdout and ":left" in out.stdout
