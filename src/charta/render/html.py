"""The page for citizens: one self-contained, accessible HTML document.

Drawn with :func:`charta.adapters.html.render_template` from a
:class:`~charta.render.page.Page` (already the public view).  The markup
built here around citizen text (word differences, the coverage matrix)
escapes each text.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from markupsafe import Markup, escape

from charta.adapters.html import heading, render_template, ui_text_for
from charta.diff.words import Op, Piece, glue
from charta.labels import Labels
from charta.model import PartialDate
from charta.render.page import CoverageRow, Page
from charta.texts import printable

__all__ = ["render_html", "words_html"]


def words_html(pieces: Iterable[Piece], labels: Any, date: PartialDate | None) -> Markup:
    """A word difference: ``<del>``/``<ins>``, each with words a screen reader announces."""
    stamp = ""
    if date is not None and date.day is not None:
        # ins/del take a full date only ("2020-11" is not a valid date string there).
        stamp = f' datetime="{date}"'  # digits and hyphens only
    pieces = [Piece(p.op, printable(p.text)) for p in pieces]
    shown = []
    for p in pieces:
        if p.op is Op.INSERT:
            shown.append(
                f'<ins{stamp}><span class="vh">{escape(labels["inserted"])} </span>'
                f"{escape(p.text)}</ins>"
            )
        elif p.op is Op.DELETE:
            shown.append(
                f'<del{stamp}><span class="vh">{escape(labels["deleted"])} </span>'
                f"{escape(p.text)}</del>"
            )
        else:
            shown.append(str(escape(p.text)))
    return Markup(glue(pieces, shown))


def _matrix_row(row: CoverageRow, labels: Labels, marked: Callable[[str], Markup]) -> Markup:
    """A row of a coverage matrix: the source item, a cell a principle, the result.

    Built here, not in the template, because a page has hundreds of cells;
    a cell shows a letter for the eye and holds the word for the ear.
    """
    source = row.source
    name = (f"{source.item_label} " if source.item_label else "") + source.item_title
    out = [f'<tr class="{escape(row.status)}">\n<th scope="row">{escape(printable(name))}</th>\n']
    for cell in row.cells:
        if cell is None:
            out.append(_NO_CELL)
        else:
            out.append(
                f'<td class="mark"><span aria-hidden="true">{escape(labels.symbol(cell.value))}'
                f'</span><span class="vh">{marked(labels.value(cell.value))}</span></td>\n'
            )
    result = marked(labels[_RESULT[row.status]])
    if row.anchor:
        why = marked(labels["see_reason" if row.status == "omitted" else "see_where"])
        result += Markup(f' (<a href="#{escape(row.anchor)}">{why}</a>)')
    out.append(f"<td>{result}</td>\n</tr>\n")
    return Markup("".join(out))


_RESULT = {
    "derived": "derived_status",
    "covered-elsewhere": "covered_elsewhere",
    "omitted": "omitted",
    "not-addressed": "not_addressed",
}
_NO_CELL = '<td class="none"><span aria-hidden="true">–</span></td>\n'


def _rects(grid: tuple[tuple[bool, ...], ...], cell: int) -> Markup:
    """The squares of the coverage picture (numbers only: nothing to escape)."""
    size = cell - 2
    return Markup(
        "".join(
            f'<rect x="{x * cell + 1}" y="{y * cell + 1}" width="{size}" height="{size}" '
            f'class="{"on" if on else "off"}"/>\n'
            for y, marks in enumerate(grid)
            for x, on in enumerate(marks)
        )
    )


def render_html(
    page: Page,
    *,
    fragment: bool = False,
    template_dir: str | os.PathLike[str] | None = None,
) -> str:
    """The page as one HTML document, or with ``fragment`` as a part to paste into a CMS."""
    ui_text = ui_text_for(page.labels, page.lang, page.charta.language)
    return render_template(
        "page.html",
        page.charta,
        page.labels,
        page.notes_language,
        template_dir=template_dir,
        fragment=fragment,
        ui_text=ui_text,
        page=page,
        comments={t.comment.id: t for t in page.threads},
        principle_heading=lambda p: heading(p.depth, 3),
        matrix_row=lambda row: _matrix_row(row, page.labels, ui_text),
        rects=_rects,
        words=words_html,
    )
