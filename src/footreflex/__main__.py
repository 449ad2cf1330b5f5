"""``python -m footreflex``: the same as the ``footreflex`` command."""

from footreflex.cli._main import entry

entry()
