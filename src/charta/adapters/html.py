"""The page for citizens: one self-contained, accessible HTML document.

Drawn with Jinja2 from a :class:`charta.page.Page` (already the public view).
Every template, a town's own included, is rendered with autoescaping on, and
the ``safe`` filter is taken away: no template can mark a charta's text as
markup.  The few pieces of markup charta itself builds around citizen text
(word differences, links, paragraphs) are built here, escaping each text.

A town overrides templates with ``template_dir``: a file there named like a
built-in one (``page.html``, ``charta.css``) is used instead, and may extend
the built-in ``base.html`` (also reachable as ``charta/base.html``) and
replace only some of its blocks; the others stay the built-in ones.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from charta.labels import format_date
from charta.model import Knowledge, PartialDate
from charta.page import Page, Principle, printable, web_url
from charta.worddiff import Op, Piece, glue

__all__ = ["render_html"]


def _time(date: PartialDate | None, lang: str) -> Markup:
    """A ``<time>`` element: its ``datetime`` says as much as is known (``2020-11``)."""
    if date is None:
        return Markup("")
    return Markup('<time datetime="{}">{}</time>').format(str(date), format_date(date, lang))


def _paragraphs(text: str, attrs: str = "") -> Markup:
    """Paragraphs (blank lines apart) as ``<p>`` elements, each text escaped."""
    parts = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", text.strip())]
    return Markup("").join(Markup("<p{}>{}</p>\n").format(Markup(attrs), p) for p in parts if p)


def _link(url: str, text: str | None = None) -> Markup:
    """A link when ``url`` is http(s); otherwise the address as plain text."""
    shown = text if text is not None else url
    target = web_url(url)
    if target is not None:
        return Markup('<a href="{}">{}</a>').format(target, shown)
    return Markup("<span>{}</span>").format(shown)


def _words(pieces: Iterable[Piece], labels: Any, date: PartialDate | None) -> Markup:
    """A word difference: ``<del>``/``<ins>``, each with words a screen reader announces."""
    stamp = Markup("")
    if date is not None and date.day is not None:
        # ins/del take a full date only ("2020-11" is not a valid date string there).
        stamp = Markup(' datetime="{}"').format(str(date))
    pieces = list(pieces)
    shown = []
    for p in pieces:
        if p.op is Op.INSERT:
            shown.append(
                Markup('<ins{}><span class="vh">{} </span>{}</ins>').format(
                    stamp, labels["inserted"], p.text
                )
            )
        elif p.op is Op.DELETE:
            shown.append(
                Markup('<del{}><span class="vh">{} </span>{}</del>').format(
                    stamp, labels["deleted"], p.text
                )
            )
        else:
            shown.append(escape(p.text))
    return Markup(glue(pieces, shown))


def _heading(depth: int, offset: int) -> int:
    return min(6, offset + depth)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs, in the user's own cache folder.

    Compiling the templates costs more than drawing a page; the cache makes a
    second ``charta render`` about twice as fast.  It lives in
    ``$XDG_CACHE_HOME/charta/templates`` (``~/.cache/...``), is used only when
    that folder belongs to the user and nobody else may write to it (what is in
    it is loaded as code), and is written atomically by Jinja.  ``CHARTA_NO_CACHE=1``
    turns it off; a folder that cannot be made just means no cache.
    """
    if os.environ.get("CHARTA_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "charta", "templates")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.stat(folder)
    except OSError:
        return None
    if st.st_uid != os.getuid() or st.st_mode & 0o022 or not os.access(folder, os.W_OK):
        return None
    return jinja2.FileSystemBytecodeCache(folder)


class _Environment(ImmutableSandboxedEnvironment):
    """Templates that cannot switch escaping off, nor reach Python's internals.

    Sandboxed (no ``__globals__``, no attributes starting with ``_``, no
    changing of objects), and a template that holds ``{% autoescape %}`` is
    refused when it is parsed: autoescaping stays on for every template.
    """

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(nodes.EvalContextModifier):
            raise jinja2.TemplateSyntaxError(
                "autoescaping cannot be switched off in a charta template",
                node.lineno,
                name,
                filename,
            )
        return tree


def _finalize(value: Any) -> Any:
    """Every value a template prints: no control character reaches the page."""
    if isinstance(value, Markup):
        return Markup(printable(str(value)))
    if isinstance(value, str):
        return printable(value)
    return value


@functools.lru_cache(maxsize=8)
def _environment(template_dir: str | None) -> jinja2.Environment:
    """One environment per template folder: templates are compiled once per process."""
    builtin = jinja2.PackageLoader("charta.adapters", "templates")
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(template_dir))
    loaders += [builtin, jinja2.PrefixLoader({"charta": builtin})]
    env = _Environment(
        loader=jinja2.ChoiceLoader(loaders),
        finalize=_finalize,
        autoescape=True,  # every template, whatever its name: a town's own too
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    # No template may declare a charta's text to be markup.
    del env.filters["safe"]
    env.filters["date"] = format_date
    env.globals.update(
        time=_time,
        paragraphs=_paragraphs,
        link=_link,
        words=_words,
        heading=_heading,
        Knowledge=Knowledge,
    )
    return env


def render_html(
    page: Page,
    *,
    fragment: bool = False,
    template_dir: str | os.PathLike[str] | None = None,
) -> str:
    """The page as one HTML document, or with ``fragment`` as a part to paste into a CMS."""
    env = _environment(os.fspath(template_dir) if template_dir is not None else None)
    try:
        template = env.get_template("page.html")
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from None
    except UnicodeDecodeError:
        raise TemplateError("a template is not UTF-8 text: save it as UTF-8") from None
    except Exception as exc:  # a town's template may fail in any way: say so, not a traceback
        raise TemplateError(f"the template cannot be loaded: {type(exc).__name__}: {exc}") from None
    c = page.charta
    ui = page.lang
    content_lang = c.language

    def label(key: str) -> Markup:
        """An interface word; marked with its language when it is not the page's."""
        return ui_text(page.labels[key])

    def ui_text(text: str) -> Markup:
        if ui != content_lang.split("-")[0].lower():
            return Markup('<span lang="{}">{}</span>').format(ui, text)
        return Markup("{}").format(text)

    def value(v: str, *, status: bool = False) -> Markup:
        text = page.labels.value(v, status=status)
        if ui != content_lang.split("-")[0].lower():
            return Markup('<span lang="{}">{}</span>').format(ui, text)
        return Markup("{}").format(text)

    def note_attrs() -> Markup:
        return Markup(' lang="{}"').format(page.notes_language) if page.notes_language else Markup()

    try:
        return template.render(
            page=page,
            charta=c,
            labels=page.labels,
            label=label,
            ui_text=ui_text,
            value=value,
            note_lang=note_attrs(),
            fragment=fragment,
            lang=content_lang,
            ui=ui,
            comments={t.comment.id: t for t in page.threads},
            principle_heading=lambda p: _heading(p.depth, 3),
            Principle=Principle,
        )
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name}:{exc.lineno}: " if exc.lineno else ""
        raise TemplateError(f"{where}{exc.message}") from None
    except Exception as exc:  # a town's template may fail in any way: say so, not a traceback
        raise TemplateError(f"the template failed: {type(exc).__name__}: {exc}") from None


class TemplateError(Exception):
    """A template could not be loaded or rendered (a town's own template, most likely)."""
