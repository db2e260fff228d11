"""The page as Markdown: for wikis, merge requests and council papers.

Drawn from the same :class:`~charta.render.page.Page` as the HTML page, with
the escaping helpers of :mod:`charta.adapters.markdown`.
"""

from __future__ import annotations

import re

from charta.adapters.markdown import md, md_date, md_paragraphs, md_url
from charta.diff.markdown import words_markdown
from charta.labels import Labels
from charta.model import Knowledge
from charta.render.page import Link, Page, Principle
from charta.texts import is_web_url

__all__ = ["render_markdown"]


def _link_line(link: Link, labels: Labels) -> str:
    s = link.source
    if not s.resolved:
        where = f"{md(s.ref)} ({labels['unresolved']})"
    else:
        item = (
            (f"{md(s.item_label)} " if s.item_label else "") + f"„{md(s.item_title)}“"
            if s.item_title
            else labels["whole_charta"]
        )
        where = f"{item}, *{md(s.charta_title)}*"
    facts = []
    if s.publisher:
        facts.append(f"{labels['publisher']}: {md(s.publisher)}")
    if s.edition:
        facts.append(
            f"{labels['edition']}: {md(s.edition)}"
            + (f" ({md_date(s.edition_date)})" if s.edition_date else "")
        )
    if s.locator:
        facts.append(f"{labels['page']}: {md(s.locator)}")
    facts.append(f"{labels['confidence']}: {labels.value(link.confidence.value)}")
    for url in s.web_urls[:1]:
        facts.append(f"{labels['original']}: {md_url(url)}")
    if link.asserted_by is None:
        facts.append(labels["not_asserted"])
    elif link.asserted_by.value == "issuer":
        facts.append(
            labels["stated_by_issuer"] + (f" ({md(link.stated_at)})" if link.stated_at else "")
        )
    else:
        facts.append(labels["record_keeper"])
    return f"- **{labels.value(link.relation.value)}**: {where}. " + "; ".join(facts) + "."


def _principle(p: Principle, page: Page) -> list[str]:
    labels = page.labels
    item = p.item
    level = "#" * min(6, 3 + p.depth)
    head = (f"{md(item.label)} " if item.label else "") + md(item.title)
    lines = [f"{level} {head}", ""]
    if item.knowledge is not Knowledge.VERIFIED:
        lines += [f"*{labels['uncertain']}: {labels.value(item.knowledge.value)}*", ""]
    if item.text:
        lines += md_paragraphs(item.text)
    if item.summary:
        lines += [f"*{labels['summary_own_words']}:* " + md(item.summary), ""]
    if page.charta.kind.value == "local":
        lines += [f"**{labels['origin']}**", ""]
        if p.links:
            lines += [_link_line(link, labels) for link in p.links] + [""]
        else:
            lines += [labels["no_origin"], ""]
    if p.amendments:
        lines += [f"**{labels['history']}**", ""]
        for a in p.amendments:
            when = labels["changed_undated"]
            if a.date is not None:
                word = (
                    "changed_on" if a.date.day else "changed_in" if a.date.month else "changed_year"
                )
                when = f"{labels[word]} {md_date(a.date)}"
            lines.append(
                f"- {labels['in_words_' + a.field.value]}, {when}: {words_markdown(a.pieces)}"
            )
            if a.before_knowledge is not Knowledge.VERIFIED:
                lines.append(f"  *{labels['before_inferred']}*")
            if a.reason:
                lines.append(f"  {labels['reason']}: {md(a.reason)}")
            if a.caused_by:
                causes = ", ".join(md(page.causes.get(c, c)) for c in a.caused_by)
                lines.append(f"  {labels['caused_by']}: {causes}")
        lines.append("")
    if p.merged:
        lines += [f"**{labels['merged_head']}**", ""]
        for m in p.merged:
            when = labels["merged_undated"]
            if m.date is not None:
                word = "merged_on" if m.date.day else "merged_in" if m.date.month else "merged_year"
                when = f"{labels[word]} {md_date(m.date)}"
            head = (f"{md(m.label)} " if m.label else "") + f"„{md(m.title)}“"
            lines.append(f"- {head}, {when}" + (f": {md(m.text)}" if m.text else ""))
            if m.reason:
                lines.append(f"  {labels['reason']}: {md(m.reason)}")
            if m.caused_by:
                causes = ", ".join(md(page.causes.get(c, c)) for c in m.caused_by)
                lines.append(f"  {labels['caused_by']}: {causes}")
        lines.append("")
    for child in p.children:
        lines += _principle(child, page)
    return lines


def render_markdown(page: Page) -> str:
    """The page as one Markdown document (CommonMark with GitHub's tables)."""
    c = page.charta
    labels = page.labels
    lines = [f"# {md(c.title)}", ""]
    if page.internal:
        lines += [f"**{md(labels['internal_notice'])}**", ""]
    meta = [md(c.issuer.body)]
    if c.edition:
        meta.append(f"{labels['edition']} {md(c.edition)}")
    meta.append(f"{labels['status']}: {labels.value(c.status.value, status=True)}")
    if c.adoption is not None:
        a = c.adoption
        adoption = f"{labels['adoption']}: {md(a.body)}" + (
            f", {md_date(a.date)}" if a.date else ""
        )
        if a.knowledge is not Knowledge.VERIFIED:
            adoption += f" ({labels.value(a.knowledge.value)})"
        meta.append(adoption)
    lines += [" · ".join(meta), ""]
    if c.introduction:
        lines += [f"## {labels['introduction']}", "", *md_paragraphs(c.introduction)]
    lines += [f"## {md(page.items_heading)}", ""]
    for p in page.principles:
        lines += _principle(p, page)
    if not page.principles:
        lines += [labels["no_principles"], ""]
    lines += _coverage(page)
    lines += _consultation(page)
    lines += _about(page)
    if page.internal:
        lines += ["", f"**{md(labels['internal_notice'])}**"]
    return "\n".join(lines).rstrip("\n") + "\n"


def _coverage(page: Page) -> list[str]:
    labels = page.labels
    lines: list[str] = []
    if page.coverage:
        lines += [f"## {labels['coverage']}", "", labels["coverage_intro"], ""]
        lines += [
            f"{labels['legend']}: "
            + ", ".join(
                f"{labels.symbol(r)} = {labels.value(r)}"
                for r in ("adopted", "adapted", "merged", "extended", "inspired-by", "corresponds")
            ),
            "",
        ]
        for table in page.coverage:
            f = table.figure
            lines += [f"### {md(table.title)}", ""]
            lines += [
                labels.format(
                    "coverage_figures",
                    derived=f.derived,
                    known=f.known,
                    elsewhere=f.covered_elsewhere,
                    omitted=f.omitted,
                    none=f.not_addressed,
                ),
                "",
            ]
            if table.matrix:
                head = [labels["source_item"]]
                head += [md(col.label or str(n)) for n, col in enumerate(table.columns, 1)]
            else:
                head = [labels["source_item"], md(page.items_heading)]
            head.append(labels["result"])
            lines.append("| " + " | ".join(head) + " |")
            lines.append("|" + "---|" * len(head))
            for row in table.rows:
                s = row.source
                name = (f"{md(s.item_label)} " if s.item_label else "") + md(s.item_title)
                if table.matrix:
                    cells = [labels.symbol(cell.value) if cell else "–" for cell in row.cells]
                else:
                    cells = [
                        ", ".join(
                            f"{md(item.label or item.title)} ({labels.value(rel.value)})"
                            for item, rel in row.takers
                        )
                        or "–"
                    ]
                status = labels[
                    "derived_status" if row.status == "derived" else row.status.replace("-", "_")
                ]
                if row.detail:
                    status += f": {md(row.detail)}"
                lines.append("| " + " | ".join([name, *cells, status]) + " |")
            lines.append("")
    return lines


def _consultation(page: Page) -> list[str]:
    c = page.charta
    labels = page.labels
    lines: list[str] = []
    if c.consultation is not None:
        cons = c.consultation
        lines += [f"## {labels['consultation']}", ""]
        if cons.start or cons.end:
            period = " – ".join(md_date(d) for d in (cons.start, cons.end) if d)
            lines += [f"{labels['consultation_period']}: {period}", ""]
        if cons.url:
            lines += [f"{labels['consultation_page']}: {md_url(cons.url)}", ""]
        for t in page.threads:
            target = (
                f"{labels['comment_on']} "
                + (f"{md(t.target.label)} " if t.target.label else "")
                + f"„{md(t.target.title)}“"
                if t.target is not None
                else labels["comment_whole"]
            )
            lines += [f"### {labels['comment_by']} {md(t.who)} {target}", ""]
            if t.comment.date:
                lines += [md_date(t.comment.date), ""]
            quoted = [md(p) for p in re.split(r"\n[ \t]*\n", t.comment.text) if p.strip()]
            lines += ["\n>\n".join("> " + p for p in quoted), ""]
            for r in t.responses:
                lines += [
                    f"**{labels['response_by']} {md(r.by)}** ({labels['decision']}: "
                    f"{labels.value(r.decision.value)}"
                    + (f", {md_date(r.date)}" if r.date else "")
                    + ")",
                    "",
                    *md_paragraphs(r.text),
                ]
            for item, field in t.changes:
                name = (f"{md(item.label)} " if item.label else "") + f"„{md(item.title)}“"
                lines += [f"{labels['caused']}: {name} ({labels['in_words_' + field.value]})", ""]
        if not page.threads:
            lines += [labels["no_comments"], ""]
    return lines


def _about(page: Page) -> list[str]:
    c = page.charta
    labels = page.labels
    lines = [f"## {labels['about']}", ""]
    pv = c.provenance
    facts = [f"- {labels['issuer']}: {md(c.issuer.body)}"]
    if c.issuer.office:
        facts.append(f"- {labels['office']}: {md(c.issuer.office)}")
    if c.date:
        facts.append(f"- {labels['date']}: {md_date(c.date)}")
    facts += [f"- {labels['original']}: {md_url(u)}" for u in pv.urls]
    facts.append(f"- {labels['obtained']}: {labels.value(pv.obtained.value)}")
    if pv.retrieved:
        facts.append(f"- {labels['retrieved']}: {md_date(pv.retrieved)}")
    if pv.rights:
        facts.append(f"- {labels['rights']}: {md(pv.rights)}")
    if pv.license:
        facts.append(f"- {labels['license']}: {md(pv.license)}")
    if pv.attribution:
        facts.append(f"- {labels['attribution']}: {md(pv.attribution)}")
    for b in c.based_on:
        facts.append(f"- {labels['based_on']}: {md(b.cited_as or str(b.source))}")
    for om in c.omissions:
        facts.append(f"- {labels['omissions']}: {md(om.ref)}: {md(om.reason)}")
    for ce in c.covered_elsewhere:
        facts.append(f"- {labels['covered_elsewhere_head']}: {md(ce.ref)}: {md(ce.where)}")
    lines += [*facts, ""]
    if page.links:
        lines += [
            " · ".join(
                f"[{md(link.label)}]({md_url(link.url)})"
                if is_web_url(link.url)
                else md(link.label)
                for link in page.links
            ),
            "",
        ]
    return lines
