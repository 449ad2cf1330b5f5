"""The ``footreflex`` command: one handler per subcommand (``_main``) and the guide (``_guide``).

Entry points: :func:`main` (returns the exit code; for tests and embedding) and :func:`entry`
(the console script). Nothing heavier than :mod:`argparse` loads for ``--help``/``--version``.
"""

from footreflex.cli._main import entry, main

__all__ = ["entry", "main"]
