from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import footreflex
from footreflex import Complaint, FootreflexError, NotCoveredError, UnknownSymptomError
from footreflex._symptoms import resolve_many, resolve_text

CASES = [
    ("lower back", ["lumbar"]),
    ("LOWER   BACK!!", ["lumbar"]),
    ("low back", ["lumbar"]),
    ("lumbago", ["lumbar"]),
    ("back", ["lumbar"]),
    ("back pain", ["lumbar"]),
    ("pain in my lower back", ["lumbar"]),
    ("my lower back is killing me", ["lumbar"]),
    ("lower-back aches", ["lumbar"]),
    ("neck", ["cervical"]),
    ("stiff neck", ["cervical"]),
    ("tech neck", ["cervical"]),
    ("cervical spine", ["cervical"]),
    ("sciatica", ["sciatic"]),
    ("sciatic nerve", ["sciatic"]),
    ("pain down the back of the leg", ["sciatic"]),
    ("pain down the back of my leg", ["sciatic"]),
    ("upper back", ["upper_back"]),
    ("shoulders", ["upper_back"]),
    ("shoulder tension", ["upper_back"]),
    ("between the shoulder blades", ["upper_back"]),
    ("sore shoulders from slouching over my phone", ["upper_back"]),
    ("lower back and neck", ["lumbar", "cervical"]),
    ("sciatica, shoulders", ["sciatic", "upper_back"]),
    ("neck and lower back and neck again", ["cervical", "lumbar"]),
    ("upper back", ["upper_back"]),
    ("upper_back", ["upper_back"]),
    ("lumbar", ["lumbar"]),
]


@pytest.mark.parametrize(("text", "regions"), CASES)
def test_resolve(text: str, regions: list[str]) -> None:
    assert footreflex.resolve(text) == regions


def test_leftover_complaint_words_are_reported() -> None:
    res = resolve_text("neck and knee, also my hips")
    assert res.regions == ["cervical"]
    assert res.not_covered == ["knee", "hips"]
    assert resolve_text("neck, sholders").regions == ["cervical", "upper_back"]
    assert resolve_text("my lower back is killing me").not_understood == []


@pytest.mark.parametrize(("text", "expected"), [("sciatca", ["sciatic"]), ("lumbr", ["lumbar"]),
                                                ("shoulderz", ["upper_back"]),
                                                ("my lowr bakc", ["lumbar"])])
def test_typos_of_covered_words_are_read(text: str, expected: list[str]) -> None:
    assert footreflex.resolve(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("neeck", "neck"), ("nekk pain", "neck"),
                                                ("bakk", "back")])
def test_suggestions_only_for_near_misses(text: str, expected: str) -> None:
    with pytest.raises(UnknownSymptomError) as info:
        footreflex.resolve(text)
    assert not isinstance(info.value, NotCoveredError)
    assert info.value.suggestions[0] == expected
    assert len(info.value.suggestions) <= 3
    assert f"did you mean '{expected}'" in str(info.value)


@pytest.mark.parametrize("text", ["", "   ", "hello there", "!!!", "asdfgh qwerty"])
def test_no_region_raises(text: str) -> None:
    with pytest.raises(UnknownSymptomError) as info:
        footreflex.resolve(text)
    assert not isinstance(info.value, NotCoveredError)
    assert not info.value.suggestions


@pytest.mark.parametrize(("text", "parts"), [
    ("headache", ["headache"]), ("my knee", ["knee"]), ("back of my knee", ["back of my knee"]),
    ("stomach ache and a sore jaw", ["stomach", "jaw"]), ("tooth", ["tooth"]),
    ("hip pain", ["hip"]), ("sore feet", ["feet"]), ("my hands", ["hands"]),
])
def test_not_covered(text: str, parts: list[str]) -> None:
    with pytest.raises(NotCoveredError) as info:
        footreflex.understand(text)
    err = info.value
    assert isinstance(err, UnknownSymptomError)
    assert err.parts == parts and not err.suggestions
    names = [r.name.lower() for r in footreflex.knowledge().regions.values()]
    assert err.covered == names
    assert "did you mean" not in str(err)
    for internal in ("lumbar", "upper_back", "cervical", "region id", "not_covered"):
        assert internal not in str(err)


def test_headache_is_not_backache() -> None:
    with pytest.raises(NotCoveredError) as info:
        footreflex.resolve("headache")
    assert "backache" not in str(info.value)


def test_lists_of_symptoms() -> None:
    assert resolve_many(["neck", "lower back"]).regions == ["cervical", "lumbar"]
    res = resolve_many(["neck", "knee"])
    assert res.regions == ["cervical"] and "knee" in res.not_covered
    with pytest.raises(UnknownSymptomError):
        resolve_many([])
    with pytest.raises(NotCoveredError):
        resolve_many(["knee", "elbow"])
    with pytest.raises(UnknownSymptomError):
        resolve_many([1, 2])  # type: ignore[list-item]
    with pytest.raises(UnknownSymptomError):
        resolve_many(b"neck")  # type: ignore[arg-type]
    with pytest.raises(UnknownSymptomError):
        resolve_text(None)  # type: ignore[arg-type]
    assert resolve_many(["left shoulder", "right shoulder"]).sides == {"upper_back": "both"}


# ------------------------------------------------------------------------- understand()
def test_understand_gives_the_details() -> None:
    c = footreflex.understand("not my neck, it's the left side of my lower back and my knee")
    assert isinstance(c, Complaint)
    assert c.regions == ("lumbar",)
    assert c.sides == {"lumbar": "left"}
    assert c.excluded == ("cervical",)
    assert c.not_covered == ("knee",)
    assert Complaint.model_validate_json(c.model_dump_json()) == c


@pytest.mark.parametrize(("text", "regions", "sides"), [
    ("right shoulder and neck", ["upper_back", "cervical"], {"upper_back": "right"}),
    ("neck hurts on the left", ["cervical"], {"cervical": "left"}),
    ("left knee and lower back", ["lumbar"], {}),
    ("pain down my right leg", ["sciatic"], {"sciatic": "right"}),
    ("left and right shoulder", ["upper_back"], {"upper_back": "both"}),
    ("lower back pain right now", ["lumbar"], {}),
    ("can't turn my head to the right", ["cervical"], {}),
    ("lower back. left side.", ["lumbar"], {"lumbar": "left"}),
    ("sciatica: left", ["sciatic"], {"sciatic": "left"}),
    ("L lower back pain", ["lumbar"], {"lumbar": "left"}),
    ("L-spine pain", ["lumbar"], {}),
    ("pain on my right side, lower back", ["lumbar"], {"lumbar": "right"}),
    ("left lower back and left leg pain", ["lumbar", "sciatic"],
     {"lumbar": "left", "sciatic": "left"}),
    ("my left shoulder blade and right hip", ["upper_back"], {"upper_back": "left"}),
])
def test_sides(text: str, regions: list[str], sides: dict[str, str]) -> None:
    c = footreflex.understand(text)
    assert list(c.regions) == regions
    assert c.sides == sides


@pytest.mark.parametrize(("text", "regions"), [
    # frozen labels
    ("tailbone", ["lumbar"]), ("coccyx", ["lumbar"]), ("sacrum", ["lumbar"]),
    ("SI joint", ["lumbar"]), ("mid back", ["upper_back"]),
    ("middle of my back", ["upper_back"]), ("pain down the back of my thigh", ["sciatic"]),
    ("pain running down the back of the leg", ["sciatic"]),
    ("back of the neck", ["cervical"]),
    # vertebral levels as people write them
    ("L4-L5", ["lumbar"]), ("L5/S1", ["lumbar"]), ("C5-6", ["cervical"]), ("T7", ["upper_back"]),
    ("c3 c4 disc", ["cervical"]), ("disc bulge", ["lumbar"]), ("cervical spine", ["cervical"]),
    # contractions, possessives, compounds
    ("my back's killing me", ["lumbar"]), ("necks stiff", ["cervical"]),
    ("lowerbackpain", ["lumbar"]), ("neckandshoulder", ["cervical", "upper_back"]),
    # coordinated regions
    ("upper and lower back", ["lumbar", "upper_back"]),
    ("neck, shoulders & lower back", ["cervical", "upper_back", "lumbar"]),
    # exclusion and context
    ("neck is fine, lower back isn't", ["lumbar"]),
    ("sciatica cleared up, now it's my neck", ["cervical"]),
    ("my husband's lower back", ["lumbar"]),
    ("can't move my neck", ["cervical"]),
    # movements
    ("can't turn my head", ["cervical"]), ("it hurts when I bend over", ["lumbar"]),
    ("hurts to look up", ["cervical"]), ("bending over hurts my neck", ["cervical"]),
    # radiating pain and "back" that is not the back
    ("shooting pain from my bum to my foot", ["sciatic"]),
    ("tingling in my leg", ["sciatic"]),
    ("I'm back again, neck still stiff", ["cervical"]),
    ("pain in the neck", ["cervical"]),
])
def test_concepts(text: str, regions: list[str]) -> None:
    assert footreflex.resolve(text) == regions


@pytest.mark.parametrize(("text", "expected"), [
    ("agony in the small of my back", ["lumbar"]),
    ("pinched nerve in my neck", ["cervical"]),
    ("ache in my lower back and down into my right hip", ["lumbar"]),
    ("numbness in my left thigh and lower back pain", ["lumbar", "sciatic"]),
    ("pain across my shoulders and up into my neck", ["cervical", "upper_back"]),
    ("herniated disc L4 L5 with leg pain", ["lumbar", "sciatic"]),
    ("pain shoots down my arm from my neck", ["cervical"]),
    ("cervical radiculopathy", ["cervical"]),
    ("T-spine stiffness", ["upper_back"]), ("C-spine pain", ["cervical"]),
    ("neck/back/shoulders", ["cervical", "lumbar", "upper_back"]),
    ("woke up and couldn't lift my head off the pillow", ["cervical"]),
    ("Lumbar L3 fracture years ago, now my neck", ["cervical"]),
    ("I dont have back pain just neck pain", ["cervical"]),
    ("the outside of my leg tingles down to my foot", ["sciatic"]),
    ("my leg hurts", "not_covered"), ("pain behind my knee", "not_covered"),
    ("my back is fine now", "unknown"),
    ("pain right in the middle of my lower back", ["lumbar"]),
    ("shoulders ok, neck not ok", ["cervical"]),
    ("lower back better, sciatica worse", ["sciatic"]),
    ("not the lower back, the upper back", ["upper_back"]),
    ("got back from holiday and my neck is stiff", ["cervical"]),
    ("coming back from a run my knees ache", "not_covered"),
    ("lying on my back makes my neck hurt", ["cervical"]),
    ("lying on my back hurts", ["lumbar"]),
    ("backs of my knees ache", "not_covered"),
    ("sitting on my bum all day gives me lower back pain", ["lumbar"]),
    ("pain in hip and down leg", ["sciatic"]),
])
def test_phrasings_not_in_the_corpus(text: str, expected: list[str] | str) -> None:
    try:
        got: list[str] | str = sorted(footreflex.understand(text).regions)
    except NotCoveredError:
        got = "not_covered"
    except UnknownSymptomError:
        got = "unknown"
    assert got == expected


def test_custom_knowledge_base_and_messages() -> None:
    kb = footreflex.knowledge()
    assert footreflex.resolve("lower back", kb) == ["lumbar"]
    assert footreflex.resolve("lower back", knowledge=kb) == ["lumbar"]
    with pytest.raises(UnknownSymptomError) as info:
        footreflex.resolve("hello", kb)
    message = str(info.value)
    for region in kb.regions.values():
        assert repr(region.name.lower()) in message
    assert "upper_back" not in message


def test_not_understood_keeps_the_persons_words() -> None:
    res = resolve_text("lower back and my nekk")
    assert res.regions == ["lumbar"]
    assert res.not_understood == ["nekk (did you mean 'neck'?)"]


@given(st.text(max_size=80))
def test_any_text_resolves_or_raises_footreflex_error(text: str) -> None:
    try:
        regions = footreflex.resolve(text)
    except FootreflexError:
        return
    assert regions and len(set(regions)) == len(regions)
    assert set(regions) <= set(footreflex.knowledge().regions)


# ------------------------------------------------------------------ sides in the routine
def test_routine_keeps_and_shows_the_side_and_treats_both_feet() -> None:
    from footreflex.render._plain import SIDES_NOTE

    r = footreflex.plan("pain on the left side of my lower back and my knee", minutes=10)
    assert r.sides == {"lumbar": "left"}
    assert "not understood: knee" in r.warnings
    assert "lower back (left side)" in str(r) and SIDES_NOTE in str(r)
    assert SIDES_NOTE in r.to_markdown()
    assert "lower back (left side)" in r.to_html()
    feet = {s.foot for s in r.steps if s.kind in ("point", "zone")}
    assert feet == {"left", "right"}
    assert type(r).model_validate_json(r.model_dump_json()) == r
    plain = footreflex.plan("lower back", minutes=10)
    assert plain.sides == {} and SIDES_NOTE not in str(plain)


def test_routine_regions_without_excluded_ones() -> None:
    r = footreflex.plan("not my neck, my upper back", minutes=10)
    assert list(r.regions) == ["upper_back"]
