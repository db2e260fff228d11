"""Decidim's comment export, in every generation still in use.

Decidim writes comments with ``Decidim::Comments::CommentSerializer`` and
one of its exporters (``Decidim::Exporters::CSV``, ``Excel``, ``JSON``).
Three generations of the serializer are in use (read in Decidim's own
repository, ``decidim-comments/lib/decidim/comments/comment_serializer.rb``
and ``decidim-core/lib/decidim/exporters/``, at the release tags):

- up to 0.22: ``id, created_at, body, author/id, author/name, alignment,
  depth, user_group/id, user_group/name, commentable_id, commentable_type,
  root_commentable_url``; ``body`` is the text;
- 0.23 to 0.30: the same with ``locale`` after ``body``;
- from 0.31: ``user_group`` is gone.

The exporters flatten nested hashes with ``/`` (``author/name``); the CSV
uses ``;``.  From 0.23 the CSV and Excel exporters guard against formulas:
a cell that begins with ``=``, ``+``, ``-`` or ``@`` gets a ``'`` before
it.  The JSON exporter never does.  So a ``'`` is taken off only where that
exporter put one, and a text that really begins with ``'`` keeps it.
Timestamps are written as ``2020-10-24 09:15:02 UTC`` (CSV, JSON) and kept
to the second, with their zone.

A reply is a comment whose ``commentable_type`` is a comment: its
``commentable_id`` is the comment it answers.

Other exports of Decidim (proposals, debates, results, meetings, survey
answers) are recognised by their columns and refused with a message that
says what the file is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

import attrs

from charta import rules
from charta.errors import Problem, ValidationError
from charta.model import Location

__all__ = [
    "COMMENT",
    "GENERATIONS",
    "Generation",
    "columns",
    "fields",
    "generation",
    "refuse_other_exports",
    "timestamp",
    "unguard",
]

COMMENT = "Decidim::Comments::Comment"
"""The ``commentable_type`` of a reply: what it answers is a comment."""


@attrs.frozen
class Generation:
    """One generation of Decidim's comment serializer and its exporters."""

    name: str
    """``0.20-0.22``, ``0.23-0.30``, ``0.31+``."""
    keys: tuple[str, ...]
    """The serializer's keys, flattened as the CSV writes them, in its order."""
    guard: frozenset[str]
    """The exporter formats that put a ``'`` before a formula (``csv``, ``xlsx``, ``xls``)."""

    @property
    def title(self) -> str:
        return f"Decidim {self.name} comment export"


_CORE = ("id", "created_at", "body")
_AUTHOR = ("author/id", "author/name", "alignment", "depth")
_GROUP = ("user_group/id", "user_group/name")
_ON = ("commentable_id", "commentable_type", "root_commentable_url")
_GUARDED = frozenset({"csv", "xls", "xlsx", "ods"})

GENERATIONS = (
    Generation("0.20-0.22", (*_CORE, *_AUTHOR, *_GROUP, *_ON), frozenset()),
    Generation("0.23-0.30", (*_CORE, "locale", *_AUTHOR, *_GROUP, *_ON), _GUARDED),
    Generation("0.31+", (*_CORE, "locale", *_AUTHOR, *_ON), _GUARDED),
)
"""Newest last."""

_NEEDED = frozenset({"id", "body", "commentable_type"})


def _key(header: str) -> str:
    """A CSV header or JSON key path as the serializer names it (``author.name`` too)."""
    return header.strip().replace(".", "/")


def generation(header: Sequence[str]) -> Generation | None:
    """The generation whose export has these columns, or None when it is no comment export.

    Only the columns that tell the generations apart are asked for: an export
    made from 0.25 on has the union of all rows' keys, and columns may be
    missing where no row had them (a file of comments without user groups).
    """
    keys = {_key(h) for h in header}
    if any(k.startswith("body/") for k in keys):
        keys.add("body")  # a text by language (body/de), as an Open Data export may hold
    if not keys >= _NEEDED or not ({"author/id", "author/name"} & keys):
        return None
    if "locale" not in keys:
        return GENERATIONS[0]
    if keys & set(_GROUP):
        return GENERATIONS[1]
    return GENERATIONS[2]


def columns(header: Sequence[str], gen: Generation) -> list[tuple[str, str, str]]:
    """(header, field, how) for each column of a Decidim export."""
    ours = {
        "id": "id",
        "created_at": "date",
        "body": "text",
        "locale": "locale",
        "author/id": "author",
        "author/name": "name",
        "alignment": "alignment",
        "depth": "depth",
        "user_group/id": "group-id",
        "user_group/name": "group",
        "commentable_id": "commentable",
        "commentable_type": "commentable-type",
        "root_commentable_url": "root-url",
    }
    out = []
    for h in header:
        key = _key(h)
        field = ours.get(key) or ("text" if key.startswith("body/") else "ignore")
        out.append((h, field, f"Decidim {gen.name}"))
    return out


def unguard(text: str, gen: Generation, kind: str) -> str:
    """``text`` without the ``'`` that this generation's ``kind`` exporter put before a formula."""
    if kind in gen.guard and len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


_UTC = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?\s*(UTC|Z|[+-]\d{2}:?\d{2})?$"
)


def timestamp(text: str) -> dt.datetime | None:
    """``2020-10-24 09:15:02 UTC`` (or ISO 8601 with a zone) as an aware datetime; None if none.

    A time without a zone is not guessed at: None, and the day alone is kept.
    """
    m = _UTC.match(text.strip())
    if m is None or m[3] is None:
        return None
    zone = "+00:00" if m[3] in ("UTC", "Z") else m[3]
    if len(zone) == 5:
        zone = zone[:3] + ":" + zone[3:]
    try:
        return dt.datetime.fromisoformat(f"{m[1]}T{m[2]}{zone}")
    except ValueError:
        return None


def fields(row: Mapping[str, str], gen: Generation, kind: str) -> dict[str, str]:
    """One exported comment (its cells by header) as our fields."""
    by_key = {_key(h): v for h, v in row.items()}
    bodies = {k: v for k, v in by_key.items() if k == "body" or k.startswith("body/")}
    locale = by_key.get("locale", "").strip()
    text = ""
    for key in ("body", f"body/{locale}", "body/de", "body/en"):
        if bodies.get(key, "").strip():
            text = bodies[key]
            break
    else:
        text = next((v for v in bodies.values() if v.strip()), "")
    out = {
        "id": by_key.get("id", "").strip(),
        "date": by_key.get("created_at", "").strip(),
        "text": unguard(text, gen, kind),
        "name": unguard(by_key.get("author/name", ""), gen, kind).strip(),
        "author": by_key.get("author/id", "").strip(),
        "group": unguard(_group_name(by_key), gen, kind).strip(),
        "group-id": by_key.get("user_group/id", "").strip(),
        "alignment": by_key.get("alignment", "").strip(),
        "depth": by_key.get("depth", "").strip(),
        "commentable": by_key.get("commentable_id", "").strip(),
        "commentable-type": by_key.get("commentable_type", "").strip(),
        "root-url": by_key.get("root_commentable_url", "").strip(),
    }
    return out


def _group_name(by_key: Mapping[str, str]) -> str:
    """The user group's name: one ``user_group/name`` column, or (where the header came
    from a comment without a group) one ``user_group/name/<locale>`` column per language."""
    plain = by_key.get("user_group/name", "").strip()
    if plain:
        return plain
    by_locale = [v for k, v in by_key.items() if k.startswith("user_group/name/") and v.strip()]
    return by_locale[0] if by_locale else ""


# Other exports of Decidim, by the columns only they have (their serializers'
# keys across 0.20-0.31; a key ending in "/" stands for any key under it, as
# `title/de`): what the file is, in the words of the message that refuses it.
_OTHER_EXPORTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("title/", "state"), "a proposals export"),
    (("title/", "reference"), "a proposals export"),
    (("supports",), "a proposals export"),
    (("votes",), "a proposals export"),
    (("endorsements/",), "a proposals export"),
    (("likes/",), "a proposals export"),
    (("progress",), "an accountability results export"),
    (("status/",), "an accountability results export"),
    (("proposal_urls",), "an accountability results export"),
    (("start_time", "attendees"), "a meetings export"),
    (("instructions",), "a debates export"),
    (("conclusions",), "a debates export"),
    (("budget_amount",), "a budget projects export"),
    (("weight", "comment/id"), "a comment votes export"),
    (("answer id",), "a survey answers export"),
)


def kind_of_export(keys: Sequence[str]) -> str | None:
    """What another Decidim export is, from its columns; None if it looks like none."""
    have = {_key(k).casefold() for k in keys}
    prefixes = {k.split("/", 1)[0] + "/" for k in have if "/" in k}

    def has(key: str) -> bool:
        return key in prefixes if key.endswith("/") else key in have

    for needed, what in _OTHER_EXPORTS:
        if all(has(k) for k in needed):
            return what
    return None


def refuse_other_exports(header: Sequence[str], file: str) -> None:
    """Raise :class:`ValidationError` when ``header`` is another Decidim export's."""
    what = kind_of_export(header)
    if what is not None:
        raise ValidationError([_not_comments(what, file)])


def _not_comments(what: str, file: str) -> Problem:
    return rules.BAD_ROW.problem(
        f"this is {what} of Decidim, not its comment export: export the comments "
        "(in Decidim's admin: the component's 'Export' menu, 'Comments'), then import that file",
        Location(file=file, line=1),
    )
