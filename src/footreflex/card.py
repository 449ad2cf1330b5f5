"""Self-contained HTML pages: the printable routine card, and the advice page for refusals.

Pages load nothing from the network: styles are inline, the foot map is inline SVG, there is
no script.
"""

from __future__ import annotations

from html import escape as _html_escape
from typing import TYPE_CHECKING

from footreflex._text import WATCH_FOR_HEADING, duration

if TYPE_CHECKING:
    from footreflex.knowledgebase import KnowledgeBase
    from footreflex.models import Routine, Triage



def escape(text: str) -> str:
    """Escape text for XML/HTML content and attribute values."""
    return _html_escape(text, quote=True)


__all__ = ["routine_html", "steps_table_html", "triage_html"]

_CSS = """
:root{color-scheme:light;--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--warn:#9a6700;
--bg-warn:#fff8c5;--alarm:#a40e26;--bg-alarm:#ffebe9}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
background:#fff}
main{max-width:900px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 4px}
h2{font-size:1.15em;margin:24px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted);margin:0 0 16px}
.notes{background:var(--bg-warn);border:1px solid #d4a72c;border-radius:6px;padding:8px 14px}
.notes li{margin:4px 0}
.watch{background:var(--bg-alarm);border:1px solid var(--alarm);border-radius:6px;
padding:8px 14px}
.watch h2{margin-top:4px;border:0;color:var(--alarm)}
.watch li{margin:4px 0}
.careful{display:block;margin-top:2px;color:var(--warn);font-weight:600}
.map{text-align:center}
.map svg{max-width:100%;height:auto}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{font-size:.85em;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
td.n{font-weight:700;white-space:nowrap}
td.t{white-space:nowrap;font-variant-numeric:tabular-nums}
.why{color:var(--muted);font-size:.88em;display:block;margin-top:2px}
.disclaimer{border-left:4px solid var(--muted);padding:4px 12px;color:var(--muted)}
.sources{font-size:.85em;color:var(--muted)}
.advice{background:var(--bg-alarm);border:2px solid var(--alarm);border-radius:8px;
padding:14px 18px}
.advice h1{color:var(--alarm)}
.finding{margin:12px 0}
@media print{
 @page{margin:12mm}
 body{font-size:11pt}
 main{max-width:none;padding:0}
 tr,.finding,.notes li,.watch{break-inside:avoid}
 .map{break-inside:avoid}
 h2{break-after:avoid}
 a{color:inherit;text-decoration:none}
}
"""


def _page(title: str, body: str) -> str:
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            f"{body}\n</main>\n</body>\n</html>\n")



def steps_table_html(routine: Routine) -> str:
    """Return the steps as an HTML table (used by the card and by notebook display).

    Args:
        routine: The routine.

    Returns:
        A ``<table>`` element.
    """
    from footreflex.render import clock

    rows = []
    for step in routine.steps:
        code = f"{step.code} " if step.code and step.code not in step.name else ""
        why = f'<span class="why">{escape(step.why)}</span>' if step.why else ""
        careful = "".join(f'<span class="careful">Careful: {escape(c)}</span>'
                          for c in step.cautions)
        foot = "both feet" if step.foot == "both" else f"{step.foot} foot"
        rows.append(
            f'<tr class="step" data-index="{step.index}"><td class="n">{step.index}</td>'
            f'<td class="t">{clock(step.start_s)}</td>'
            f"<td><strong>{escape(code + step.name)}</strong><br>{escape(step.instructions)}"
            f"{careful}{why}</td><td>{escape(foot)}</td>"
            f'<td class="t">{escape(duration(step.duration_s))}</td></tr>')
    return ('<table class="steps"><thead><tr><th>#</th><th>Start</th><th>What and how</th>'
            "<th>Foot</th><th>Time</th></tr></thead><tbody>\n" + "\n".join(rows)
            + "\n</tbody></table>")


def routine_html(routine: Routine, knowledge: KnowledgeBase | None = None) -> str:
    """Return a printable, self-contained HTML page for a routine.

    Args:
        routine: The routine.
        knowledge: Knowledge base it was planned from (default: the shipped one).

    Returns:
        A complete HTML document: title, warnings, what to stop and seek care for, the foot
        map, the steps with timings, instructions and cautions, the disclaimer and the
        sources.
    """
    from footreflex.render import SIDES_NOTE, region_names

    regions = region_names(routine)
    svg = routine.foot_map(knowledge).to_svg()
    parts = [f"<h1>Foot self-massage: {escape(regions)}</h1>",
             f'<p class="meta">{len(routine.steps)} steps, {duration(routine.total_seconds)} '
             f"(budget {routine.minutes:g} min). Warm-up first; right foot, then left.</p>"]
    if routine.sides:
        parts.append(f'<p class="meta">{escape(SIDES_NOTE)}</p>')
    if routine.conditions:
        parts.append(f'<p class="meta">Conditions taken into account: '
                     f"{escape(', '.join(routine.conditions))}</p>")
    if routine.warnings:
        items = "".join(f"<li>{escape(w)}</li>" for w in routine.warnings)
        parts.append(f'<section class="notes" aria-label="Read first"><ul>{items}</ul></section>')
    if routine.watch_for:
        items = "".join(f"<li>{escape(w)}</li>" for w in routine.watch_for)
        parts.append(f'<section class="watch" role="note"><h2>{escape(WATCH_FOR_HEADING)}</h2>'
                     f"<ul>{items}</ul></section>")
    parts.append(f'<h2>Where to press</h2><section class="map">{svg}</section>')
    parts.append(f"<h2>Steps</h2>{steps_table_html(routine)}")
    parts.append(f'<h2>Before you start</h2><p class="disclaimer">{escape(routine.disclaimer)}</p>')
    if routine.sources:
        items = "".join(f"<li><strong>{escape(s.id)}</strong>: {escape(s.citation)}</li>"
                        for s in routine.sources)
        parts.append(f'<h2>Sources</h2><ul class="sources">{items}</ul>')
    return _page(f"Foot self-massage: {regions}", "\n".join(parts))


def triage_html(triage: Triage) -> str:
    """Return a self-contained HTML page with seek-care advice (instead of a routine).

    Args:
        triage: The triage of a refused plan.

    Returns:
        A complete HTML document: the action first, then each finding with its reason,
        the words that matched and the sources.
    """
    findings = []
    for f in triage.findings:
        matched = ", ".join(f"\u201c{m}\u201d" for m in f.matched)
        sources = "<br>".join(escape(s.citation) for s in f.sources)
        findings.append(
            f'<div class="finding" data-rule="{escape(f.rule_id)}"><p><strong>'
            f"{escape(f.message)}</strong></p><p>Why: {escape(f.reason)}"
            + (f" (matched: {escape(matched)})" if matched else "")
            + f'</p><p class="sources">Sources:<br>{sources}</p></div>')
    body = (f'<section class="advice" role="alert"><h1>{escape(triage.advice)}</h1>'
            "<p>footreflex did not plan a foot massage routine: self-care is not the right "
            "answer for what was described.</p></section>"
            f"<h2>What was found</h2>{''.join(findings)}"
            f'<p class="sources">Rule set {escape(triage.ruleset_version)}.</p>')
    return _page("Seek care: no routine planned", body)
