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

import re
from collections.abc import Iterator

import attrs

__all__ = ["MARKERS", "Contact", "find", "mask"]

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


_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+'-]+@(?:[\w-]+\.)+[A-Za-z]{2,}(?![\w-])"
    r"|(?<![\w.+-])[\w.+-]+\s?(?:\(at\)|\[at\]|\s+at\s+)\s?[\w-]+\s?(?:\(dot\)|\[dot\]|\.)\s?[A-Za-z]{2,}\b",
    re.IGNORECASE,
)
# Street names as German towns write them: "Hauptstraße 12", "Bahnhofstr. 7a",
# "Am Markt 5", "Obere Vorstadt 3", with an optional postcode and town after.
_STREET_END = (
    r"(?:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm|ufer|steige?|pfad|chaussee|"
    r"markt|berg|hof|graben|wall|tor|brücke|garten|anger|feld|gässle|steg|zeile|höhe|kamp)"
)
_NUMBER = r"\s+\d{1,4}[a-zA-Z]?(?:\s?[-/]\s?\d{1,4}[a-zA-Z]?)?\b"
_POSTCODE = r",?\s+\d{5}\s+[A-ZÄÖÜ][\w-]+(?:\s+[A-ZÄÖÜ][\w-]+)?"
_PREFIX = r"(?:Am|An der|An den|Im|In der|Zum|Zur|Auf dem|Auf der|Unter den|Obere|Untere|Alte|Neue)"
_ADDRESS = re.compile(
    # a street name that says it is one, a number, perhaps a postcode and town
    rf"\b(?:(?:{_PREFIX}\s+)?[A-ZÄÖÜ][\w.-]*{_STREET_END}|[A-ZÄÖÜ][\w-]+\s+{_STREET_END})"
    rf"{_NUMBER}(?:{_POSTCODE})?"
    # any other name with a number is an address only with a postcode after it
    rf"|\b(?:{_PREFIX}\s+)?[A-ZÄÖÜ][\w-]+{_NUMBER}{_POSTCODE}",
)
_PROFILE = re.compile(
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
_ENOUGH_DIGITS = re.compile(r"(?:\d[\s()/.\-–]*){6,}")


def _phones(text: str) -> Iterator[Contact]:
    if not _ENOUGH_DIGITS.search(text):
        return
    # lazy: phonenumbers loads its metadata on import (~90 ms); only for texts with digits
    import phonenumbers

    for m in phonenumbers.PhoneNumberMatcher(text, "DE"):
        raw = m.raw_string
        if _DATE_LIKE.fullmatch(raw.strip()) or sum(c.isdigit() for c in raw) < 6:
            continue
        yield Contact("phone", m.start, m.end, raw)


def find(text: str) -> list[Contact]:
    """The contact data in ``text``, in order, none overlapping another."""
    if not text:
        return []
    found = [Contact("email", m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text)]
    found += [Contact("profile", m.start(), m.end(), m.group()) for m in _PROFILE.finditer(text)]
    found += [Contact("address", m.start(), m.end(), m.group()) for m in _ADDRESS.finditer(text)]
    found += list(_phones(text))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Contact] = []
    for c in found:
        if out and c.start < out[-1].end:
            continue  # inside one found before (a number inside an address)
        out.append(c)
    return out


def mask(text: str, found: list[Contact] | None = None) -> str:
    """``text`` with each piece of contact data replaced by its marker."""
    found = find(text) if found is None else found
    if not found:
        return text
    parts, last = [], 0
    for c in found:
        parts += [text[last : c.start], MARKERS[c.kind]]
        last = c.end
    return "".join(parts) + text[last:]
