"""CONSUL Democracy's comments, as far as CONSUL exports them.

CONSUL (consuldemocracy.org) has no comment export for an office today.  What
it writes is a data file for its machine-learning feature
(``app/models/comment/exporter.rb`` with the ``JsonExporter`` concern):
a JSON list of ``id``, ``commentable_id``, ``commentable_type`` and ``body``
(HTML taken out), no author and no date.  charta reads that file: every
comment anonymous, its principle by ``--target-map`` on ``commentable_id``.
(A CSV of comments chosen by column existed in CONSUL's code for a few weeks
in 2019, pull requests 3410 and 3819; no release is known to have shipped it.)
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["KEYS", "TITLE", "is_consul"]

KEYS = frozenset({"id", "commentable_id", "commentable_type", "body"})
"""The keys of a comment in CONSUL's data file, and all of them."""

TITLE = "CONSUL Democracy comment data file (JSON)"


def is_consul(keys: Sequence[str]) -> bool:
    """Whether a JSON list with these keys (over all its entries) is CONSUL's comments."""
    return set(keys) == KEYS
