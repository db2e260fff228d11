"""The commenters' personal data: who they are, kept apart from the charta.

A town publishes its charta file (many keep it in a public repository), so
the names, addresses and consent of the people who commented must not be in
it.  They live in a file beside it, ``leitmotive.personal.toml`` for
``leitmotive.toml``, joined to the charta by comment id when a command needs
them: ``charta consult letters``, an ``--internal`` report, and the public
outputs, which read it only to know which names to keep out of the texts.

This module holds the records and the pure operations on them; reading and
writing the file is :mod:`charta.adapters.toml.personal`.  One record a
person, with the comments they made: the same person keeps the same
pseudonym however many comments they write or files are imported.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import attrs

from charta import rules
from charta.errors import Problem
from charta.model import Charta, Location, Value

__all__ = [
    "FORMAT",
    "SUFFIX",
    "Person",
    "PersonalData",
    "check_personal",
    "join",
    "next_number",
    "personal_path",
    "pseudonym_number",
]

FORMAT = 1
SUFFIX = ".personal.toml"
"""The file beside ``leitmotive.toml`` is ``leitmotive.personal.toml``."""


@attrs.frozen(kw_only=True, repr=False)
class Person(Value):
    """A commenter: personal data, never shown in a public output without consent."""

    pseudonym: str
    """What public outputs show: "Person 4"; the charta file holds only this."""
    name: str = attrs.field(default="", repr=False)
    salutation: str = ""
    """How a letter addresses them ("Herr", "Frau"), where they gave it."""
    email: str = attrs.field(default="", repr=False)
    consent_to_publish: bool = False
    """Whether they agreed that their name may be published."""
    comments: tuple[str, ...] = ()
    """The ids of their comments in the charta."""
    key: str = ""
    """Who they are in the system the comments came from ("decidim-author:17")."""
    note: str = ""
    group: str = attrs.field(default="", repr=False)
    """The group they wrote for, where the source has one (a Decidim user group):
    personal data like the name, for a group's name may name its people."""
    contact_data: tuple[str, ...] = attrs.field(default=(), repr=False)
    """Contact data taken out of their comments' texts at import, each with the
    comment's id: ``"comment-3: 0170 1234567"``.  Never published."""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True, repr=False)
class PersonalData(Value):
    """The personal-data file of one charta."""

    format: int = FORMAT
    charta: str
    """The id of the charta whose commenters these are."""
    people: tuple[Person, ...] = ()
    location: Location | None = attrs.field(default=None, eq=False, repr=False)

    def by_comment(self) -> dict[str, Person]:
        """Each comment id with its commenter, in one pass."""
        return {c: p for p in self.people for c in p.comments}


def personal_path(charta_path: str | os.PathLike[str]) -> Path:
    """``leitmotive.personal.toml`` beside ``leitmotive.toml``."""
    path = Path(charta_path)
    stem = path.name[: -len(".toml")] if path.name.endswith(".toml") else path.name
    return path.with_name(stem + SUFFIX)


def check_personal(data: PersonalData, charta: Charta, file: str) -> list[Problem]:
    """Does the personal-data file belong to ``charta``?  Each comment one person,
    each comment in the charta, the pseudonyms as the charta has them."""
    out: list[Problem] = []

    def warn(message: str, keys: tuple[str | int, ...]) -> None:
        index = data.location.index if data.location is not None else None
        out.append(
            rules.PERSONAL_DATA_MISMATCH.problem(
                message, Location(keys=keys, file=file, index=index)
            )
        )

    if data.charta and data.charta != charta.id:
        warn(f"this is the personal data of '{data.charta}', not of '{charta.id}'", ("charta",))
    cons = charta.consultation
    comments = {c.id: c for c in cons.comments} if cons is not None else {}
    owner: dict[str, str] = {}
    for n, person in enumerate(data.people):
        if not person.comments and len(out) < 50:
            warn(
                f"{person.pseudonym} lists no comment: charta cannot tell which texts are "
                "theirs; add their comment ids or remove the record",
                ("people", n, "comments"),
            )
        for comment_id in person.comments:
            if comment_id in owner and len(out) < 50:
                warn(
                    f"{comment_id} is listed for {owner[comment_id]} and for {person.pseudonym}: "
                    "a letter would go to the wrong person; keep it with one",
                    ("people", n, "comments"),
                )
            owner.setdefault(comment_id, person.pseudonym)
            comment = comments.get(comment_id)
            if comment is None and len(out) < 50:
                index = data.location.index if data.location is not None else None
                out.append(
                    rules.TORN_PAIR.problem(
                        f"{comment_id} is no comment of '{charta.id}': the personal-data file "
                        "holds data of a comment the charta does not have (an import "
                        "interrupted by an older charta, or a comment removed by hand); "
                        "remove the id here, and the person if it was their only comment",
                        Location(keys=("people", n, "comments"), file=file, index=index),
                    )
                )
            elif (
                comment is not None
                and comment.commenter.pseudonym != person.pseudonym
                and len(out) < 50
            ):
                warn(
                    f"{comment_id} is by '{comment.commenter.pseudonym}' in the charta, "
                    f"by '{person.pseudonym}' here: make them the same",
                    ("people", n, "pseudonym"),
                )
    return out


def join(charta: Charta, data: PersonalData | None) -> Charta:
    """``charta`` with each commenter's name, email and consent from ``data``.

    Only for commands that need them (letters, internal reports) or that must
    know the names to keep them out (public outputs, through
    :func:`charta.privacy.public_view`).  Never written back into the charta file.
    """
    cons = charta.consultation
    if data is None or cons is None or not data.people:
        return charta
    who = data.by_comment()
    comments = tuple(
        attrs.evolve(
            c,
            commenter=attrs.evolve(
                c.commenter,
                name=who[c.id].name,
                email=who[c.id].email,
                consent_to_publish=who[c.id].consent_to_publish,
            ),
        )
        if c.id in who
        else c
        for c in cons.comments
    )
    return attrs.evolve(charta, consultation=attrs.evolve(cons, comments=comments))


def pseudonym_number(pseudonym: str, word: str) -> int | None:
    """4 for "Person 4" (with ``word`` "Person"), else ``None``."""
    head, _, number = pseudonym.rpartition(" ")
    if head == word and number.isdigit() and len(number) < 10:
        return int(number)
    return None


def next_number(pseudonyms: Iterable[str], word: str) -> int:
    """The next free number for pseudonyms of the form "WORD N"."""
    taken = [n for n in (pseudonym_number(p, word) for p in pseudonyms) if n is not None]
    return max(taken, default=0) + 1
