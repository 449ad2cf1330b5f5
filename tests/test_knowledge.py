from __future__ import annotations

import csv
import os
import threading
import tomllib
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import footreflex
from footreflex import KnowledgeBase, KnowledgeBaseError, UnknownTargetError
from footreflex._text import compact

DATA = Path(__file__).parent / "data"
SHIPPED = resources.files("footreflex").joinpath("data/knowledge.toml").read_text("utf-8")


def shipped_dict() -> dict[str, Any]:
    return tomllib.loads(SHIPPED)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kb.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_regions_and_seed_items() -> None:
    kb = footreflex.knowledge()
    assert list(kb.regions) == ["lumbar", "cervical", "sciatic", "upper_back"]
    seed_items = {"LR3", "BL60", "heel", "heel_to_midfoot", "cervical_spine", "sciatic_band",
                  "upper_back_sole", "shoulder_strip_dorsal", "warmup", "cooldown"}
    more = {"KI3", "BL62", "BL65", "GB40", "thoracic_spine", "lumbar_spine", "sacrum_coccyx"}
    assert seed_items | more <= set(kb.targets)
    for tid in seed_items - {"warmup"}:
        assert "sze2022" in kb.targets[tid].sources, tid  # the seed article


def test_every_fact_has_a_known_source() -> None:
    kb = footreflex.knowledge()
    for target in kb.targets.values():
        assert target.sources and all(s in kb.sources for s in target.sources)
        assert target.position.approximate
        for edge in target.serves:
            assert 0 <= edge.relevance <= 1
            assert edge.evidence and all(s in kb.sources for s in edge.sources)


def test_sciatic_band_ten_minutes_is_the_maximum_not_the_default() -> None:
    s = footreflex.knowledge().targets["sciatic_band"].seconds
    assert s.max == 600 and s.default < s.max


def test_acupoints_agree_with_the_who_reference_table() -> None:
    with (DATA / "lower-limb-acupoints.csv").open(encoding="utf-8") as handle:
        table = {row["code"]: row for row in csv.DictReader(handle)}
    acupoints = [t for t in footreflex.knowledge().targets.values() if t.kind == "acupoint"]
    assert len(acupoints) >= 6
    for point in acupoints:
        row = table[point.code or ""]
        assert compact(point.pinyin or "") == compact(row["pinyin"]), point.code
        assert point.who_page == int(row["who2008_page"]), point.code
        assert "who2008" in point.sources


@pytest.mark.parametrize("alias", ["LR3", "lr3", "Liv-3", "LIV 3", "Liver-3", "Liver 3", "LV3",
                                   "tai chong", "Taichong", "Tàichōng", "太冲", "太衝",
                                   "Supreme Rush", "great rushing", "F3"])
def test_alias_lookup_lr3(alias: str) -> None:
    assert footreflex.knowledge().target(alias).id == "LR3"


@pytest.mark.parametrize("alias", ["BL60", "Bl-60", "UB60", "Bladder 60", "Urinary Bladder-60",
                                   "Kun Lun", "Kunlun Mountains", "昆仑"])
def test_alias_lookup_bl60(alias: str) -> None:
    assert footreflex.knowledge().target(alias).id == "BL60"


def test_zone_lookup_and_unknown_target() -> None:
    kb = footreflex.knowledge()
    assert kb.target("sciatic nerve area").id == "sciatic_band"
    with pytest.raises(UnknownTargetError) as info:
        kb.target("BL61")
    assert info.value.suggestions and len(info.value.suggestions) <= 3
    with pytest.raises(UnknownTargetError):
        kb.target(42)  # type: ignore[arg-type]
    with pytest.raises(KeyError):  # also a KeyError, for mapping-style callers
        kb.target("nothing at all")


def test_graph_links_regions_to_targets_with_attributes() -> None:
    kb = footreflex.knowledge()
    g = kb.graph
    assert isinstance(g, nx.Graph)
    assert g.nodes["lumbar"]["type"] == "region"
    assert g.nodes["BL60"]["type"] == "target" and g.nodes["BL60"]["kind"] == "acupoint"
    assert g.edges["lumbar", "BL60"]["relevance"] == pytest.approx(0.9)
    assert set(nx.neighbors(g, "BL60")) == {"lumbar", "cervical", "upper_back", "sciatic"}
    for _node, attrs in g.nodes(data=True):
        if attrs["type"] == "target":
            assert 0 <= attrs["along"] <= 1 and 0 <= attrs["across"] <= 1


def test_graph_is_built_on_first_use_and_matches_the_typed_index() -> None:
    kb = KnowledgeBase(tomllib.loads(SHIPPED), origin="<test>")
    assert kb._graph is None  # planning-time queries never build it
    assert [t.id for t, _ in kb.candidates("lumbar")] == sorted(
        t.id for t, _ in kb.candidates("lumbar"))
    assert kb._graph is None
    g = kb.graph
    assert kb.graph is g
    for region in kb.regions:
        from_graph = sorted((t, float(a["relevance"])) for t, a in g.adj[region].items())
        assert [(t.id, r) for t, r in kb.candidates(region)] == from_graph
    assert kb.warmup.role == "warmup" and kb.cooldown is not None
    assert kb.cooldown.role == "cooldown"


def test_to_graphml_round_trips_nodes_edges_and_flattened_attributes() -> None:
    import io

    kb = footreflex.knowledge()
    text = kb.to_graphml()
    g = nx.read_graphml(io.StringIO(text))
    assert set(g.nodes) == set(kb.graph.nodes)
    assert {frozenset(e) for e in g.edges} == {frozenset(e) for e in kb.graph.edges}
    bl60 = kb.targets["BL60"]
    node = g.nodes["BL60"]
    assert node["seconds_min"] == bl60.seconds.min
    assert node["seconds_max"] == bl60.seconds.max
    assert node["surfaces"] == ", ".join(bl60.surfaces)
    assert g.edges["lumbar", "BL60"]["relevance"] == pytest.approx(0.9)
    assert text == kb.to_graphml()  # deterministic


def test_planning_and_help_do_not_import_networkx_or_the_planner() -> None:
    import subprocess
    import sys

    code = ("import sys, footreflex; footreflex.plan('lower back', minutes=20); "
            "print([m for m in ('networkx', 'difflib', 'rapidfuzz', 'spellchecker') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
    code = ("import sys\nfrom footreflex.cli import main\n"
            "for args in (['--help'], ['--version']):\n"
            "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
            "print('footreflex._pipeline' in sys.modules, 'pydantic' in sys.modules, "
            "file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stderr.strip().splitlines()[-1] == "False False"


def test_knowledge_is_cached_and_thread_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    from footreflex import _data

    monkeypatch.setattr(_data, "_built", {})
    barrier = threading.Barrier(8)

    def load(_: int) -> KnowledgeBase:
        barrier.wait()
        return footreflex.knowledge()

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(load, range(8)))
    assert all(kb is results[0] for kb in results)
    assert footreflex.knowledge() is results[0]


def test_from_toml_round_trip(tmp_path: Path) -> None:
    kb = KnowledgeBase.from_toml(write(tmp_path, SHIPPED))
    assert set(kb.targets) == set(footreflex.knowledge().targets)
    routine = footreflex.plan("lower back", 20, knowledge=kb)
    assert routine == footreflex.plan("lower back", 20)


@pytest.mark.parametrize(
    ("old", "new", "field", "reason"),
    [
        ("relevance = 0.9", "relevance = 1.9", "targets[3] (BL60).serves[0].relevance",
         "less than or equal to 1"),
        ('seconds = { min = 30, default = 120, max = 180 }\ncautions = ["LR3',
         'seconds = { min = 30, default = 20, max = 180 }\ncautions = ["LR3',
         "targets[2] (LR3).seconds", "multiple of 15"),
        ('technique = "press_hold"\ninstructions = "Rest',
         'technique = "pinch"\ninstructions = "Rest',
         "targets[2] (LR3).technique", "unknown technique"),
        ('region = "lumbar"\nrelevance = 0.7', 'region = "hips"\nrelevance = 0.7',
         "targets[2] (LR3).serves[0].region", "unknown region"),
        ('aliases = ["Kun Lun",', 'aliases = ["Tai Chong",', "targets[3] (BL60).aliases",
         "already belongs"),
    ],
)
def test_invalid_knowledge_names_file_field_and_reason(
    tmp_path: Path, old: str, new: str, field: str, reason: str
) -> None:
    assert old in SHIPPED
    path = write(tmp_path, SHIPPED.replace(old, new, 1))
    with pytest.raises(KnowledgeBaseError) as info:
        KnowledgeBase.from_toml(path)
    err = info.value
    assert err.file == str(path)
    assert err.field == field
    assert reason in err.reason
    assert str(path) in str(err) and field in str(err)


def test_missing_unreadable_and_non_toml_files(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="cannot read"):
        KnowledgeBase.from_toml(tmp_path / "nope.toml")
    with pytest.raises(KnowledgeBaseError, match="not valid TOML"):
        KnowledgeBase.from_toml(write(tmp_path, "this is = = not toml"))
    bad = tmp_path / "bin.toml"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(KnowledgeBaseError, match="UTF-8"):
        KnowledgeBase.from_toml(bad)
    with pytest.raises(KnowledgeBaseError):
        KnowledgeBase([])  # type: ignore[arg-type]
    with pytest.raises(KnowledgeBaseError, match="path"):
        KnowledgeBase.from_toml(123)  # type: ignore[arg-type]
    with pytest.raises(KnowledgeBaseError, match="cannot read"):
        KnowledgeBase.from_toml(tmp_path)  # a directory


def test_structural_rules(tmp_path: Path) -> None:
    data = shipped_dict()
    data["targets"] = [t for t in data["targets"] if t["id"] != "warmup"]
    with pytest.raises(KnowledgeBaseError, match="warmup"):
        KnowledgeBase(data)
    data = shipped_dict()
    data["targets"][2]["sources"] = ["nobody"]
    with pytest.raises(KnowledgeBaseError, match="unknown source"):
        KnowledgeBase(data)
    data = shipped_dict()
    data["targets"][3]["id"] = "LR3"
    with pytest.raises(KnowledgeBaseError) as info:
        KnowledgeBase(data)
    assert info.value.field.startswith("targets[")


def test_fuzz_findings_in_knowledge_files(tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    for body in (b"a = " + b"[" * 5000 + b"]" * 5000,
                 b"a = " + b"{b=" * 3000 + b"1" + b"}" * 3000):
        deep.write_bytes(body)
        with pytest.raises(KnowledgeBaseError, match="nested too deeply"):
            KnowledgeBase.from_toml(deep)
    with pytest.raises(KnowledgeBaseError, match="not a regular file"):
        KnowledgeBase.from_toml("/dev/zero")  # would read until memory runs out
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(KnowledgeBaseError, match="not a regular file"):
        KnowledgeBase.from_toml(fifo)  # would wait for a writer forever
    shipped = resources.files("footreflex").joinpath("data/knowledge.toml").read_bytes()
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + shipped)
    assert KnowledgeBase.from_toml(bom).targets.keys() == footreflex.knowledge().targets.keys()


def test_all_zero_relevance_edges_are_no_usable_target(tmp_path: Path) -> None:
    data = shipped_dict()
    for target in data["targets"]:
        for edge in target.get("serves", []):
            if edge["region"] == "cervical":
                edge["relevance"] = 0
    kb = KnowledgeBase(data)
    with pytest.raises(footreflex.UnknownSymptomError, match="no usable target"):
        footreflex.plan("neck", 10, knowledge=kb)
    routine = footreflex.plan("neck and lower back", 20, knowledge=kb)
    assert "lumbar" in routine.regions and routine.steps
    assert any("no usable target for" in w for w in routine.warnings)
    assert not any("not enough time" in w for w in routine.warnings)


def test_a_path_with_a_nul_character_is_a_knowledge_base_error() -> None:
    with pytest.raises(footreflex.KnowledgeBaseError, match="not a valid path"):
        footreflex.KnowledgeBase.from_toml("bad\x00name.toml")
