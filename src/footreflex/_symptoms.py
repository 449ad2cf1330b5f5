"""Free symptom text to canonical region ids, sides, and what was not covered.

The text is read by the shared text layer (:mod:`footreflex.language`: one normaliser, one
tokeniser, one typo corrector, the ConText reader) with a concept index built from the
knowledge base's region names and synonyms plus the reading vocabulary in
``data/lexicon.toml`` (docs/understanding.md):

* **Sites.** At each point of a sentence the longest term wins, so "upper back" beats "back",
  "back of my neck" is the neck, "back of my knee" the knee (not covered), and phrases that
  use a body word for something else ("I'm back again", "pain in the arse", "leg day") are
  terms of their own that name nothing. A spine word alone ("spine", "disc") is the lower
  back; next to another region word it only describes it ("cervical spine", "C5/6 disc").
* **Radiating pain.** A course word ("down", "into", "shooting") followed by path words and
  a part of the leg, or a nerve sensation next to one, is sciatic pain, unless the course
  starts below the thigh ("back of my knee ... into my calf").
* **Movements.** Movements of the head ("can't turn my head") are the neck; trunk movements
  ("it hurts when I bend over") and looking up or down point to a region only when nothing
  else is named.
* **Context.** A region whose every mention is negated ("not my neck", "neck's fine"),
  resolved ("sciatica cleared up") or in the remote past is *excluded*; someone else's
  complaint and questions still count (people ask for others). Negated abilities ("can't move
  my neck") affirm the region.
* **Sides.** "left shoulder", "right side of my neck", "neck hurts on the left" give
  :attr:`~footreflex.Complaint.sides`; both feet are still treated.

A text that names only body parts footreflex has no region for raises
:class:`~footreflex.errors.NotCoveredError` listing what is covered; a text that names nothing
raises :class:`~footreflex.errors.UnknownSymptomError`, with "did you mean" only for real
near-misses of covered words.

The cost is linear in the text: one pass per sentence over indexed terms, corrections and
suggestions memoised per word, and very long run-on sentences cut into pieces of at most
:data:`MAX_SENTENCE_CHARS` characters before they are read.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from footreflex._data import Shape, Term, load
from footreflex._knowledge import KnowledgeBase
from footreflex._knowledge import knowledge as _shipped_knowledge
from footreflex._models import Complaint, Side
from footreflex._text import region_list
from footreflex.errors import NotCoveredError, UnknownSymptomError
from footreflex.language import ConceptIndex, Match, Modifiers, read, stem
from footreflex.language._context import Sentence
from footreflex.language._words import Vocabulary, is_ordinary_word

__all__ = ["MAX_SENTENCE_CHARS", "Resolution", "resolve", "resolve_many", "resolve_text",
           "understand"]

MAX_SENTENCE_CHARS = 1000
"""Run-on text longer than this without a sentence end is read in pieces of about this size."""
_SITE_PRIORITY = {"region": 0, "generic": 1, "part": 2, "implied": 3, "noise": 4}
_LOWER_LEG = frozenset({"knee", "calf", "shin", "ankle", "foot", "heel", "toe"})
_ARM = frozenset({"arm", "elbow", "wrist", "hand"})
_SCIATIC_COURSE = frozenset({"leg", "thigh", "hamstring"})
_MEMO = 1 << 16


# ----------------------------------------------------------------------------- the reader
@dataclass(frozen=True)
class _Reader:
    """Everything needed to read complaints against one knowledge base (built once)."""

    index: ConceptIndex
    vocabulary: Vocabulary
    regions: tuple[str, ...]  # region ids of the knowledge base, in its order
    names: dict[str, str]  # region id -> display name (lower case)
    path: frozenset[str]  # stems of radiating path words
    leg_parts: frozenset[str]
    nerve_window: int
    denied_by: frozenset[str]  # stems that deny a course word right after them
    with_lower_back: frozenset[str]  # leg parts that are sciatic pain next to the lower back
    verbs: frozenset[str]  # stems of ability verbs
    pains: tuple[str, ...]  # pain word prefixes / stems
    breaks: frozenset[str]  # stems between two sites that keep them apart ("and", ",")
    suggest: dict[str, str]  # folded covered word -> display
    suggest_by_length: dict[int, tuple[str, ...]] = field(default_factory=dict)
    memo: dict[str, str | None] = field(default_factory=dict)  # word -> "did you mean"


def _terms(value: Any) -> list[str]:
    if isinstance(value, dict):
        return list(value.get("terms", []))
    return list(value)


_TERMS: Shape = {"terms": [Term]}
_SIDE: Shape = {"forward?": _TERMS, "backward?": _TERMS, "all?": _TERMS}
_LEXICON: Shape = {
    "regions": {str: [Term]},
    "generic?": {str: [Term]},
    "implied?": {str: [Term]},
    "radiating": {"course": [Term], "nerve": [Term], "path": [Term], "nerve_window": int,
                  "denied_by": [Term], "leg_parts": [Term], "with_lower_back": [Term]},
    "not_covered": {str: [Term]},
    "noise": _TERMS,
    "sides": {"left": _SIDE, "right": _SIDE, "both": _SIDE, "noise": _TERMS},
    "suggest": {"words": [Term]},
    "abilities": {"verbs": [Term], "pains": [Term]},
    "clauses": {"breaks": [Term]},
}
"""The shape of ``data/lexicon.toml`` (checked by :func:`footreflex._data.check`)."""


def _build(kb: KnowledgeBase) -> _Reader:
    data = load("lexicon.toml", _LEXICON)
    concepts: dict[str, list[str]] = {}
    known = set(kb.regions)
    for phrase, region in kb.region_synonyms().items():
        concepts.setdefault(f"region:{region}", []).append(phrase)
    for kind in ("regions", "generic", "implied"):
        for region, terms in data.get(kind, {}).items():
            if all(r in known for r in region.split("+")):
                name = "region" if kind == "regions" else kind
                concepts.setdefault(f"{name}:{region}", []).extend(terms)
    for part, terms in data["not_covered"].items():
        concepts[f"part:{part}"] = list(terms)
    concepts["noise"] = _terms(data["noise"])
    radiating = data["radiating"]
    concepts["course"] = list(radiating["course"])
    concepts["nerve"] = list(radiating["nerve"])
    for side in ("left", "right", "both"):
        for direction in ("forward", "backward", "all"):
            terms = _terms(data["sides"][side].get(direction, []))
            if terms:
                concepts[f"side:{side}:{direction}"] = terms
    concepts["sidenoise"] = _terms(data["sides"]["noise"])
    abilities = data["abilities"]
    concepts["pain"] = list(abilities["pains"])
    index = ConceptIndex(concepts)
    # typos are corrected towards the reader's own words only: a trigger word such as
    # "should" must not win over "shoulder" for "shouldr"
    vocabulary = Vocabulary(index.words)
    suggest: dict[str, str] = {}
    for phrase in [*data["suggest"]["words"], *kb.region_synonyms()]:
        for word in phrase.split():
            if word.isalpha() and len(word) >= 4:
                suggest.setdefault(word, word)
    by_length: dict[int, list[str]] = {}
    for word in sorted(suggest):
        by_length.setdefault(len(word), []).append(word)
    return _Reader(
        index=index,
        vocabulary=vocabulary,
        regions=tuple(kb.regions),
        names={r.id: r.name.lower() for r in kb.regions.values()},
        path=frozenset(stem(w) for w in radiating["path"]),
        leg_parts=frozenset(radiating["leg_parts"]),
        nerve_window=int(radiating["nerve_window"]),
        denied_by=frozenset(stem(w) for w in radiating["denied_by"]),
        with_lower_back=frozenset(radiating["with_lower_back"]),
        verbs=frozenset(stem(w) for w in abilities["verbs"]),
        pains=tuple(p.rstrip("*") for p in abilities["pains"]),
        breaks=frozenset(data["clauses"]["breaks"]),
        suggest=suggest,
        suggest_by_length={k: tuple(v) for k, v in by_length.items()},
    )


_readers: weakref.WeakKeyDictionary[KnowledgeBase, _Reader] = weakref.WeakKeyDictionary()


_last: tuple[weakref.ref[KnowledgeBase], _Reader] | None = None
"""The last knowledge base read for (weakly) and its reader: one tuple, replaced whole."""


def _reader(kb: KnowledgeBase) -> _Reader:
    global _last
    last = _last
    if last is not None and last[0]() is kb:
        return last[1]
    cached = _readers.get(kb)
    if cached is None:
        cached = _build(kb)
        _readers[kb] = cached
    _last = (weakref.ref(kb), cached)
    return cached


# ----------------------------------------------------------------------------- results
@dataclass
class Resolution:
    """What a symptom text named (the mutable working form of a :class:`Complaint`).

    Attributes:
        regions: Region ids in order of first mention, without duplicates.
        not_understood: Left-over words that look like a misspelt covered word, with the
            hint (``"nekc (did you mean 'neck'?)"``), in the person's spelling.
        not_covered: Body parts named that footreflex has no region for, in the person's
            words (``"knee"``).
        sides: Region id -> side, where the text states one.
        excluded: Region ids the text rules out ("not my neck").
    """

    regions: list[str] = field(default_factory=list)
    not_understood: list[str] = field(default_factory=list)
    not_covered: list[str] = field(default_factory=list)
    sides: dict[str, Side] = field(default_factory=dict)
    excluded: list[str] = field(default_factory=list)

    def complaint(self) -> Complaint:
        """Return the frozen :class:`~footreflex.Complaint`."""
        return Complaint(regions=tuple(self.regions), sides=dict(self.sides),
                         not_understood=tuple(self.not_understood),
                         not_covered=tuple(self.not_covered), excluded=tuple(self.excluded))


class _Site:
    """A place in a sentence that names a region, a body part or nothing ("noise")."""

    __slots__ = ("absorbed", "end", "host", "inferred", "kind", "modifiers", "start", "value")

    def __init__(self, kind: str, value: str, start: int, end: int, modifiers: Modifiers,
                 *, inferred: bool = False) -> None:
        self.kind = kind  # region, generic, implied, part, noise
        self.value = value  # region id or part name
        self.start = start
        self.end = end
        self.modifiers = modifiers
        self.absorbed = False
        self.host = ""  # the region an absorbed part belongs to ("sciatic" for "left leg")
        self.inferred = inferred  # read from a description ("pain goes down my leg")

    @property
    def regions(self) -> list[str]:
        """Region ids this site names (several for "upper and lower back")."""
        if self.kind == "part":
            return [self.host] if self.host else []
        return self.value.split("+")


class _Ordered(dict[str, None]):
    """An insertion-ordered set of strings (no list scans): a dict of its items."""

    __slots__ = ()

    def add(self, item: str) -> None:
        self[item] = None  # an item already there keeps its place

    def list(self) -> list[str]:
        return list(self)


class _Collected:
    """What the sentences of one text named so far."""

    __slots__ = ("affirmed", "denied", "hosted", "implied", "inferred", "last_host", "parts",
                 "sides", "unknown")

    def __init__(self) -> None:
        self.affirmed = _Ordered()
        self.denied = _Ordered()
        self.implied = _Ordered()
        self.parts = _Ordered()
        self.unknown = _Ordered()
        self.inferred = _Ordered()
        self.hosted: dict[str, _Ordered] = {}  # region -> parts it absorbed
        self.sides: dict[str, set[str]] = {}
        self.last_host: list[str] = []  # regions of the last site read


# ----------------------------------------------------------------------------- reading
_LONG_RUN = re.compile(rf"[^.!?;\n]{{{2 * MAX_SENTENCE_CHARS},}}")


def _cut(text: str) -> str:
    """Cut run-on stretches longer than 2 x MAX_SENTENCE_CHARS at spaces (linear)."""
    if len(text) < 2 * MAX_SENTENCE_CHARS:
        return text

    def cut(m: re.Match[str]) -> str:
        run = m.group(0)
        pieces: list[str] = []
        start = 0
        while len(run) - start > MAX_SENTENCE_CHARS:
            space = run.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
            stop = space if space > start else start + MAX_SENTENCE_CHARS
            pieces.append(run[start:stop])
            start = stop
        pieces.append(run[start:])
        return "\n".join(pieces)

    return _LONG_RUN.sub(cut, text)


def _select(candidates: list[tuple[int, int, int, Match]]) -> list[Match]:
    """Leftmost-longest non-overlapping matches (ties broken by the given priority)."""
    if len(candidates) < 2:
        return [c[3] for c in candidates]
    candidates.sort(key=lambda c: (c[0], -c[1], c[2]))
    out: list[Match] = []
    last = 0
    for start, _, _, match in candidates:
        if start >= last:
            out.append(match)
            last = match.end
    return out


def _is_pain(word: str, pains: tuple[str, ...]) -> bool:
    return any(word.startswith(p) for p in pains)


def _read_sentence(sentence: Sentence, reader: _Reader, found: _Collected) -> None:
    tokens = sentence.tokens
    context = dict(zip(sentence.matches, sentence.context, strict=True))
    site_candidates: list[tuple[int, int, int, Match]] = []
    side_candidates: list[tuple[int, int, int, Match]] = []
    courses: list[Match] = []
    nerves: list[Match] = []
    covered = [False] * len(tokens)
    for m in sentence.matches:
        kind = m.concept.split(":", 1)[0]
        priority = _SITE_PRIORITY.get(kind)
        if priority is not None:
            site_candidates.append((m.start, m.end - m.start, priority, m))
            continue
        if kind in ("side", "sidenoise"):
            side_candidates.append((m.start, m.end - m.start, 0 if kind == "side" else 1, m))
        elif kind == "course":
            courses.append(m)
        elif kind == "nerve":
            nerves.append(m)
        elif kind != "pain":
            continue
        for k in range(m.start, m.end):  # words of sides, courses, nerves and pains
            covered[k] = True
    sites: list[_Site] = []
    # what the sites hold: a generic word, the lower back or sciatic pain that count
    generic = lumbar = sciatic = parts = False
    for m in _select(site_candidates):
        kind, _, value = m.concept.partition(":")
        modifiers = context[m]
        if modifiers.negated:
            modifiers = _affirm(modifiers, m, sentence, reader)
        sites.append(_Site(kind, value, m.start, m.end, modifiers))
        if kind == "generic":
            generic = True
        elif kind == "part":
            parts = True
        elif kind == "region" and _counts(modifiers):
            if value == "sciatic":
                sciatic = True
            elif "lumbar" in value.split("+"):
                lumbar = True
    if generic or courses or nerves:
        stems = [t.stem for t in tokens]
        if generic:  # (only generic sites change)
            sites = _generic(sites, stems, sentence.clauses, reader.breaks)
        if courses or nerves:
            made = _radiating(sites, courses, nerves, context, stems, sentence, reader)
            sites.extend(made)  # sciatic pain, read from its course or from nerve words
            sciatic = sciatic or any(_counts(s.modifiers) for s in made)
    if len(sites) > 1:
        sites.sort(key=lambda s: (s.start, s.end))
    if lumbar and parts:  # leg parts next to the lower back are sciatic pain
        legs = [s for s in sites if s.kind == "part" and not s.absorbed
                and s.value in reader.with_lower_back and _counts(s.modifiers)]
        for s in legs:
            s.absorbed = True
            s.host = "sciatic"
            sites.append(_Site("region", "sciatic", s.start, s.end, s.modifiers, inferred=True))
            sciatic = True
        sites.sort(key=lambda s: (s.start, s.end))
    if sciatic and parts:
        for s in sites:
            if s.kind == "part" and s.value in _SCIATIC_COURSE:
                s.absorbed = True
                s.host = "sciatic"
    _sides(sites, _select(side_candidates), sentence, found)
    for s in sites:
        for k in range(s.start, s.end):
            covered[k] = True
        if s.kind == "part" and s.host and _counts(s.modifiers):
            found.hosted.setdefault(s.host, _Ordered()).add(_words(tokens, s.start, s.end))
        if s.kind == "noise" or s.absorbed:
            continue
        counts = _counts(s.modifiers)
        if s.kind in ("region", "generic"):
            for region in s.regions:
                if s.inferred and counts:
                    found.inferred.add(region)
                else:
                    (found.affirmed if counts else found.denied).add(region)
        elif s.kind == "implied" and counts:
            for region in s.regions:
                found.implied.add(region)
        elif s.kind == "part" and counts:
            found.parts.add(_words(tokens, s.start, s.end))
    suggest = reader.suggest
    for k, token in enumerate(tokens):
        word = token.norm
        if not covered[k] and len(word) >= 4 and word not in suggest and word.isalpha():
            hint = _near_miss(word, reader)
            if hint is not None:
                found.unknown.add(f"{token.text} (did you mean {hint!r}?)")


def _words(tokens: Sequence[Any], start: int, end: int) -> str:
    """The person's words for tokens (a possessive or contracted "'s" dropped: "knee's")."""
    out: list[str] = []
    for t in tokens[start:end]:
        word = t.text[:-2] if t.text.endswith("'s") else t.text.rstrip("'")
        if not out or out[-1] != word:
            out.append(word)
    return " ".join(out)


def _counts(modifiers: Modifiers) -> bool:
    """Does a mention count as the person's complaint now? (others' and questions do)."""
    return not (modifiers.negated or modifiers.resolved or modifiers.past)


def _affirm(modifiers: Modifiers, m: Match, sentence: Sentence, reader: _Reader) -> Modifiers:
    """Undo a negation that is about an ability ("can't move my neck"), not the region."""
    if not modifiers.negated:
        return modifiers
    stems = [t.stem for t in sentence.tokens]
    clause = sentence.clauses[m.start]
    before = [k for k in range(max(0, m.start - 4), m.start) if sentence.clauses[k] == clause]
    if any(stems[k] in reader.verbs for k in (*before, *range(m.start, m.end))):
        return Modifiers(other=modifiers.other, hypothetical=modifiers.hypothetical)
    if any(sentence.tokens[k].norm == "without" for k in before):
        after = range(m.end, min(len(stems), m.end + 3))
        if any(_is_pain(sentence.tokens[k].norm, reader.pains) for k in after):
            return Modifiers(other=modifiers.other, hypothetical=modifiers.hypothetical)
    return modifiers


def _generic(sites: list[_Site], stems: Sequence[str], clauses: Sequence[int],
             breaks: frozenset[str]) -> list[_Site]:
    """A spine word next to a region word describes it; alone it is its own region.

    A nerve word ("pinched nerve", "radiculopathy") in a sentence that names the neck or the
    arm describes a nerve of the neck (pain from the neck runs down the arm), not sciatica.
    """
    specific = [s for s in sites if s.kind == "region"]
    if not specific:
        return sites
    neck_or_arm = any((s.kind == "region" and s.value == "cervical")
                      or (s.kind == "part" and s.value in _ARM) for s in sites)
    for s in sites:
        if s.kind != "generic":
            continue
        if s.value == "sciatic" and neck_or_arm:
            s.absorbed = True
            continue
        for r in specific:
            lo, hi = (r.end, s.start) if r.end <= s.start else (s.end, r.start)
            if hi - lo > 4 or clauses[r.start] != clauses[s.start]:
                continue
            if any(stems[k] in breaks for k in range(lo, hi)):
                continue
            s.absorbed = True
            break
    return sites


def _radiating(sites: list[_Site], courses: Sequence[Match], nerves: Sequence[Match],
               context: dict[Match, Modifiers], stems: Sequence[str], sentence: Sentence,
               reader: _Reader) -> list[_Site]:
    """Sciatic pain described by its course or by nerve sensations in the leg."""
    at: dict[int, _Site] = {}
    for s in sites:
        for k in range(s.start, s.end):
            at[k] = s
    made: list[_Site] = []
    done: set[int] = set()
    for course in courses:
        if course.start in done:
            continue
        origin = next((s for s in reversed(sites) if s.end <= course.start
                       and s.kind in ("region", "part")), None)
        if origin is not None and origin.kind == "part" and origin.value in _LOWER_LEG:
            continue
        k = course.end
        reached: list[_Site] = []
        steps = 0
        while k < len(stems) and steps < 8:
            site = at.get(k)
            if site is not None and (
                    (site.kind == "part" and site.value in reader.leg_parts)
                    or (site.kind == "region" and site.value == "sciatic")):
                reached.append(site)
                k = site.end
            elif stems[k] in reader.path or (site is not None and site.kind == "noise"):
                k += 1
            else:
                break
            steps += 1
        if not any(s.kind == "part" for s in reached):
            continue
        for s in reached:
            if s.kind == "part":
                s.absorbed = True
                s.host = "sciatic"
        done.update(range(course.start, k))
        modifiers = context[course]
        if course.start > 0 and stems[course.start - 1] in reader.denied_by:
            modifiers = Modifiers(negated=True)
        made.append(_Site("region", "sciatic", course.start, k, modifiers, inferred=True))
    for nerve in nerves:
        for s in sites:
            if s.kind != "part" or s.value not in reader.leg_parts or s.value in _LOWER_LEG:
                continue
            gap = s.start - nerve.end if s.start >= nerve.end else nerve.start - s.end
            if 0 <= gap <= reader.nerve_window and \
                    sentence.clauses[s.start] == sentence.clauses[nerve.start]:
                s.absorbed = True
                s.host = "sciatic"
                made.append(_Site("region", "sciatic", min(s.start, nerve.start),
                                  max(s.end, nerve.end), context[nerve], inferred=True))
    return made


def _sides(sites: Sequence[_Site], sides: Sequence[Match], sentence: Sentence,
           found: _Collected) -> None:
    """Attach each stated side to the site it describes; keep it for covered regions.

    A side inside a site's words belongs to it ("down my left leg"). Otherwise a forward
    side ("left", "right side of") names the next site of its clause (a multi-word one also
    the sites listed right after it: "left side of my neck and shoulder"); a backward side
    ("on the left") the site before it. Sites include parts footreflex does not cover, so
    "left knee and lower back" gives the lower back no side.
    """
    if not sides:  # only the last site read is kept, for a side in a later sentence
        for s in reversed(sites):
            if (s.kind in ("region", "generic") and not s.absorbed) or (
                    s.kind == "part" and (s.host or not s.absorbed)):
                found.last_host = s.regions
                break
        return
    hosts = [s for s in sites if (s.kind in ("region", "generic") and not s.absorbed)
             or (s.kind == "part" and (s.host or not s.absorbed))]
    if not hosts:  # "lower back 👎 right side": a side alone follows the last site read
        short = len(sentence.tokens) <= 4  # "Sciatica. Left."
        for m in sides:
            kind, side, direction = [*m.concept.split(":"), "", ""][:3]
            if kind == "side" and (direction != "forward" or short):
                for region in found.last_host:
                    found.sides.setdefault(region, set()).add(side)
        return
    found.last_host = hosts[-1].regions
    taken: set[int] = set()

    def give(site: _Site, side: str) -> None:
        for region in site.regions:
            found.sides.setdefault(region, set()).add(side)

    rest: list[tuple[str, str, Match]] = []
    for m in sides:
        kind, side, direction = [*m.concept.split(":"), "", ""][:3]
        if kind != "side":
            continue
        host = next((h for h in hosts if h.start <= m.start and m.end <= h.end), None)
        if host is None:
            rest.append((side, direction, m))
            continue
        taken.add(id(host))
        give(host, side)
    for side, direction, m in rest:
        clause = sentence.clauses[m.start]
        after = [h for h in hosts if h.start >= m.end and id(h) not in taken
                 and sentence.clauses[h.start] == clause and h.start - m.end <= 4]
        before = [h for h in hosts if h.end <= m.start and id(h) not in taken]
        near = [h for h in before if m.start - h.end <= 6
                and sentence.clauses[h.start] == clause]
        targets: list[_Site] = []
        if direction == "forward" and after:
            targets = [after[0]]
            if m.end - m.start > 1:
                for h in after[1:]:
                    if h.start - targets[-1].end > 2:
                        break
                    targets.append(h)
        elif direction == "all":
            targets = before
        elif direction == "backward" and (near or before):
            targets = [(near or before)[-1]]
        elif after:
            targets = [after[0]]
        elif near and side != "both":  # "sciatica: left" (but "neck and back both ache")
            targets = [near[-1]]
        for h in targets:
            give(h, side)


def _near_miss(word: str, reader: _Reader) -> str | None:
    if len(word) < 4 or not word.isalpha() or word in reader.suggest \
            or reader.vocabulary.knows(word):
        return None
    memo = reader.memo
    if word in memo:
        return memo[word]
    hint = _near_miss_of(word, reader)
    if len(memo) > _MEMO:
        memo.clear()
    memo[word] = hint
    return hint


@functools.cache
def _damerau() -> Any:
    from rapidfuzz.distance import DamerauLevenshtein

    return DamerauLevenshtein


def _distance_ok(word: str, target: str) -> int | None:
    limit = 1 if len(target) <= 6 else 2
    if abs(len(word) - len(target)) > limit:
        return None
    d = int(_damerau().distance(word, target, score_cutoff=limit))
    return d if d <= limit else None


def _near_miss_of(word: str, reader: _Reader) -> str | None:
    best: tuple[int, str] | None = None
    for length in range(len(word) - 2, len(word) + 3):
        for target in reader.suggest_by_length.get(length, ()):
            d = _distance_ok(word, target)
            if d is not None and (best is None or (d, target) < best):
                best = (d, target)
    if best is None or is_ordinary_word(word):
        return None
    return reader.suggest[best[1]]


def _understand(text: str, kb: KnowledgeBase) -> Resolution:
    """Read one text; never raises for text (the callers decide what an empty result is)."""
    reader = _reader(kb)
    found = _Collected()
    reading = read(_cut(text), reader.index, reader.vocabulary, mask_lookalikes=False)
    for sentence in reading.sentences:
        _read_sentence(sentence, reader, found)
    # a region read from a description gives way to the person denying it by name ("goes
    # down my leg but the doctor says it's not sciatica"); its parts are then just parts
    denied = found.denied
    for region in found.inferred:
        if region not in denied:
            found.affirmed.add(region)
    for region, parts in found.hosted.items():
        if region not in found.affirmed:
            for part in parts:
                found.parts.add(part)
    regions = list(found.affirmed)
    if not regions:
        regions = [r for r in found.implied if r not in denied]
    sides: dict[str, Side] = {}
    if found.sides:
        order = set(regions)
        stated_sides: dict[str, Side] = {}
        for region, stated in found.sides.items():
            if region in order:
                stated_sides[region] = "both" if "both" in stated or len(stated) > 1 else (
                    "left" if "left" in stated else "right")
        sides = {r: stated_sides[r] for r in regions if r in stated_sides}
    return Resolution(
        regions=regions,
        not_understood=list(found.unknown),
        not_covered=list(found.parts),
        sides=sides,
        excluded=[r for r in denied if r not in regions] if denied else [],
    )


def _covered_names(kb: KnowledgeBase) -> list[str]:
    return [r.name.lower() for r in kb.regions.values()]


def _examples(kb: KnowledgeBase) -> str:
    names = [repr(n) for n in _covered_names(kb)]
    if len(names) > 1:
        return ", ".join(names[:-1]) + " or " + names[-1]
    return names[0] if names else "a region"


def _suggestions(text: str, res: Resolution) -> list[str]:
    out = _Ordered()
    for entry in res.not_understood:
        out.add(entry.split("'")[1])
    return out.list()[:3]


def _check(text: object) -> str:
    if not isinstance(text, str):
        raise UnknownSymptomError(repr(text), message=(
            f"a symptom must be text, not {type(text).__name__}"))
    return text


def _knowledge(kb: object) -> KnowledgeBase:
    if kb is None:
        return _shipped_knowledge()
    if not isinstance(kb, KnowledgeBase):
        raise UnknownSymptomError("", message=(
            f"knowledge must be a KnowledgeBase, not {type(kb).__name__}"))
    return kb


def _raise_empty(text: str, res: Resolution, kb: KnowledgeBase) -> None:
    if res.regions:
        return
    if res.not_covered:
        raise NotCoveredError(text, res.not_covered, _covered_names(kb))
    suggestions = _suggestions(text, res)
    if suggestions:
        raise UnknownSymptomError(text, suggestions)
    if not any(ch.isalnum() for ch in text):
        raise UnknownSymptomError(text, message=(
            f"no words in the symptom text; name a region such as {_examples(kb)}"))
    if res.excluded:
        names = region_list(res.excluded, {r: kb.regions[r].name for r in res.excluded})
        raise UnknownSymptomError(text, message=(
            f"the text rules out {names} and names no other region; name one such as "
            f"{_examples(kb)}"))
    raise UnknownSymptomError(text, message=(
        f"no body region recognised in {text!r}; try e.g. {_examples(kb)}"))


def resolve_text(text: str, kb: KnowledgeBase | None = None) -> Resolution:
    """Resolve one symptom text, keeping what it could not place.

    Args:
        text: Free text such as ``"my lower back is killing me"``.
        kb: Knowledge base whose regions and synonyms to use (default: the shipped one).

    Returns:
        A :class:`Resolution`.

    Raises:
        NotCoveredError: The text names only body parts footreflex has no routine for.
        UnknownSymptomError: The text names no region (with suggestions), or is not text.
    """
    text = _check(text)
    kb = _knowledge(kb)
    res = _understand(text, kb)
    _raise_empty(text, res, kb)
    return res


def resolve_many(
    symptoms: str | Sequence[str], kb: KnowledgeBase | None = None
) -> Resolution:
    """Resolve a text or a list of texts into one :class:`Resolution`.

    A list plans for every region any of its texts names; an item that names no region is
    an error only when no item names one.

    Args:
        symptoms: One text or a sequence of texts.
        kb: Knowledge base (default: the shipped one).

    Returns:
        The combined resolution, regions in order of first mention.

    Raises:
        NotCoveredError: Every item names only body parts footreflex does not cover.
        UnknownSymptomError: Nothing names a region, or the input is not text.
    """
    if isinstance(symptoms, str):
        return resolve_text(symptoms, kb)
    if not isinstance(symptoms, Sequence) or isinstance(symptoms, bytes | bytearray):
        raise UnknownSymptomError(repr(symptoms), message=(
            f"symptoms must be a text or a list of texts, not {type(symptoms).__name__}"))
    if not symptoms:
        raise UnknownSymptomError("", message="no symptoms given")
    kb = _knowledge(kb)
    parts = [_understand(_check(item), kb) for item in symptoms]
    # each an insertion-ordered set (a key already there keeps its place)
    regions: dict[str, None] = {}
    unknown: dict[str, None] = {}
    uncovered: dict[str, None] = {}
    excluded: dict[str, None] = {}
    sides: dict[str, Side] = {}
    for part in parts:
        for region in part.regions:
            if region not in regions:
                regions[region] = None
        if part.not_understood:
            unknown.update(dict.fromkeys(part.not_understood))
        if part.not_covered:
            uncovered.update(dict.fromkeys(part.not_covered))
        if part.excluded:
            excluded.update(dict.fromkeys(part.excluded))
        for region, side in part.sides.items():
            old = sides.get(region)
            sides[region] = side if old in (None, side) else "both"
    merged = Resolution(
        regions=list(regions), not_understood=list(unknown), not_covered=list(uncovered),
        sides={r: sides[r] for r in regions if r in sides} if sides else {},
        excluded=[r for r in excluded if r not in regions] if excluded else [])
    if not merged.regions:
        for item, part in zip(symptoms, parts, strict=True):
            if part.not_covered:
                raise NotCoveredError(" ".join(symptoms), merged.not_covered,
                                      _covered_names(kb))
            _raise_empty(item, part, kb)
    return merged


def understand(text: str, knowledge: KnowledgeBase | None = None) -> Complaint:
    """Read a complaint as people write it: regions, sides, exclusions, what is not covered.

    Args:
        text: Free text, e.g. ``"not my neck, it's the left side of my lower back"``.
        knowledge: Knowledge base whose regions to read for (default: the shipped one).

    Returns:
        A :class:`~footreflex.Complaint` (``regions`` ``("lumbar",)``, ``sides``
        ``{"lumbar": "left"}``, ``excluded`` ``("cervical",)``).

    Raises:
        NotCoveredError: The text names only body parts footreflex has no routine for
            (``parts`` in the person's words, ``covered`` the region names).
        UnknownSymptomError: The text names no region (``suggestions`` holds real
            near-misses of covered words), or is not text.
    """
    return resolve_text(text, knowledge).complaint()


def resolve(text: str, knowledge: KnowledgeBase | None = None) -> list[str]:
    """Return the canonical region ids a symptom text names.

    Args:
        text: Free text, e.g. ``"lower back and neck"`` or ``"sore shoulders"``.
        knowledge: Knowledge base whose regions to read for (default: the shipped one).

    Returns:
        Region ids in order of first mention, without duplicates
        (``["lumbar", "cervical"]``).

    Raises:
        NotCoveredError: The text names only body parts footreflex has no routine for.
        UnknownSymptomError: The text names no region; ``suggestions`` holds up to three
            close matches.
    """
    return resolve_text(text, knowledge).regions
