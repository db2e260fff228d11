"""What may be published: the public view of a charta.

A consultation record holds personal data: commenters' names and emails.
Every public output (``charta show``, ``charta diff``, the JSON export, the
canonical TOML of a published file, the coming renderers) goes through
:func:`public_view`, which keeps a commenter's name only with their consent,
and never an email.

The names of commenters who did not consent, and every commenter's email,
are also taken out of the texts of the whole charta, where a clerk may have
written them ("Sehr geehrter Herr ...", "auf Anregung von Frau ..."):

- in notes, reasons, comments, responses, the introduction and every other
  free text, each word of such a name is replaced by the pseudonym, also
  inflected ("Quasts"), in another case, with accents written apart
  (``u`` + combining diaeresis) or with invisible characters inside;
- in the principles' own titles and texts only the full name is replaced,
  so that a commenter called "Stadt" does not rewrite the town's charta;
- an email is removed wherever it stands, also before a full stop.

Matching works on words: texts are split once and each word is looked up in
a set, so the cost is linear in the charta, whatever the length of a name.
"""

from __future__ import annotations

import enum
import functools
import re
import types
import unicodedata
import weakref
from collections.abc import Collection, Iterable
from typing import Any, Union, get_args, get_origin
from urllib.parse import unquote_plus

import attrs

from charta import contact
from charta.model import (
    Charta,
    Comment,
    Commenter,
    Consultation,
    MergedAway,
    PartialDate,
    Reference,
    Response,
    data_fields,
)

__all__ = ["NAME_REMOVED", "NameIndex", "mentions", "name_words", "public_view"]

# A word: letters and digits, with combining marks inside ("Mu\u0308ller" is one word).
_WORD = re.compile(r"(?:\w|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")
_EMAIL = re.compile(r"[^\s<>()\[\],;:\"'@]+@[^\s<>()\[\],;:\"'@]+")
_INVISIBLE = re.compile(
    r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    r"\U000e0000-\U000e007f]"
)
_PARTICLES = frozenset(
    [
        "von",
        "vom",
        "van",
        "zu",
        "zum",
        "zur",
        "de",
        "da",
        "del",
        "della",
        "di",
        "du",
        "le",
        "la",
        "der",
        "den",
        "dem",
        "ten",
        "ter",
        "y",
        "e",
        "und",
        "and",
        "bin",
        "ibn",
        "al",
        "el",
        "mc",
        "mac",
    ]
)
"""Parts of names that are words of their own in a text ("von", "de"): never looked for."""
_SUFFIXES = ("s", "es", "n", "ns", "ens")
"""Endings of inflected names: "Quasts Vorschlag", "Müllers", "Kürschnern"."""

EMAIL_REMOVED = "[E-Mail entfernt]"
_URL_EMAIL = re.compile(r"[\w.+'-]+@[\w.-]+\w")
# An address itself, without the quotes, stars or dots around it („a@b.de“, *a@b.de*).
_EMAIL_CORE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def addresses(text: str) -> list[str]:
    """The e-mail addresses in ``text``, case-folded, without what surrounds them."""
    if "@" not in text:
        return []
    return [m.group().strip(".").casefold() for m in _EMAIL_CORE.finditer(text)]


@functools.lru_cache(maxsize=32)
def name_forms_as_written(name: str) -> frozenset[str]:
    """The words of ``name`` as a text writes them when it names the person:
    "Kürschner", "Kuerschner", "KÜRSCHNER" (not particles, numbers or short words).

    Kept for the last few names: one validation looks for the same people's
    names more than once (the personal-data checks, the principles' wording)."""
    out: set[str] = set()
    for word in dict.fromkeys(_name_words(name)):
        if len(word) <= 2 or word.isdigit() or _key(word) in _PARTICLES:
            continue
        nfc = unicodedata.normalize("NFC", word)
        spelled = "".join(_SPELLED_OUT_CASED.get(ch, ch) for ch in nfc)
        out |= {nfc, spelled, nfc.upper(), spelled.upper()}
    return frozenset(out)


# Text fields that are the charta's content: only a full name is replaced there.
# A revision's wordings are former and present texts of a principle: cleaned the same way,
# so that the last revision still ends in the principle's text.
_CONTENT = frozenset(
    {
        ("Item", "title"),
        ("Item", "text"),
        ("Item", "summary"),
        ("Charta", "title"),
        ("Revision", "before"),
        ("Revision", "after"),
        ("MergedAway", "title"),
        ("MergedAway", "text"),
    }
)
# Fields that are codes or addresses, not prose: left as they are.
# ``comment`` and ``caused_by`` refer to ids: _neutral_ids renames those together.
_CODES = frozenset(
    {
        "id",
        "language",
        "edition",
        "country",
        "ags",
        "license",
        "url",
        "urls",
        "pseudonym",
        "comment",
        "caused_by",
        "merged_into",
    }
)


_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


# Letters that carry no separate accent to take off: "Yılmaz" is also written
# "Yilmaz", "Łukasz" "Lukasz", "Ørsted" "Orsted", "Đorđević" "Dordevic".
_PLAIN = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ħ": "h",
        "Ħ": "h",
        "ŀ": "l",
        "Ŀ": "l",
        "ŧ": "t",
        "Ŧ": "t",
        "ƚ": "l",
        "ɨ": "i",
    }
)


@functools.lru_cache(maxsize=1 << 16)
def _key(word: str) -> str:
    """A word (or a text) as compared: no accents or invisible characters, case-folded."""
    plain = _INVISIBLE.sub("", word).translate(_PLAIN)
    return _MARKS.sub("", unicodedata.normalize("NFKD", plain)).casefold()


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)))


NAME_WORDS = 64
"""Words of a name that are looked for one by one in texts (a whole name is
looked for with all its words).  The longest names people bear
have about ten ("Karl-Theodor Maria Nikolaus Johann Jacob Philipp Franz Joseph
Sylvester Freiherr von und zu Guttenberg" has 14; a group's signature that
lists its people, more); a "name" of thousands of
words is a broken export or an attack, and looking for every one of them in
every text made a check quadratic in practice (a 3,000-word name: 21 s)."""


def _name_words(name: str) -> list[str]:
    """The words of a name, at most :data:`NAME_WORDS`: of a longer one its first
    and its last 32 (a surname stands last)."""
    words = _words(name)
    if len(words) <= NAME_WORDS:
        return words
    half = NAME_WORDS // 2
    return [*words[:half], *words[-half:]]


_SPELLED_OUT = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "đ": "dj", "ø": "oe", "æ": "ae"}
_SPELLED_OUT_CASED = {
    **_SPELLED_OUT,
    "Ä": "Ae",
    "Ö": "Oe",
    "Ü": "Ue",
    "Đ": "Dj",
    "Ø": "Oe",
    "Æ": "Ae",
}


@functools.lru_cache(maxsize=1 << 16)
def _spelled_out(word: str) -> str:
    """The umlaut spelling of a word, as compared: ``Kürschner`` -> ``kuerschner``."""
    folded = unicodedata.normalize("NFC", word).casefold()
    return _key("".join(_SPELLED_OUT.get(ch, ch) for ch in folded))


@functools.lru_cache(maxsize=32)
def name_words(name: str) -> frozenset[str]:
    """The words of a name worth looking for in a text, as compared (see :func:`_key`).

    One pass over the name's words, each also in its umlaut spelling ("Kuerschner"
    for Kürschner): linear in the name, however many words it has.  Kept for
    the last few names: one validation looks for a name in the checks, the
    personal-data checks and the public view.
    """
    keys: set[str] = set()
    for word in dict.fromkeys(_name_words(name)):
        keys.add(_key(word))
        keys.add(_spelled_out(word))
    # a number in a "name" ("Max 10") names nobody, and numbers must stay numbers
    return frozenset(k for k in keys if len(k) >= 2 and k not in _PARTICLES and not k.isdigit())


def _matches(word: str, names: Collection[str]) -> str | None:
    """The key in ``names`` that ``word`` is, or is an inflected form of."""
    key = _key(word)
    if key in names:
        return key
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in names:
            return key[: -len(suffix)]
    return None


_KEEP = ""
"""In a NameIndex: a name, or a word of one, of someone who consented: left as written."""
_ARTICLES = frozenset(
    [
        "der",
        "die",
        "das",
        "des",
        "dem",
        "den",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "eines",
        "kein",
        "keine",
        "keinen",
        "keinem",
        "keiner",
        "keines",
        "jeder",
        "jede",
        "jedes",
        "jeden",
        "jedem",
        "dieser",
        "diese",
        "dieses",
        "diesen",
        "diesem",
        "unser",
        "unsere",
        "unseren",
        "unserem",
        "unserer",
    ]
)

NAME_REMOVED = "[Name entfernt]"
"""What stands for a word that belongs to the names of two people: saying whose
it is would attribute one person's words to another."""

# Capitalised short words of German sentences: no two-letter word of a name is
# taken for a name where it stands alone and is one of these.
_SHORT_WORDS = frozenset(
    "ab am an da du er es ja je ob so um wo zu im in ei oh na nu".split()  # noqa: SIM905
)


def _variants(word: str) -> set[str]:
    """A name's word as compared: without accents (Yılmaz: yilmaz, Müller: muller)
    and spelled out (Müller: mueller, Strauß: strauss)."""
    return {_key(word), _spelled_out(word)}


class NameIndex:
    """The names of the people to hide, found as people write them.

    Built once for all people; a text is then read word by word, in one pass:

    - whole names first ("Anna-Lena Meyer", "Yilmaz Ayse" in any order of
      case and accents), replaced by that person's pseudonym;
    - then single words of a name, where a text writes them as a name
      (capitalised: "Klein", not "ein kleines Budget"; "Quasts" too);
      a word of two letters ("Li Na") only where it is no German word;
    - a word that belongs to the names of two people ("Anna" of "Anna Wald"
      and "Anna-Lena Meyer") becomes :data:`NAME_REMOVED`, never one
      person's pseudonym.
    """

    def __init__(self, people: Iterable[tuple[str, str]], kept: Iterable[str] = ()) -> None:
        """``people``: (name, pseudonym) of everyone whose name is hidden; ``kept``: the
        names that may stand (their people consented): a word they share with a hidden
        name is no one's, and their whole names are left as written."""
        self.full: dict[tuple[str, ...], str] = {}
        self.words: dict[str, str] = {}
        for name, pseudonym in [*people, *((name, _KEEP) for name in kept)]:
            words = [w for w in _words(name) if not w.isdigit()]
            if not words:
                continue
            if len(words) > 1:  # one word is matched as a word: capitalised, as a name
                for forms in _spellings([_variants(w) for w in words]):
                    self._put(self.full, forms, pseudonym)
            for w in words:
                if _key(w) in _PARTICLES or len(w) < 2:
                    continue
                for v in _variants(w):
                    self._put(self.words, v, pseudonym)
        sizes: dict[str, set[int]] = {}
        for full in self.full:
            sizes.setdefault(full[0], set()).add(len(full))
        self.sizes = {first: sorted(n, reverse=True) for first, n in sizes.items()}
        self._memo: dict[str, str | None] = {}

    @staticmethod
    def _put(table: dict[Any, str], key: Any, pseudonym: str) -> None:
        found = table.get(key)
        table[key] = pseudonym if found in (None, pseudonym) else NAME_REMOVED
        if found == pseudonym == _KEEP:
            table[key] = _KEEP

    def __bool__(self) -> bool:
        return any(v != _KEEP for v in self.words.values())

    def _word(self, word: str) -> str | None:
        # A text repeats its words: each distinct one is looked up once.
        if word in self._memo:
            return self._memo[word]
        found = self._memo[word] = self._look_up(word)
        return found

    def _look_up(self, word: str) -> str | None:
        short = len(word) == 2 and word.casefold() in _SHORT_WORDS
        if not word[:1].isupper() or short:
            return None
        key = _key(word)
        for end in ("", *_SUFFIXES):
            stem = key[: len(key) - len(end)] if end else key
            if (not end or key.endswith(end)) and stem in self.words:
                return self.words[stem]
        spelled = _spelled_out(word)
        return self.words.get(spelled)

    def clean(self, text: str) -> str:
        """``text`` with every hidden name, whole or in part, replaced."""
        if not self.words or not text:
            return text
        text = _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text
        found = list(_WORD.finditer(text))
        keys = [_key(m.group()) for m in found]
        out, last, i, used = [], 0, 0, set()
        while i < len(found):
            shown: str | None = None
            size = 1
            for n in self.sizes.get(keys[i], ()):
                if n <= len(found) - i and tuple(keys[i : i + n]) in self.full:
                    shown, size = self.full[tuple(keys[i : i + n])], n
                    break
            # "der Wald", "des Kochs": after an article a name's word is a noun
            if shown is None and not (i and keys[i - 1] in _ARTICLES):
                shown = self._word(found[i].group())
            if shown == _KEEP:
                shown = None  # a name that may stand, as written
            if shown is not None:
                out += [text[last : found[i].start()], shown]
                last = found[i + size - 1].end()
                used.add(shown)
            i += size
        cleaned = "".join(out) + text[last:]
        for pseudonym in used:  # "Wiebke Quast" written apart: one pseudonym for one person
            twice = re.escape(pseudonym)
            cleaned = re.sub(rf"{twice}(?:[\s,]+{twice})+", pseudonym, cleaned)
        return cleaned


def _spellings(variants: list[set[str]]) -> list[tuple[str, ...]]:
    """Every whole name a list of words' variants spells (a few: two variants a word)."""
    out: list[tuple[str, ...]] = [()]
    for forms in variants[:8]:  # a "name" of hundreds of words is matched by its words
        out = [(*prefix, f) for prefix in out for f in sorted(forms)]
    return out if len(variants) <= 8 else []


def hidden_names(people: Iterable[Any], texts: Iterable[str], *, exact: bool = False) -> str:
    """The pseudonym of the first person whom one of ``texts`` names without their
    consent (a word of the name, in any spelling), or whose address it gives
    (addresses are never published, consent or not); ``""`` for none.

    ``exact``: a word of a name counts only capitalised as in the name, for the
    wording of principles, where "neu" is a word and "Neu" may be a name.
    ``people`` are :class:`charta.personal.Person` records.
    """
    return NameFinder(people, exact=exact)(texts)


class NameFinder:
    """:func:`hidden_names` with its index built once, for many texts."""

    def __init__(self, people: Iterable[Any], *, exact: bool = False) -> None:
        self.exact = exact
        self.words: dict[str, str] = {}
        self.written: dict[str, str] = {}
        self.emails: dict[str, str] = {}
        for p in people:
            if p.email:
                self.emails.setdefault(p.email.strip().casefold(), p.pseudonym)
            if p.consent_to_publish:
                continue
            for w in name_words(p.name):
                self.words.setdefault(w, p.pseudonym)
            for w in name_forms_as_written(p.name):
                self.written.setdefault(w, p.pseudonym)

    def __call__(self, texts: Iterable[str]) -> str:
        for text in texts:
            for address in addresses(text):
                who = self.emails.get(address)
                if who:
                    return who
            for word in _words(text):
                if self.exact:
                    for end in ("", "s", "n", "ns"):
                        stem = word[: len(word) - len(end)]
                        if word.endswith(end) and stem in self.written:
                            return self.written[stem]
                    continue
                key = _matches(word, self.words)
                if key is not None:
                    return self.words[key]
        return ""


def mentions(text: str, name: str) -> bool:
    """Whether ``text`` contains a word of ``name`` as a whole word ("Max", not "Maximal")."""
    words = name_words(name)
    if not words:
        return False
    # Every form of the name's words in one set, each distinct word of the
    # text compared once: a long text that repeats words costs its distinct words.
    forms = {w + end for w in words for end in ("", *_SUFFIXES)}
    return any(_key(w) in forms for w in dict.fromkeys(_words(text)))


class _Cleaner:
    """Replaces hidden names and all emails in texts; built once per charta."""

    def __init__(self, cons: Consultation) -> None:
        self.words: dict[str, str] = {}  # a key of a hidden name's word -> the pseudonym
        self.names: dict[tuple[str, ...], str] = {}  # a hidden name's words -> the pseudonym
        self.emails: set[str] = set()
        for comment in cons.comments:
            person = comment.commenter
            if person.email.strip():
                self.emails.add(person.email.strip().casefold())
            if person.name.strip() and not person.consent_to_publish:
                # with the umlaut spellings: "Kürschner" is also written "Kuerschner"
                for word in name_words(person.name):
                    # a word two people's names share names neither of them
                    NameIndex._put(self.words, word, person.pseudonym)
                full = tuple(_key(w) for w in _words(person.name))
                if full:
                    self.names.setdefault(full, person.pseudonym)
        # The lengths of the names each first word begins, longest first: at a
        # word of a text only those are tried, not every length up to the longest.
        sizes: dict[str, set[int]] = {}
        for full in self.names:
            sizes.setdefault(full[0], set()).add(len(full))
        self.sizes = {first: sorted(n, reverse=True) for first, n in sizes.items()}
        # Every form a hidden name's word takes ("quast", "quasts"): one set, so
        # that a text is checked with one C-speed set operation.
        self.forms = frozenset(w + end for w in self.words for end in ("", *_SUFFIXES))

    @property
    def idle(self) -> bool:
        return not (self.words or self.names or self.emails)

    def emails_out(self, text: str) -> str:
        if not self.emails or "@" not in text:
            return text

        def replace(m: re.Match[str]) -> str:
            found = m.group()
            address = found.rstrip(".,;:!?)")
            if _key(address) in self.emails or address.casefold() in self.emails:
                return EMAIL_REMOVED + found[len(address) :]
            # quotes or stars around it: „a@b.de“, *a@b.de*, «a@b.de»…
            return _EMAIL_CORE.sub(
                lambda c: (
                    EMAIL_REMOVED if c.group().strip(".").casefold() in self.emails else c.group()
                ),
                found,
            )

        return _EMAIL.sub(replace, text)

    def _may_hold_a_name(self, text: str) -> bool:
        """Whether any word of ``text`` is a hidden name's word: one set look-up a word,
        so that the cost does not grow with the number of commenters."""
        return not self.forms.isdisjoint(_WORD.findall(_key(text)))

    def url(self, url: str) -> str:
        """``url``, or ``""`` when it carries a hidden email or name (``?kontakt=a@b.de``).

        An address with personal data in it cannot be mended by cutting out a
        part; it is left out.
        """
        if self.idle:
            return url
        decoded = unquote_plus(url)
        if self.emails and "@" in decoded:
            for m in _URL_EMAIL.finditer(decoded):
                if m.group().casefold() in self.emails:
                    return ""
        if self.words and self._may_hold_a_name(re.sub(r"[/?&=#+._~-]", " ", decoded)):
            return ""
        return url

    def prose(self, text: str) -> str:
        """Every word of a hidden name replaced (notes, reasons, comments).

        Words are compared normalised (see :func:`_key`), but the text keeps its
        own typography: only invisible characters, which could hide a name from
        the comparison, are taken out.
        """
        text = self.emails_out(text)
        if not self.words or not self._may_hold_a_name(text):
            return text
        used: set[str] = set()

        def word(m: re.Match[str]) -> str:
            written = m.group()
            shown = self._word(written)
            if shown is not written:  # a pseudonym (m.group() is a new string each call)
                used.add(shown)
            return shown

        out = _WORD.sub(word, _INVISIBLE.sub("", text))
        # "Wiebke Quast" gives "Person 1 Person 1": one pseudonym for one person
        for pseudonym in used:
            twice = re.escape(pseudonym)
            out = re.sub(rf"{twice}(?:\s+{twice})+", pseudonym, out)
        return out

    def _word(self, word: str) -> str:
        key = _matches(word, self.words)
        return self.words[key] if key is not None else word

    def content(self, text: str) -> str:
        """Only a hidden name written in full replaced (the principles' own texts)."""
        text = self.emails_out(text)
        if not self.names or not self._may_hold_a_name(text):
            return text
        text = _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text
        found = list(_WORD.finditer(text))
        keys = [_key(m.group()) for m in found]
        out, last, i = [], 0, 0
        while i < len(found):
            for size in self.sizes.get(keys[i], ()):
                if size > len(found) - i:
                    continue
                pseudonym = self.names.get(tuple(keys[i : i + size]))
                if pseudonym is not None:
                    out += [text[last : found[i].start()], pseudonym]
                    last, i = found[i + size - 1].end(), i + size
                    break
            else:
                i += 1
        return "".join(out) + text[last:]


_URLS = frozenset({"url", "urls"})

_Plan = tuple[list[tuple[str, str]], list[str]]
_PLANS: dict[type, _Plan] = {}


def _plan(cl: type) -> _Plan:
    """For a model class: its text fields with how each is cleaned, and its nested ones.

    How: ``content`` (only full names), ``prose`` (every word of a name) or
    ``url`` (left out when it carries personal data); for a text and for a
    tuple of texts alike.
    """
    found = _PLANS.get(cl)
    if found is None:
        texts, nested = [], []
        for a in data_fields(cl):
            if a.type in (str, tuple[str, ...]):
                if a.name in _URLS:
                    texts.append((a.name, "url"))
                elif a.name not in _CODES:
                    content = (cl.__name__, a.name) in _CONTENT
                    texts.append((a.name, "content" if content else "prose"))
            elif not _is_plain(a.type):
                nested.append(a.name)  # tuples and tables, optional or not
        found = _PLANS[cl] = (texts, nested)
    return found


def _is_plain(t: Any) -> bool:
    """Numbers, flags, vocabularies, dates and references: nothing a name can hide in."""

    if get_origin(t) in (Union, types.UnionType):
        return all(_is_plain(x) for x in get_args(t) if x is not type(None))
    if t in (int, bool, PartialDate, Reference):
        return True
    return isinstance(t, type) and issubclass(t, enum.Enum)


def public_view(charta: Charta) -> Charta:
    """``charta`` reduced to what may be published.

    Commenters who did not consent appear only by pseudonym; emails never
    appear.  The result is a new charta; the input is not changed.
    """
    cons = charta.consultation
    if cons is None or _already_public(charta):
        return charta
    cleaner = _Cleaner(cons)

    def scrub(obj: Any) -> Any:
        # Objects with nothing to clean are returned as they are: no copies.
        if isinstance(obj, tuple):
            cleaned = tuple(scrub(v) for v in obj)
            return obj if all(x is y for x, y in zip(cleaned, obj, strict=True)) else cleaned
        if not attrs.has(type(obj)):
            return obj
        if isinstance(obj, Commenter):
            shown = obj.name if obj.consent_to_publish else ""
            if (obj.name, obj.email) == (shown, ""):
                return obj
            return attrs.evolve(obj, name=shown, email="")
        changes: dict[str, Any] = {}
        texts, nested = _plan(type(obj))
        if not cleaner.idle:
            for name, how in texts:
                value = getattr(obj, name)
                if value:
                    clean = getattr(cleaner, how)
                    if isinstance(value, tuple):
                        cleaned_texts = tuple(x for x in map(clean, value) if x)
                        if cleaned_texts != value:
                            changes[name] = cleaned_texts
                    else:
                        cleaned_text = clean(value)
                        if cleaned_text != value:
                            changes[name] = cleaned_text
        for name in nested:
            value = getattr(obj, name)
            if value is not None:
                cleaned_value = scrub(value)
                if cleaned_value is not value:
                    changes[name] = cleaned_value
        if isinstance(obj, Comment | Response):
            # Contact data typed into a comment or an answer, whoever consented to what.
            for name in ("text", "note"):
                value = changes.get(name, getattr(obj, name))
                masked = contact.mask(value)
                if masked != value:
                    changes[name] = masked
        return attrs.evolve(obj, **changes) if changes else obj

    public: Charta = scrub(charta)
    public = _neutral_ids(public, cleaner)
    key = id(public)
    _PUBLIC[key] = weakref.ref(public, lambda _: _PUBLIC.pop(key, None))
    return public


# Public views made in this process, by identity: a public view of a public
# view is itself (a render makes one and passes it on to the diff's coverage).
_PUBLIC: dict[int, weakref.ref[Charta]] = {}


def _already_public(charta: Charta) -> bool:
    ref = _PUBLIC.get(id(charta))
    return ref is not None and ref() is charta


def _neutral_ids(charta: Charta, cleaner: _Cleaner) -> Charta:
    """Comment and response ids that hold a hidden name's word, renamed.

    ``kommentar-wiebke-quast`` becomes ``comment-3`` (its place in the list),
    and every reference to it (a response's ``comment``, a revision's
    ``caused-by``) follows.  Other ids stay: they are the charta's own.
    """
    cons = charta.consultation
    if cons is None or not cleaner.words:
        return charta
    taken = {c.id for c in cons.comments} | {r.id for r in cons.responses}
    renamed: dict[str, str] = {}

    # Only stretches as long as some form can match: a long id costs its length
    # times the number of distinct lengths, not its length squared.
    lengths = sorted({len(f) for f in cleaner.forms if len(f) >= 3})

    def holds_a_name(id_: str) -> bool:
        # Every stretch of 3 or more letters of each part: "wiebkequast", "quast2".
        for part in re.split(r"[-0-9]+", id_):
            for start in range(len(part)):
                for size in lengths:
                    if start + size > len(part):
                        break
                    if part[start : start + size] in cleaner.forms:
                        return True
        return False

    def rename(old: str, kind: str, n: int) -> str:
        if not holds_a_name(old):
            return old
        new, k = f"{kind}-{n}", n
        while new in taken:
            k += 1
            new = f"{kind}-{k}"
        taken.add(new)
        renamed[old] = new
        return new

    comments = tuple(
        attrs.evolve(c, id=rename(c.id, "comment", n)) for n, c in enumerate(cons.comments, 1)
    )
    responses = tuple(
        attrs.evolve(r, id=rename(r.id, "response", n)) for n, r in enumerate(cons.responses, 1)
    )
    if not renamed:
        return charta
    responses = tuple(attrs.evolve(r, comment=renamed.get(r.comment, r.comment)) for r in responses)
    comments = tuple(
        attrs.evolve(c, in_reply_to=renamed.get(c.in_reply_to, c.in_reply_to))
        if c.in_reply_to
        else c
        for c in comments
    )

    def follow(item: Any) -> Any:
        revisions = tuple(
            attrs.evolve(rev, caused_by=tuple(renamed.get(c, c) for c in rev.caused_by))
            for rev in item.revisions
        )
        return attrs.evolve(
            item, revisions=revisions, children=tuple(follow(c) for c in item.children)
        )

    def follow_merged(m: MergedAway) -> MergedAway:
        return attrs.evolve(
            m,
            caused_by=tuple(renamed.get(c, c) for c in m.caused_by),
            revisions=tuple(
                attrs.evolve(rev, caused_by=tuple(renamed.get(c, c) for c in rev.caused_by))
                for rev in m.revisions
            ),
        )

    return attrs.evolve(
        charta,
        items=tuple(follow(i) for i in charta.items),
        merged_away=tuple(follow_merged(m) for m in charta.merged_away),
        consultation=attrs.evolve(cons, comments=comments, responses=responses),
    )
