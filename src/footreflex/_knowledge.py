"""Load, validate and query a knowledge base.

The shipped knowledge base is ``footreflex/data/knowledge.toml``, read through the one data
loader (:func:`footreflex._data.load`): once, on first use, behind a lock, the same object
afterwards. :meth:`KnowledgeBase.from_toml` loads another file.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from footreflex._data import load, prevalidated, pristine, remember
from footreflex._data import origin as data_origin
from footreflex._data import raw as data_raw
from footreflex._models import Channel, Region, Source, Target
from footreflex._text import close_matches, compact, fold
from footreflex.errors import InvalidArgumentError, KnowledgeBaseError, UnknownTargetError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["KnowledgeBase", "knowledge"]

KNOWLEDGE_SCHEMA_VERSION = 1
_SHIPPED = "knowledge.toml"
MAX_KB_BYTES = 16 * 1024 * 1024
"""The largest knowledge-base file :meth:`KnowledgeBase.from_toml` reads (16 MiB); anything
that is not a regular file (a FIFO, a device) is refused before it is read."""


class _KnowledgeFile(BaseModel):
    """The top-level shape of a knowledge-base TOML file."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="forbid")

    schema_version: int = Field(ge=1, le=KNOWLEDGE_SCHEMA_VERSION)
    name: str = "custom knowledge base"
    version: str = "0"
    disclaimer: str = ""
    sources: tuple[Source, ...] = Field(min_length=1)
    channels: tuple[Channel, ...] = ()
    regions: tuple[Region, ...] = Field(min_length=1)
    techniques: dict[str, str] = Field(min_length=1)
    targets: tuple[Target, ...] = Field(min_length=2)


def _field_path(raw: Mapping[str, Any], loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as ``targets[3] (LR3).seconds.min``."""
    parts: list[str] = []
    node: Any = raw
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            try:
                node = node[item]
                if isinstance(node, Mapping) and "id" in node:
                    label += f" ({node['id']})"
            except (IndexError, KeyError, TypeError):
                node = None
            if parts:
                parts[-1] += label
            else:
                parts.append(label)
        else:
            parts.append(str(item))
            try:
                node = node[item]
            except (IndexError, KeyError, TypeError):
                node = None
    return ".".join(parts)


class KnowledgeBase:
    """A validated knowledge base and its networkx graph.

    Attributes:
        name: Name of the knowledge base.
        version: Its data version.
        disclaimer: Extra disclaimer text this knowledge base adds to its routines (the
            shipped safety disclaimer is always there).
        origin: Where it was loaded from (a path, or ``"<package>/knowledge.toml"``).
        regions: Regions by id, in file order.
        targets: Targets by id, in file order.
        sources: Sources by id.
        techniques: Technique descriptions by id.
        graph: An undirected :class:`networkx.Graph`, built on first use (networkx is
            imported then; planning never needs it). Region nodes carry ``type="region"``
            and ``name``; target nodes carry ``type="target"``, ``kind``, ``role``,
            ``surfaces``, ``along``, ``across``, ``height`` and ``seconds``; each region-target
            edge carries ``relevance``, ``evidence`` and ``sources``.
        warmup: The general warm-up massage (always the first step).
        cooldown: The general cool-down massage, if the knowledge base has one.
    """

    def __init__(self, data: Mapping[str, Any], origin: str = "<memory>") -> None:
        """Validate ``data`` (the parsed TOML) and build the graph.

        Args:
            data: The knowledge base as nested mappings, as :mod:`tomllib` returns it.
            origin: Name of the file it came from, used in error messages.

        Raises:
            KnowledgeBaseError: When the data fails validation; names file, field and reason.
        """
        if not isinstance(data, Mapping):
            raise KnowledgeBaseError(origin, "", "the top level must be a table")
        try:
            parsed = _KnowledgeFile.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise KnowledgeBaseError(
                origin, _field_path(data, tuple(first["loc"])), first["msg"]
            ) from None
        self._setup(parsed, data, origin)

    @classmethod
    def _shipped(cls, data: Mapping[str, Any], origin: str) -> KnowledgeBase:
        """The shipped knowledge base: from its pre-validated cached form when there is one.

        ``data`` is the parsed shipped file (a variant put in its place is validated, see
        :func:`footreflex._data.pristine`). When the shipped-data cache holds the file
        model as validated by an earlier process (:func:`footreflex._data.prevalidated`),
        it is constructed from that without validation; otherwise it is validated here and
        its validated form cached.
        """
        parsed = prevalidated(_KnowledgeFile, _SHIPPED) if pristine(_SHIPPED, data) else None
        if parsed is None:
            kb = cls(data, origin)
            if pristine(_SHIPPED, data):
                remember(_SHIPPED, kb._file)
            return kb
        kb = cls.__new__(cls)
        kb._setup(parsed, data, origin)
        return kb

    @classmethod
    def _from_cache(cls) -> KnowledgeBase | None:
        """The shipped knowledge base from its pre-validated cached form alone, or ``None``.

        The file need not be parsed: the cache entry was written after the same checks
        passed on the same data (see :func:`footreflex._data.prevalidated`).
        """
        parsed = prevalidated(_KnowledgeFile, _SHIPPED)
        if parsed is None:
            return None
        kb = cls.__new__(cls)
        kb._setup(parsed, None, data_origin(_SHIPPED))
        return kb

    def _setup(self, parsed: _KnowledgeFile, data: Mapping[str, Any] | None, origin: str
               ) -> None:
        """Index a validated knowledge file.

        ``data`` is its parsed form; ``None`` for the shipped file made from its cached
        validated form (parsed only if an error must name a field).
        """
        self.origin = origin
        self._file = parsed
        self.name = parsed.name
        self.version = parsed.version
        self.disclaimer = parsed.disclaimer
        self.sources: Mapping[str, Source] = MappingProxyType({s.id: s for s in parsed.sources})
        self.regions: Mapping[str, Region] = MappingProxyType({r.id: r for r in parsed.regions})
        self.targets: Mapping[str, Target] = MappingProxyType({t.id: t for t in parsed.targets})
        self.techniques: Mapping[str, str] = MappingProxyType(dict(parsed.techniques))
        self._check_references(data)
        # Names -> targets: built now for data validated here (a clash is a loading error);
        # for the shipped file made from its cached validated form (the same data, checked
        # with this code when the entry was written) on the first look-up by name.
        self._alias_index: dict[str, tuple[str, str]] | None = (
            self._build_aliases(data) if data is not None else None)
        self._graph: nx.Graph | None = None
        self._graph_lock = threading.Lock()
        # Typed indexes the planner works from (built once; the knowledge base never changes).
        self.warmup: Target = next(t for t in self.targets.values() if t.role == "warmup")
        self.cooldown: Target | None = next(
            (t for t in self.targets.values() if t.role == "cooldown"), None)
        index: dict[str, list[tuple[Target, float]]] = {r: [] for r in self.regions}
        for target in sorted(self.targets.values(), key=lambda t: t.id):
            for edge in target.serves:
                index[edge.region].append((target, float(edge.relevance)))
        self._candidates: dict[str, tuple[tuple[Target, float], ...]] = {
            r: tuple(pairs) for r, pairs in index.items()}
        self._by_region: dict[str, tuple[tuple[str, float], ...]] = {
            r: tuple((t.id, rel) for t, rel in pairs if t.role == "treatment" and rel > 0)
            for r, pairs in index.items()}
        self._shapes: dict[str, tuple[int, int, int]] = {
            t.id: (t.seconds.min, t.seconds.default, t.seconds.max)
            for t in self.targets.values()}
        # Ranked indexes, built on first use (see _classes and _ranked), behind one lock.
        self._classes_index: tuple[dict[str, tuple[frozenset[str], ...]],
                                   dict[frozenset[str], tuple[str, ...]]] | None = None
        self._ranked_index: dict[tuple[frozenset[str], tuple[str, ...], int, float],
                                 dict[tuple[int, int, int, int],
                                      tuple[tuple[int, str], ...]]] = {}
        self._index_lock = threading.Lock()

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_toml(cls, path: str | Path) -> KnowledgeBase:
        """Load and validate a knowledge base from a TOML file.

        Args:
            path: Path of the file.

        Returns:
            The knowledge base.

        Raises:
            KnowledgeBaseError: The file cannot be read, is not TOML, or fails validation.
        """
        file = str(path)
        if not isinstance(path, str | Path):
            raise KnowledgeBaseError(file, "", f"a path must be text or a Path, not "
                                     f"{type(path).__name__}")
        if "\x00" in file:  # os.stat would raise ValueError
            raise KnowledgeBaseError(file, "", "cannot read file (not a valid path)")
        try:
            mode = os.stat(path).st_mode
            if not stat.S_ISREG(mode):
                what = "it is a folder" if stat.S_ISDIR(mode) else "not a regular file"
                raise KnowledgeBaseError(file, "", f"cannot read file ({what})")
            with open(path, "rb") as handle:
                raw = handle.read(MAX_KB_BYTES + 1)
        except OSError as exc:
            raise KnowledgeBaseError(file, "", f"cannot read file ({exc.strerror})") from None
        if len(raw) > MAX_KB_BYTES:
            raise KnowledgeBaseError(file, "", f"larger than {MAX_KB_BYTES // 2**20} MiB")
        return cls._from_bytes(raw, file)

    @classmethod
    def _from_bytes(cls, raw: bytes, origin: str) -> KnowledgeBase:
        import tomllib

        try:
            data = tomllib.loads(raw.decode("utf-8-sig"))  # a byte-order mark is fine
        except UnicodeDecodeError:
            raise KnowledgeBaseError(origin, "", "not UTF-8 text") from None
        except RecursionError:
            raise KnowledgeBaseError(origin, "", "arrays or tables nested too deeply"
                                     ) from None
        except tomllib.TOMLDecodeError as exc:
            raise KnowledgeBaseError(origin, "", f"not valid TOML ({exc})") from None
        try:
            return cls(data, origin)
        except RecursionError:
            raise KnowledgeBaseError(origin, "", "arrays or tables nested too deeply"
                                     ) from None

    # --------------------------------------------------------------- validation
    def _fail(self, raw: Mapping[str, Any] | None, loc: tuple[int | str, ...], reason: str
              ) -> None:
        if raw is None:  # made from the cached validated form: the parse names the field
            raw = data_raw(_SHIPPED)
        raise KnowledgeBaseError(self.origin, _field_path(raw, loc), reason)

    def _check_references(self, raw: Mapping[str, Any] | None) -> None:
        seen: set[str] = set()
        for kind in ("sources", "regions", "targets"):
            for i, item in enumerate(getattr(self._file, kind)):
                if item.id in seen:
                    self._fail(raw, (kind, i, "id"), f"duplicate id {item.id!r}")
                seen.add(item.id)
        roles = [t.role for t in self.targets.values()]
        if roles.count("warmup") != 1:
            self._fail(raw, ("targets",), "exactly one target must have role = 'warmup'")
        if roles.count("cooldown") > 1:
            self._fail(raw, ("targets",), "at most one target may have role = 'cooldown'")
        if "treatment" not in roles:
            self._fail(raw, ("targets",), "no treatment target")
        for i, target in enumerate(self._file.targets):
            if target.technique not in self.techniques:
                self._fail(raw, ("targets", i, "technique"),
                           f"unknown technique {target.technique!r}")
            for source in target.sources:
                if source not in self.sources:
                    self._fail(raw, ("targets", i, "sources"), f"unknown source {source!r}")
            for j, edge in enumerate(target.serves):
                if edge.region not in self.regions:
                    self._fail(raw, ("targets", i, "serves", j, "region"),
                               f"unknown region {edge.region!r}")
                for source in edge.sources:
                    if source not in self.sources:
                        self._fail(raw, ("targets", i, "serves", j, "sources"),
                                   f"unknown source {source!r}")
            for j, area in enumerate(target.areas):
                if area.surface not in target.surfaces:
                    self._fail(raw, ("targets", i, "areas", j, "surface"),
                               f"{area.surface!r} is not one of the target's surfaces")
            if target.role == "treatment" and not target.serves:
                self._fail(raw, ("targets", i, "serves"), "a treatment target must serve a region")

    @property
    def _aliases(self) -> dict[str, tuple[str, str]]:
        """Every compacted name of every target -> ``(target id, display name)``."""
        index = self._alias_index
        if index is None:  # deterministic: two threads building it at once agree
            index = self._alias_index = self._build_aliases(None)
        return index

    def _build_aliases(self, raw: Mapping[str, Any] | None) -> dict[str, tuple[str, str]]:
        """Map every compacted name of every target to ``(target id, display name)``."""
        channels = {c.code: (c.code, *c.aliases) for c in self._file.channels}
        index: dict[str, tuple[str, str]] = {}
        for i, target in enumerate(self._file.targets):
            names = [target.id, target.name, *target.english, *target.aliases]
            if target.pinyin:
                names.append(target.pinyin)
            if target.characters:
                names.extend(part.strip() for part in target.characters.split(";"))
            if target.code:
                channel, number = target.code[:2], target.code[2:]
                names.extend(f"{alias} {number}" for alias in channels.get(channel, (channel,)))
            for name in names:
                key = compact(name)
                if not key:
                    continue
                owner = index.get(key)
                if owner is not None and owner[0] != target.id:
                    self._fail(raw, ("targets", i, "aliases"),
                               f"name {name!r} already belongs to target {owner[0]!r}")
                # a suggestion shows a name people use, never the internal id
                index.setdefault(key, (target.id, target.name if name == target.id else name))
        return index

    @property
    def graph(self) -> nx.Graph:
        """The knowledge graph (see the class docstring), built on first use, thread-safe."""
        graph = self._graph
        if graph is None:
            with self._graph_lock:
                graph = self._graph
                if graph is None:
                    graph = self._graph = self._build_graph()
        return graph

    def to_graphml(self) -> str:
        """Return the knowledge graph as GraphML text (for Gephi, yEd, Cytoscape...).

        GraphML holds only scalar attributes, so list-like ones are written joined with
        ``", "`` (``surfaces``, ``sources``) and ``seconds`` becomes ``seconds_min``,
        ``seconds_default`` and ``seconds_max``. Node and edge order follow the file.

        Returns:
            A GraphML document.
        """
        import networkx as nx

        export = nx.Graph(name=self.name, version=self.version)
        for node, attrs in self.graph.nodes(data=True):
            flat: dict[str, object] = {}
            for key, value in attrs.items():
                if key == "seconds":
                    flat.update(seconds_min=value.min, seconds_default=value.default,
                                seconds_max=value.max)
                elif isinstance(value, tuple | list):
                    flat[key] = ", ".join(map(str, value))
                else:
                    flat[key] = value
            export.add_node(node, **flat)
        for a, b, attrs in self.graph.edges(data=True):
            export.add_edge(a, b, **{k: ", ".join(map(str, v)) if isinstance(v, tuple | list)
                                     else v for k, v in attrs.items()})
        return "\n".join(nx.generate_graphml(export)) + "\n"

    def _build_graph(self) -> nx.Graph:
        import networkx as nx

        graph = nx.Graph(name=self.name, version=self.version)
        for region in self.regions.values():
            graph.add_node(region.id, type="region", name=region.name)
        for target in self.targets.values():
            graph.add_node(
                target.id,
                type="target",
                kind=target.kind,
                role=target.role,
                name=target.name,
                surfaces=target.surfaces,
                along=target.position.along,
                across=target.position.across,
                height=target.position.height,
                seconds=target.seconds,
            )
            for edge in target.serves:
                graph.add_edge(
                    edge.region,
                    target.id,
                    relevance=edge.relevance,
                    evidence=edge.evidence,
                    sources=edge.sources,
                )
        return graph

    # ------------------------------------------------------------------ queries
    def target(self, name: str) -> Target:
        """Look a target up by id, WHO code, pinyin, English name, characters or alias.

        Matching ignores case, accents, spaces and hyphens, and knows the other channel codes
        in use: ``target("Liv-3")``, ``target("tai chong")`` and ``target("LR3")`` are the
        same target.

        Args:
            name: Any name of the target.

        Returns:
            The target.

        Raises:
            UnknownTargetError: No target has that name (with up to three suggestions).
        """
        if not isinstance(name, str):
            raise UnknownTargetError(repr(name))
        key = compact(name)
        hit = self._aliases.get(key)
        if hit is not None:
            return self.targets[hit[0]]
        close = close_matches(key, self._aliases, n=6)
        suggestions: list[str] = []
        for match in close:
            display = self._aliases[match][1]
            if display not in suggestions:
                suggestions.append(display)
        raise UnknownTargetError(name, suggestions[:3])

    def region_synonyms(self) -> dict[str, str]:
        """Return every region name, id and synonym, folded, mapped to its region id."""
        table: dict[str, str] = {}
        for region in self.regions.values():
            for phrase in (region.id.replace("_", " "), region.name, *region.synonyms):
                table.setdefault(" ".join(fold(phrase).replace("-", " ").split()), region.id)
        return table

    def candidates(self, region: str) -> list[tuple[Target, float]]:
        """Return the treatment targets serving ``region`` with their relevance, by id.

        Args:
            region: A region id.

        Returns:
            ``(target, relevance)`` pairs, sorted by target id.
        """
        return list(self._candidates.get(region, ()))

    def _treatments(self, region: str) -> tuple[tuple[str, float], ...]:
        """The planner's index: ``(target id, relevance)`` of each treatment target.

        Only targets with relevance > 0 to ``region``, by id (empty for unknown regions);
        their durations are in ``_shapes``.
        """
        return self._by_region.get(region, ())

    def _classes(self, region: str) -> tuple[frozenset[str], ...]:
        """The classes of treatment targets that serve ``region`` (see :meth:`_class_index`).

        Each class that contains ``region`` once, in a fixed order (empty for unknown regions).
        """
        return self._class_index()[0].get(region, ())

    def _class_index(self) -> tuple[dict[str, tuple[frozenset[str], ...]],
                                    dict[frozenset[str], tuple[str, ...]]]:
        """Treatment targets by class, built on first use (thread-safe), then kept.

        A target's class is the set of regions it serves with relevance > 0.

        Returns:
            Region id -> the classes that contain it, and class -> its target ids.
        """
        index = self._classes_index
        if index is None:
            with self._index_lock:
                index = self._classes_index
                if index is None:
                    served: dict[str, list[str]] = {}  # target id -> its regions, in order
                    for region, pairs in self._by_region.items():
                        for tid, _relevance in pairs:
                            served.setdefault(tid, []).append(region)
                    by_regions: dict[tuple[str, ...], list[str]] = {}
                    for tid, regions in served.items():
                        by_regions.setdefault(tuple(regions), []).append(tid)
                    members = {frozenset(k): v for k, v in by_regions.items()}
                    classes = sorted(members, key=sorted)
                    index = self._classes_index = (
                        {r: tuple(c for c in classes if r in c) for r in self.regions},
                        {c: tuple(tids) for c, tids in members.items()})
        return index

    def _ranked(self, served: frozenset[str], among: tuple[str, ...], scale: int,
                strong: float) -> dict[tuple[int, int, int, int], tuple[tuple[int, str], ...]]:
        """The treatment targets of class ``served``, ranked for the regions ``among``.

        Built on first use (thread-safe) and kept: the planner's sorted index, so that a plan
        reads only the heaviest few of each shape. Orders of the same regions share one
        index when they give every target the same weight (always for two regions; sums of
        three or more floats may round differently in another order, then it has its own).

        Args:
            served: A class (see :meth:`_classes`).
            among: The regions of ``served`` that count, in the order their relevances are
                summed (the plan's order).
            scale: A target's weight is ``round(scale * sum of its relevances to among)``.
            strong: Bit ``i`` of a target's mask is set when its relevance to
                ``sorted(among)[i]`` is at least this.

        Returns:
            ``(min, default, max seconds, mask)`` -> ``(-weight, id)`` pairs, sorted (the
            heaviest first, then by id).
        """
        key = (served, among, scale, strong)
        ranked = self._ranked_index.get(key)
        if ranked is not None:
            return ranked
        canonical = tuple(sorted(among))
        if among != canonical:
            base = self._ranked(served, canonical, scale, strong)
            if len(among) == 2 or all(
                    -negative == round(scale * self._relevance_sum(tid, among) * 1.0)
                    for members in base.values() for negative, tid in members):
                with self._index_lock:
                    return self._ranked_index.setdefault(key, base)
        members = self._class_index()[1].get(served, ())
        with self._index_lock:
            ranked = self._ranked_index.get(key)
            if ranked is None:
                groups: dict[tuple[int, int, int, int], list[tuple[int, str]]] = {}
                shapes, targets = self._shapes, self.targets
                for tid in members:
                    relevance = {e.region: float(e.relevance) for e in targets[tid].serves}
                    total, mask = 0.0, 0
                    for region in among:  # summed in the plan's order, as it always was
                        total += relevance[region]
                    for i, region in enumerate(canonical):
                        if relevance[region] >= strong:
                            mask |= 1 << i
                    groups.setdefault((*shapes[tid], mask), []).append(
                        (-round(scale * total * 1.0), tid))
                ranked = {k: tuple(sorted(v)) for k, v in groups.items()}
                self._ranked_index[key] = ranked
        return ranked

    def _relevance_sum(self, tid: str, among: tuple[str, ...]) -> float:
        """The sum of a target's relevances to ``among``, added in that order from 0.0."""
        relevance = {e.region: float(e.relevance) for e in self.targets[tid].serves}
        total = 0.0
        for region in among:
            total += relevance[region]
        return total

    def library_sources(self) -> list[Source]:
        """Every source behind a routine planned with this knowledge base, with full citations.

        The knowledge base's own sources (locations, uses, durations) come first, in file
        order, then those of the shipped safety rules (red flags, declared conditions,
        red-flag questions), which apply to every plan. All share one schema
        (:class:`~footreflex.Source`): authors, title, year, publisher and an
        identifier; ``citation`` is the full string.

        Returns:
            The sources, each id once.
        """
        from footreflex.safety._rules import rules  # the rule set's data, below this layer

        out = list(self.sources.values())
        seen = set(self.sources)
        out.extend(s for s in rules().sources.values() if s.id not in seen)
        return out

    def __repr__(self) -> str:
        return (f"KnowledgeBase({self.name!r}, version={self.version!r}, "
                f"regions={len(self.regions)}, targets={len(self.targets)})")


def knowledge() -> KnowledgeBase:
    """Return the shipped knowledge base, loaded on first use and cached (thread-safe).

    Returns:
        The shipped :class:`KnowledgeBase`.
    """
    return load(_SHIPPED, _build_shipped, cached=KnowledgeBase._from_cache)


def _build_shipped(data: Mapping[str, Any], origin: str) -> KnowledgeBase:
    """The loader's builder for the shipped file (one function: the loader keys by identity)."""
    return KnowledgeBase._shipped(data, origin)


def knowledge_or_shipped(kb: object) -> KnowledgeBase:
    """The knowledge base given, or the shipped one for ``None``.

    Raises:
        InvalidArgumentError: ``kb`` is neither ``None`` nor a :class:`KnowledgeBase`.
    """
    if kb is None:
        return knowledge()
    if not isinstance(kb, KnowledgeBase):
        raise InvalidArgumentError(f"knowledge must be a KnowledgeBase, not {type(kb).__name__}")
    return kb
