"""Starting a town's own charta from sources: ``charta new``.

:func:`new_charta` builds a draft: one principle for each chosen source item,
linked to it as "adopted" and stated by the town (it writes the file), with
the source item's text, or where the source holds only a summary, that
summary, as a starting text to rewrite.  A source can be a built-in charta
(``smart-city-charta``) or another town's file: then the new principles link
to that town's principles, and through them to the federal and state items
(``charta trace`` follows the chain).

:func:`draft_toml` writes it for a person who will edit it: the canonical
TOML with comments that say what to do next.  The comments are only
comments: the file reads back as the same charta.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from charta import rules
from charta.adapters.toml import dumps
from charta.errors import ChartaError
from charta.hints import did_you_mean
from charta.model import (
    Assertion,
    Basis,
    Charta,
    ChartaKind,
    Confidence,
    Derivation,
    Issuer,
    IssuerKind,
    Item,
    ItemKind,
    Lineage,
    Obtained,
    Provenance,
    Reference,
    Relation,
    Status,
    is_id,
    is_path,
)

__all__ = ["Source", "draft_toml", "new_charta", "slug"]

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug(text: str) -> str:
    """``"Musterstadt an der Ems"`` -> ``musterstadt-an-der-ems``: an id from a name."""

    plain = unicodedata.normalize("NFKD", text.lower().translate(_UMLAUTS))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return "-".join(re.findall(r"[a-z0-9]+", plain))[:60].strip("-")


class Source:
    """A source of a new charta: the charta, and how the new file names it."""

    def __init__(self, charta: Charta, name: str, given: str = "") -> None:
        self.charta = charta
        self.name = name
        """A source id, or a path relative to the new file's folder."""
        self.given = given or name
        """The source as the user named it (a path from where they are)."""

    def named(self, name: str) -> bool:
        """Whether ``name`` (from ``--item NAME#ID``) means this source."""

        if name in (self.name, self.given, self.charta.id):
            return True
        return is_path(name) and is_path(self.given) and _same_file(name, self.given)


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except (OSError, ValueError):
        return False


def new_charta(
    town: str,
    sources: Sequence[Source],
    *,
    items: Sequence[str] = (),
    charta_id: str | None = None,
    title: str | None = None,
    language: str = "de",
) -> Charta:
    """A draft local charta for ``town`` with a principle per chosen source item.

    ``items`` picks source items by id (at any depth, in any of the sources,
    as ``id`` or ``source#id``); by default every top-level item of every
    source is taken.  Raises :class:`ChartaError` for an id no source has.
    """
    if not town.strip():
        raise ChartaError(
            "--town is the name of the town, e.g. --town Musterstadt", rule=rules.REQUEST
        )
    if not sources:
        raise ChartaError("name a source with --from", rule=rules.REQUEST)
    unique: dict[str, Source] = {}
    for s in sources:  # a source named twice counts once
        unique.setdefault(s.charta.id, s)
    sources = list(unique.values())
    chosen = _choose(sources, items)
    if not chosen:
        raise ChartaError(
            "the sources have no items to start from: "
            + ", ".join(f"'{s.charta.id}'" for s in sources),
            rule=rules.REQUEST,
        )
    taken: set[str] = set()
    principles = []
    for n, (source, item) in enumerate(chosen, 1):
        new_id = item.id if item.id not in taken else f"{slug(source.charta.id)}-{item.id}"
        k = 2
        while new_id in taken:
            new_id, k = f"{item.id}-{k}", k + 1
        taken.add(new_id)
        principles.append(
            Item(
                id=new_id,
                label=str(n),
                title=item.title,
                kind=ItemKind.LEITMOTIV,
                text=item.text or item.summary or item.title,
                derived_from=(
                    Derivation(
                        ref=Reference(charta=source.name, item=item.id),
                        relation=Relation.ADOPTED,
                        confidence=Confidence.HIGH,
                        asserted_by=Assertion.ISSUER,
                    ),
                ),
            )
        )
    town_id = slug(town) or "stadt"
    return Charta(
        id=charta_id or f"{town_id}-leitmotive",
        title=title or f"Leitmotive der Digitalisierung in {town.strip()}",
        kind=ChartaKind.LOCAL,
        language=language,
        issuer=Issuer(body=town.strip(), kind=IssuerKind.MUNICIPALITY),
        status=Status.DRAFT,
        lineage=Lineage.RECORDED,
        provenance=Provenance(obtained=Obtained.DERIVED),
        based_on=tuple(
            Basis(source=Reference(charta=s.name), asserted_by=Assertion.ISSUER) for s in sources
        ),
        items=tuple(principles),
    )


def _choose(sources: Sequence[Source], items: Sequence[str]) -> list[tuple[Source, Item]]:
    if not items:
        return [(s, item) for s in sources for item in s.charta.items]
    out = []
    for wanted in dict.fromkeys(items):  # an item named twice is taken once
        source_name, _, item_id = wanted.rpartition("#")
        candidates = [s for s in sources if not source_name or s.named(source_name)]
        found = [(s, s.charta.item(item_id)) for s in candidates]
        hits = [(s, i) for s, i in found if i is not None]
        if not hits:
            known = [i for s in candidates for i in s.charta.item_ids()]
            raise ChartaError(
                f"no source has an item '{wanted}'{did_you_mean(item_id, known)}",
                rule=rules.REQUEST,
            )
        if len(hits) > 1:
            names = ", ".join(f"{s.charta.id}#{item_id}" for s, _ in hits)
            raise ChartaError(
                f"'{item_id}' is in more than one source: write one of {names}",
                rule=rules.REQUEST,
            )
        out.append(hits[0])
    return out


def source_name(name: str, output: str | os.PathLike[str]) -> str:
    """How the new file at ``output`` names the source ``name`` (an id, or a path)."""

    if not is_path(name):
        return name
    target = Path(name).resolve()
    folder = Path(output).resolve().parent
    return Path(os.path.relpath(target, folder)).as_posix()


_HEADER = """\
# {title}
#
# A draft made by `charta new` from: {sources}.
# What to do next:
#   1. Rewrite each principle's title and text for {town}. When you change
#      the text, change its link's relation from "adopted" to "adapted"
#      (or use `charta adapt`, which does both and records the change).
#   2. Remove principles you do not want, and record each source item you
#      leave out on purpose as [[omissions]] with a reason (`charta omit`).
#   3. Run `charta validate` and `charta diff` on this file.
# See docs/derive.md.

"""


def draft_toml(charta: Charta, town: str, sources: Sequence[Source]) -> str:
    """The draft as TOML for a person: canonical, with comments saying what to do next."""

    text = dumps(charta)
    names = {s.name: s.charta for s in sources}
    lines = text.split("\n")
    out: list[str] = []
    n = 0
    for line in lines:
        if line == "[[items]]" and n < len(charta.items):
            item = charta.items[n]
            n += 1
            ref = item.derived_from[0].ref if item.derived_from else None
            source = names.get(ref.charta or "") if ref is not None else None
            if source is not None and ref is not None and ref.item is not None:
                src = source.item(ref.item)
                label = f"{src.label} " if src is not None and src.label else ""
                title = f"„{src.title}“ " if src is not None else ""
                out.append(
                    f"# From {_comment(source.title)}: {_comment(label + title)} ({ref.item})."
                )
                if src is not None and not src.text and src.summary:
                    out.append(
                        "# The text is our summary of the source, not its wording: rewrite it."
                    )
                else:
                    out.append(f"# Rewrite the title and text for {_comment(town)}.")
        out.append(line)
    header = _HEADER.format(
        title=_comment(charta.title),
        sources=", ".join(_comment(s.name) for s in sources),
        town=_comment(town),
    )
    return header + "\n".join(out)


def _comment(text: str) -> str:
    """A text safe inside a TOML comment: one line, no control characters."""
    return re.sub(r"[\x00-\x1f\x7f]", " ", " ".join(text.split()))


def check_id(charta_id: str) -> None:
    if not is_id(charta_id):
        raise ChartaError(
            f"'{charta_id}' is not a valid id: lower-case letters, digits and hyphens",
            rule=rules.REQUEST,
        )
