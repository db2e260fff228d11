"""Contact data that people type into their comments: found, and masked.

A commenter who agrees that their comment is published has not agreed that
their phone number is.  So e-mail addresses, phone numbers, street
addresses with a house number and links to a person's profile are found in
the texts of comments and responses and replaced by a marker such as
``[Telefonnummer entfernt]``: at import (the values go to the personal-data
file), in every public output whatever the consent, and ``charta validate``
reports any left in a charta file.

Phone numbers are found with ``phonenumbers`` (Google's libphonenumber),
which knows German formats (``07031 94-123``, ``0170/1234567``,
``+49 (0)7031 94123``); it is imported only for a text with enough digits
to hold one.  Dates and years are never taken for phone numbers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

import attrs

__all__ = ["MARKERS", "Contact", "find", "mask", "visible"]

MARKERS = {
    "email": "[E-Mail entfernt]",
    "phone": "[Telefonnummer entfernt]",
    "address": "[Anschrift entfernt]",
    "profile": "[Link entfernt]",
}
"""What stands in a text where contact data was: the same words in every output."""


@attrs.frozen
class Contact:
    """One piece of contact data in a text."""

    kind: str
    """``email``, ``phone``, ``address`` or ``profile``."""
    start: int
    end: int
    value: str


def _lazy(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A pattern compiled on first use: the big ones cost ~5 ms, and most runs of
    charta (a valid file without comments) never need them."""
    return functools.cache(lambda: re.compile(pattern, flags))


_EMAIL = _lazy(
    r"(?<![\w.+-])[\w.+'-]+@(?:[\w-]+\.)+[A-Za-z]{2,}(?![\w-])"
    r"|(?<![\w.+-])[\w.+-]+\s?(?:\(at\)|\[at\]|\s+at\s+)\s?[\w-]+\s?(?:\(dot\)|\[dot\]|\.)\s?[A-Za-z]{2,}\b",
    re.IGNORECASE,
)
# Street names as German towns write them: "Hauptstraße 12", "Bahnhofstr. 7a",
# "Berliner Straße 3", "Karl-Marx-Straße 7", "Am Marktplatz 5", with an optional
# postcode and town after.  Every run is bounded (40 characters a word), so that
# a text of 100,000 capitals is read in linear time.
_STREET_END = (
    r"(?i:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm|ufer|steige?|pfad|chaussee|"
    r"markt|berg|hof|graben|wall|tor|brücke|garten|anger|feld|gässle|steg|zeile|höhe|kamp)"
)
# A house number; a year (1900-2099) only where a postcode follows ("Schulstraße 2030").
_HOUSE = (
    r"(?:\d{1,3}|(?!19\d\d|20\d\d)\d{4})(?:\s?[a-zA-Z](?![\w]))?(?:\s?[-/]\s?\d{1,4}[a-zA-Z]?)?\b"
)
_YEARLIKE = r"(?:\d{1,4})(?:\s?[a-zA-Z](?![\w]))?(?:\s?[-/]\s?\d{1,4}[a-zA-Z]?)?\b"
_POSTCODE = r",?\s+\d{5}\s+[A-ZÄÖÜ][\w-]{1,40}(?:\s+[A-ZÄÖÜ][\w-]{1,40})?"
_PREFIX = r"(?:Am|An der|An den|Im|In der|Zum|Zur|Auf dem|Auf der|Unter den|Obere|Untere|Alte|Neue)"
_STREET = (
    rf"(?:(?:{_PREFIX}\s+)?[A-ZÄÖÜ][\w.-]{{0,40}}?{_STREET_END}"
    rf"|[A-ZÄÖÜ][\w-]{{1,40}}[\s-]+{_STREET_END})"
)
_ADDRESS = _lazy(
    # a street name that says it is one, a house number, perhaps a postcode and town
    rf"\b{_STREET}\s*(?:{_YEARLIKE}{_POSTCODE}|{_HOUSE}(?:{_POSTCODE})?)"
    # any other name with a number is an address only with a postcode after it
    rf"|\b(?:{_PREFIX}\s+)?[A-ZÄÖÜ][\w-]{{1,40}}\s+{_YEARLIKE}{_POSTCODE}",
)
_AT = re.compile(r"\bat\b")
"""What an address written out has instead of an @ ("max (at) web.de"), in a
case-folded text."""
_STREET_WORDS = (
    "straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer",
    "steig", "pfad", "chaussee", "markt", "berg", "hof", "graben", "wall", "tor", "brücke",
    "garten", "anger", "feld", "gässle", "steg", "zeile", "höhe", "kamp",
)  # fmt: skip
"""The street words of _STREET_END, as plain words to look for (``in``: C speed)."""
_POSTCODE_ALONE = re.compile(r"(?<!\w)\d{5}(?!\d)")


def _may_be_address(text: str, folded: str) -> bool:
    """Whether ``text`` has what every address has: a street word, or a postcode
    (five digits, not in a longer number or glued to a word)."""
    return any(word in folded for word in _STREET_WORDS) or bool(_POSTCODE_ALONE.search(text))


_PROFILE = _lazy(
    r"(?:https?://)?(?:www\.|m\.|de\.)?"
    r"(?:facebook\.com|fb\.com|instagram\.com|twitter\.com|x\.com|linkedin\.com/in|xing\.com/profile"
    r"|tiktok\.com/@|threads\.net/@|youtube\.com/@|bsky\.app/profile)"
    r"/[^\s<>\"'()\[\]]+"
    r"|(?<![\w@])@[\w.-]+@(?:[\w-]+\.)+[A-Za-z]{2,}\b",  # a fediverse handle
    re.IGNORECASE,
)
_DATE_LIKE = re.compile(
    r"\d{1,2}\.\d{1,2}\.\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}|\d{4}\s*[-–]\s*\d{4}"
)
# Six digits or more, perhaps with separators, not glued to a word ("Wort123456"):
# where a phone number may stand.  Only the stretches around them are given to
# phonenumbers, whose matcher reads slowly: a long text is not read whole.
_ENOUGH_DIGITS = re.compile(r"(?<!\w)[+(]?(?:\d[\s()/.\-–]*+){6,}")
_AROUND = 8  # characters around a run of digits that belong to its reading ("+49 (0)")


def _phones(text: str) -> Iterator[Contact]:
    # the window reaches past the digits too: the matcher must see what follows
    # them ("940max@web.de" is no number that ends at the 0)
    runs = [(max(0, m.start() - _AROUND), m.end() + _AROUND) for m in _ENOUGH_DIGITS.finditer(text)]
    if not runs:
        return
    # lazy: phonenumbers loads its metadata on import (~90 ms); only for texts with digits
    import phonenumbers

    windows: list[tuple[int, int]] = []
    for start, end in runs:
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    for start, end in windows:
        for m in phonenumbers.PhoneNumberMatcher(text[start:end], "DE"):
            raw = m.raw_string
            if _DATE_LIKE.fullmatch(raw.strip()) or sum(c.isdigit() for c in raw) < 6:
                continue
            yield Contact("phone", start + m.start, start + m.end, raw)


# Characters that show nothing: "max\u200b@web.de" reads as an address on screen.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


def visible(text: str) -> str:
    """``text`` without the characters that show nothing (what :func:`find` reads)."""
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text


def find(text: str) -> list[Contact]:
    """The contact data in ``text`` (read without invisible characters: positions are
    in :func:`visible` of it), in order, none overlapping another."""
    text = visible(text)
    if not text:
        return []
    # Each pattern only where the text has what it needs (an @, a /, a street
    # word or a postcode): a long text without them is read once, not four times.
    found: list[Contact] = []
    folded = text.casefold()
    if "@" in text or _AT.search(folded):
        found += [Contact("email", m.start(), m.end(), m.group()) for m in _EMAIL().finditer(text)]
    if "@" in text or "/" in text:
        found += [
            Contact("profile", m.start(), m.end(), m.group()) for m in _PROFILE().finditer(text)
        ]
    if _may_be_address(text, folded):
        found += [
            Contact("address", m.start(), m.end(), m.group()) for m in _ADDRESS().finditer(text)
        ]
    found += list(_phones(text))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Contact] = []
    for c in found:
        if out and c.start < out[-1].end:
            continue  # inside one found before (a number inside an address)
        out.append(c)
    return out


def mask(text: str, found: list[Contact] | None = None) -> str:
    """``text`` with each piece of contact data replaced by its marker (``found``:
    what :func:`find` gave for it)."""
    found = find(text) if found is None else found
    if not found:
        return text
    text = visible(text)
    parts, last = [], 0
    for c in found:
        parts += [text[last : c.start], MARKERS[c.kind]]
        last = c.end
    return "".join(parts) + text[last:]
