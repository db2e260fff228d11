"""HTML from Jinja2 templates, safely: the machinery every HTML output shares.

The page for citizens (:mod:`charta.render.html`) and the weighing table
(:mod:`charta.consult.report`) are drawn with :func:`render_template`.
Every template, a town's own included, is rendered with autoescaping on, and
the ``safe`` filter is taken away: no template can mark a charta's text as
markup.  The few pieces of markup charta itself builds around citizen text
(links, paragraphs, times) are built here, escaping each text; the views add
their own (word differences, the coverage matrix) the same way.

A town overrides templates with ``template_dir``: a file there named like a
built-in one (``page.html``, ``charta.css``) is used instead, and may extend
the built-in ``base.html`` (also reachable as ``charta/base.html``) and
replace only some of its blocks; the others stay the built-in ones.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Callable
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from charta.labels import format_date
from charta.model import (
    Confidence,
    Decision,
    Knowledge,
    Obtained,
    PartialDate,
    Relation,
    Status,
)
from charta.texts import printable, web_url

__all__ = ["TemplateError", "heading", "render_template", "ui_text_for"]


def _time(date: PartialDate | None, lang: str) -> Markup:
    """A ``<time>`` element: its ``datetime`` says as much as is known (``2020-11``)."""
    if date is None:
        return Markup("")
    return Markup(f'<time datetime="{date}">{escape(format_date(date, lang))}</time>')


def _paragraphs(text: str, attrs: str = "") -> Markup:
    """Paragraphs (blank lines apart) as ``<p>`` elements, each text escaped.

    ``attrs`` is charta's own Markup (`` lang="en"``); any other text is left out.
    """
    if not isinstance(attrs, Markup):
        attrs = Markup("")  # only charta's own attributes: text in a tag cannot be escaped
    parts = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", printable(text).strip())]
    # Plain concatenation of escaped texts: Markup.format costs ten times more.
    return Markup("".join(f"<p{attrs}>{escape(p)}</p>\n" for p in parts if p))


def _link(url: str, text: str | None = None) -> Markup:
    """A link when ``url`` is http(s); otherwise the address as plain text."""
    shown = printable(text if text is not None else url)
    target = web_url(url)
    if target is not None:
        return Markup(f'<a href="{escape(target)}">{escape(shown)}</a>')
    return Markup(f"<span>{escape(shown)}</span>")


def heading(depth: int, offset: int) -> int:
    return min(6, offset + depth)


_CACHE_FORMAT = 2
"""Part of the cache folder's name: raise it when the environments' options change
(compiled code depends on them, e.g. on ``finalize`` and the sandbox)."""


def _bytecode_cache(kind: str = "charta") -> jinja2.BytecodeCache | None:
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
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative path is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    top = os.path.join(base, "charta", "templates")
    folder = os.path.join(top, f"{kind}-{_CACHE_FORMAT}-jinja{jinja2.__version__}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        top_stat, st = os.stat(top), os.stat(folder)
    except OSError:
        return None
    # The folder with the code must be the user's own and closed to others; the
    # one above it (made with the umask, 0775 under "umask 002") must not be open
    # to everyone.
    if st.st_uid != os.getuid() or st.st_mode & 0o077 or top_stat.st_mode & 0o002:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return _Cache(folder)


class _Cache(jinja2.FileSystemBytecodeCache):
    """The template cache is only an optimisation: a damaged file or a full disk means
    compiling again, never a failed render."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated or foreign file: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):  # a full disk, a folder made read-only meanwhile
            super().dump_bytecode(bucket)


def _refuse_autoescape_off(
    tree: nodes.Template, name: str | None, filename: str | None
) -> nodes.Template:
    for node in tree.find_all(nodes.EvalContextModifier):
        raise jinja2.TemplateSyntaxError(
            "autoescaping cannot be switched off in a charta template",
            node.lineno,
            name,
            filename,
        )
    return tree


class _Environment(jinja2.Environment):
    """charta's own templates: a template that holds ``{% autoescape %}`` is refused."""

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _refuse_autoescape_off(super()._parse(source, name, filename), name, filename)


class _TownEnvironment(ImmutableSandboxedEnvironment):
    """A town's templates: as :class:`_Environment`, and sandboxed.

    The sandbox (no ``__globals__``, no attributes starting with ``_``, no
    changing of objects) costs about a third of the drawing time, so charta's
    own templates, which are reviewed code, run without it.
    """

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _refuse_autoescape_off(super()._parse(source, name, filename), name, filename)


def _finalize(value: Any) -> Any:
    """Every text a template prints: no control character reaches the page.

    Markup comes from charta's helpers, which clean the texts they are given
    (and a town's template cannot make Markup: no ``safe``, the sandbox)."""
    return printable(value) if type(value) is str else value


@functools.lru_cache(maxsize=8)
def _environment(template_dir: str | None) -> jinja2.Environment:
    """One environment per template folder: templates are compiled once per process."""
    builtin = jinja2.PackageLoader("charta.adapters", "templates")
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(template_dir))
    loaders += [builtin, jinja2.PrefixLoader({"charta": builtin})]
    kind = _Environment if template_dir is None else _TownEnvironment
    env = kind(
        loader=jinja2.ChoiceLoader(loaders),
        finalize=_finalize,
        autoescape=True,  # every template, whatever its name: a town's own too
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache("charta" if template_dir is None else "town"),
    )
    # No template may declare a charta's text to be markup: "safe" does, and
    # "indent" and "urlize" return markup built around text they are given.
    for name in ("safe", "indent", "urlize"):
        del env.filters[name]
    env.filters["date"] = format_date
    env.globals.update(
        time=_time,
        paragraphs=_paragraphs,
        link=_link,
        heading=heading,
        Knowledge=Knowledge,
    )
    return env


def ui_text_for(labels: Any, ui: str, content_lang: str) -> Callable[[str], Markup]:
    foreign = ui != content_lang.split("-", maxsplit=1)[0].lower()
    words: dict[str, Markup] = {}

    def ui_text(text: str) -> Markup:
        """An interface word; marked with its language when it is not the page's."""
        found = words.get(text)
        if found is None:
            clean = printable(text)  # a source's title may reach a caption through here
            found = words[text] = (
                Markup(f'<span lang="{escape(ui)}">{escape(clean)}</span>')
                if foreign
                else escape(clean)
            )
        return found

    return ui_text


def render_template(
    name: str,
    c: Any,
    labels: Any,
    notes_language: str,
    *,
    template_dir: str | os.PathLike[str] | None = None,
    fragment: bool = False,
    ui_text: Callable[[str], Markup] | None = None,
    **context: Any,
) -> str:
    env = _environment(os.fspath(template_dir) if template_dir is not None else None)
    try:
        template = env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from None
    except UnicodeDecodeError:
        raise TemplateError("a template is not UTF-8 text: save it as UTF-8") from None
    except Exception as exc:  # a town's template may fail in any way: say so, not a traceback
        raise TemplateError(f"the template cannot be loaded: {type(exc).__name__}: {exc}") from None
    ui = labels.lang
    content_lang = c.language
    if ui_text is None:
        ui_text = ui_text_for(labels, ui, content_lang)

    def label(key: str) -> Markup:
        return ui_text(labels[key])

    # Every interface word, escaped once: the template writes {{ L.origin }}.
    words_markup = {key: ui_text(labels[key]) for key in labels}
    values_markup = {v: ui_text(labels.value(v)) for v in _ENUM_VALUES}

    def value(v: str, *, status: bool = False) -> Markup:
        return ui_text(labels.value(v, status=status))

    def note_attrs() -> Markup:
        return Markup(' lang="{}"').format(notes_language) if notes_language else Markup()

    try:
        return template.render(
            charta=c,
            labels=labels,
            label=label,
            L=words_markup,
            V=values_markup,
            ui_text=ui_text,
            value=value,
            note_lang=note_attrs(),
            fragment=fragment,
            lang=content_lang,
            ui=ui,
            **context,
        )
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name}:{exc.lineno}: " if exc.lineno else ""
        raise TemplateError(f"{where}{exc.message}") from None
    except Exception as exc:  # a town's template may fail in any way: say so, not a traceback
        raise TemplateError(f"the template failed: {type(exc).__name__}: {exc}") from None


_ENUM_VALUES = tuple(
    {e.value for cl in (Relation, Decision, Knowledge, Confidence, Obtained, Status) for e in cl}
)
"""The values of every vocabulary a page shows: the template writes {{ V[x.value] }}."""


class TemplateError(Exception):
    """A template could not be loaded or rendered (a town's own template, most likely)."""
