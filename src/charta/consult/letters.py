"""Replies to the commenters: one letter a person who gave an address.

The Sindelfingen reply is the model: a salutation, thanks, what was done,
the changed text, the office.  Letters are the one output that names the
commenter; they are written to a folder, never to standard output.
"""

from __future__ import annotations

import re

import attrs

from charta import rules
from charta.errors import ChartaError
from charta.labels import Labels, format_date, labels_for
from charta.model import Charta, Comment, Item, MergedAway, Response
from charta.personal import Person, PersonalData
from charta.texts import visible

__all__ = ["Letter", "letters"]


@attrs.frozen
class Letter:
    file_name: str
    to: str
    text: str


_WORDS = {
    "de": {
        "subject": "Ihre Anmerkungen zu „{title}“",
        "hello": "Guten Tag {who},",
        "hello_anonymous": "Guten Tag,",
        "thanks": "vielen Dank für Ihre Nachricht zum Entwurf „{title}“.",
        "on": "Zu Ihrer Anmerkung zu {target}{date}:",
        "on_whole": "Zu Ihrer Anmerkung zum ganzen Dokument{date}:",
        "date": " vom {date}",
        "answer": "Unsere Antwort ({decision}):",
        "changed": "{target} lautet jetzt:",
        "merged": "{target} ist in einem anderen Grundsatz aufgegangen.",
        "no_change": "Der Text bleibt unverändert.",
        "bye": "Mit freundlichen Grüßen",
        "to": "An",
        "re": "Betreff",
    },
    "en": {
        "subject": "Your comments on “{title}”",
        "hello": "Dear {who},",
        "hello_anonymous": "Hello,",
        "thanks": "thank you for your comments on the draft “{title}”.",
        "on": "On your comment on {target}{date}:",
        "on_whole": "On your comment on the whole document{date}:",
        "date": " of {date}",
        "answer": "Our answer ({decision}):",
        "changed": "{target} now reads:",
        "merged": "{target} was merged into another principle.",
        "no_change": "The text stays as it was.",
        "bye": "Kind regards",
        "to": "To",
        "re": "Subject",
    },
}


def letters(charta: Charta, personal: PersonalData) -> tuple[list[Letter], list[Person]]:
    """The letters, and the people who get none (no address, or nothing answered yet)."""

    lang = "de" if charta.language.split("-")[0] == "de" else "en"
    w = _WORDS[lang]
    labels = labels_for(lang)
    cons = charta.consultation
    comments = {c.id: c for c in cons.comments} if cons else {}
    answers = cons.responses_by_comment() if cons else {}
    changes: dict[str, list[Item | MergedAway]] = {}
    for comment_id, entries in charta.changes_by_comment().items():
        for thing, rev in entries:
            merge = rev is None and isinstance(thing, MergedAway)
            if (merge or isinstance(thing, Item)) and thing not in changes.get(comment_id, []):
                changes.setdefault(comment_id, []).append(thing)
    owners: dict[str, str] = {}
    for person in personal.people:
        for comment_id in person.comments:
            if owners.setdefault(comment_id, person.pseudonym) != person.pseudonym:
                raise ChartaError(
                    f"{comment_id} is listed for {owners[comment_id]} and for "
                    f"{person.pseudonym} in the personal-data file: a letter would go to the "
                    "wrong person; keep it with one (charta validate shows where)",
                    rule=rules.REQUEST,
                )
    out: list[Letter] = []
    skipped: list[Person] = []
    used: set[str] = set()
    for person in personal.people:
        answered = [comments[c] for c in person.comments if c in comments and answers.get(c)]
        if not person.email or not answered:
            skipped.append(person)
            continue
        surname = _surname(person.name)
        who = f"{person.salutation} {surname}" if person.salutation and surname else person.name
        lines = [
            f"{w['to']}: {person.email}",
            f"{w['re']}: " + w["subject"].format(title=charta.title),
            "",
            w["hello"].format(who=who) if who else w["hello_anonymous"],
            "",
            w["thanks"].format(title=charta.title),
        ]
        for comment in answered:
            lines += [
                "",
                *_about(
                    comment,
                    answers[comment.id],
                    changes.get(comment.id, []),
                    charta=charta,
                    lang=lang,
                    labels=labels,
                ),
            ]
        office = answers[answered[-1].id][-1].by
        lines += ["", w["bye"], office, ""]
        name = _file_name(person.pseudonym, used)
        # a title or answer may hold a control character: written out, never raw
        out.append(Letter(file_name=name, to=person.email, text=visible("\n".join(lines))))
    return out, skipped


def _about(
    c: Comment,
    responses: list[Response],
    changed: list[Item | MergedAway],
    *,
    charta: Charta,
    lang: str,
    labels: Labels,
) -> list[str]:
    w = _WORDS[lang]
    date = w["date"].format(date=format_date(c.date, lang)) if c.date else ""
    target = charta.item(c.target.item) if c.target is not None and c.target.item else None
    head = (
        w["on"].format(target=_name(target), date=date)
        if target is not None
        else w["on_whole"].format(date=date)
    )
    last = responses[-1]
    decision = labels.value(last.decision.value)
    lines = [head, *_quoted(c.text), "", w["answer"].format(decision=decision)]
    lines += [r.text for r in responses]
    for thing in changed:
        lines.append("")
        if isinstance(thing, MergedAway):
            lines.append(w["merged"].format(target=_name(thing)))
        else:
            lines += [w["changed"].format(target=_name(thing)), *_quoted(thing.text or thing.title)]
    if not changed:
        lines += ["", w["no_change"]]
    return lines


_PARTICLES = frozenset({"von", "van", "de", "der", "den", "zu", "zur", "vom", "di", "da", "del"})


def _surname(name: str) -> str:
    """ "Quast" for "Wiebke Quast" and "Quast, Wiebke"; "von der Leyen" for
    "Ursula von der Leyen": how a letter with a salutation names them."""
    if "," in name:
        return name.split(",", maxsplit=1)[0].strip()
    words = name.split()
    for n, word in enumerate(words[1:], 1):
        if word in _PARTICLES:
            return " ".join(words[n:])
    return words[-1] if words else ""


def _name(thing: Item | MergedAway) -> str:
    return (f"{thing.label} " if thing.label else "") + f"„{thing.title}“"


def _quoted(text: str) -> list[str]:
    return ["> " + line if line.strip() else ">" for line in text.strip().splitlines()]


def _file_name(pseudonym: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", pseudonym.lower()).strip("-") or "person"
    name, n = f"{base}.txt", 2
    while name in used:
        name, n = f"{base}-{n}.txt", n + 1
    used.add(name)
    return name
