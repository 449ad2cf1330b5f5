"""``python -m footreflex``: the same as the ``footreflex`` command."""

from footreflex.cli import entry

entry()
