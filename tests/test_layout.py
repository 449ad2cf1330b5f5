"""The layout is the pipeline: data flows down, public names show the public path."""

from __future__ import annotations

import ast
import importlib
import pickle
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import footreflex

SRC = Path(__file__).resolve().parents[1] / "src" / "footreflex"

# Layers, lowest first: a module may import its own layer or any layer below, never one above,
# not even inside a function (imports under ``if TYPE_CHECKING:`` are only for annotations).
LAYERS: list[tuple[str, ...]] = [
    ("footreflex.errors", "footreflex._extras", "footreflex._files", "footreflex._deprecated",
     "footreflex._cache"),
    ("footreflex._data", "footreflex._text"),
    ("footreflex._models",),
    ("footreflex.language",),
    ("footreflex.safety._match", "footreflex.safety._rules"),  # the rule set is data
    ("footreflex._knowledge",),
    ("footreflex._symptoms",),
    ("footreflex.safety",),
    ("footreflex.planning",),
    ("footreflex.personal",),
    ("footreflex._pipeline", "footreflex._deprecated_plan"),
    ("footreflex._program",),
    ("footreflex.render",),
    ("footreflex",),  # the public facade (its names load lazily)
    ("footreflex.server.webapi",),
    ("footreflex._schemas",),
    ("footreflex.server",),
    ("footreflex.cli", "footreflex.__main__", "footreflex.profile", "footreflex.recommend",
     "footreflex.webapi"),
]


def _layer(module: str) -> int:
    best, found = -1, -1
    for index, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > best:
                best, found = len(name), index
    assert found >= 0, f"{module} is in no layer: add it to LAYERS"
    return found


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for other in node.orelse:
                visit(other)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names
                         if a.name.startswith("footreflex"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:  # relative: the package, up level - 1, then the module
                parts = package.split(".")
                base = ".".join([*parts[:len(parts) - node.level + 1], node.module])
            if base.startswith("footreflex"):
                for alias in node.names:  # `from footreflex.x import y` may import module y
                    candidate = f"{base}.{alias.name}"
                    sub = SRC.parent / Path(*candidate.split("."))
                    found.append((node.lineno, candidate if sub.exists()
                                  or sub.with_suffix(".py").exists() else base))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_data_flows_down() -> None:
    wrong: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        module = _module_name(path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        mine = _layer(module)
        for line, imported in _imports(ast.parse(path.read_text("utf-8")), package):
            if imported == "footreflex" and module.startswith("footreflex.errors"):
                continue
            if _layer(imported) > mine:
                wrong.append(f"{path.relative_to(SRC)}:{line} imports {imported}")
    assert not wrong, "imports against the flow:\n" + "\n".join(wrong)


def test_models_never_import_a_renderer() -> None:
    code = ("import sys; from footreflex import _models, _pipeline;"
            "print(sorted(m for m in sys.modules if m.startswith('footreflex.render')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_public_names_show_the_public_path() -> None:
    routine = footreflex.plan("lower back", minutes=10)
    assert type(routine).__module__ == "footreflex"
    for name in footreflex.__all__:
        value = getattr(footreflex, name)
        if isinstance(value, type) or callable(value):
            assert value.__module__ == "footreflex", name
    assert pickle.loads(pickle.dumps(routine)) == routine
    assert callable(footreflex.schemas)  # a function, never shadowed by a module
    assert repr(footreflex.BudgetError("x")).startswith("BudgetError(")


@pytest.mark.parametrize(("old", "name", "new"), [
    ("footreflex.profile", "MIGRATIONS", "footreflex.personal"),
    ("footreflex.profile", "MAX_PROFILE_BYTES", "footreflex.personal"),
    ("footreflex.recommend", "PRIOR_STRENGTH", "footreflex.personal"),
    ("footreflex.recommend", "factor", "footreflex.personal"),
    ("footreflex.recommend", "program", "footreflex"),
    ("footreflex.webapi", "SessionPlan", "footreflex.server.webapi"),
])
def test_moved_paths_warn_and_still_work(old: str, name: str, new: str) -> None:
    module = importlib.import_module(old)
    with pytest.warns(DeprecationWarning, match=new.replace(".", r"\.")):
        value = getattr(module, name)
    assert value is getattr(importlib.import_module(new), name)
    with pytest.raises(AttributeError):
        module.no_such_name  # noqa: B018


def test_personalised_plan_shim_is_plan_with_a_profile() -> None:
    import footreflex.recommend as recommend

    profile = footreflex.Profile()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        old = recommend.personalised_plan("neck", 10, profile=profile)
    assert old == footreflex.plan("neck", 10, profile=profile)


def test_each_stage_runs_alone() -> None:
    from footreflex.planning import Tuning, candidates, order, select, steps
    from footreflex.safety import screen

    kb, effects = footreflex.knowledge(), screen(None)
    items, flag = candidates(kb, ["cervical"], 2, 40, effects, Tuning())
    selection = select(items, 40, flag - 1, flag)
    assert selection is not None and selection.cost <= 40
    arranged = order(selection, kb, effects.feet)
    assert arranged[0][0].role == "warmup"
    done = steps(kb, ["cervical"], arranged, effects, Tuning())
    routine = footreflex.plan("neck", minutes=10)
    assert [s.target_id for s in done] == [s.target_id for s in routine.steps]


def test_personalisation_is_an_input_the_text_is_screened_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import footreflex._pipeline as pipeline
    from footreflex.safety import read_text as real_read
    from footreflex.safety import triage as real

    calls: list[str] = []
    reads: list[str] = []

    def counting(text: str, answers: object = None, **kwargs: object) -> object:
        calls.append(text)
        return real(text, answers, **kwargs)  # type: ignore[arg-type]

    def reading(text: str) -> object:
        reads.append(text)
        return real_read(text)

    monkeypatch.setattr(pipeline, "triage", counting)
    monkeypatch.setattr(pipeline, "read_text", reading)
    profile = footreflex.Profile()
    routine = footreflex.plan("lower back", 10)
    profile = profile.record(routine)
    profile = profile.rate(ratings={routine.steps[1].target_id: "helped"})
    calls.clear()
    reads.clear()
    footreflex.plan("lower back", 10, profile=profile)
    assert len(calls) == len(reads) == 1
    calls.clear()
    reads.clear()
    footreflex.program("lower back", 10, sessions=5, profile=profile)
    assert len(calls) == len(reads) == 1
