from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import footreflex
from footreflex import FootreflexError, UnknownSymptomError
from footreflex.symptoms import resolve_many, resolve_text

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
    assert res.not_understood == ["knee", "hips"]
    assert "sholders (did you mean 'shoulders'?)" in resolve_text("neck, sholders").not_understood
    assert resolve_text("my lower back is killing me").not_understood == []


@pytest.mark.parametrize(("text", "expected"), [("sciatca", "sciatica"), ("lumbr", "lumbar"),
                                                ("nekc", "neck"), ("shoulderz", "shoulders")])
def test_suggestions(text: str, expected: str) -> None:
    with pytest.raises(UnknownSymptomError) as info:
        footreflex.resolve(text)
    assert expected in info.value.suggestions
    assert len(info.value.suggestions) <= 3
    assert expected in str(info.value)


@pytest.mark.parametrize("text", ["", "   ", "knee", "hello there", "!!!"])
def test_no_region_raises(text: str) -> None:
    with pytest.raises(UnknownSymptomError):
        footreflex.resolve(text)


def test_lists_of_symptoms() -> None:
    assert resolve_many(["neck", "lower back"]).regions == ["cervical", "lumbar"]
    res = resolve_many(["neck", "knee"])
    assert res.regions == ["cervical"] and "knee" in res.not_understood
    with pytest.raises(UnknownSymptomError):
        resolve_many([])
    with pytest.raises(UnknownSymptomError):
        resolve_many(["knee", "elbow"])
    with pytest.raises(UnknownSymptomError):
        resolve_many([1, 2])  # type: ignore[list-item]
    with pytest.raises(UnknownSymptomError):
        resolve_many(b"neck")  # type: ignore[arg-type]
    with pytest.raises(UnknownSymptomError):
        resolve_text(None)  # type: ignore[arg-type]


@given(st.text(max_size=80))
def test_any_text_resolves_or_raises_footreflex_error(text: str) -> None:
    try:
        regions = footreflex.resolve(text)
    except FootreflexError:
        return
    assert regions and len(set(regions)) == len(regions)
    assert set(regions) <= set(footreflex.knowledge().regions)
