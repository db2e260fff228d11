"""Rule group: single fields that must say something, and codes written as codes."""

from __future__ import annotations

import re
from typing import Any, get_args

import attrs

from charta import rules
from charta.check.context import Check, Context
from charta.model import KeyPath, data_fields, key_of
from charta.texts import CONTROLS, is_web_url, printable

__all__ = ["GROUP", "LANGUAGE_TAG"]

LANGUAGE_TAG = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*")
"""A BCP 47 language tag, in the common form: a language, then subtags (``de``, ``de-CH``)."""

_INVISIBLE = re.compile(
    r"[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\U000e0000-\U000e007f]"
)
"""Characters a reader does not see: a text made only of them is blank."""

_AGS = re.compile(r"[0-9]{8}")
_COUNTRY = re.compile(r"[A-Z]{2}")


def blank_texts(ctx: Context) -> None:
    """Required texts hold more than white space (blank reasons and
    pseudonyms have rules of their own)."""
    c = ctx.charta
    fields: list[tuple[KeyPath, str, str]] = [
        ((), "title", c.title),
        (("issuer",), "body", c.issuer.body),
    ]
    for n, t in enumerate(c.other_titles):
        fields += [(("other-titles", n), "title", t.title)]
        fields += [(("other-titles", n), "language", t.language)]
    fields += [(path, "title", i.title) for i, path in ctx.items]
    fields += [(path, "title", m.title) for m, path in ctx.merged_away]
    if c.part_of is not None:
        fields.append((("part-of",), "title", c.part_of.title))
    if c.adoption is not None:
        fields.append((("adoption",), "body", c.adoption.body))
    fields += [
        (("covered-elsewhere", n), "where", ce.where) for n, ce in enumerate(c.covered_elsewhere)
    ]
    if c.consultation is not None:
        cons = c.consultation
        fields += [
            (("consultation", "comments", n), "text", x.text) for n, x in enumerate(cons.comments)
        ]
        for n, r in enumerate(cons.responses):
            fields += [(("consultation", "responses", n), "text", r.text)]
            fields += [(("consultation", "responses", n), "by", r.by)]
    for path, key, value in fields:
        if not _INVISIBLE.sub("", value).strip():
            ctx.emit(
                rules.BLANK_TEXT, f"'{key}' is blank: write the {key} (it is required)", path, key
            )


def hidden_characters(ctx: Context) -> None:
    """Titles and texts hold nothing that changes what a reader sees around it
    unseen: outputs write such characters out (\\u202e); the file should not
    hold them (a pasted text, or a citizen's comment made to look otherwise)."""
    c = ctx.charta
    fields: list[tuple[KeyPath, str, str]] = [((), "title", c.title)]
    if c.introduction:
        fields.append(((), "introduction", c.introduction))
    for i, path in ctx.items:
        fields += [(path, key, getattr(i, key)) for key in ("title", "text", "summary")]
        fields += [((*path, "revisions", n), "reason", r.reason) for n, r in enumerate(i.revisions)]
    fields += [(path, "title", m.title) for m, path in ctx.merged_away]
    if c.consultation is not None:
        cons = c.consultation
        fields += [
            (("consultation", "comments", n), "text", x.text) for n, x in enumerate(cons.comments)
        ]
        fields += [
            (("consultation", "responses", n), "text", r.text) for n, r in enumerate(cons.responses)
        ]
    for path, key, value in fields:
        if not value or (value.isascii() and value.isprintable()):
            continue
        found = CONTROLS.search(value)
        if found is not None:
            code = f"U+{ord(found.group()):04X}"
            ctx.emit(
                rules.HIDDEN_CHARACTERS,
                f"'{key}' holds {code}, a character that readers do not see but that "
                "changes what they see around it; outputs write it out: remove it",
                path,
                key,
            )


def languages(ctx: Context) -> None:
    """The charta's language and those of other titles are language tags (``de``, ``de-CH``)."""
    tags: list[tuple[KeyPath, str, str]] = [((), "language", ctx.charta.language)]
    tags += [
        (("other-titles", n), "language", t.language) for n, t in enumerate(ctx.charta.other_titles)
    ]
    for path, key, tag in tags:
        if not LANGUAGE_TAG.fullmatch(tag):
            ctx.emit(
                rules.BAD_LANGUAGE,
                f"language '{tag}' is not a language tag: write a code like 'de', 'en' "
                "or 'de-CH' (BCP 47)",
                path,
                key,
            )


def issuer(ctx: Context) -> None:
    """The issuer's country and municipality key are written as codes, and agree."""
    who = ctx.charta.issuer
    if who.country and not _COUNTRY.fullmatch(who.country):
        ctx.emit(
            rules.BAD_COUNTRY,
            f"country '{who.country}' is not an ISO 3166-1 alpha-2 code: write two "
            "capital letters, e.g. 'DE', 'CH', 'AT'",
            ("issuer",),
            "country",
        )
    if who.ags:
        if not _AGS.fullmatch(who.ags):
            ctx.emit(
                rules.BAD_AGS,
                f"ags '{who.ags}' is not an official municipality key: write its 8 "
                'digits as text, e.g. ags = "08115045" (Sindelfingen)',
                ("issuer",),
                "ags",
            )
        if who.country and who.country != "DE":
            ctx.emit(
                rules.AGS_OUTSIDE_GERMANY,
                f"an ags is a German key, but the country is '{who.country}'",
                ("issuer",),
                "ags",
            )


def urls(ctx: Context) -> None:
    """Every ``url`` and ``urls`` of the charta is a web address: never ``javascript:``,
    ``data:`` or ``file:`` (the outputs leave such links out; a charta should not hold them).

    One walk over the charta's records, each class's fields worked out once.
    """
    stack: list[tuple[Any, KeyPath]] = [(ctx.charta, ())]
    while stack:
        obj, path = stack.pop()
        if isinstance(obj, tuple):
            stack.extend((v, (*path, n)) for n, v in enumerate(obj))
            continue
        address_fields, nested = _url_plan(type(obj))
        for name, key in address_fields:
            value = getattr(obj, name)
            for n, url in enumerate((value,) if isinstance(value, str) else value):
                if url and not is_web_url(url):
                    where = (*path, key) if isinstance(value, str) else (*path, key, n)
                    ctx.emit(
                        rules.BAD_URL,
                        f"'{printable(url[:80])}' is not a web address: write an "
                        "http:// or https:// URL",
                        where[:-1],
                        where[-1],
                    )
        for name, key in nested:
            value = getattr(obj, name)
            if (isinstance(value, tuple) and value and hasattr(value[0], "location")) or hasattr(
                value, "location"
            ):
                stack.append((value, (*path, key)))


_Fields = list[tuple[str, str]]
_URL_PLANS: dict[type, tuple[_Fields, _Fields]] = {}


def _url_plan(cl: type) -> tuple[_Fields, _Fields]:
    """The address fields of a model class, and the fields that may hold records with
    addresses (a principle holds none: 70,000 of them are not walked)."""
    found = _URL_PLANS.get(cl)
    if found is None:
        fields = data_fields(cl) if attrs.has(cl) else ()
        addresses = [(a.name, key_of(a.name)) for a in fields if a.name in ("url", "urls")]
        nested = [
            (a.name, key_of(a.name))
            for a in fields
            if a.name not in ("url", "urls") and any(_reaches_url(t) for t in _records_in(a.type))
        ]
        found = _URL_PLANS[cl] = (addresses, nested)
    return found


def _records_in(t: Any) -> list[type]:
    """The model classes a field's type names (``tuple[Item, ...]``, ``Provenance | None``)."""
    if isinstance(t, type) and attrs.has(t):
        return [t]
    return [c for arg in get_args(t) for c in _records_in(arg)]


_REACHES: dict[type, bool] = {}


def _reaches_url(cl: type) -> bool:
    """Whether a record of ``cl``, or one inside it, has an address field."""
    if cl not in _REACHES:
        _REACHES[cl] = False  # a class inside itself (Item.children) adds nothing
        fields = data_fields(cl)
        _REACHES[cl] = any(a.name in ("url", "urls") for a in fields) or any(
            _reaches_url(c) for a in fields for c in _records_in(a.type)
        )
    return _REACHES[cl]


GROUP = (
    Check((rules.BLANK_TEXT,), blank_texts),
    Check((rules.BAD_URL,), urls),
    Check((rules.HIDDEN_CHARACTERS,), hidden_characters),
    Check((rules.BAD_LANGUAGE,), languages),
    Check((rules.BAD_COUNTRY, rules.BAD_AGS, rules.AGS_OUTSIDE_GERMANY), issuer),
)
"""The checks of this group, in the order they run."""
