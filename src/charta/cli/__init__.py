"""The ``charta`` command: thin commands over the library.

One module per command group; each command parses its arguments, calls one
public library function and prints.  Exit codes: 0 success, 1 a handled
error or a check that found problems, 2 a usage error.  Documents go to
stdout (or ``-o``), messages to stderr.  Only click is imported at start-up:
each command imports its capability when it runs, so that ``charta --help``
costs about what ``import click`` costs.
"""

from charta.cli import check, consult, derive, diff, render, show  # each adds its commands
from charta.cli.base import main

__all__ = ["check", "consult", "derive", "diff", "main", "render", "show"]
