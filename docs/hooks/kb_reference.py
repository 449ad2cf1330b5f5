"""MkDocs hook: generate the knowledge-base reference (and example maps) from the data.

Replaces ``<!-- footreflex:knowledge-reference -->`` in a page with a section per target
(names, location, surfaces, durations, regions with relevance and evidence, cautions,
confidence, sources) and the list of sources, read through ``footreflex.knowledge()`` so the
page always matches the data.
"""

from __future__ import annotations

import re
from typing import Any

MARKER = "<!-- footreflex:knowledge-reference -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _reference() -> str:
    import footreflex

    kb = footreflex.knowledge()
    out: list[str] = [f"*Generated from `{kb.origin}`, version {kb.version}.*", ""]
    from footreflex._text import relevance_words

    out.append("| target | kind | serves (relevance) | evidence |")
    out.append("|---|---|---|---|")
    for t in kb.targets.values():
        serves = ", ".join(f"{kb.regions[e.region].name.lower()} {e.relevance:g} "
                           f"({relevance_words(e.relevance)})"
                           for e in sorted(t.serves, key=lambda e: -e.relevance)) or "—"
        anchor = t.id.lower().replace("_", "-")
        out.append(f"| [{_cell(t.name)}](#{anchor}) | {t.kind} | {serves} | "
                   f"{_cell(t.confidence) or '—'} |")
    out.append("")
    for t in kb.targets.values():
        out.append(f"### {t.name} {{#{t.id.lower().replace('_', '-')}}}")
        out.append("")
        facts = [f"**id** `{t.id}`", f"**kind** {t.kind}"]
        if t.role != "treatment":
            facts.append(f"**role** {t.role}")
        if t.code:
            facts.append(f"**WHO code** {t.code} (WHO 2008, p. {t.who_page})")
        out.append(" · ".join(facts))
        out.append("")
        if t.pinyin:
            out.append(f"- **Names:** {t.pinyin} · {t.characters} · {', '.join(t.english)}")
        if t.aliases:
            out.append(f"- **Also called:** {', '.join(t.aliases)}")
        out.append(f"- **Location:** {t.location}")
        pos = t.position
        out.append(f"- **Surfaces:** {', '.join(t.surfaces)}; diagram position (approximate) "
                   f"along {pos.along:g}, across {pos.across:g}, height {pos.height:g}")
        s = t.seconds
        out.append(f"- **Time per foot:** {s.min}–{s.max} s, default {s.default} s; "
                   f"technique `{t.technique}`")
        out.append(f"- **How:** {t.instructions}")
        for edge in sorted(t.serves, key=lambda e: -e.relevance):
            names = ", ".join(kb.sources[i].label for i in edge.sources)
            out.append(f"- **{kb.regions[edge.region].name}** — relevance {edge.relevance:g} "
                       f"({relevance_words(edge.relevance)}); evidence: {edge.evidence} "
                       f"Confidence: {t.confidence or '—'}. Sources: {names}.")
        if t.evidence:
            out.append(f"- **Evidence:** {t.evidence}")
        for caution in t.cautions:
            out.append(f"- **Caution:** {caution}")
        if t.confidence:
            out.append(f"- **Confidence:** {t.confidence}")
        out.append(f"- **Sources:** {', '.join(kb.sources[i].label for i in t.sources)}")
        out.append("")
    out.append("### Sources")
    out.append("")
    out.append("Every source of the knowledge base and the safety rules (also "
               "`footreflex sources`), with its structured fields:")
    out.append("")
    for src in kb.library_sources():
        ident = (src.identifier if src.identifier != "none"
                 else f"no identifier: {src.identifier_note}")
        out.append(f"- **{src.id}** — {src.citation} *({'; '.join(src.authors)}; "
                   f"{src.year}; {src.publisher}; {ident})*")
    return "\n".join(out) + "\n"


_MAP = re.compile(r"<!-- footreflex:map (.+?) (\d+) -->")


def _map(match: re.Match[str]) -> str:
    import footreflex

    svg = footreflex.plan(match.group(1), minutes=int(match.group(2))).foot_map().to_svg()
    return f'<div class="footreflex-figure" markdown="0">{svg}</div>'


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """Insert the generated reference and example maps where their markers stand."""
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, _reference())
    return _MAP.sub(_map, markdown)
