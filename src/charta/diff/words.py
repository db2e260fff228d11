"""A word-level difference of two German (or English) texts.

Built for the texts of chartas: what a person would call a word stays one
token, so that a change reads as words inserted or deleted, not letters.

- Words are runs of letters and digits, umlauts and ß included; a hyphen
  between letters joins a compound ("Digitalisierungs-Projekte", "E-Mail")
  and a hyphen that leaves a word open joins too ("-Pläne", "(be-)greifbar"
  keeps "(", "be-", ")" and "greifbar").
- Punctuation and quotes („…“, “…”, »…«) are tokens of their own, so a quote
  mark never glues to the word it encloses.
- White space is not a token: re-wrapped lines and changed spacing are no
  change.  Soft hyphens (U+00AD) are dropped before comparing: they only say
  where a word may be broken.

The result is a tuple of :class:`Piece` (``equal``, ``insert``, ``delete``);
renderers show it as ``[-alt-]{+neu+}`` (text), Markdown or ``<del>/<ins>``.
Pure: no I/O, and linear enough for principle-sized texts (difflib's
SequenceMatcher over words, autojunk off).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable

import attrs

from charta.model import Value

__all__ = ["Op", "Piece", "changed", "deleted", "diff_words", "glue", "inserted", "tokens"]

_TOKEN = re.compile(
    r"[^\W_](?:[^\W_]|[-‐‑](?=[^\W_]))*[-‐‑]?"  # a word, a compound, or an open prefix "be-"
    r"|[-‐‑][^\W_]+(?:[-‐‑][^\W_]+)*"  # an open suffix: "-Pläne"
    r"|\S",  # any other visible character on its own: punctuation, quotes, brackets
)
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_BROKEN_COMPOUND = re.compile(r"(?<=[^\W_])-[ \t]*\n\s*(?=[^\W_])")


class Op(enum.Enum):
    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


@attrs.frozen(repr=False)
class Piece(Value):
    """A run of tokens that is the same in both texts, or only in one of them."""

    op: Op
    text: str
    """The tokens, joined as they stood in their text (spacing normalised to one space)."""


def tokens(text: str) -> list[str]:
    """The words and marks of ``text``, white space and soft hyphens left out."""
    return _Tokens(text).words


class _Tokens:
    """The tokens of a text with where each stands, to give back runs as written."""

    def __init__(self, text: str) -> None:
        # Composed forms (NFC) and no invisible characters: "Bu\u0308rger" and a
        # zero-width space are no change.
        text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
        # A compound broken across lines at its hyphen is still one word.
        self.text = _BROKEN_COMPOUND.sub("-", text)
        found = list(_TOKEN.finditer(self.text))
        self.words = [m.group() for m in found]
        self.spans = [m.span() for m in found]

    def run(self, start: int, end: int) -> str:
        """Tokens ``start`` to ``end`` as written, each run of white space as one space."""
        if start >= end:
            return ""
        return _SPACE.sub(" ", self.text[self.spans[start][0] : self.spans[end - 1][1]])


_SPACE = re.compile(r"\s+")


def diff_words(old: str, new: str) -> tuple[Piece, ...]:
    """The word-level difference from ``old`` to ``new``."""
    from difflib import SequenceMatcher  # lazy: the page renderers import this module at start

    a, b = _Tokens(old), _Tokens(new)
    matcher = SequenceMatcher(None, a.words, b.words, autojunk=False)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece(Op.EQUAL, b.run(j1, j2)))
            continue
        if tag in ("delete", "replace"):
            pieces.append(Piece(Op.DELETE, a.run(i1, i2)))
        if tag in ("insert", "replace"):
            pieces.append(Piece(Op.INSERT, b.run(j1, j2)))
    return tuple(pieces)


def changed(pieces: Iterable[Piece]) -> bool:
    """Whether any piece is an insertion or a deletion."""
    return any(p.op is not Op.EQUAL for p in pieces)


def inserted(pieces: Iterable[Piece]) -> list[str]:
    return [p.text for p in pieces if p.op is Op.INSERT]


def deleted(pieces: Iterable[Piece]) -> list[str]:
    return [p.text for p in pieces if p.op is Op.DELETE]


_NO_SPACE_BEFORE = frozenset(".,;:!?)]}“”»%")
_NO_SPACE_AFTER = frozenset("([{„»")


def glue(pieces: Iterable[Piece], shown: Iterable[str]) -> str:
    """The pieces as shown by a renderer (``shown``, one per piece), joined by spaces as
    text is written: none before a full stop or after an opening „."""
    out, out_last = "", ""
    for piece, text in zip(pieces, shown, strict=True):
        if out and piece.text[:1] not in _NO_SPACE_BEFORE and out_last not in _NO_SPACE_AFTER:
            out += " "
        out += text
        out_last = piece.text[-1:]
    return out
