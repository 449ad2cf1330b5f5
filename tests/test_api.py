"""The public surface: __all__ is exactly what is public, and every public name is documented."""

from __future__ import annotations

import inspect

import footreflex

EXPECTED = {
    "BudgetError", "FootreflexError", "KnowledgeBase", "KnowledgeBaseError", "MissingExtraError",
    "Region",
    "Routine", "Source", "Step", "Target", "UnknownSymptomError", "UnknownTargetError",
    "__version__", "knowledge", "plan", "resolve",
    # safety (issue 3)
    "Finding", "SeekCareError", "Triage", "UnknownConditionError", "triage",
    # pictures (issue 4)
    "FootMap", "chart",
    # timeline (issue 5)
    "Cue", "TimelineError",
    # personalisation (issue 6)
    "Feedback", "Preferences", "Profile", "ProfileError", "Program", "ProgramSession",
    "Session", "program",
    # schema 2 and this round (issues 10, 11)
    "Complaint", "Question", "MAX_SYMPTOM_CHARS", "NotCoveredError", "TextTooLongError",
    "UnknownQuestionError", "red_flag_questions", "understand",
    # embedding (issue 7)
    "schemas",
    # profile store and specific errors (issue 13)
    "ProfileStore", "SQLiteProfileStore", "SessionTarget", "open_store", "FileWriteError",
    "InvalidArgumentError", "ServiceError",
}


def test_all_lists_exactly_the_public_names() -> None:
    assert set(footreflex.__all__) == EXPECTED
    assert len(footreflex.__all__) == len(set(footreflex.__all__))
    public = {n for n in dir(footreflex) if not n.startswith("_")}

    def submodule(name: str) -> bool:
        # `import footreflex.schemas` puts the module where the function was: it stays
        # callable (footreflex.schemas() works either way), so it is not a mere submodule
        value = getattr(footreflex, name)
        return inspect.ismodule(value) and not callable(value)

    assert {n for n in public if not submodule(n)} >= EXPECTED - {"__version__"}
    submodules = {n for n in public if submodule(n)}
    assert public - submodules == EXPECTED - {"__version__"}
    for name in footreflex.__all__:
        assert hasattr(footreflex, name)


def test_schemas_stays_callable_after_importing_its_module() -> None:
    import footreflex._schemas

    assert set(footreflex.schemas()) >= {"routine", "profile"}


def test_every_public_name_has_a_docstring() -> None:
    for name in footreflex.__all__:
        if name == "__version__":
            continue
        obj = getattr(footreflex, name)
        assert inspect.getdoc(obj), name
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_") or not callable(member):
                    continue
                assert inspect.getdoc(member), f"{name}.{attr}"


def test_error_hierarchy() -> None:
    for cls in (footreflex.UnknownSymptomError, footreflex.BudgetError,
                footreflex.KnowledgeBaseError, footreflex.UnknownTargetError,
                footreflex.SeekCareError, footreflex.UnknownConditionError,
                footreflex.ProfileError, footreflex.InvalidArgumentError,
                footreflex.FileWriteError, footreflex.MissingExtraError):
        assert issubclass(cls, footreflex.FootreflexError)


def test_version_is_a_string() -> None:
    assert isinstance(footreflex.__version__, str) and footreflex.__version__


def test_signature_of_plan() -> None:
    sig = inspect.signature(footreflex.plan)
    assert list(sig.parameters)[:2] == ["symptoms", "minutes"]
    assert sig.parameters["minutes"].default == 15
    assert sig.parameters["knowledge"].kind is inspect.Parameter.KEYWORD_ONLY


def test_nothing_raises_the_base_error_itself() -> None:
    import re
    from pathlib import Path

    package = Path(footreflex.__file__).parent
    offenders = [f"{path.relative_to(package)}:{number}"
                 for path in sorted(package.rglob("*.py"))
                 for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                 if re.search(r"\bFootreflexError\(", line) and "class " not in line]
    assert offenders == []
