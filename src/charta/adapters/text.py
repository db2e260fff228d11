"""Plain-text views for the terminal: ``charta sources`` and ``charta show``.

Public output: callers pass a charta through :func:`charta.public_view`
first.  Every value is put on its own line(s) here: a newline inside a title
or an id never starts a line of its own, so a file cannot forge output; the
command line escapes what is left (control and invisible characters).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable

from charta.model import (
    Assertion,
    Basis,
    Charta,
    Completeness,
    CoveredElsewhere,
    Derivation,
    Item,
    Knowledge,
    Reference,
)

__all__ = ["one_line", "show_charta", "show_item", "sources_table"]

Describe = Callable[[Reference], str]
"""Gives the title of the item (or charta) a reference points at, or ``""``."""


def one_line(text: object) -> str:
    """``text`` with every run of white space, newlines included, as one space."""
    return " ".join(str(text).split())


_WIDTH = 88
_INDENT = 14


def count_text(charta: Charta) -> str:
    """``12`` or ``8 of 10 declared`` when the charta is known only in part."""
    known = charta.known_count
    if charta.declared_count is not None and charta.declared_count != known:
        return f"{known} of {charta.declared_count} declared"
    return str(known)


def sources_table(chartas: Iterable[Charta]) -> str:
    rows = [("ID", "TITLE", "PUBLISHER", "EDITION", "ITEMS", "COMPLETENESS")]
    for c in chartas:
        rows.append(
            (
                one_line(c.id),
                _clip(c.title, 40),
                _clip(c.issuer.body, 36),
                one_line(c.edition),
                count_text(c),
                c.completeness.value,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _clip(text: str, n: int) -> str:
    text = one_line(text)
    return text if len(text) <= n else text[: n - 1] + "…"


_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")


def _wrap(text: str, first: str, rest: str) -> list[str]:
    # Never break at a hyphen: "Digitalisierungs-Projekte" stays one word.
    return textwrap.wrap(
        text,
        _WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _field(name: str, value: object) -> list[str]:
    """``name:`` and the value, wrapped; paragraphs (blank lines) in the value stay apart."""
    if value in (None, "", ()):
        return []
    paragraphs = [one_line(p) for p in _PARAGRAPH.split(str(value).strip())]
    paragraphs = [p for p in paragraphs if p] or [""]
    indent = name[: len(name) - len(name.lstrip(" "))]  # sub-fields ("  note") keep theirs
    head = indent + one_line(name) + ":"
    pad = " " * _INDENT
    if len(head) >= _INDENT:
        # A long name (a reference) gets its own line; the value goes below it.
        lines, first = [head], pad
    else:
        lines, first = [], f"{head:<{_INDENT}}"
    for n, paragraph in enumerate(paragraphs):
        if n:
            lines.append("")
        lines += _wrap(paragraph, first, pad) or [first.rstrip()]
        first = pad
    return lines


def _uncertain(knowledge: Knowledge) -> str:
    return "" if knowledge is Knowledge.VERIFIED else f" [{knowledge.value}]"


def _provenance(charta: Charta) -> list[str]:
    p = charta.provenance
    lines = []
    for url in p.urls:
        lines += _field("url", url)
    lines += _field("obtained", p.obtained.value)
    lines += _field("retrieved", p.retrieved)
    lines += _field("rights", p.rights)
    lines += _field("license", p.license)
    lines += _field("attribution", p.attribution)
    lines += _field("note", p.note)
    return lines


def _asserted(link: Derivation | Basis | CoveredElsewhere) -> str:
    """``stated by the issuer (Abb. 3, S. 14)``, ``our reading``, or nothing when not recorded."""
    if link.asserted_by is Assertion.ISSUER:
        return "stated by the issuer" + (f" ({one_line(link.stated_at)})" if link.stated_at else "")
    if link.asserted_by is Assertion.RECORD_KEEPER:
        return "the record-keeper's reading"
    return ""


def _issuer_and_status(c: Charta) -> list[str]:
    """Who issued the charta, its edition and status, its adoption, the document it is part of."""
    lines: list[str] = []
    lines += _field("issuer", c.issuer.body)
    lines += _field("office", c.issuer.office)
    issuer = c.issuer
    lines += _field(
        "issuer kind",
        ", ".join(
            x
            for x in (
                issuer.kind.value if issuer.kind else "",
                issuer.country,
                f"AGS {issuer.ags}" if issuer.ags else "",
            )
            if x
        ),
    )
    lines += _field("edition", c.edition)
    lines += _field("date", c.date)
    lines += _field("status", c.status.value)
    if c.adoption is not None:
        a = c.adoption
        lines += _field(
            "adopted",
            "; ".join(x for x in (a.body, str(a.date or ""), a.paper, a.url) if x)
            + _uncertain(a.knowledge),
        )
        lines += _field("  note", a.note)
    if c.part_of is not None:
        lines += _field("part of", "; ".join(x for x in (c.part_of.title, c.part_of.locator) if x))
        for url in c.part_of.urls:
            lines += _field("  url", url)
    return lines


def _dispositions(c: Charta, describe: Describe | None) -> list[str]:
    """Source items the charta left out on purpose, or covers in another part."""
    lines: list[str] = []
    if c.omissions:
        lines += ["", "Omitted, with reasons", "---------------------"]
        for om in c.omissions:
            lines += _field(str(om.ref) + _uncertain(om.knowledge), om.reason)
    if c.merged_away:
        lines += ["", "Merged away", "-----------"]
        for m in c.merged_away:
            when = f" ({m.date})" if m.date else ""
            lines += _field(
                f"{m.id} „{one_line(m.title)}“",
                f"merged into {m.merged_into}{when}" + (f": {m.reason}" if m.reason else ""),
            )
    if c.covered_elsewhere:
        lines += ["", "Covered elsewhere", "-----------------"]
        for ce in c.covered_elsewhere:
            title = describe(ce.ref) if describe else ""
            where = ce.where + (f" ({_asserted(ce)})" if _asserted(ce) else "")
            lines += _field(str(ce.ref) + (f" „{one_line(title)}“" if title else ""), where)
    return lines


def show_charta(charta: Charta, describe: Describe | None = None) -> str:
    """The whole charta: facts, introduction, items with their sources, omissions.

    ``describe`` names the source item behind each derivation (its title);
    without it, only the reference is shown.
    """
    c = charta
    title = one_line(c.title)
    lines = [title, "=" * min(len(title), _WIDTH)]
    lines += _field("id", c.id)
    lines += _field("kind", c.kind.value)
    lines += _issuer_and_status(c)
    lines += _field("language", c.language)
    for t in c.other_titles:
        lines += _field(f"title ({t.language})", t.title)
    completeness = count_text(c) + " items"
    everything = sum(1 for _ in c.walk())
    if everything != c.known_count:
        completeness += f" ({everything} with their sub-items)"
    if c.completeness is Completeness.PARTIAL:
        completeness += " (known only in part)"
    lines += _field("items", completeness)
    for e in c.editions:
        extra = "same items" if e.same_items else ""
        lines += _field(
            f"edition {e.id}",
            "; ".join(x for x in (str(e.date or ""), ", ".join(e.publishers), extra) if x)
            + _uncertain(e.knowledge),
        )
    lines += _field("lineage", c.lineage.value if c.lineage else "")
    for b in c.based_on:
        lines += _field(
            "based on",
            "; ".join(
                x
                for x in (
                    f"{b.source}" + (f" (cited as: {b.cited_as})" if b.cited_as else ""),
                    _asserted(b),
                )
                if x
            ),
        )
    lines += ["", "Provenance", "----------", *_provenance(c)]
    if c.note:
        lines += ["", *_field("note", c.note)]
    if c.introduction:
        # Indented, like every value: a paragraph can never pass for a line of output.
        lines += ["", "Introduction", "------------", *_text_block(c.introduction, "  ")]
    lines += ["", "Items", "-----"]
    for item in c.items:
        lines += _tree(item, 0, describe)
    lines += _dispositions(c, describe)
    if c.consultation:
        cons = c.consultation
        lines += ["", "Consultation", "------------"]
        period = " – ".join(str(d) for d in (cons.start, cons.end) if d)
        lines += _field("period", period)
        lines += _field("comments", len(cons.comments))
        lines += _field("responses", len(cons.responses))
    return "\n".join(lines)


def _text_block(text: str, indent: str = "") -> list[str]:
    """A text of paragraphs, wrapped, the paragraphs kept apart."""
    lines: list[str] = []
    for n, paragraph in enumerate(p for p in _PARAGRAPH.split(text.strip()) if p.strip()):
        if n:
            lines.append("")
        lines += _wrap(one_line(paragraph), indent, indent)
    return lines


def _tree(item: Item, depth: int, describe: Describe | None = None) -> list[str]:
    indent = "  " * depth
    label = f"{one_line(item.label)} " if item.label else ""
    out = [
        f"{indent}- {label}{one_line(item.title)}  ({one_line(item.id)})"
        + _uncertain(item.knowledge)
    ]
    for d in item.derived_from:
        title = describe(d.ref) if describe else ""
        source = f"{d.ref}" + (f" „{one_line(title)}“" if title else "")
        how = ", ".join(
            x for x in (d.relation.value, f"confidence {d.confidence.value}", _asserted(d)) if x
        )
        out += _wrap(f"from {source}: {how}", f"{indent}    ", f"{indent}      ")
    for child in item.children:
        out += _tree(child, depth + 1, describe)
    return out


def show_item(charta: Charta, item: Item, describe: Describe | None = None) -> str:
    """One item with its text, sources, revisions and the comments on it."""
    head = one_line(f"{charta.id}#{item.id}")
    lines = [head, "=" * len(head)]
    lines += _field("title", item.title)
    lines += _field("label", item.label)
    lines += _field("kind", item.kind.value)
    lines += _field("knowledge", item.knowledge.value)
    lines += _field("addressee", item.addressee)
    if item.text:
        lines += ["", *_field("text", item.text)]
    if item.summary:
        lines += ["", *_field("summary", item.summary + " (our own words)")]
    lines += _field("note", item.note)
    if item.derived_from:
        lines += ["", "Derived from", "------------"]
        for d in item.derived_from:
            title = describe(d.ref) if describe else ""
            lines += _field(str(d.ref), f"{d.relation.value}, confidence {d.confidence.value}")
            lines += _field("  title", title)
            lines += _field("  asserted", _asserted(d))
            lines += _field("  note", d.note)
    if item.revisions:
        lines += ["", "Revisions", "---------"]
        for n, rev in enumerate(item.revisions, 1):
            lines += _field(f"{n}. {rev.field.value}", f"{rev.date or 'undated'}: {rev.reason}")
            before = rev.before + (
                f" [{rev.before_knowledge.value}]"
                if rev.before_knowledge is not Knowledge.VERIFIED
                else ""
            )
            lines += _field("  before", before)
            lines += _field("  after", rev.after)
            if rev.caused_by:
                lines += _field("  caused by", ", ".join(rev.caused_by))
    if charta.consultation:
        comments = [
            c
            for c in charta.consultation.comments
            if c.target is not None and c.target.item == item.id
        ]
        if comments:
            lines += ["", "Comments", "--------"]
            answers = charta.consultation.responses_by_comment()
            for com in comments:
                who = com.commenter.public_name
                lines += _field(com.id, f"{who}: {com.text}")
                for r in answers.get(com.id, ()):
                    lines += _field(f"  {r.id}", f"{r.by} ({r.decision.value}): {r.text}")
    if item.children:
        lines += ["", "Children", "--------"]
        for child in item.children:
            lines += _tree(child, 0, describe)
    lines += ["", "Provenance", "----------"]
    lines += _field("locator", item.locator)
    lines += _provenance(charta)
    if item.location is not None and item.location.file:
        lines += _field("defined at", str(item.location))
    return "\n".join(lines)
