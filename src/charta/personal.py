"""The personal-data file: who the commenters are, kept apart from the charta.

A town publishes its charta file (many keep it in a public repository), so
the names, addresses and consent of the people who commented must not be in
it.  They live in a file beside it, ``leitmotive.personal.toml`` for
``leitmotive.toml``, joined to the charta by comment id when a command needs
them: ``charta consult letters``, an ``--internal`` report, and the public
outputs, which read it only to know which names to keep out of the texts.
``charta consult import`` writes it and a ``.gitignore`` line for it.

One record a person, with the comments they made: the same person keeps the
same pseudonym however many comments they write or files are imported.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from charta import rules
from charta.errors import ChartaError, Problem, ValidationError
from charta.model import Charta, Location, Value

__all__ = [
    "FORMAT",
    "Person",
    "PersonalData",
    "join",
    "personal_path",
    "personal_text",
    "read_personal",
]

FORMAT = 1
SUFFIX = ".personal.toml"


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


def read_personal(path: str | os.PathLike[str]) -> PersonalData | None:
    """The personal-data file at ``path``, or ``None`` when there is none.

    A broken file is a :class:`ValidationError` naming the file, line and key:
    commands that need it stop rather than guess who said what.
    """
    from charta.adapters.toml import _syntax_problem, read_text

    p = Path(path)
    if not p.is_file():
        return None
    text, _ = read_text(p)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError([_syntax_problem(exc, str(p), text)]) from None
    except (RecursionError, ValueError):
        raise ValidationError(
            [
                rules.TOML_SYNTAX.problem(
                    "is not a personal-data file charta can read", Location(file=str(p))
                )
            ]
        ) from None
    from charta.adapters.toml.locate import LazyPositions

    fast = _structure(data)
    if fast is not None:
        # where it was read, so that a warning about it can name the line
        return attrs.evolve(fast, location=Location(file=str(p), index=LazyPositions(text)))
    from charta.adapters.toml.convert import shape_problems, toml_converter
    from charta.errors import Collector

    index = LazyPositions(text)
    try:
        return toml_converter(detailed=True).structure(data, PersonalData)
    except Exception as exc:  # cattrs' error tree: every problem with its key path
        found = Collector(str(p))
        for keys, rule, message in shape_problems(exc, PersonalData):
            found.add(rule, message, functools.partial(Location, keys, str(p), index=index))
        problems = found.problems()
        if not problems:  # pragma: no cover - a failure cattrs did not explain
            raise ChartaError(f"cannot read: {exc}", location=Location(file=str(p))) from None
        raise ValidationError(problems) from None


_PERSON_TYPES = {
    "pseudonym": str,
    "name": str,
    "salutation": str,
    "email": str,
    "consent-to-publish": bool,
    "comments": list,
    "key": str,
    "note": str,
}


def _structure(data: dict[str, Any]) -> PersonalData | None:
    """A well-formed file without cattrs (which costs start-up time); ``None``
    for anything else, which cattrs then explains."""
    if set(data) - {"format", "charta", "people"} or not isinstance(data.get("charta"), str):
        return None
    version = data.get("format", FORMAT)
    people = data.get("people", [])
    if type(version) is not int or not isinstance(people, list):
        return None
    out = []
    for entry in people:
        if not isinstance(entry, dict) or "pseudonym" not in entry:
            return None
        values: dict[str, Any] = {}
        for key, value in entry.items():
            expected = _PERSON_TYPES.get(key)
            if expected is None or type(value) is not expected:
                return None
            if isinstance(value, list) and not all(isinstance(c, str) for c in value):
                return None
            values[key.replace("-", "_")] = tuple(value) if isinstance(value, list) else value
        out.append(Person(**values))
    return PersonalData(format=version, charta=data["charta"], people=tuple(out))


_HEADER = """\
# Personal data of the commenters of {charta}.
#
# NOT FOR PUBLICATION. This file holds names and addresses of people who
# commented in the consultation. Keep it out of public repositories (charta
# wrote a .gitignore line for it) and delete it when it is no longer needed.
# The charta file itself holds only pseudonyms; charta joins the two by
# comment id for letters (charta consult letters) and internal reports.
"""


def personal_text(data: PersonalData, old_text: str | None = None) -> str:
    """The file's text: ``old_text`` with what changed written in (its comments
    kept), or a new file with a header that says what it is."""
    import tomlkit

    from charta.adapters.toml.convert import toml_converter

    new = toml_converter().unstructure(data)
    if old_text is None:
        doc = tomlkit.document()
        doc.add("format", new["format"])
        doc.add("charta", new["charta"])
        body = tomlkit.dumps(doc)
        if new.get("people"):
            body += "\n" + _people_text(new["people"])
        return _tidy(_HEADER.format(charta=data.charta) + "\n" + body)
    from charta.adapters.toml.edit import _sync

    doc = tomlkit.parse(old_text)
    old = tomllib.loads(old_text)
    _sync(doc, old, new)
    return _tidy(tomlkit.dumps(doc))


def _tidy(text: str) -> str:
    """One blank line between entries (tomlkit writes two after a table it appends to)."""
    import re

    text = re.sub(r"(?<=[^\n])\n(?=\[\[people\]\])", "\n\n", text)  # a blank line before
    return re.sub(r"\n{3,}(?=\[\[)", "\n\n", text)


def _people_text(people: list[dict[str, Any]]) -> str:
    import tomlkit

    from charta.adapters.toml.edit import _value

    doc = tomlkit.document()
    doc.add("people", _value(people))
    return tomlkit.dumps(doc)


def check_personal(data: PersonalData, charta: Charta, file: str) -> list[Problem]:
    """Does the personal-data file belong to ``charta``?  Each comment one person,
    each comment in the charta, the pseudonyms as the charta has them."""
    from charta.model import Location as Where

    out: list[Problem] = []

    def warn(message: str, keys: tuple[str | int, ...]) -> None:
        index = data.location.index if data.location is not None else None
        out.append(
            rules.PERSONAL_DATA_MISMATCH.problem(message, Where(keys=keys, file=file, index=index))
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
                warn(f"{comment_id} is no comment of '{charta.id}'", ("people", n, "comments"))
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


def with_personal(charta: Charta, charta_path: str | None) -> Charta:
    """``charta`` joined with the personal-data file beside ``charta_path``, if there is one."""
    if not charta_path:
        return charta
    path = personal_path(charta_path)
    data = read_personal(path)
    if data is None:
        return charta
    # A file that does not fit would leave someone's name unknown to the cleaning
    # (a comment listed twice, or under an id the charta lacks): stop, do not guess.
    unfit = [
        p for p in check_personal(data, charta, str(path)) if p.location.keys[-1:] != ("pseudonym",)
    ]
    if unfit:
        raise ChartaError(
            f"the personal-data file does not fit the charta, so no output is made (a name "
            f"could be missed): {unfit[0].message}"
            + (
                f" (and {len(unfit) - 1} more; charta validate lists them)"
                if len(unfit) > 1
                else ""
            ),
            location=unfit[0].location,
            rule=rules.REQUEST,
        )
    return join(charta, data)


def gitignore_line(charta_path: str | os.PathLike[str]) -> tuple[Path, str | None]:
    """The ``.gitignore`` beside the charta, and its text with a line for the
    personal-data file added (``None`` when the line is there already)."""
    folder = Path(charta_path).parent
    ignore = folder / ".gitignore"
    name = personal_path(charta_path).name
    try:
        text = ignore.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ChartaError(
            f"cannot read it ({exc}); add the line '{name}' yourself",
            location=Location(file=str(ignore)),
            rule=rules.CANNOT_WRITE,
        ) from None
    lines = {line.strip().lstrip("/") for line in text.splitlines()}
    if name in lines or "*.personal.toml" in lines:
        return ignore, None
    prefix = "" if not text or text.endswith("\n") else "\n"
    comment = "# Personal data of commenters: never publish (charta consult import)\n"
    return ignore, text + prefix + comment + name + "\n"


def refuse_names(
    charta_path: str | os.PathLike[str], texts: Iterable[str], *, wording: Iterable[str] = ()
) -> None:
    """Refuse texts bound for the charta file (which is public) that name a commenter
    who did not consent, or give a commenter's address.  ``wording`` (a principle's
    title and text) counts a word of a name only capitalised as in the name."""
    from charta.privacy import hidden_names

    data = read_personal(personal_path(charta_path))
    if data is None:
        return
    found = hidden_names(data.people, texts) or hidden_names(data.people, wording, exact=True)
    if found:
        raise ChartaError(
            f"the text names {found}, who did not consent to publication, or gives an "
            "address: leave it out (the charta file is public; charta consult letters adds "
            "the salutation)",
            rule=rules.REQUEST,
        )


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
