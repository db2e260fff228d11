"""The consultation, step by step: import comments, respond, amend; its state.

Pure functions on a charta and its personal data (:mod:`charta.personal`),
like :mod:`charta.derive.operations`: they return new objects and never change
their input.  Writing the results back (keeping the clerk's file) is the
CLI's, through :mod:`charta.derive.edit`.

Privacy by construction: an imported comment's name, address and consent go
to the personal data, the charta gets a numbered pseudonym ("Person 4"), and a
comment's text that holds its writer's name or address is stored with the
pseudonym in their place.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from charta import contact, rules
from charta.adapters import toml
from charta.adapters.comments import Column, Incoming, place, read_export
from charta.adapters.files import write_atomic, writer_lock
from charta.adapters.toml.convert import toml_converter
from charta.adapters.toml.personal import gitignore_line, personal_text, read_personal
from charta.derive import operations
from charta.derive.edit import prepare_edit, write_together
from charta.errors import ChartaError, Problem, ValidationError
from charta.hints import did_you_mean
from charta.model import (
    Charta,
    Comment,
    Commenter,
    Consultation,
    Decision,
    Knowledge,
    Location,
    PartialDate,
    Reference,
    Response,
    is_id,
)
from charta.personal import Person, PersonalData, next_number, personal_path
from charta.privacy import NameIndex, addresses, name_forms_as_written

__all__ = [
    "ImportResult",
    "State",
    "amend",
    "import_comments",
    "import_file",
    "respond",
    "state",
]

PSEUDONYM_WORD = "Person"


@attrs.frozen(kw_only=True)
class ImportResult:
    charta: Charta
    personal: PersonalData
    added: tuple[str, ...]
    """Ids of the comments added."""
    duplicates: tuple[tuple[str, str], ...]
    """(where the row is, "line 4" or "entry 4"; the id of the comment it repeats)."""
    redacted: tuple[str, ...]
    """Ids of comments whose text held its writer's name or address."""
    contacts: tuple[str, ...] = ()
    """Ids of comments whose text held contact data (now in the personal-data file)."""
    kind: str = ""
    """What the file imported was ("form CSV", "Decidim 0.23-0.30 comment export (CSV)")."""
    columns: tuple[Column, ...] = ()
    """How each of its columns was read."""


def import_comments(
    charta: Charta,
    personal: PersonalData | None,
    rows: Sequence[Incoming],
    *,
    file: str = "",
    pseudonym_word: str = PSEUDONYM_WORD,
) -> ImportResult:
    """Add ``rows`` to the consultation of ``charta``; their writers to ``personal``.

    A row that repeats a comment already there (same text, same person, same
    day; or the same id from the same source) is reported, not added.  A row
    whose principle does not exist raises :class:`ValidationError` with its
    line; then nothing is added.  Linear: every look-up is an index built once.
    """
    personal = personal or PersonalData(charta=charta.id)
    cons = charta.consultation or Consultation()
    resolved = _resolve_targets(charta, rows, file)
    book = _Book(cons, personal, pseudonym_word)
    book.meet(row for row, _ in resolved)
    added: list[Comment] = []
    duplicates: list[tuple[str, str]] = []
    redacted: list[str] = []
    contacts: list[str] = []
    for row, target in resolved:
        comment, was_redacted, repeats = book.add(row, target)
        if comment is None:
            duplicates.append((f"{'entry' if row.entry else 'line'} {row.line}", repeats))
            continue
        added.append(comment)
        if was_redacted:
            redacted.append(comment.id)
        if book.took_contacts:
            contacts.append(comment.id)
    new_cons = attrs.evolve(cons, comments=(*cons.comments, *added))
    return ImportResult(
        charta=attrs.evolve(charta, consultation=new_cons),
        personal=attrs.evolve(personal, people=tuple(book.people)),
        added=tuple(c.id for c in added),
        duplicates=tuple(duplicates),
        redacted=tuple(redacted),
        contacts=tuple(contacts),
    )


def import_file(
    path: str,
    comments: str,
    *,
    targets: dict[str, str] | None = None,
    pseudonym_word: str = PSEUDONYM_WORD,
    mapping: dict[str, str] | None = None,
    whole_charta: bool = False,
    consent: bool | None = None,
) -> tuple[ImportResult, Path, Path | None]:
    """``charta consult import``: the comments in the file ``comments`` into the
    charta file at ``path`` and its personal-data file.

    Both files are made and checked before either is written; the ``.gitignore``
    line comes first.  Returns the result, the personal-data file, and the
    ``.gitignore`` written (``None`` if it had the line).  Raises
    :class:`ChartaError` with every problem; then nothing is written.
    ``mapping``, ``whole_charta`` and ``consent`` say how to read the file's
    columns (:func:`charta.adapters.comments.read_export`).  The charta's
    writers' lock is held from the first read to the last write.
    """
    with writer_lock(path):
        return _import_file(
            path,
            comments,
            targets=targets,
            pseudonym_word=pseudonym_word,
            mapping=mapping,
            whole_charta=whole_charta,
            consent=consent,
        )


def _import_file(
    path: str,
    comments: str,
    *,
    targets: dict[str, str] | None,
    pseudonym_word: str,
    mapping: dict[str, str] | None,
    whole_charta: bool,
    consent: bool | None,
) -> tuple[ImportResult, Path, Path | None]:

    try:
        room: int | None = toml.MAX_BYTES - Path(path).stat().st_size
    except OSError:
        room = None  # the edit below says what is wrong with the file
    export = read_export(
        comments,
        targets=targets,
        mapping=mapping,
        whole_charta=whole_charta,
        consent=consent,
        room=room,
    )
    rows = export.rows
    companion = personal_path(path)
    personal = read_personal(companion)
    old_bytes = companion.read_bytes() if personal is not None else None
    old_text = old_bytes.decode("utf-8-sig") if old_bytes is not None else None
    found: list[ImportResult] = []

    def change(charta: Charta) -> Charta:
        found.append(
            import_comments(charta, personal, rows, file=comments, pseudonym_word=pseudonym_word)
        )
        return found[-1].charta

    edit = prepare_edit(path, change)
    result = attrs.evolve(found[-1], kind=export.kind, columns=export.columns)
    if not result.added:
        return result, companion, None
    new_text = personal_text(result.personal, old_text)
    # The personal-data file must read back as written, before anything is written.
    if toml_converter().structure(tomllib.loads(new_text), PersonalData) != result.personal:
        raise ChartaError(  # pragma: no cover - a bug, not bad input
            "the personal-data file would not read back as intended; nothing was written",
            location=Location(file=str(companion)),
            rule=rules.CANNOT_WRITE,
        )
    ignore, ignore_text = gitignore_line(path)
    if ignore_text is not None:
        # First: a line too many in .gitignore harms nobody; a personal-data file
        # without one could be published by the next commit.
        write_atomic(ignore, ignore_text, inputs=[Path(path), companion])
    write_together(edit, companion, new_text, expected=old_bytes)
    return result, companion, ignore if ignore_text is not None else None


def _resolve_targets(
    charta: Charta, rows: Sequence[Incoming], file: str
) -> list[tuple[Incoming, Reference | None]]:
    """Each row with the principle it names; every row naming none raises, with its line."""
    targets = _target_index(charta)
    problems: list[Problem] = []
    resolved: list[tuple[Incoming, Reference | None]] = []
    more = 0
    for row in rows:
        target = _target(row.target, targets)
        if target is False:
            if len(problems) >= 50:
                more += 1
            else:
                problems.append(
                    place(
                        f"the principle '{row.target[:60]}' does not exist in '{charta.id}': "
                        "write its id or number" + _known(charta),
                        file,
                        row.line,
                        entry=row.entry,
                    )
                )
            continue
        resolved.append((row, target if isinstance(target, Reference) else None))
    if more:
        problems.append(
            rules.BAD_ROW.problem(
                f"... and {more:,} more rows naming no principle", Location(file=file or None)
            )
        )
    if problems:
        raise ValidationError(problems)
    return resolved


class _Book:
    """Who is who, and what is there: the indexes an import looks everything up in."""

    def __init__(self, cons: Consultation, personal: PersonalData, word: str) -> None:
        self.cons = cons
        self.people: list[Person] = list(personal.people)
        self.word = word
        self.by_key: dict[str, int] = {}
        for n, p in enumerate(self.people):
            for key in _person_keys(p.key, p.name, p.email):
                self.by_key.setdefault(key, n)
        self.taken = {c.id for c in cons.comments} | {r.id for r in cons.responses}
        # names (as written) and addresses of everyone, to keep them out of texts
        self.written: dict[str, int] = {}
        self.addresses: dict[str, int] = {}
        self.seen: dict[tuple[str, str, str, str], str] = {}
        pseudonyms = [c.commenter.pseudonym for c in cons.comments]
        pseudonyms += [p.pseudonym for p in self.people]
        self.number = next_number(pseudonyms, word)
        self.comment_number = _next_comment_number(self.taken)
        self.pseudonym = re.compile(rf"\b{re.escape(word)} \d+\b")
        self.person_of: dict[int, int] = {}  # a row (by identity) -> its person
        self.took_contacts = False  # whether the last row added held contact data
        self.coming: set[str] = set()  # the Decidim ids this import brings
        self.names = NameIndex(())  # the hidden names: made by meet(), once everyone is known

    def meet(self, rows: Iterable[Incoming]) -> None:
        """First everyone: so that a name is known before the row that names it, and
        a person's consent is that of all their rows (given only if every row gives it)."""
        for row in rows:
            if row.origin != "form":
                self.coming.add(_comment_id(row))  # a reply may come before its parent
            keys = _person_keys(row.person_key, row.name, row.email)
            found = next((self.by_key[k] for k in keys if k in self.by_key), None)
            if found is None:
                self.person_of[id(row)] = self._new_person(row, keys)
                continue
            self.person_of[id(row)] = found
            person = self.people[found]
            self.people[found] = attrs.evolve(
                person,
                group=person.group or row.group,
                email=person.email or row.email,
                salutation=person.salutation or row.salutation,
                consent_to_publish=person.consent_to_publish and row.consent,
            )
        for n, p in enumerate(self.people):
            self._index(n, p)
        self.names = NameIndex(
            ((p.name, p.pseudonym) for p in self.people if p.name and not p.consent_to_publish),
            kept=[p.name for p in self.people if p.name and p.consent_to_publish],
        )
        who_of = {c: n for n, p in enumerate(self.people) for c in p.comments}
        for c in self.cons.comments:
            owner = who_of.get(c.id)
            ident = _ident(self.people[owner] if owner is not None else None)
            self.seen.setdefault(_fingerprint(ident, c.date, c.target, self._plain(c.text)), c.id)

    def _plain(self, text: str) -> str:
        """A text as compared for repeats: names, addresses and pseudonyms left out,
        so that a text cleaned once and cleaned again is the same text."""
        text = _EMAIL.sub("•", text)
        text = self.pseudonym.sub("•", text)
        return re.sub(r"\w+", lambda m: "•" if m.group() in self.written else m.group(), text)

    def add(self, row: Incoming, target: Reference | None) -> tuple[Comment | None, bool, str]:
        """The comment a row makes and whether its text was cleaned of its writer;
        or, for a row already there, ``None`` and the id of the comment it repeats."""
        keys = _person_keys(row.person_key, row.name, row.email)
        found = self.person_of[id(row)]  # meet() has met everyone
        person = self.people[found]
        # The text as the charta will hold it.  First the contact data typed into it
        # (kept whole for the personal-data file; a commenter's own address becomes
        # their pseudonym), then every hidden name, whole or in part, in any spelling.
        raw_text = self._addresses_out(row.text)
        raw_note = self._addresses_out(row.note)
        in_text, in_note = contact.find(raw_text), contact.find(raw_note)
        contacts = in_text + in_note
        masked = contact.mask(raw_text, in_text)
        text = self.names.clean(masked)
        named = text != masked or raw_text != row.text
        note = self.names.clean(contact.mask(raw_note, in_note))
        self.took_contacts = bool(contacts)
        mark = _fingerprint(keys[0] if keys else "", row.date, target, self._plain(text))
        wanted = _comment_id(row)
        if row.origin != "form" and wanted:
            # Decidim's ids are its own for good: the id says whether it is a repeat.
            if wanted in self.taken:
                return (None, False, wanted)
        elif mark in self.seen:
            return (None, False, self.seen[mark])
        # A form numbers each export anew: a number taken by another comment gets
        # a suffix ("comment-2-2"), so the form's next numbers stay their own.
        comment_id = self._free(wanted) if wanted else self._next_id()
        self.taken.add(comment_id)
        self.people[found] = attrs.evolve(
            person,
            comments=(*person.comments, comment_id),
            contact_data=(*person.contact_data, *(f"{comment_id}: {c.value}" for c in contacts)),
        )
        self.seen[mark] = comment_id
        parent = f"decidim-{row.reply_to}" if row.origin == "decidim" and row.reply_to else ""
        comment = Comment(
            id=comment_id,
            date=row.date,
            time=row.time,
            target=target,
            in_reply_to=parent if parent in self.taken or parent in self.coming else "",
            text=text,
            commenter=Commenter(pseudonym=person.pseudonym),
            note=note,
        )
        return (comment, named, "")

    def _index(self, n: int, person: Person) -> None:

        if person.email:
            self.addresses.setdefault(person.email.casefold(), n)
        if not person.consent_to_publish:
            for form in name_forms_as_written(person.name):
                self.written.setdefault(form, n)

    def _addresses_out(self, text: str) -> str:
        """``text`` with the e-mail address of each commenter known replaced by their
        pseudonym (other addresses are contact data: masked after this)."""
        for address in addresses(text):
            n = self.addresses.get(address)
            if n is not None:
                p = self.people[n]
                text = _without_address(text, p.email, p.pseudonym)
        return text

    def _free(self, wanted: str) -> str:
        found, n = wanted, 2
        while found in self.taken:
            found, n = f"{wanted}-{n}", n + 1
        return found

    def _next_id(self) -> str:
        while f"comment-{self.comment_number}" in self.taken:
            self.comment_number += 1
        return f"comment-{self.comment_number}"

    def _new_person(self, row: Incoming, keys: list[str]) -> int:
        self.people.append(
            Person(
                pseudonym=f"{self.word} {self.number}",
                name=row.name,
                salutation=row.salutation,
                email=row.email,
                consent_to_publish=row.consent,
                key=row.person_key,
                group=row.group,
            )
        )
        self.number += 1
        found = len(self.people) - 1
        for k in keys:
            self.by_key.setdefault(k, found)
        return found


def _known(charta: Charta) -> str:
    shown: list[str] = []
    for item in charta.walk():
        if len(shown) == 8:
            shown.append("...")
            break
        shown.append(f"{item.label} = {item.id}" if item.label else item.id)
    return f" ({', '.join(shown)})" if shown else " (the charta has no principles)"


def _target_index(charta: Charta) -> dict[str, str]:
    """Every way a form may name a principle: its id, ``#id``, its number, ``#2``."""
    out: dict[str, str] = {}
    for item in charta.walk():
        for key in (item.id, f"#{item.id}"):
            out.setdefault(key.lower(), item.id)
        if item.label:
            label = item.label.strip().lower()
            for key in (label, label.lstrip("#"), f"#{label.lstrip('#')}"):
                out.setdefault(key, item.id)
    for m in charta.merged_away:  # a comment on a principle since merged away
        out.setdefault(m.id.lower(), m.id)
    return out


_WORD_NUMBER = re.compile(r"^(?:leitmotiv|leitlinie|prinzip|principle|nr\.?|no\.?)\s*#?\s*", re.I)


def _target(written: str, targets: dict[str, str]) -> Reference | bool | None:
    """The principle a row names (``None``: the whole charta; ``False``: none such)."""
    key = written.strip().lower()
    if not key:
        return None
    found = targets.get(key) or targets.get(_WORD_NUMBER.sub("", key))
    return Reference(item=found) if found else False


def _person_keys(key: str, name: str, email: str) -> list[str]:
    """Who a person is, to recognise them again: their key where they came from,
    else their address, else their name.  One identity, never a mix: two people
    of one name with two addresses are two people (and their consent their own)."""
    if key:
        return [f"key:{key}"]
    if email:
        return [f"email:{email.strip().lower()}"]
    if name:
        return [f"name:{' '.join(name.lower().split())}"]
    return []


def _ident(person: Person | None) -> str:
    if person is None:
        return ""
    keys = _person_keys(person.key, person.name, person.email)
    return keys[0] if keys else ""


def _fingerprint(
    ident: str, date: PartialDate | None, target: Reference | None, text: str
) -> tuple[str, str, str, str]:
    """What makes a comment the same comment: the same person (or nobody named), the
    same day, the same principle, the same words."""
    return (ident, str(date or ""), str(target or ""), " ".join(text.split()).casefold())


def _comment_id(row: Incoming) -> str:
    """The stable id of a row that has its own: ``comment-17``, ``decidim-17``."""
    if not row.source_id or not row.source_id.strip().isdigit():
        return ""  # a number only: an id is public, and a form's "quast-1" is not
    slug = re.sub(r"[^a-z0-9]+", "-", row.source_id.lower()).strip("-")
    if not slug:
        return ""
    prefix = "comment-" if row.origin == "form" else f"{row.origin}-"
    found = prefix + slug
    return found if is_id(found) else ""


def _next_comment_number(taken: Iterable[str]) -> int:
    numbers = [
        int(i[8:]) for i in taken if i.startswith("comment-") and i[8:].isdigit() and len(i) < 20
    ]
    return max(numbers, default=0) + 1


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _without_address(text: str, email: str, pseudonym: str) -> str:
    if not email or "@" not in text:
        return text
    return _EMAIL.sub(
        lambda m: pseudonym if m.group().strip(".").casefold() == email.casefold() else m.group(),
        text,
    )


# -- respond and amend -----------------------------------------------------------


def respond(
    charta: Charta,
    comment_id: str,
    *,
    decision: Decision,
    text: str,
    by: str = "",
    date: PartialDate | None = None,
    note: str = "",
    again: bool = False,
) -> Charta:
    """The town's answer to a comment.

    Its id follows the comment's (``comment-2`` -> ``response-2``).  A second
    answer to one comment needs ``again`` (a follow-up; the last answer's
    decision counts).
    """
    cons = charta.consultation
    comment = cons.comment(comment_id) if cons is not None else None
    if cons is None or comment is None:
        known = [c.id for c in cons.comments] if cons is not None else []
        raise ChartaError(
            f"no comment '{comment_id}'{did_you_mean(comment_id, known)}", rule=rules.REQUEST
        )
    if not text.strip():
        raise ChartaError("the answer's text is empty: write it with --text", rule=rules.REQUEST)
    earlier = cons.responses_to(comment_id)
    if earlier and not again:
        raise ChartaError(
            f"'{comment_id}' is answered already ({earlier[-1].id}, "
            f"{earlier[-1].decision.value}); add a further answer with --again",
            rule=rules.REQUEST,
        )
    taken = {c.id for c in cons.comments} | {r.id for r in cons.responses}
    base = "response-" + (comment_id[8:] if comment_id.startswith("comment-") else comment_id)
    response_id, n = base, 2
    while response_id in taken:
        response_id, n = f"{base}-{n}", n + 1
    response = Response(
        id=response_id,
        comment=comment_id,
        by=by.strip() or charta.issuer.office or charta.issuer.body,
        date=date,
        text=text.replace("\r\n", "\n"),
        decision=decision,
        note=note,
    )
    return attrs.evolve(
        charta, consultation=attrs.evolve(cons, responses=(*cons.responses, response))
    )


def amend(
    charta: Charta,
    item_id: str,
    *,
    because: Sequence[str],
    text: str | None = None,
    title: str | None = None,
    date: PartialDate | None = None,
    reason: str = "",
    note: str = "",
    before_knowledge: Knowledge = Knowledge.VERIFIED,
) -> Charta:
    """A principle's new wording, caused by comments (and the answers to them).

    The revision cites each comment of ``because`` and the answers to it.  A
    comment answered 'rejected' cannot cause an amendment: answer it anew first.
    """

    cons = charta.consultation
    if not because:
        raise ChartaError(
            "name the comment that caused it: --because COMMENT-ID", rule=rules.REQUEST
        )
    causes: list[str] = []
    for comment_id in because:
        comment = cons.comment(comment_id) if cons is not None else None
        if cons is None or comment is None:
            known = [c.id for c in cons.comments] if cons is not None else []
            raise ChartaError(
                f"--because '{comment_id}': no such comment{did_you_mean(comment_id, known)}",
                rule=rules.REQUEST,
            )
        answers = cons.responses_to(comment_id)
        if answers and answers[-1].decision is Decision.REJECTED:
            raise ChartaError(
                f"'{comment_id}' is answered 'rejected' ({answers[-1].id}): an amendment "
                "cannot rest on it; answer it anew (charta consult respond ... --again) first",
                rule=rules.REQUEST,
            )
        causes += [comment_id, *(r.id for r in answers)]
    causes = list(dict.fromkeys(causes))
    new = operations.adapt(
        charta, item_id, text=text, title=title, date=date, reason=reason, caused_by=causes
    )
    if new is charta:
        raise ChartaError(
            "the new wording is the same as the present one: nothing to amend", rule=rules.REQUEST
        )
    if note or before_knowledge is not Knowledge.VERIFIED:
        item = new.item(item_id)
        assert item is not None
        count = len(item.revisions) - len(charta.item(item_id).revisions)  # type: ignore[union-attr]
        revisions = list(item.revisions)
        for n in range(len(revisions) - count, len(revisions)):
            revisions[n] = attrs.evolve(revisions[n], note=note, before_knowledge=before_knowledge)
        new = operations._replace(new, item_id, attrs.evolve(item, revisions=tuple(revisions)))
    return new


# -- state -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class State:
    """Where a consultation stands."""

    open: bool
    """Still open: its last day has not passed (or none is given)."""
    comments: int
    answered: int
    changed: int
    """Comments that led to an amendment."""
    decisions: dict[str, int]
    """How many comments have each decision (their last answer's)."""


def state(charta: Charta, today: dt.date | None = None) -> State:
    """The figures of the consultation of ``charta`` on ``today``."""
    cons = charta.consultation or Consultation()
    today = today or dt.date.today()
    end = cons.end
    is_open = end is None or end.latest() >= today
    last: dict[str, Response] = {}
    for r in cons.responses:
        last[r.comment] = r
    cited = charta.changes_by_comment()
    ids = [c.id for c in cons.comments]
    decisions: dict[str, int] = {}
    for i in ids:
        if i in last:
            key = last[i].decision.value
            decisions[key] = decisions.get(key, 0) + 1
    return State(
        open=is_open,
        comments=len(ids),
        answered=sum(1 for i in ids if i in last),
        changed=sum(1 for i in ids if i in cited),
        decisions=decisions,
    )
