"""A guided session: the routine run live, in a terminal or as plain timestamped lines.

:class:`GuideSession` holds the state (session clock, pause, skip, what was done) and knows
nothing of terminals, so it is tested on its own. :func:`run_plain` prints one line per cue
(no control codes: for pipes, logs and tests). :func:`run_tty` draws a live display with
``rich`` (imported only here) and reads single keys: space or ``p`` pause/resume, ``s`` or
``n`` skip the current step, ``q`` quit. Both stop cleanly on Ctrl-C with a summary.
``speed`` runs the session clock faster than real time (demos and tests).

Before the first cue both show the start screen (:func:`start_lines`): the routine's
warnings and its "watch for" lines. On a terminal the session then waits for Enter (``q``
quits before anything starts). A step's cautions are shown again when the step starts (the
``warning`` cues of :meth:`~footreflex.Routine.cues`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from footreflex._models import Cue, Routine, Step
from footreflex._text import WATCH_FOR_HEADING, clock, foot_phrase, plural

if TYPE_CHECKING:
    from rich.console import RenderableType

__all__ = ["GuideSession", "Summary", "run_plain", "run_tty", "start_lines", "wait_for_enter"]

TICK_S = 0.1
FLASH_S = 0.8


START_PROMPT = "Press Enter to start (q to quit)."


def start_lines(routine: Routine) -> list[str]:
    """Return the start screen: the routine's warnings, then what to stop and seek care for.

    Args:
        routine: The routine.

    Returns:
        Plain lines, shown before the first cue.
    """
    lines: list[str] = []
    if routine.warnings:
        lines.append("Read first:")
        lines.extend(f"  ! {w}" for w in routine.warnings)
    if routine.watch_for:
        lines.append(f"{WATCH_FOR_HEADING}:")
        lines.extend(f"  - {w}" for w in routine.watch_for)
    return lines


def _clock(seconds: float) -> str:
    return clock(seconds, pad=True)


@dataclass
class Summary:
    """What happened in a guided session.

    Attributes:
        done: Indexes of steps completed.
        skipped: Indexes of steps skipped.
        stopped_in: The step running when the session was stopped early, if any.
        elapsed_s: Session seconds that passed (skipped time not counted).
        total_s: Length of the routine.
        completed: Whether the session reached its end.
    """

    done: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    stopped_in: Step | None = None
    elapsed_s: float = 0.0
    total_s: int = 0
    completed: bool = False

    def lines(self, total_steps: int) -> list[str]:
        """Human-readable summary lines."""
        head = "Session complete." if self.completed else "Session stopped."
        parts = [f"{len(self.done)} of {plural(total_steps, 'step')} done"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped ({', '.join(map(str, self.skipped))})")
        lines = [f"Summary: {head} " + ", ".join(parts) + "."]
        if self.stopped_in is not None:
            s = self.stopped_in
            lines.append(f"Stopped during step {s.index}: {s.name} ({s.foot}).")
        lines.append(f"Time: {_clock(self.elapsed_s)} of {_clock(self.total_s)}.")
        return lines


class GuideSession:
    """The state of a guided session, advanced by the caller's clock.

    Args:
        routine: The routine to run.
    """

    def __init__(self, routine: Routine) -> None:
        self.routine = routine
        self.t = 0.0
        self.paused = False
        self.finished = False
        self.started = False  # False until started (quit at the start screen)
        self.stopped = False  # ended early (q, Ctrl-C) rather than reaching the end
        # The routine's own warnings are on the start screen; a step's cautions stay cues.
        self._cues = [c for c in routine.cues()
                      if not (c.kind == "warning" and c.step_index is None)]
        self._next = 0
        self._skipped: list[int] = []
        self._skipped_time = 0.0

    @property
    def current(self) -> Step | None:
        """The step running now (``None`` at the very end)."""
        return self.routine.step_at(self.t) if self.t < self.routine.total_seconds else None

    @property
    def upcoming(self) -> Step | None:
        """The step after the current one."""
        current = self.current
        if current is None or current.index >= len(self.routine.steps):
            return None
        return self.routine.steps[current.index]

    @property
    def next_cue_at(self) -> float:
        """Session second of the next cue not yet due (the current time when none is left)."""
        return self._cues[self._next].at_s if self._next < len(self._cues) else self.t

    def start(self) -> None:
        """Mark the session started (the person pressed Enter).

        From now on a stop is reported with the step it happened in, even before the clock
        first moves.
        """
        self.started = True

    def stop(self) -> None:
        """End the session early, where it is (``q``); the summary says so."""
        self.stopped = True
        self.finished = True

    def advance(self, seconds: float) -> list[Cue]:
        """Move the session clock forward (unless paused) and return the cues now due."""
        self.started = True
        if not self.paused and not self.finished:
            self.t = min(float(self.routine.total_seconds), self.t + max(0.0, seconds))
        return self._due()

    def _due(self) -> list[Cue]:
        due: list[Cue] = []
        while self._next < len(self._cues) and self._cues[self._next].at_s <= self.t:
            due.append(self._cues[self._next])
            self._next += 1
        if self._next >= len(self._cues):
            self.finished = True
        return due

    def toggle_pause(self) -> bool:
        """Pause or resume; return whether the session is now paused."""
        self.paused = not self.paused
        return self.paused

    def skip(self) -> list[Cue]:
        """Skip the rest of the current step; return the cues due at its end."""
        step = self.current
        if step is None:
            return []
        self._skipped.append(step.index)
        self._skipped_time += step.end_s - self.t
        self.t = float(step.end_s)
        while (self._next < len(self._cues) and self._cues[self._next].at_s < step.end_s):
            self._next += 1  # cues inside the skipped part are not announced
        return self._due()

    def summary(self) -> Summary:
        """Return what has happened so far."""
        done = [s.index for s in self.routine.steps
                if s.end_s <= self.t and s.index not in self._skipped]
        completed = self.finished and not self.stopped
        stopped = None if completed or not self.started else self.current
        return Summary(done=done, skipped=list(self._skipped), stopped_in=stopped,
                       elapsed_s=self.t - self._skipped_time,
                       total_s=self.routine.total_seconds, completed=completed)


def _loop(session: GuideSession, speed: float, on_cues: Callable[[list[Cue]], None],
          on_tick: Callable[[], None], poll: Callable[[float], str | None],
          on_keys: Callable[[str], None] | None = None,
          clock: Callable[[], float] = time.monotonic) -> None:
    """Run the session clock until the end, a quit or an exception.

    ``poll(wait)`` waits at most ``wait`` seconds and returns the keys pressed (it returns as
    soon as one is). The clock is brought up to the moment of the keys *before* they are
    handled, so a pause, resume or skip takes effect exactly when pressed and the summary's
    time is the time actually spent on the steps.
    """
    session.start()
    on_cues(session.advance(0))
    last = clock()
    while not session.finished:
        if session.paused:
            wait = TICK_S
        else:
            wait = max(0.0, min(TICK_S, (session.next_cue_at - session.t) / speed))
        keys = poll(wait)
        now = clock()
        on_cues(session.advance((now - last) * speed))
        last = now
        if keys and on_keys is not None:
            on_keys(keys)
        on_tick()


def run_plain(routine: Routine, speed: float = 1.0, out: IO[str] | None = None,
              wait: Callable[[], bool] | None = None) -> Summary:
    """Run a session as plain timestamped lines, one per cue (no control codes).

    The start screen (:func:`start_lines`) comes first; then, when ``wait`` is given (a
    terminal), the session starts only once it returns ``True``.

    Args:
        routine: The routine.
        speed: How many session seconds pass per real second.
        out: Where to write (default: standard output).
        wait: Called after the start screen; ``True`` starts the session, ``False`` ends it
            before the first step (e.g. :func:`wait_for_enter`).

    Returns:
        The :class:`Summary`; on Ctrl-C the summary is printed and ``KeyboardInterrupt``
        re-raised for the caller to exit with 130.
    """
    import sys

    stream = out or sys.stdout
    session = GuideSession(routine)
    for line in start_lines(routine):
        stream.write(line + "\n")
    if wait is not None:
        stream.write(START_PROMPT + "\n")
    stream.flush()
    try:
        go = wait() if wait is not None else True
    except KeyboardInterrupt:
        _write_summary(stream, session)
        raise
    if not go:
        _write_summary(stream, session)
        return session.summary()
    session.start()

    def show(cues: list[Cue]) -> None:
        for cue in cues:
            stream.write(f"[{_clock(cue.at_s)}] {cue.text}\n")
        if cues:
            stream.flush()

    def sleep(wait: float) -> None:
        time.sleep(wait)

    try:
        _loop(session, speed, show, lambda: None, sleep)
    except KeyboardInterrupt:
        _write_summary(stream, session)
        raise
    _write_summary(stream, session)
    return session.summary()


def _write_summary(stream: IO[str], session: GuideSession) -> None:
    for line in session.summary().lines(len(session.routine.steps)):
        stream.write(line + "\n")
    stream.flush()


def wait_for_enter(stream: IO[str] | None = None) -> bool:
    """Wait on a terminal for Enter (``True``) or ``q`` (``False``); other keys are ignored.

    Args:
        stream: The terminal to read (default: standard input).

    Returns:
        Whether to start (``False`` also when the input ends).

    Raises:
        KeyboardInterrupt: Ctrl-C.
    """
    import sys

    with _Keys(stream or sys.stdin) as keys:
        while not keys.closed:
            for key in keys.read(1.0):
                if key in "\r\n":
                    return True
                if key in "qQ":
                    return False
    return False  # nobody there to start it


class _DeferredInterrupt:
    """Turn Ctrl-C (SIGINT) into a flag while the live display runs, restored on exit.

    A KeyboardInterrupt raised at an arbitrary point (inside the display's start, a terminal
    mode change or its refresh thread's join) could end the process before the summary is
    printed; the loop checks the flag at every tick and raises it there instead. Outside the
    main thread (where signal handlers cannot be set) it does nothing.
    """

    def __init__(self) -> None:
        self.requested = False
        self.previous: Any = None

    def _handle(self, signum: int, frame: object) -> None:
        self.requested = True

    def __enter__(self) -> _DeferredInterrupt:
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        import signal

        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


class _Keys:
    """Single-key reading from a terminal in cbreak mode (restored on exit)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.fd = stream.fileno()
        self.saved: list[Any] | None = None
        self.closed = False  # the terminal hung up (end of input)

    def __enter__(self) -> _Keys:
        import termios
        import tty

        self.saved = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd)
        return self

    def __exit__(self, *exc: object) -> None:
        import termios

        if self.saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)

    def read(self, timeout: float) -> str:
        import os
        import select

        if self.closed:
            time.sleep(timeout)
            return ""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return ""
        try:
            data = os.read(self.fd, 32)
        except OSError:  # the terminal went away
            data = b""
        if not data:
            self.closed = True
        return data.decode("utf-8", "ignore")


def run_tty(routine: Routine, speed: float = 1.0) -> Summary:
    """Run a session with a live terminal display and single-key controls.

    Args:
        routine: The routine.
        speed: How many session seconds pass per real second.

    Returns:
        The :class:`Summary`; on Ctrl-C the summary is printed and ``KeyboardInterrupt``
        re-raised.
    """
    import sys

    from rich.console import Console
    from rich.live import Live

    console = Console()
    session = GuideSession(routine)
    state = {"flash_until": 0.0, "message": ""}
    _start_screen(console, routine)
    try:
        go = wait_for_enter(sys.stdin)
    except KeyboardInterrupt:
        for line in session.summary().lines(len(routine.steps)):
            console.print(line, highlight=False, markup=False)
        raise
    if not go:
        summary = session.summary()
        for line in summary.lines(len(routine.steps)):
            console.print(line, highlight=False, markup=False)
        return summary
    # Started from here on: a Ctrl-C even before the first tick (while the display starts)
    # reports the step it came in.
    session.start()

    def show(cues: list[Cue]) -> None:
        for cue in cues:
            if cue.kind in ("step_start", "switch_foot", "session_end"):
                state["flash_until"] = time.monotonic() + FLASH_S
                console.file.write("\a")  # a short bell at each step change
            if cue.kind != "step_start":
                state["message"] = cue.text

    try:
        with _DeferredInterrupt() as interrupt, _Keys(sys.stdin) as keys, \
                Live(_screen(session, state), console=console, refresh_per_second=10,
                     transient=False) as live:

            def poll(wait: float) -> str:
                if interrupt.requested:  # Ctrl-C, raised here: a point where it is safe
                    raise KeyboardInterrupt
                return keys.read(wait)

            def handle(pressed: str) -> None:
                for key in pressed:
                    if session.finished:
                        break
                    if key in " pP":
                        paused = session.toggle_pause()
                        state["message"] = ("Paused: press space to resume." if paused
                                            else "Resumed.")
                    elif key in "sSnN":
                        show(session.skip())
                        state["message"] = "Skipped."
                    elif key in "qQ":
                        session.stop()

            _loop(session, speed, show, lambda: live.update(_screen(session, state)),
                  poll, handle)
    except KeyboardInterrupt:
        # Ctrl-C at any moment (even while the display starts): summary, then exit 130.
        for line in session.summary().lines(len(routine.steps)):
            console.print(line, highlight=False, markup=False)
        raise
    summary = session.summary()
    for line in summary.lines(len(routine.steps)):
        console.print(line, highlight=False, markup=False)
    return summary


def _start_screen(console: Any, routine: Routine) -> None:
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = []
    for heading, mark, lines, style in (("Read first", "!", routine.warnings, "bold"),
                                        (WATCH_FOR_HEADING, "-", routine.watch_for,
                                         "bold red")):
        if not lines:
            continue
        parts.append(Text(heading, style=style))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=3, justify="right")
        grid.add_column()
        for line in lines:
            grid.add_row(mark, Text(line))
        parts.append(grid)
    parts.append(Text(START_PROMPT, style="bold"))
    console.print(Panel(Group(*parts), title="footreflex guide: before you start",
                        border_style="red"))


def _bar(done: float, total: float, width: int = 30) -> str:
    filled = round(width * done / total) if total > 0 else width
    filled = max(0, min(width, filled))
    return "█" * filled + "░" * (width - filled)


def _screen(session: GuideSession, state: dict[str, object]) -> RenderableType:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    routine = session.routine
    step = session.current
    total = routine.total_seconds
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="bold")
    grid.add_column()
    if step is not None:
        foot = foot_phrase(step.foot)
        left = step.end_s - session.t
        grid.add_row("Now", Text(f"Step {step.index}/{len(routine.steps)}: {step.name} "
                                 f"({foot})", style="bold"))
        grid.add_row("How", Text(step.instructions))
        if step.cautions:
            grid.add_row("Careful", Text(" ".join(step.cautions), style="bold red"))
        grid.add_row("Step", Text(f"{_bar(session.t - step.start_s, step.duration_s)} "
                                  f"{_clock(left)} left in this step"))
    grid.add_row("Session", Text(f"{_bar(session.t, total)} {_clock(session.t)} of "
                                 f"{_clock(total)}"))
    upcoming = session.upcoming
    if upcoming is not None:
        grid.add_row("Next", Text(f"{upcoming.name} ({upcoming.foot})"))
    status = "PAUSED" if session.paused else "running"
    grid.add_row("", Text(f"[{status}]  space: pause/resume   s: skip step   q: quit",
                          style="dim"))
    message = str(state.get("message") or "")
    if message:
        grid.add_row("", Text(message, style="italic"))
    flashing = time.monotonic() < float(state.get("flash_until", 0.0))  # type: ignore[arg-type]
    return Panel(grid, title="footreflex guide", border_style="bold yellow" if flashing else "blue")
