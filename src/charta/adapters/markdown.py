"""Markdown that no citizen's text can break: for wikis, merge requests and council papers.

Every text from a charta is escaped (:func:`md`): no Markdown or HTML markup,
no entity, no ``@mention`` comes through; a line never starts a heading or a
list of its own.  Changes are marked with words and signs, never by colour:
``~~− alt~~ **＋ neu**``.  The page (:mod:`charta.render.markdown`), the diff
and the weighing table are written with these helpers.
"""

from __future__ import annotations

import re

from charta.model import PartialDate
from charta.texts import printable, visible, web_url

__all__ = ["md", "md_date", "md_paragraphs", "md_url"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_LINE_START = re.compile(r"^(?:([0-9]+)([.)])|([-+=>]))")


def md(text: object) -> str:
    """Text safe in a Markdown paragraph, list item or table cell: one line, no markup.

    Markup characters are backslash-escaped; ``&`` and ``@`` become entities,
    so that no entity is read and no comment mentions "@all".
    """
    # Control characters go (printable), line separators are spaces (split), and
    # bidirectional controls are written out, visibly (\u202e): none turns text around.
    one = _SPECIAL.sub(r"\\\1", visible(" ".join(printable(str(text)).split())))
    # A text that starts like a list item or a quote ("1. ", "- ") stays text.
    one = _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", one)
    return one.replace("&", "&amp;").replace("@", "&#64;")


def md_date(date: PartialDate | None) -> str:
    return str(date) if date is not None else ""


def md_url(url: str) -> str:
    """An http(s) address as an autolink (``<``, ``>`` and the like percent-encoded);
    anything else as escaped text."""
    target = web_url(url)
    return f"<{target}>" if target is not None else md(url)


def md_paragraphs(text: str) -> list[str]:
    out: list[str] = []
    for p in re.split(r"\n[ \t]*\n", text.strip()):
        if p.strip():
            out += [md(p), ""]
    return out
