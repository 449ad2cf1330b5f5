"""The ``footreflex`` command: a thin layer over the public API.

Exit codes: 0 success; 2 user error (one line on stderr, never a traceback); 3 "seek care"
(a red flag or a condition that stops the session: the advice is printed instead of a
routine, as JSON with ``--json``); 130 interrupted (Ctrl-C). A closed pipe
(``footreflex plan ... | head``) ends quietly with 0.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from footreflex.errors import FootreflexError

if TYPE_CHECKING:
    from footreflex.models import Triage

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_SEEK_CARE = 3
EXIT_INTERRUPTED = 130


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def _parser() -> argparse.ArgumentParser:
    from footreflex import __version__

    parser = _Parser(
        prog="footreflex",
        description="Plan a foot self-massage routine for a back, neck or shoulder complaint. "
        "Traditional self-care, not a diagnosis or a treatment.",
    )
    parser.add_argument("--version", action="version", version=f"footreflex {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    p = sub.add_parser("plan", help="plan a routine for a symptom and a time budget",
                       description="Plan a routine. All SYMPTOM words are read as one text, "
                       "e.g. footreflex plan lower back and neck --minutes 20.")
    p.add_argument("symptoms", nargs="+", metavar="SYMPTOM", help="what hurts, in plain words")
    p.add_argument("-m", "--minutes", default="15", metavar="N",
                   help="time budget in minutes (default 15)")
    p.add_argument("-c", "--condition", action="append", default=[], metavar="COND",
                   help="a declared condition, repeatable: e.g. pregnant, dvt, "
                   "'blood thinners', wound:left (foot-level conditions take :left, :right "
                   "or :both; see 'footreflex conditions')")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print the routine as JSON")
    fmt.add_argument("--markdown", action="store_true", help="print the routine as Markdown")
    p.add_argument("--svg", metavar="FILE", help="also write the foot map as SVG")
    p.add_argument("--html", metavar="FILE", help="also write a printable HTML card (or, "
                   "when the plan is refused, a page with the advice)")
    p.add_argument("--ics", metavar="FILE", help="also write an iCalendar file with the "
                   "session(s); needs --at (requires the 'calendar' extra)")
    p.add_argument("--at", metavar="'YYYY-MM-DD HH:MM'", help="start of the first session "
                   "(local time), for --ics")
    p.add_argument("--daily", metavar="N", type=str, default="1",
                   help="number of daily sessions for --ics (default 1)")
    g = sub.add_parser("guide", help="run a routine live in the terminal",
                       description="Run a routine live: the current step and how to press, "
                       "time left, what comes next; space pauses, s skips, q quits. Without "
                       "a terminal it prints timestamped lines.")
    g.add_argument("symptoms", nargs="+", metavar="SYMPTOM", help="what hurts, in plain words")
    g.add_argument("-m", "--minutes", default="15", metavar="N",
                   help="time budget in minutes (default 15)")
    g.add_argument("-c", "--condition", action="append", default=[], metavar="COND",
                   help="a declared condition, repeatable (see 'footreflex conditions')")
    g.add_argument("--speed", default="1", metavar="X",
                   help="run X times faster than real time (demos, tests)")
    g.add_argument("--plain", action="store_true",
                   help="plain timestamped lines even in a terminal")
    c = sub.add_parser("chart", help="draw the atlas of targets (all, or one region's)",
                       description="Draw every target, or those of one region, on the feet.")
    c.add_argument("region", nargs="*", metavar="REGION",
                   help="a region id or symptom text (default: every target)")
    c.add_argument("--svg", metavar="FILE", required=True, help="write the chart as SVG")
    t = sub.add_parser("triage", help="screen a symptom text for red flags",
                       description="Screen a symptom text for red flags. Exit 0 when no red "
                       "flag is recognised, 3 when care is advised.")
    t.add_argument("text", nargs="+", metavar="TEXT", help="what the person wrote")
    t.add_argument("--json", action="store_true", help="print the triage as JSON")
    sub.add_parser("conditions", help="list the conditions --condition understands")
    return parser


def _minutes(text: str) -> float:
    from footreflex.errors import BudgetError

    try:
        return float(text)
    except ValueError:
        raise BudgetError(f"minutes must be a number, not {text!r}") from None


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise FootreflexError(f"cannot write {path}: {exc.strerror}") from None


def _show_triage(result: Triage, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(str(result) + "\n")
    sys.stdout.flush()


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise FootreflexError(f"--speed must be a number greater than 0, not {text!r}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 366:
        raise FootreflexError(f"--daily must be a whole number from 1 to 366, not {text!r}")
    return value


def _run(args: argparse.Namespace) -> int:
    import footreflex

    if args.command == "triage":
        result = footreflex.triage(" ".join(args.text))
        _show_triage(result, args.json)
        return EXIT_OK if result.level == "self_care" else EXIT_SEEK_CARE
    if args.command == "conditions":
        from footreflex.safety import rules

        for cond in rules().conditions.values():
            foot = " (foot-level: add :left, :right or :both)" if cond.effect == "foot" else ""
            sys.stdout.write(f"{cond.id}: {cond.name}{foot}\n    also: "
                             f"{', '.join(cond.synonyms)}\n")
        return EXIT_OK
    if args.command == "guide":
        speed = _speed(args.speed)
        try:
            routine = footreflex.plan(" ".join(args.symptoms), minutes=_minutes(args.minutes),
                                      conditions=args.condition)
        except footreflex.SeekCareError as exc:
            _show_triage(exc.triage, False)
            return EXIT_SEEK_CARE
        from footreflex.guide import run_plain, run_tty

        if not args.plain and sys.stdin.isatty() and sys.stdout.isatty():
            run_tty(routine, speed)
        else:
            run_plain(routine, speed)
        return EXIT_OK
    if args.command == "chart":
        drawing = footreflex.chart(" ".join(args.region) or None)
        drawing.save(args.svg)
        return EXIT_OK
    if args.command == "plan":
        try:
            routine = footreflex.plan(" ".join(args.symptoms), minutes=_minutes(args.minutes),
                                      conditions=args.condition)
        except footreflex.SeekCareError as exc:
            if args.html:
                _write(args.html, exc.triage.to_html())
            _show_triage(exc.triage, args.json)
            return EXIT_SEEK_CARE
        if args.ics:
            from footreflex.calendar import write_ics

            if not args.at:
                raise footreflex.FootreflexError("--ics needs --at 'YYYY-MM-DD HH:MM'")
            write_ics(routine, args.ics, start=args.at, sessions=_count(args.daily))
        if args.svg:
            routine.foot_map().save(args.svg)
        if args.html:
            _write(args.html, routine.to_html())
        if args.json:
            sys.stdout.write(routine.model_dump_json(indent=2) + "\n")
        elif args.markdown:
            sys.stdout.write(routine.to_markdown())
        else:
            sys.stdout.write(str(routine) + "\n")
        sys.stdout.flush()
        return EXIT_OK
    _parser().print_help()
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Args:
        argv: Arguments without the program name (default: ``sys.argv[1:]``).

    Returns:
        The exit code: 0, 2 (user error), 3 (seek care) or 130 (interrupted).
    """
    try:
        try:
            args = _parser().parse_args(argv)
        except _UsageError as exc:
            print(f"footreflex: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        return _run(args)
    except FootreflexError as exc:
        print(f"footreflex: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("footreflex: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): silence the final flush and end quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def entry() -> NoReturn:  # pragma: no cover - thin wrapper for console scripts
    """Console-script entry point: run :func:`main` and exit with its code."""
    sys.exit(main())
