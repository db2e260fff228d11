"""What ``charta render`` does: read the charta and the settings, draw one format.

Every format goes through the public view (:func:`charta.public_view`): no
commenter's name without consent, no email, in HTML, Markdown, TOML, JSON
or PROV alike.

Settings come from a small TOML file (``--settings``) and the command line,
the command line winning::

    lang = "de"                 # the language of the page's own words
    notes-language = "en"       # the language of notes and reasons, if not the charta's
    template-dir = "design"     # a town's own templates, relative to this file

    [[links]]                   # the town's links in the page's footer
    label = "Impressum"
    url = "https://www.example.de/impressum"
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from pathlib import Path

import attrs

from charta import rules
from charta.adapters.toml import dumps, read_text
from charta.adapters.toml.locate import LazyPositions
from charta.check.checker import LANGUAGE_TAG
from charta.check.loading import default_sources, open_charta
from charta.errors import ChartaError
from charta.hints import did_you_mean
from charta.labels import LANGUAGES
from charta.model import Charta, Location, is_path
from charta.personal import personal_path
from charta.privacy import public_view
from charta.references import resolve_path
from charta.render.markdown import render_markdown
from charta.render.page import Page, PageLink, build_page
from charta.texts import is_web_url

__all__ = ["FORMATS", "Settings", "read_settings", "render", "render_charta"]

FORMATS = ("html", "toml", "json", "markdown", "prov-json", "prov-n")
"""The formats ``charta render`` writes."""

_LANG = frozenset(LANGUAGES)


@attrs.frozen(kw_only=True)
class Settings:
    """How a town wants its page: interface language, its links, its templates."""

    lang: str | None = None
    notes_language: str = ""
    template_dir: str | None = None
    links: tuple[PageLink, ...] = ()


def read_settings(path: str | os.PathLike[str]) -> Settings:
    """The settings in a TOML file; :class:`ChartaError` naming the file, line and key."""

    name = os.fspath(path)
    text, _ = read_text(Path(name))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ChartaError(
            f"not valid TOML: {exc}", location=Location(file=name), rule=rules.BAD_SETTINGS
        ) from None
    except RecursionError:
        raise ChartaError(
            "nests too deep to be a settings file: see docs/render.md for its few keys",
            location=Location(file=name),
            rule=rules.BAD_SETTINGS,
        ) from None
    positions = LazyPositions(text)

    def bad(keys: tuple[str | int, ...], message: str) -> ChartaError:
        return ChartaError(
            message,
            location=Location(keys=keys, file=name, index=positions),
            rule=rules.BAD_SETTINGS,
        )

    known = ("lang", "notes-language", "template-dir", "links")
    for key in data:
        if key not in known:
            raise bad(
                (key,),
                f"unknown key '{key}'{did_you_mean(key, known)}; known keys: {', '.join(known)}",
            )

    def text_value(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip() or "\0" in value:
            raise bad((key,), f"'{key}' is a text, e.g. {key} = \"de\"")
        return value.strip()

    lang = text_value("lang")
    if lang is not None and lang not in _LANG:
        raise bad(("lang",), f"lang '{lang}' has no labels; choose one of: {', '.join(LANGUAGES)}")
    notes = text_value("notes-language") or ""
    if notes and not LANGUAGE_TAG.fullmatch(notes):
        raise bad(
            ("notes-language",),
            f"notes-language '{notes}' is not a language tag: write a code like 'en' or 'de'",
        )
    template_dir = text_value("template-dir")
    if template_dir is not None:
        template_dir = str(Path(name).parent / template_dir)
    raw_links = data.get("links", [])
    if not isinstance(raw_links, list):
        raise bad(("links",), "'links' is a list of tables: [[links]] with label and url")
    links = []
    for n, entry in enumerate(raw_links):
        if not isinstance(entry, dict):
            raise bad(("links", n), "each link is a table with label and url")
        for key in entry:
            if key not in ("label", "url"):
                raise bad(
                    ("links", n, key), f"unknown key '{key}' in a link; a link has label, url"
                )
        label, url = entry.get("label"), entry.get("url")
        if not isinstance(label, str) or not label.strip():
            raise bad(("links", n), 'the link has no label: label = "Impressum"')
        if not isinstance(url, str) or not is_web_url(url):
            raise bad(
                ("links", n, "url") if "url" in entry else ("links", n),
                "the link needs a url that starts with https:// or http://",
            )
        links.append(PageLink(label=label.strip(), url=url.strip()))
    return Settings(lang=lang, notes_language=notes, template_dir=template_dir, links=tuple(links))


def parse_link(text: str) -> PageLink:
    """``LABEL=URL`` from the command line."""
    label, sep, url = text.partition("=")
    if not sep or not label.strip() or not is_web_url(url):
        raise ChartaError(
            f"--link '{text}': write LABEL=URL with an http(s) address, "
            "e.g. --link 'Impressum=https://www.example.de/impressum'",
            rule=rules.REQUEST,
        )
    return PageLink(label=label.strip(), url=url.strip())


def page_of(
    charta: Charta, base: str | None, settings: Settings, *, internal: bool = False
) -> Page:
    return build_page(
        charta,
        default_sources(),
        base=base,
        lang=settings.lang,
        links=settings.links,
        notes_language=settings.notes_language,
        internal=internal,
    )


def render_charta(
    charta: Charta,
    fmt: str,
    *,
    base: str | None = None,
    settings: Settings | None = None,
    fragment: bool = False,
    internal: bool = False,
) -> str:
    """``charta`` in format ``fmt`` (one of :data:`FORMATS`), from its public view.

    ``internal`` (HTML and Markdown only) names the commenters, for the office,
    and the page says so at its top and bottom.
    """
    settings = settings or Settings()
    if internal and fmt not in ("html", "markdown"):
        raise ChartaError(
            "--internal is for html and markdown: a page that says it is internal",
            rule=rules.REQUEST,
        )
    if fmt not in FORMATS:
        raise ChartaError(
            f"no format '{fmt}'{did_you_mean(fmt, FORMATS)}; formats: {', '.join(FORMATS)}",
            rule=rules.REQUEST,
        )

    if fmt == "toml":
        return dumps(public_view(charta))
    if fmt == "json":
        from charta.adapters import json as json_adapter  # lazy: cattrs only for JSON

        return json_adapter.dumps(public_view(charta), "charta")
    page = page_of(charta, base, settings, internal=internal)
    if fmt == "html":
        # lazy: jinja2 only for HTML
        from charta.adapters.html import TemplateError
        from charta.render.html import render_html

        try:
            return render_html(page, fragment=fragment, template_dir=settings.template_dir)
        except TemplateError as exc:
            raise ChartaError(
                f"{exc}: fix the template, or leave it out to use the built-in one",
                location=Location(file=settings.template_dir) if settings.template_dir else None,
                rule=rules.BAD_TEMPLATE,
            ) from None
    if fmt == "markdown":
        return render_markdown(page)
    from charta.render.prov import render_prov  # lazy: prov costs 50 ms, only for PROV

    return render_prov(page, "json" if fmt == "prov-json" else "provn")


def render(
    path: str,
    fmt: str,
    *,
    settings_file: str | None = None,
    lang: str | None = None,
    template_dir: str | None = None,
    links: Sequence[str] = (),
    fragment: bool = False,
    read: list[Path] | None = None,
    internal: bool = False,
) -> str:
    """What ``charta render`` prints: ``path`` read, checked and drawn in ``fmt``.

    ``read``, when given, receives every file the rendering read (the charta,
    the chartas it refers to by path, the settings, the town's templates): the
    files an output must never replace.
    """
    settings = read_settings(settings_file) if settings_file else Settings()
    if lang is not None:
        if lang not in _LANG:
            raise ChartaError(
                f"--lang '{lang}' has no labels; choose one of: {', '.join(LANGUAGES)}",
                rule=rules.REQUEST,
            )
        settings = attrs.evolve(settings, lang=lang)
    if template_dir is not None:
        settings = attrs.evolve(settings, template_dir=template_dir)
    if settings.template_dir is not None and not Path(settings.template_dir).is_dir():
        raise ChartaError(
            "no such folder: give the folder that holds your page.html",
            location=Location(file=settings.template_dir),
            rule=rules.BAD_TEMPLATE,
        )
    if links:
        settings = attrs.evolve(
            settings, links=settings.links + tuple(parse_link(x) for x in links)
        )
    charta = open_charta(path, personal=True)
    base = path if is_path(path) else None
    if read is not None:
        read += _inputs(charta, base, settings_file, settings.template_dir)
    return render_charta(
        charta, fmt, base=base, settings=settings, fragment=fragment, internal=internal
    )


def _inputs(
    charta: Charta, base: str | None, settings_file: str | None, template_dir: str | None
) -> list[Path]:

    found = [Path(p) for p in (base, settings_file) if p]
    if base:
        found.append(personal_path(base))  # never replaced by an output
    refs = [b.source for b in charta.based_on]
    refs += [d.ref for item in charta.walk() for d in item.derived_from]
    refs += [o.ref for o in charta.omissions] + [c.ref for c in charta.covered_elsewhere]
    found += {resolve_path(r.charta, base) for r in refs if r.charta and is_path(r.charta)}
    if template_dir is not None:
        found += [p for p in Path(template_dir).rglob("*") if p.is_file()]
    return found
