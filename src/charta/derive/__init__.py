"""Deriving a town's charta: start one, edit it, follow and suggest its sources.

- :mod:`charta.derive.files`: one function per command on a file (``new``,
  ``adapt``, ``merge``, ``omit``, ``link``, ``renumber``, ``suggest``,
  ``trace``); what the ``charta`` command calls.
- :mod:`charta.derive.operations`: the pure operations, charta in, charta out.
- :mod:`charta.derive.edit`: read, check, change, check again, write back.
- :mod:`charta.derive.new`, :mod:`~charta.derive.trace`,
  :mod:`~charta.derive.suggest`: a draft from sources, the provenance chain,
  suggested sources.
"""

from __future__ import annotations

from charta.derive.edit import edit_file
from charta.derive.files import (
    Draft,
    Suggestions,
    adapt_file,
    link_file,
    merge_file,
    new_draft,
    omit_file,
    renumber_file,
    suggest_for_file,
    trace_item,
    write_suggestions,
)

__all__ = [
    "Draft",
    "Suggestions",
    "adapt_file",
    "edit_file",
    "link_file",
    "merge_file",
    "new_draft",
    "omit_file",
    "renumber_file",
    "suggest_for_file",
    "trace_item",
    "write_suggestions",
]
