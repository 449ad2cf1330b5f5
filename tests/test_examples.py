"""The example notebooks: committed without outputs, and every one runs from top to bottom.

They are executed here with ``nbclient`` (a plain test, no pytest plugin), in their own
folder, on the interpreter running the tests, so ``pytest`` runs them and ``pytest -k "not
examples"`` leaves them out.
"""

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


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_notebook_runs(path: Path) -> None:
    import nbclient  # the test extra's; imported here so the other tests never load it
    import nbformat

    notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, with the cell and its traceback
