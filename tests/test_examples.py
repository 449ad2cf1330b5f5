"""The example notebooks are committed without outputs (CI executes them with nbmake)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.ipynb"))


def test_the_promised_notebooks_exist() -> None:
    names = {p.name for p in EXAMPLES}
    assert {"01-quickstart.ipynb", "02-safety.ipynb", "03-knowledge-graph.ipynb",
            "04-personalisation.ipynb"} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_notebook_is_committed_clean(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name}: clear outputs before committing"
            assert cell["execution_count"] is None
