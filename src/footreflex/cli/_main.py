"""The ``footreflex`` command: a thin layer over the public API.

Exit codes: 0 success; 2 user error (one line on stderr, never a traceback); 3 "seek care"
(a red flag, a "yes" to a red-flag question, or a condition that stops the session: the
advice is printed instead of a routine, as JSON with ``--json``); 1 ``serve`` cannot start
(the port is taken); 130 interrupted (Ctrl-C).
A closed pipe (``footreflex plan ... | head``) ends quietly with 0.

``plan`` and ``guide`` ask the red-flag questions (one key each, y or n) when standard input
and output are both terminals and ``--json`` is not given; ``--no-questions`` skips them and
``--answer ID=yes|no`` answers them in scripts. Without a terminal nothing is asked and
nothing waits.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from footreflex._text import plural, region_name
from footreflex.errors import FootreflexError, InvalidArgumentError

if TYPE_CHECKING:
    from footreflex._models import Routine, Triage
    from footreflex.personal._store import SQLiteProfileStore

EXIT_OK = 0
EXIT_SERVICE = 1
EXIT_USAGE = 2
EXIT_SEEK_CARE = 3
EXIT_INTERRUPTED = 130


class _UsageError(Exception):
    pass


class _Formatter(argparse.HelpFormatter):
    """Wrap descriptions as usual; keep an epilog's lines (the examples) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def _examples(*lines: str) -> str:
    """An epilog of examples, one command a line (kept as written by :class:`_Formatter`)."""
    return "examples:\n" + "".join(f"  {line}\n" for line in lines)


EXIT_CODES = ("exit codes: 0 success, 2 user error (one line on stderr), 3 seek care (the "
              "advice\nis printed instead of a routine), 130 interrupted (Ctrl-C).\n")


def _planning_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments ``plan`` and ``guide`` share."""
    parser.add_argument("symptoms", nargs="+", metavar="SYMPTOM",
                        help="what hurts, in plain words (all the words are read as one text)")
    parser.add_argument("-m", "--minutes", default=None, metavar="N",
                        help="time budget in minutes (default: the profile's preferred "
                        "minutes, else 15)")
    parser.add_argument("--profile", nargs="?", const="default", default=None,
                        metavar="NAME",
                        help="plan with this profile's feedback and preferences and record "
                        "the session in it (no NAME: 'default'; see 'footreflex profile')")
    _store_argument(parser)
    parser.add_argument("-c", "--condition", action="append", default=[], metavar="COND",
                        help="a declared condition, repeatable: e.g. pregnant, dvt, "
                        "'blood thinners', wound:left (foot-level conditions take :left, "
                        ":right or :both; see 'footreflex conditions')")
    _answer_arguments(parser)
    parser.add_argument("--no-questions", action="store_true",
                        help="do not ask the red-flag questions in a terminal (the routine "
                        "still lists what to stop and seek care for)")


def _store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile-db", default=None, metavar="PATH",
                        help="the profile database (default: $FOOTREFLEX_PROFILE_DB, else "
                        "profiles.db in the user data folder)")


def _answer_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-a", "--answer", action="append", default=[], metavar="ID=yes|no",
                        help="answer a red-flag question, repeatable (see 'footreflex "
                        "questions'); a yes gives the advice instead of a routine")


def _profile_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", default="default", metavar="NAME",
                        help="whose profile, in the profile database (default: 'default')")


def _parser() -> argparse.ArgumentParser:
    from footreflex import __version__

    parser = _Parser(
        prog="footreflex",
        description="Plan a foot self-massage routine for a back, neck or shoulder complaint. "
        "Traditional self-care, not a diagnosis or a treatment.",
        epilog=_examples(
            'footreflex plan "lower back" --minutes 20',
            "footreflex plan neck -m 10 --html card.html --svg map.svg",
            "footreflex guide sciatica --minutes 15",
            'footreflex triage "my groin is numb since yesterday"',
            "footreflex COMMAND --help          (each command's options and examples)",
        ) + "\n" + EXIT_CODES,
    )
    parser.add_argument("--version", action="version", version=f"footreflex {__version__}",
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    p = sub.add_parser("plan", help="plan a routine for a symptom and a time budget",
                       description="Plan a routine. All SYMPTOM words are read as one text. "
                       "In a terminal a few yes/no safety questions come first (one key each).",
                       epilog=_examples(
                           'footreflex plan "lower back" --minutes 20',
                           "footreflex plan lower back and neck -m 30 --condition pregnant",
                           "footreflex plan neck --html card.html --svg map.svg",
                           "footreflex plan sciatica --json --no-questions > routine.json",
                           "footreflex plan neck --ics neck.ics --at '2026-12-01 19:00' "
                           "--daily 7",
                           "footreflex plan 'lower back' --answer ce_bladder_bowel=no",
                       ) + "\n" + EXIT_CODES)
    _planning_arguments(p)
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true",
                     help="print the routine as JSON (the advice as JSON when refused)")
    fmt.add_argument("--markdown", action="store_true", help="print the routine as Markdown")
    p.add_argument("--svg", metavar="FILE", help="also write the foot map as SVG")
    p.add_argument("--html", metavar="FILE", help="also write a printable HTML card (or, "
                   "when the plan is refused, a page with the advice)")
    p.add_argument("--ics", metavar="FILE", help="also write an iCalendar file with the "
                   "sessions; needs --at (requires the 'calendar' extra)")
    p.add_argument("--at", metavar="'YYYY-MM-DD HH:MM'", help="start of the first session "
                   "(local time), for --ics")
    p.add_argument("--daily", metavar="N", type=str, default="1",
                   help="number of daily sessions for --ics (default 1)")
    g = sub.add_parser("guide", help="run a routine live in the terminal",
                       description="Run a routine live: the current step and how to press, "
                       "time left, what comes next; space pauses, s skips, q quits. Without "
                       "a terminal it prints timestamped lines.",
                       epilog=_examples(
                           "footreflex guide sciatica --minutes 15",
                           'footreflex guide "stiff neck" -m 10 --plain',
                           "footreflex guide neck -m 5 --speed 60 --no-questions   (a demo)",
                       ) + "\n" + EXIT_CODES)
    _planning_arguments(g)
    g.add_argument("--speed", default="1", metavar="X",
                   help="run X times faster than real time (demos, tests)")
    g.add_argument("--plain", action="store_true",
                   help="plain timestamped lines even in a terminal")
    f = sub.add_parser("feedback", help="rate the targets of your last session",
                       description="Rate the last session recorded in a profile (by 'plan' or "
                       "'guide' with --profile): TARGET=helped|neutral|did-not-help|skip, "
                       "where TARGET is any name of a step's target (a code such as BL60, "
                       "a name such as 'tai chong').",
                       epilog=_examples(
                           "footreflex feedback BL60=helped 'tai chong=did-not-help'",
                           "footreflex feedback kunlun=neutral --pain-before 6 --pain-after 4",
                       ))
    f.add_argument("ratings", nargs="*", metavar="TARGET=RATING",
                   help="a rating for one target of the last session: helped, neutral, "
                   "did-not-help or skip")
    _profile_argument(f)
    _store_argument(f)
    f.add_argument("--pain-before", metavar="0-10",
                   help="how bad the pain was before the session, 0 (none) to 10 (worst)")
    f.add_argument("--pain-after", metavar="0-10",
                   help="how bad the pain was after the session, 0 (none) to 10 (worst)")
    f.add_argument("--note", metavar="TEXT", help="a note of your own on the session")
    pr = sub.add_parser("profile", help="show or change a profile's preferences",
                        description="Without options, show the profile: sessions, ratings, "
                        "preferences. Options change the standing preferences, export the "
                        "profile as JSON or import one.",
                        epilog=_examples(
                            "footreflex profile",
                            "footreflex profile --exclude 'tai chong' --pressure light",
                            "footreflex profile --prefer-minutes 20 --condition 'blood "
                            "thinners'",
                            "footreflex profile --json",
                            "footreflex profile --export me.json",
                            "footreflex profile --profile sam --import me.json",
                        ))
    _profile_argument(pr)
    _store_argument(pr)
    pr.add_argument("--export", metavar="FILE", help="write the profile as a JSON file")
    pr.add_argument("--import", dest="import_", metavar="FILE",
                    help="add the sessions and preferences of a profile JSON file (any "
                    "version; sessions already there are skipped)")
    pr.add_argument("--exclude", action="append", default=[], metavar="TARGET",
                    help="never use this target again; repeatable")
    pr.add_argument("--include", action="append", default=[], metavar="TARGET",
                    help="allow an excluded target again; repeatable")
    pr.add_argument("--favourite", action="append", default=None, metavar="TARGET",
                    help="favourite targets (win ties); repeatable, replaces the list")
    pr.add_argument("--pressure", choices=["light", "medium", "firm"],
                    help="the pressure you prefer: light, medium or firm")
    pr.add_argument("--prefer-minutes", metavar="N",
                    help="preferred session length in minutes (used when --minutes is not "
                    "given)")
    pr.add_argument("--condition", action="append", default=None, metavar="COND",
                    help="conditions that always apply; repeatable, replaces the list")
    pr.add_argument("--json", action="store_true", help="print the profile as JSON")
    sc = sub.add_parser("schema", help="print the JSON Schema of a public document type",
                        description="Print JSON Schemas: routine, triage, cue, question, "
                        "profile, program, knowledge, condition, session, feedback (all of "
                        "them, keyed by name, when none is given).",
                        epilog=_examples("footreflex schema routine > routine.schema.json",
                                         "footreflex schema"))
    sc.add_argument("name", nargs="?", choices=["routine", "triage", "cue", "question",
                                                "profile", "program", "knowledge",
                                                "condition", "session", "feedback"],
                    help="the document type (default: all of them)")
    sv = sub.add_parser("serve", help="run the HTTP service (needs the 'server' extra)",
                        description="Serve the web app (http://127.0.0.1:8000/) and the "
                        "HTTP API (FastAPI + uvicorn). OpenAPI at /openapi.json, interactive "
                        "docs at /docs.",
                        epilog=_examples("footreflex serve",
                                         "footreflex serve --profile",
                                         "footreflex serve --port 8080",
                                         "footreflex serve --host 0.0.0.0   # a phone on the "
                                         "same network: plain HTTP, see the warning"))
    sv.add_argument("--host", default="127.0.0.1",
                    help="address to bind (default 127.0.0.1: this computer only; 0.0.0.0 "
                    "lets a phone on the same network in, over plain HTTP)")
    sv.add_argument("--port", default="8000", help="port (default 8000)")
    sv.add_argument("--workers", default="1", metavar="N",
                    help="worker processes sharing the port (default 1; planning is "
                    "stateless, so add workers or machines to scale out)")
    sv.add_argument("--docs", action="store_true",
                    help="also serve the interactive API pages /docs and /redoc (they load "
                    "scripts from a CDN; /openapi.json is always served)")
    sv.add_argument("--profile", nargs="?", const="default", default=None, metavar="NAME",
                    help="plan the web app's sessions with this profile, record them in it "
                    "and keep their ratings (no NAME: 'default'; see 'footreflex profile')")
    sv.add_argument("--profile-db", default=None, metavar="PATH",
                    help="the profile database (default: $FOOTREFLEX_PROFILE_DB, else "
                    "profiles.db in the user data folder)")
    c = sub.add_parser("chart", help="draw the atlas of targets (all, or one region's)",
                       description="Draw every target, or those of one region, on the feet.",
                       epilog=_examples("footreflex chart --svg atlas.svg",
                                        "footreflex chart lower back --svg lower-back.svg"))
    c.add_argument("region", nargs="*", metavar="REGION",
                   help="a region or symptom text (default: every target)")
    c.add_argument("--svg", metavar="FILE", required=True, help="write the chart as SVG")
    t = sub.add_parser("triage", help="screen a symptom text for red flags",
                       description="Screen a symptom text for red flags. Exit 0 when no red "
                       "flag is recognised, 3 when care is advised.",
                       epilog=_examples('footreflex triage "my groin is numb"',
                                        'footreflex triage "stiff neck" --json',
                                        "footreflex triage neck --answer neck_stroke=no"))
    t.add_argument("text", nargs="+", metavar="TEXT", help="what the person wrote")
    t.add_argument("--json", action="store_true", help="print the triage as JSON")
    _answer_arguments(t)
    q = sub.add_parser("questions", help="list the red-flag questions for a complaint",
                       description="List the red-flag questions plan and guide ask: the "
                       "general ones, and those of the regions the text names (all of them "
                       "when no text is given). Answer them with --answer ID=yes|no.",
                       epilog=_examples('footreflex questions "lower back"',
                                        "footreflex questions --json"))
    q.add_argument("text", nargs="*", metavar="SYMPTOM", help="what hurts, in plain words")
    q.add_argument("--json", action="store_true", help="print the questions as JSON")
    sub.add_parser("conditions", help="list the conditions --condition understands",
                   description="List the conditions --condition understands, with the words "
                   "that name each.", epilog=_examples("footreflex conditions"))
    co = sub.add_parser("completion", help="print a shell completion script",
                        description="Print a tab-completion script for the shell (generated "
                        "from these options by shtab). Load it in your shell's start-up "
                        "file; see the examples.",
                        epilog=_examples(
                            "footreflex completion bash > "
                            "~/.local/share/bash-completion/completions/footreflex",
                            'eval "$(footreflex completion bash)"        (in ~/.bashrc)',
                            "footreflex completion zsh > ~/.zfunc/_footreflex   (zsh: "
                            "fpath+=~/.zfunc in ~/.zshrc)",
                            "footreflex completion fish > "
                            "~/.config/fish/completions/footreflex.fish",
                        ))
    co.add_argument("shell", choices=list(SHELLS), help="the shell: " + ", ".join(SHELLS))
    so = sub.add_parser("sources", help="list every source the library cites, in full",
                        description="List every source behind the knowledge base and the "
                        "safety rules, with its full citation and identifier (URL, DOI or "
                        "ISBN).", epilog=_examples("footreflex sources",
                                                    "footreflex sources --json"))
    so.add_argument("--json", action="store_true", help="print the sources as JSON")
    return parser


SHELLS = ("bash", "zsh", "tcsh", "fish", "powershell")
"""Shells ``footreflex completion`` writes a script for (those shtab supports)."""


def _completion(shell: str) -> str:
    """Return the completion script for ``shell``: files for FILE and PATH options."""
    import shtab

    parser = _parser()
    stack = [parser]
    while stack:
        current = stack.pop()
        for action in current._actions:
            if action.metavar in ("FILE", "PATH"):
                action.complete = shtab.FILE  # type: ignore[attr-defined]
            if isinstance(action, argparse._SubParsersAction):
                stack.extend(action.choices.values())
    script: str = shtab.complete(parser, shell=shell)
    return script if script.endswith("\n") else script + "\n"


def _sources(as_json: bool) -> int:
    """Print every source of the knowledge base and the safety rules, with full citations."""
    import json

    from footreflex._knowledge import knowledge

    found = knowledge().library_sources()
    if as_json:
        sys.stdout.write(json.dumps([s.model_dump(mode="json") for s in found], indent=2,
                                    ensure_ascii=False) + "\n")
        return EXIT_OK
    for src in found:
        ident = (src.identifier if src.identifier != "none"
                 else f"no identifier ({src.identifier_note})")
        sys.stdout.write(f"- {src.citation}\n  {ident}\n")
    return EXIT_OK


def _minutes(text: str) -> float:
    from footreflex.errors import BudgetError

    try:
        return float(text)
    except ValueError:
        raise BudgetError(f"minutes must be a number, not {text!r}") from None


def _write(path: str, text: str) -> None:
    from footreflex._files import write_file

    write_file(path, text)
    _wrote(path)


def _wrote(path: str) -> None:
    """Confirm a file written, on stderr (stdout stays the document)."""
    print(f"wrote {path}", file=sys.stderr)


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
        raise InvalidArgumentError(f"--speed must be a number greater than 0, not {text!r}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 366:
        raise InvalidArgumentError(f"--daily must be a whole number from 1 to 366, not {text!r}")
    return value


def _store(args: argparse.Namespace) -> SQLiteProfileStore:
    """The profile store: --profile-db, else $FOOTREFLEX_PROFILE_DB, else the default."""
    from footreflex.personal._store import open_store

    return open_store(args.profile_db)


def _profile_id(name: str) -> str:
    """A profile name from --profile (a file path is a mistake from before profile stores)."""
    from footreflex.errors import ProfileError

    if "/" in name or os.sep in name or name.lower().endswith(".json"):
        raise ProfileError(f"--profile takes a profile name, not a file ({name!r}); to use a "
                           "profile JSON file, import it: footreflex profile --import FILE")
    return name


def _given_answers(items: Sequence[str]) -> dict[str, bool]:
    """Parse ``--answer ID=yes|no`` options (ids are checked by the library)."""
    from footreflex.safety._questions import parse_answer_items

    return parse_answer_items(items, "--answer")


def _interactive() -> bool:
    return (sys.stdin is not None and sys.stdin.isatty()
            and sys.stdout is not None and sys.stdout.isatty())


def _read_yes_no() -> bool:
    """Read y or n, one key, from the terminal (other keys are ignored)."""
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        while True:
            try:
                data = os.read(fd, 1)
            except OSError:  # the terminal went away
                data = b""
            if not data:
                raise InvalidArgumentError("no answer to a safety question: the input ended")
            key = data.decode("utf-8", "ignore").lower()
            if key in ("y", "n"):
                return key == "y"
            if key == "\x03":  # pragma: no cover - cbreak keeps Ctrl-C as a signal
                raise KeyboardInterrupt
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _answers(args: argparse.Namespace, text: str) -> dict[str, bool]:
    """The answers given with --answer, plus the questions asked in a terminal.

    Nothing is asked without a terminal on both ends, with --json or --no-questions, when
    the text already has a red flag (the advice comes at once), or when it names no region
    footreflex covers (the error comes at once). Asking stops at the first yes: the advice
    comes next.
    """
    import footreflex
    from footreflex.safety import check_answers

    answers = check_answers(_given_answers(args.answer))
    if (args.no_questions or getattr(args, "json", False) or not _interactive()
            or any(answers.values())
            or footreflex.triage(text).level != "self_care"):
        return answers
    try:
        footreflex.resolve(text)
    except footreflex.UnknownSymptomError:
        return answers
    asked = [q for q in footreflex.red_flag_questions(text=text) if q.id not in answers]
    if not asked:
        return answers
    out = sys.stdout
    out.write(f"Before planning, {len(asked)} quick safety questions (press y or n; "
              "--no-questions skips them):\n")
    for number, question in enumerate(asked, start=1):
        out.write(f"{number}/{len(asked)}. {question.text} [y/n] ")
        out.flush()
        yes = _read_yes_no()
        out.write("yes\n" if yes else "no\n")
        answers[question.id] = yes
        if yes:
            break
    out.write("\n")
    out.flush()
    return answers


def _plan(args: argparse.Namespace) -> Routine:
    """Plan for ``plan`` and ``guide``, with the profile when one is asked for."""
    import footreflex

    text = " ".join(args.symptoms)
    answers = _answers(args, text)
    if args.profile is None:
        minutes = _minutes(args.minutes) if args.minutes is not None else 15.0
        return footreflex.plan(text, minutes=minutes, conditions=args.condition,
                               answers=answers)
    pid = _profile_id(args.profile)
    with _store(args) as store:
        person = store.load(pid)
        if args.minutes is not None:
            minutes = _minutes(args.minutes)
        else:
            minutes = person.preferences.minutes or 15.0
        routine = footreflex.plan(text, minutes=minutes, conditions=args.condition,
                                  profile=person, answers=answers)
        store.record(pid, routine, symptoms=text)
    print(f"footreflex: session recorded in profile {pid!r} ({store.path})", file=sys.stderr)
    return routine


def _pain(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 10:
        raise InvalidArgumentError(f"{name} must be a whole number from 0 to 10, not {value!r}")
    return number


def _feedback(args: argparse.Namespace) -> int:
    ratings: dict[str, str] = {}
    for item in args.ratings:
        name, sep, rating = item.rpartition("=")
        if not sep or not name.strip():
            raise InvalidArgumentError(f"expected TARGET=RATING, not {item!r}")
        value = rating.strip().lower().replace("-", "_").replace(" ", "_")
        if value not in ("helped", "neutral", "did_not_help", "skip"):
            raise InvalidArgumentError(f"the rating for {name.strip()!r} must be helped, "
                                       f"neutral, did-not-help or skip, not {rating.strip()!r}")
        ratings[name.strip()] = value
    pid = _profile_id(args.profile)
    with _store(args) as store:
        last = store.rate(pid, ratings, pain_before=_pain(args.pain_before, "--pain-before"),
                          pain_after=_pain(args.pain_after, "--pain-after"), note=args.note)
    rated = plural(len(last.feedback.ratings) if last.feedback else 0, "rating")
    sys.stdout.write(f"Saved feedback on the session of {last.date:%Y-%m-%d %H:%M} "
                     f"({rated}) in profile {pid!r}\n")
    return EXIT_OK


def _profile_command(args: argparse.Namespace) -> int:
    import footreflex
    from footreflex.personal import factor

    pid = _profile_id(args.profile)
    changing = (args.exclude or args.include or args.favourite is not None or args.pressure
                or args.prefer_minutes or args.condition is not None)
    with _store(args) as store:
        if args.import_:
            added = store.import_file(pid, args.import_)
            print(f"footreflex: imported {plural(added, 'session')} into profile {pid!r}",
                  file=sys.stderr)
        if changing:
            minutes = _minutes(args.prefer_minutes) if args.prefer_minutes else None
            store.prefer(pid, exclude=args.exclude, include=args.include,
                         favourites=args.favourite, pressure=args.pressure, minutes=minutes,
                         conditions=args.condition)
        person = store.load(pid)
        where = store.path
    if args.export:
        person.save(args.export)
        _wrote(args.export)
    if args.json:
        sys.stdout.write(person.model_dump_json(indent=2) + "\n")
        return EXIT_OK
    prefs = person.preferences
    kb = footreflex.knowledge()

    def named(tid: str) -> str:
        target = kb.targets.get(tid)
        if target is None:
            return tid
        code = target.code
        return f"{code} {target.name}" if code and code not in target.name else target.name

    lines = [f"Profile {pid!r} ({where}): {plural(len(person.sessions), 'session')}."]
    lines.append(f"Never again: {', '.join(map(named, prefs.excluded)) or '-'}; favourites: "
                 f"{', '.join(map(named, prefs.favourites)) or '-'}; pressure: "
                 f"{prefs.pressure or '-'}; minutes: "
                 f"{f'{prefs.minutes:g}' if prefs.minutes else '-'}; conditions: "
                 f"{', '.join(prefs.conditions) or '-'}")
    counts = person.counts()
    if counts:
        lines.append("Ratings (a weight above 1 favours the target next time, below 1 "
                     "disfavours it):")
    for (tid, region), (succ, _fail, n) in sorted(counts.items()):
        area = region_name(region, {r: kb.regions[r].name for r in kb.regions})
        lines.append(f"  {named(tid)}, for {area}: {plural(n, 'rating')}, "
                     f"{succ:g} helped ('neutral' counts half), weight "
                     f"{factor(succ, n):.2f}")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def _questions(args: argparse.Namespace) -> int:
    import footreflex

    text = " ".join(args.text)
    if text.strip():
        asked = footreflex.red_flag_questions(text=text)
    else:
        asked = footreflex.red_flag_questions(list(footreflex.knowledge().regions))
    if args.json:
        import json

        sys.stdout.write(json.dumps([q.model_dump(mode="json") for q in asked], indent=2)
                         + "\n")
        return EXIT_OK
    for question in asked:
        sys.stdout.write(f"{question.id}: {question.text}\n")
    sys.stdout.write("Answer with --answer ID=yes or --answer ID=no.\n")
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    import footreflex

    if args.command == "triage":
        result = footreflex.triage(" ".join(args.text), _given_answers(args.answer))
        _show_triage(result, args.json)
        return EXIT_OK if result.level == "self_care" else EXIT_SEEK_CARE
    if args.command == "questions":
        return _questions(args)
    if args.command == "sources":
        return _sources(args.json)
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
            routine = _plan(args)
        except footreflex.SeekCareError as exc:
            _show_triage(exc.triage, False)
            return EXIT_SEEK_CARE
        from footreflex.cli._guide import run_plain, run_tty, wait_for_enter

        if not args.plain and _interactive():
            run_tty(routine, speed)
        else:
            run_plain(routine, speed, wait=wait_for_enter if _interactive() else None)
        return EXIT_OK
    if args.command == "completion":
        sys.stdout.write(_completion(args.shell))
        return EXIT_OK
    if args.command == "schema":
        import json

        from footreflex._schemas import schema, schemas

        document = schema(args.name) if args.name else schemas()
        sys.stdout.write(json.dumps(document, indent=2, sort_keys=True) + "\n")
        return EXIT_OK
    if args.command == "serve":
        try:
            port = int(args.port)
        except ValueError:
            port = -1
        if not 0 < port < 65536:
            raise InvalidArgumentError(f"--port must be 1-65535, not {args.port!r}")
        try:
            from footreflex.server._app import serve
        except ImportError as exc:
            from footreflex._extras import missing_extra

            raise missing_extra("server") from exc
        try:
            workers = int(args.workers)
        except ValueError:
            workers = 0
        if not 1 <= workers <= 64:
            raise InvalidArgumentError(
                f"--workers must be a whole number from 1 to 64, not {args.workers!r}")
        if args.profile is None:
            serve(args.host, port, workers=workers, docs=args.docs)
        else:
            pid = _profile_id(args.profile)
            with _store(args) as store:
                serve(args.host, port, store=store, profile=pid, workers=workers,
                      docs=args.docs)
        return EXIT_OK
    if args.command == "feedback":
        return _feedback(args)
    if args.command == "profile":
        return _profile_command(args)
    if args.command == "chart":
        drawing = footreflex.chart(" ".join(args.region) or None)
        drawing.save(args.svg)
        _wrote(args.svg)
        return EXIT_OK
    if args.command == "plan":
        try:
            routine = _plan(args)
        except footreflex.SeekCareError as exc:
            if args.html:
                _write(args.html, exc.triage.to_html())
            _show_triage(exc.triage, args.json)
            return EXIT_SEEK_CARE
        if args.ics:
            from footreflex.render._ics import write_ics

            if not args.at:
                raise InvalidArgumentError("--ics needs --at 'YYYY-MM-DD HH:MM'")
            write_ics(routine, args.ics, start=args.at, sessions=_count(args.daily))
            _wrote(args.ics)
        if args.svg:
            routine.foot_map().save(args.svg)
            _wrote(args.svg)
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
        The exit code: 0, 1 (``serve`` cannot start), 2 (user error), 3 (seek care) or 130
        (interrupted).
    """
    try:
        try:
            args = _parser().parse_args(argv)
        except _UsageError as exc:
            print(f"footreflex: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        return _run(args)
    except FootreflexError as exc:
        from footreflex.errors import ServiceError

        print(f"footreflex: error: {exc}", file=sys.stderr)
        return EXIT_SERVICE if isinstance(exc, ServiceError) else EXIT_USAGE
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
