"""What may be published: the public view of a charta.

A consultation record holds personal data: commenters' names and emails.
Every public output (``charta show``, the JSON export, the canonical TOML of
a published file, the coming renderers) goes through :func:`public_view`,
which keeps a commenter's name only with their consent, and never an email.
Names of commenters who did not consent, and every commenter's email, are
also taken out of the consultation's texts and the revisions' reasons,
where a clerk may have written them ("Sehr geehrter Herr ...").

All of it is linear in the size of the charta: texts are split into words
once and each word is looked up in a set, whatever the length of a name.
"""

from __future__ import annotations

import re

import attrs

from charta.model import Charta, Comment, Commenter, Consultation, Item, Response, Revision

__all__ = ["mentions", "name_words", "public_view"]

_WORD = re.compile(r"\w+")
_EMAIL = re.compile(r"[^\s<>()\[\],;:\"'@]+@[^\s<>()\[\],;:\"'@]+")
_MIN_WORD = 3
"""Parts of a name shorter than this ("A.", "Li") are too common to look for in a text."""


def name_words(name: str) -> set[str]:
    """The words of a name worth looking for in a text, case-folded."""
    return {w for w in (m.casefold() for m in _WORD.findall(name)) if len(w) >= _MIN_WORD}


def mentions(text: str, name: str) -> bool:
    """Whether ``text`` contains a word of ``name`` as a whole word ("Max", not "Maximal")."""
    words = name_words(name)
    return bool(words) and any(m.group().casefold() in words for m in _WORD.finditer(text))


def public_view(charta: Charta) -> Charta:
    """``charta`` reduced to what may be published.

    Commenters who did not consent appear only by pseudonym; emails never
    appear.  The result is a new charta; the input is not changed.
    """
    cons = charta.consultation
    if cons is None:
        return charta
    hidden: dict[str, str] = {}  # a case-folded word of a hidden name -> the pseudonym
    emails: set[str] = set()
    for comment in cons.comments:
        person = comment.commenter
        if person.email:
            emails.add(person.email.strip().casefold())
        if person.name and not person.consent_to_publish:
            for word in name_words(person.name):
                hidden.setdefault(word, person.pseudonym)

    def clean(text: str) -> str:
        if not text or not (hidden or emails):
            return text
        if emails and "@" in text:
            text = _EMAIL.sub(
                lambda m: "[E-Mail entfernt]" if m.group().casefold() in emails else m.group(),
                text,
            )
        if hidden:
            text = _WORD.sub(lambda m: hidden.get(m.group().casefold(), m.group()), text)
        return text

    def public_person(person: Commenter) -> Commenter:
        shown = person.name if person.consent_to_publish else ""
        return attrs.evolve(person, name=shown, email="")

    def public_comment(c: Comment) -> Comment:
        return attrs.evolve(
            c, text=clean(c.text), note=clean(c.note), commenter=public_person(c.commenter)
        )

    def public_response(r: Response) -> Response:
        return attrs.evolve(r, text=clean(r.text), note=clean(r.note), by=clean(r.by))

    def public_revision(r: Revision) -> Revision:
        return attrs.evolve(r, reason=clean(r.reason), note=clean(r.note))

    def public_item(item: Item) -> Item:
        return attrs.evolve(
            item,
            revisions=tuple(public_revision(r) for r in item.revisions),
            children=tuple(public_item(c) for c in item.children),
        )

    consultation: Consultation = attrs.evolve(
        cons,
        comments=tuple(public_comment(c) for c in cons.comments),
        responses=tuple(public_response(r) for r in cons.responses),
        note=clean(cons.note),
    )
    return attrs.evolve(
        charta,
        items=tuple(public_item(i) for i in charta.items),
        consultation=consultation,
    )
