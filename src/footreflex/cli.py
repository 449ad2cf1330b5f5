"""The ``footreflex`` command: a thin layer over the public API.

Exit codes: 0 success; 2 user error (one line on stderr, never a traceback); 3 reserved for
"seek care" outcomes; 130 interrupted (Ctrl-C). A closed pipe (``footreflex plan ... | head``)
ends quietly with 0.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from footreflex.errors import FootreflexError

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
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print the routine as JSON")
    fmt.add_argument("--markdown", action="store_true", help="print the routine as Markdown")
    return parser


def _minutes(text: str) -> float:
    from footreflex.errors import BudgetError

    try:
        return float(text)
    except ValueError:
        raise BudgetError(f"minutes must be a number, not {text!r}") from None


def _run(args: argparse.Namespace) -> int:
    import footreflex

    if args.command == "plan":
        routine = footreflex.plan(" ".join(args.symptoms), minutes=_minutes(args.minutes))
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
