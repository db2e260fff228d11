"""The personal-data file on disk: read it, write it, keep it out of git.

The records and what may be done with them are :mod:`charta.personal`;
this module is where they meet the file ``leitmotive.personal.toml``.
``charta consult import`` writes it and a ``.gitignore`` line for it.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from charta import rules
from charta.adapters.toml import read_text, syntax_problem
from charta.adapters.toml.locate import LazyPositions
from charta.errors import ChartaError, Collector, ValidationError
from charta.model import Charta, Location
from charta.personal import FORMAT, Person, PersonalData, check_personal, join, personal_path
from charta.privacy import hidden_names

__all__ = [
    "gitignore_line",
    "personal_text",
    "read_personal",
    "refuse_names",
    "with_personal",
]


def read_personal(path: str | os.PathLike[str]) -> PersonalData | None:
    """The personal-data file at ``path``, or ``None`` when there is none.

    A broken file is a :class:`ValidationError` naming the file, line and key:
    commands that need it stop rather than guess who said what.
    """
    p = Path(path)
    if not p.is_file():
        return None
    text, _ = read_text(p)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError([syntax_problem(exc, str(p), text)]) from None
    except (RecursionError, ValueError):
        raise ValidationError(
            [
                rules.TOML_SYNTAX.problem(
                    "is not a personal-data file charta can read", Location(file=str(p))
                )
            ]
        ) from None
    fast = _structure(data)
    if fast is not None:
        # where it was read, so that a warning about it can name the line
        return attrs.evolve(fast, location=Location(file=str(p), index=LazyPositions(text)))
    # lazy: cattrs costs start-up time; it only explains a file that is not well-formed
    from charta.adapters.toml.convert import shape_problems, toml_converter

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
    # lazy: writing needs cattrs and tomlkit, which reading and checking never pay for
    import tomlkit

    from charta.adapters.toml.convert import toml_converter
    from charta.adapters.toml.edit import sync_table

    new = toml_converter().unstructure(data)
    if old_text is None:
        doc = tomlkit.document()
        doc.add("format", new["format"])
        doc.add("charta", new["charta"])
        body = tomlkit.dumps(doc)
        if new.get("people"):
            body += "\n" + _people_text(new["people"])
        return _tidy(_HEADER.format(charta=data.charta) + "\n" + body)
    doc = tomlkit.parse(old_text)
    old = tomllib.loads(old_text)
    sync_table(doc, old, new)
    return _tidy(tomlkit.dumps(doc))


def _tidy(text: str) -> str:
    """One blank line between entries (tomlkit writes two after a table it appends to)."""
    text = re.sub(r"(?<=[^\n])\n(?=\[\[people\]\])", "\n\n", text)  # a blank line before
    return re.sub(r"\n{3,}(?=\[\[)", "\n\n", text)


def _people_text(people: list[dict[str, Any]]) -> str:
    import tomlkit  # lazy: as in personal_text

    from charta.adapters.toml.edit import toml_value

    doc = tomlkit.document()
    doc.add("people", toml_value(people))
    return tomlkit.dumps(doc)


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
    wanted = []
    if name not in lines and "*.personal.toml" not in lines:
        wanted.append(name)
    # Its copy being written, left behind if the import was killed (until the
    # next command removes or completes it: charta.adapters.files.recover).
    staged = f".{name}.charta-new"
    if staged not in lines and "*.charta-new" not in lines:
        wanted.append(staged)
    if not wanted:
        return ignore, None
    prefix = "" if not text or text.endswith("\n") else "\n"
    comment = "# Personal data of commenters: never publish (charta consult import)\n"
    return ignore, text + prefix + comment + "".join(line + "\n" for line in wanted)


def refuse_names(
    charta_path: str | os.PathLike[str], texts: Iterable[str], *, wording: Iterable[str] = ()
) -> None:
    """Refuse texts bound for the charta file (which is public) that name a commenter
    who did not consent, or give a commenter's address.  ``wording`` (a principle's
    title and text) counts a word of a name only capitalised as in the name."""
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
