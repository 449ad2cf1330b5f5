"""Self-contained HTML pages: the printable routine card, and the advice page for refusals.

Pages load nothing from the network: styles are inline, the foot map is inline SVG, there is
no script.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from footreflex._text import WATCH_FOR_HEADING, clock, duration, escape, foot_phrase, region_list
from footreflex.render._plain import names_of

if TYPE_CHECKING:
    from footreflex._knowledge import KnowledgeBase
    from footreflex._models import Routine, Step, Triage



__all__ = ["routine_html", "steps_table_html", "triage_html"]

_CSS = """
:root{color-scheme:light;--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--warn:#9a6700;
--bg-warn:#fff8c5;--alarm:#a40e26;--bg-alarm:#ffebe9}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
background:#fff}
main{max-width:1000px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 4px}
h2{font-size:1.15em;margin:24px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted);margin:0 0 12px}
.first{display:grid;grid-template-columns:1fr 1fr;gap:12px;margin:0 0 12px;align-items:start}
.first section{border-radius:6px;padding:6px 12px}
.first h2{margin:2px 0 4px;border:0;padding:0;font-size:1em}
.first ul,.first ol{margin:0;padding-left:1.4em}
.first li{margin:2px 0}
.notes{background:var(--bg-warn);border:1px solid #d4a72c}
.notes p{margin:4px 0 2px;color:var(--muted)}
.watch{background:var(--bg-alarm);border:1px solid var(--alarm)}
.watch h2{color:var(--alarm)}
.careful-inline{color:var(--warn)}
.body{display:grid;grid-template-columns:minmax(0,23%) minmax(0,1fr);gap:8px 16px;align-items:start;
grid-template-areas:"map steps" "sources sources";grid-template-rows:auto auto}
.body .map{grid-area:map}
.body .steps{grid-area:steps}
.body .sources{grid-area:sources}
.map{margin:0}
.map svg{display:block;width:100%;height:auto;max-height:80vh}
.map svg .mk circle{r:14px}
.map svg .mk text{font-size:16px!important}
.map svg .fl{font-size:26px!important}
.map svg .vl{font-size:15px!important}
.map figcaption{color:var(--muted);font-size:.8em;margin-top:4px}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{font-size:.8em;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
td.n{font-weight:700;white-space:nowrap}
td.n span,td.t span{display:block}
td.n small{font-weight:400;color:var(--muted)}
td.t{white-space:nowrap;font-variant-numeric:tabular-nums}
td.t .d{white-space:normal}
.why{color:var(--muted);font-size:.85em}
caption.every{text-align:left;font-weight:700;color:var(--warn);padding:0 0 4px}
.disclaimer{border-left:4px solid var(--muted);padding:2px 10px;color:var(--muted)}
.sources{font-size:.75em;color:var(--muted);margin:0;padding-left:1.6em}
.sources li{margin:0;break-inside:avoid}
.body .sources{columns:2 22em;column-gap:2em;padding-left:2em}
.small{font-size:.78em;color:var(--muted)}
.advice{background:var(--bg-alarm);border:2px solid var(--alarm);border-radius:8px;
padding:14px 18px}
.advice h1{color:var(--alarm)}
.finding{margin:12px 0}
@media (max-width:700px){
 main{padding:12px}
 .first{grid-template-columns:minmax(0,1fr)}
 .body{grid-template-columns:minmax(0,1fr);grid-template-areas:"map" "steps" "sources"}
 .map svg{max-width:420px;margin:0 auto}
}
@media print{
 @page{margin:8mm}
 body{font-size:7.8pt;line-height:1.18}
 main{max-width:none;padding:0}
 h1{font-size:14pt;margin:0}
 .meta{margin:0}
 .first{gap:8px;margin:0 0 6px;grid-template-columns:minmax(0,2fr) minmax(0,3fr)}
 .first:has(.notes li:nth-child(4)){grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
 h1{display:inline;margin-right:.6em}
 .why{font-size:.8em}
 .careful-inline{font-size:.92em}
 .meta{display:inline}
 .first section{padding:3px 8px}
 .first li{margin:0}
 .body{gap:10px}
 .map svg{max-height:100mm}
 th,td{padding:1px 4px}
 .sources{font-size:6.5pt;line-height:1.2}
 .body .sources{columns:4;column-gap:1.2em;font-size:6.2pt}
 .first,tr,.finding,.map{break-inside:avoid}
 h2{break-after:avoid}
 a{color:inherit;text-decoration:none}
 .dense{font-size:7.2pt;line-height:1.22}
 .dense h1{font-size:12.5pt}
 .dense th,.dense td{padding:1px 3px}
 .dense .first section{padding:2px 6px}
 .denser{font-size:6.8pt;line-height:1.2}
 .denser .map svg{max-height:90mm}
}
"""


DENSE_NOTES_CHARS = 450
"""Above this many characters of notes ("before you start"), the card prints in smaller type.

Measured with Chromium at A4 and Letter (tests/test_card_print.py): a 30-minute lower-back
routine with two conditions (about 600 characters of notes) needs it to stay on one page;
with one condition (about 430) it fits at the usual size.
"""

DENSER_NOTES_CHARS = 750
"""Above this many, smaller still (five conditions on a 30-minute routine: about 850)."""


def _page(title: str, body: str) -> str:
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            f"{body}\n</main>\n</body>\n</html>\n")


def _rows(routine: Routine) -> list[list[Step]]:
    """Group the steps into table rows.

    A target done on the right foot and then, in the same order, on the left shares one row
    (its instructions are printed once). Any other shape (one foot only, a different order
    on the second foot) gets a row per step, so the table always reads in the order the
    steps are done.
    """
    steps = list(routine.steps)
    sided = [s for s in steps if s.foot != "both"]
    half = len(sided) // 2
    first, second = sided[:half], sided[half:]
    mirrored = (half > 0 and len(sided) == 2 * half
                and all(a.foot == "right" and b.foot == "left" and a.target_id == b.target_id
                        and a.duration_s == b.duration_s and a.instructions == b.instructions
                        and a.cautions == b.cautions for a, b in zip(first, second, strict=True))
                and [s.index for s in sided] == list(range(sided[0].index,
                                                            sided[0].index + len(sided))))
    if not mirrored:
        return [[s] for s in steps]
    rows: list[list[Step]] = []
    for step in steps:
        if step.foot == "both":
            rows.append([step])
        elif step in first:
            rows.append([step, second[first.index(step)]])
    return rows


def _shared_words(texts: Sequence[str]) -> tuple[str, str]:
    """What every instruction shares, to print once above the table.

    Returns ``(lead, sentence)``: a common lead ending in a colon (``"Use light pressure
    only:"``) and a sentence every instruction contains (``"Ease off at once if anything
    hurts."``); empty strings when there is none, or when there are fewer than three
    instructions.
    """
    if len(texts) < 3:
        return "", ""
    common = texts[0]
    for text in texts[1:]:
        while not text.startswith(common):
            common = common[:-1]
    lead = common[:common.rfind(":") + 1] if ":" in common else ""
    sentences = [f"{part.strip()}." for part in texts[0].split(". ")[1:]]
    shared = next((x for x in sentences if len(x) > 12 and all(f" {x}" in t for t in texts)),
                  "")
    return lead, shared


def _step_sources(step: Step, routine: Routine, knowledge: KnowledgeBase | None) -> list[str]:
    """Source ids behind a step: the target's own, then those of its edges to the regions."""
    if knowledge is None or step.target_id not in knowledge.targets:
        return []
    target = knowledge.targets[step.target_id]
    ids = list(target.sources)
    for edge in target.serves:
        if edge.region in routine.regions:
            ids.extend(s for s in edge.sources if s not in ids)
    return ids


def _condition_words(condition: str) -> str:
    """A declared condition in words, with its foot (unknown ids as they are)."""
    from footreflex.safety import rules

    cid, _, foot = condition.partition(":")
    known = rules().conditions
    name = known[cid].name if cid in known else cid.replace("_", " ")
    return f"{name} ({foot_phrase(foot)})" if foot in ("left", "right", "both") else name


def steps_table_html(routine: Routine, knowledge: KnowledgeBase | None = None, *,
                     source_numbers: Mapping[str, int] | None = None) -> str:
    """Return the steps as a compact HTML table (used by the card and by notebook display).

    A target done on the right foot and then on the left shares one row, with both step
    numbers and both start times; warm-up and cool-down rows are for both feet.

    Args:
        routine: The routine.
        knowledge: Knowledge base it was planned from, to find the sources behind each
            step (default: the shipped one; region names come from the routine).
        source_numbers: Numbers of the sources listed under the table; when given, each
            row says which of them back it.

    Returns:
        A ``<table>`` element.
    """
    if knowledge is None:
        from footreflex._knowledge import knowledge as shipped

        knowledge = shipped()
    rows = _rows(routine)
    lead, shared = _shared_words([row[0].instructions for row in rows])
    body = []
    for row in rows:
        step = row[0]
        code = f"{step.code} " if step.code and step.code not in step.name else ""
        numbers = "".join(f"<span>{s.index}</span>" for s in row)
        when = "".join(f"<span>{escape(s.foot if len(row) > 1 else foot_phrase(s.foot))} "
                       f"{clock(s.start_s)}</span>" for s in row)
        each = " each" if len(row) > 1 else ""
        notes: list[str] = []
        if step.serves and len(routine.regions) > 1:
            notes.append(f"for {region_list(step.serves, names_of(routine))}")
        if step.evidence:
            notes.append(step.evidence)
        if source_numbers:
            refs = sorted({source_numbers[i] for i in _step_sources(step, routine, knowledge)
                           if i in source_numbers})
            if refs:
                notes.append(("source " if len(refs) == 1 else "sources ")
                             + ", ".join(str(n) for n in refs))
        why = f' <span class="why">({escape("; ".join(notes))})</span>' if notes else ""
        how = step.instructions
        if lead and how.startswith(lead):
            how = how[len(lead):].strip()
            how = how[:1].upper() + how[1:]
        if shared:
            how = how.replace(f" {shared}", "")
        careful = "".join(f' <span class="careful-inline"><strong>Careful:</strong> '
                          f"{escape(c)}</span>" for c in step.cautions)
        body.append(
            f'<tr class="step" data-steps="{" ".join(str(s.index) for s in row)}">'
            f'<td class="n">{numbers}</td>'
            f"<td><strong>{escape(code + step.name)}</strong> {escape(how)}"
            f"{why}{careful}</td>"
            f'<td class="t">{when}<span class="d">{escape(duration(step.duration_s) + each)}</span>'
            "</td>"
            "</tr>")
    every = " ".join(x for x in (lead.rstrip(":") + "." if lead else "", shared) if x)
    caption = (f'<caption class="every">Every step: {escape(every[:1].lower() + every[1:])}'
               "</caption>" if every else "")
    return ('<table class="steps">' + caption + '<thead><tr><th>Step</th><th>What and how</th>'
            "<th>When</th></tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table>")


def routine_html(routine: Routine, knowledge: KnowledgeBase | None = None) -> str:
    """Return a printable, self-contained HTML page for a routine.

    The page is laid out to print on one sheet (A4 or Letter, whichever the printer uses)
    for a one-region routine of up to 30 minutes: what to know first and what to stop for at
    the top, the foot map beside a compact step table, the sources in small print.

    Args:
        routine: The routine.
        knowledge: Knowledge base it was planned from (default: the shipped one).

    Returns:
        A complete HTML document: title, warnings, what to stop and seek care for, the foot
        map, the steps with timings, instructions and cautions, the disclaimer and the
        sources.
    """
    from footreflex.render._footmap import CONVENTION
    from footreflex.render._plain import SIDES_NOTE, region_names

    if knowledge is None:
        from footreflex._knowledge import knowledge as shipped

        knowledge = shipped()
    regions = region_names(routine)
    svg = routine.foot_map(knowledge).to_svg(legend=False)
    sided = {s.foot for s in routine.steps} - {"both"}
    order = ("Warm-up first; right foot, then the same on the left."
             if sided == {"right", "left"} else "Warm-up first.")
    steps = "1 step" if len(routine.steps) == 1 else f"{len(routine.steps)} steps"
    parts = [f"<h1>Foot self-massage: {escape(regions)}</h1>",
             f'<p class="meta">{steps}, {duration(routine.total_seconds)} '
             f"(asked for {duration(round(routine.minutes * 60))}). {order}</p>"]
    first: list[str] = []
    # A caution that belongs to a step is printed at that step, in full; the box keeps what
    # applies to the whole session (conditions, what was left out), so the card stays short.
    at_steps = {c for step in routine.steps for c in step.cautions}
    notes = [w for w in routine.warnings if w not in at_steps]
    if routine.sides:
        notes.append(SIDES_NOTE)
    if routine.conditions:
        notes.insert(0, "Conditions taken into account: "
                     + "; ".join(_condition_words(c) for c in routine.conditions) + ".")
    items = "".join(f"<li>{escape(w)}</li>" for w in notes)
    first.append('<section class="notes" aria-label="Before you start"><h2>Before you start'
                 f"</h2>{f'<ol>{items}</ol>' if items else ''}"
                 f'<p class="disclaimer">{escape(routine.disclaimer)}</p></section>')
    if routine.watch_for:
        items = "".join(f"<li>{escape(w)}</li>" for w in routine.watch_for)
        first.append(f'<section class="watch" role="note"><h2>{escape(WATCH_FOR_HEADING)}'
                     f"</h2><ul>{items}</ul></section>")
    parts.append(f'<div class="first">{"".join(first)}</div>')
    # Many conditions and cautions make the card long: the printed card then uses a smaller type
    # so that it still fits one page (the screen is unchanged).
    chars = sum(len(n) for n in notes) + sum(len(c) for c in at_steps)  # all printed once
    dense = ("dense denser" if chars > DENSER_NOTES_CHARS
             else "dense" if chars > DENSE_NOTES_CHARS else "")
    numbers = {s.id: n for n, s in enumerate(routine.sources, start=1)}
    sources = ""
    if routine.sources:
        items = "".join(f"<li>{escape(s.citation)}</li>" for s in routine.sources)
        sources = f'<ol class="sources" aria-label="Sources">{items}</ol>'
    table = steps_table_html(routine, knowledge, source_numbers=numbers)
    parts.append(f'<div class="body"><figure class="map" aria-label="Where to press">{svg}'
                 f"<figcaption>Numbers are step numbers. {escape(CONVENTION)}</figcaption>"
                 f"</figure>{table}"
                 f"{sources}</div>")
    body = "\n".join(parts)
    if dense:
        body = f'<div class="{dense}">\n{body}\n</div>'
    return _page(f"Foot self-massage: {regions}", body)


def triage_html(triage: Triage) -> str:
    """Return a self-contained HTML page with seek-care advice (instead of a routine).

    Args:
        triage: The triage of a refused plan.

    Returns:
        A complete HTML document: the action first, then each finding with its reason,
        the words that matched and the sources.
    """
    from footreflex._models import finding_parts

    findings = []
    for f in triage.findings:
        message, words, answered = finding_parts(f, triage.advice)
        matched = ", ".join(f"\u201c{m}\u201d" for m in words)
        sources = "<br>".join(escape(s.citation) for s in f.sources)
        findings.append(
            f'<div class="finding" data-rule="{escape(f.rule_id)}"><p><strong>'
            f"{escape(message)}</strong></p><p>Why: {escape(f.reason)}"
            + (f" (matched: {escape(matched)})" if matched else "")
            + "".join(f"<br>You answered yes to: {escape(q)}" for q in answered)
            + f'</p><p class="sources">Sources:<br>{sources}</p></div>')
    body = (f'<section class="advice" role="alert"><h1>{escape(triage.advice)}</h1>'
            "<p>footreflex did not plan a foot massage routine: self-care is not the right "
            "answer for what was described.</p></section>"
            f"<h2>What was found</h2>{''.join(findings)}"
            f'<p class="sources">Rule set {escape(triage.ruleset_version)}.</p>')
    return _page("Seek care: no routine planned", body)
