"""Suggesting where a principle comes from: ``charta suggest``.

Many towns have principles with no recorded provenance.  For each principle
without links, this ranks the items of the given sources by how much German
vocabulary they share, offline and with no model:

- words are lower-cased, stop words dropped, and reduced to their stem with
  the Snowball stemmer for German (``Bürgerinnen`` and ``Bürger`` meet);
- long compounds are split against the vocabulary of the sources, so that
  ``Verwaltungsdaten`` meets ``Daten`` and ``Verwaltung`` (a linking ``s``
  is dropped);
- source items are ranked with BM25, the item's title counting twice;
- each suggestion carries its score and the shared words that justify it.

Only a person can tell whether a suggestion is right: written into a file
(``--write``), a suggestion is a link "inspired-by", asserted by the
record-keeper, with a low or medium confidence and a note that says it was
suggested, for a person to confirm, change or delete.

The cost is linear in the size of the texts: every word is looked up in
dictionaries built once.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import attrs

from charta.model import Charta, Confidence, Item, Reference

__all__ = ["Suggestion", "confidence_of", "suggest"]

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Function words and the words every charta uses: they say nothing about a match.
_STOP = frozenset(
    """
    aber alle allen aller alles als also am an auch auf aus bei beim bis das dass dem den
    der des die dies diese diesem diesen dieser dieses durch ein eine einem einen einer eines
    für gegen hat haben hier ihr ihre ihrem ihren ihrer im in ist je jede jeder jedes kann
    können mit nach nicht noch nur ob oder ohne sein sich sie sind so sowie über um und uns
    unter vom von vor was weil welche wenn werden wie wir wird zu zum zur zwischen damit dabei
    daher dazu somit sollen soll will wollen neue neuen neuer stadt städte kommune kommunen
    kommunale kommunalen gemeinde digital digitale digitalen digitaler digitalisierung
    sindelfingen the and of to in for a is be
    """.split()  # noqa: SIM905 - a list of words reads better as words
)
_K1, _B = 1.5, 0.75
_TITLE_WEIGHT = 2


@attrs.frozen
class Suggestion:
    """A source item that may be where a principle comes from."""

    item_id: str
    """The principle."""
    source: str
    """The source item, as a reference: ``smart-city-charta#leitbild-5``."""
    title: str
    score: float
    shared: tuple[str, ...]
    """The words both share (as written in the principle)."""


class _Analyser:
    """Words to terms: stems, and the parts of compounds found in the vocabulary."""

    def __init__(self) -> None:
        # lazy: the stemmer loads only when a text is analysed (no type information)
        import snowballstemmer  # type: ignore[import-untyped]

        self._stem = snowballstemmer.stemmer("german").stemWord
        self._cache: dict[str, str] = {}
        self.vocabulary: set[str] = set()

    def stem(self, word: str) -> str:
        found = self._cache.get(word)
        if found is None:
            found = self._cache[word] = self._stem(word)
        return found

    def words(self, text: str) -> list[str]:
        return [w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in _STOP]

    def terms(self, text: str, *, split: bool) -> list[tuple[str, str]]:
        """(term, word) pairs; with ``split``, compounds also give their known parts."""
        out = []
        for word in self.words(text):
            for part in word.split("-"):
                if len(part) <= 2 or part in _STOP:
                    continue
                stem = self.stem(part)
                out.append((stem, word))
                if split and len(part) >= 8:
                    out += [(p, word) for p in sorted(set(self._parts(part))) if p != stem]
        return out

    def _parts(self, word: str) -> list[str]:
        """Known stems at the start or the end of a compound: "verwaltungsdaten" -> daten,
        verwaltung.  Linear in the word's length: one set look-up a cut."""
        found = []
        for cut in range(4, len(word) - 3):
            head, tail = word[:cut], word[cut:]
            tail_stem = self.stem(tail)
            if len(tail) >= 4 and tail not in _STOP and tail_stem in self.vocabulary:
                found.append(tail_stem)
            for h in (head, head[:-1] if head.endswith("s") else ""):
                if len(h) >= 4 and h not in _STOP and self.stem(h) in self.vocabulary:
                    found.append(self.stem(h))
        return found


def _document(item: Item) -> str:
    body = item.text or item.summary
    return " ".join([item.title] * _TITLE_WEIGHT + [body])


def suggest(
    charta: Charta,
    sources: Sequence[Charta],
    *,
    top: int = 3,
    only_unlinked: bool = True,
) -> dict[str, list[Suggestion]]:
    """For each principle (without links, by default), the ``top`` most likely source items."""
    analyser = _Analyser()
    docs: list[tuple[str, str, Counter[str]]] = []
    items: list[Item] = []
    for source in sources:
        for item in source.walk():
            items.append(item)
            terms = Counter(t for t, _ in analyser.terms(_document(item), split=False))
            docs.append((f"{source.id}#{item.id}", item.title, terms))
            analyser.vocabulary.update(terms)
    # Compound parts of the sources' own words count too, once the vocabulary is known.
    for n, item in enumerate(items):
        ref, title, _ = docs[n]
        docs[n] = (ref, title, Counter(t for t, _ in analyser.terms(_document(item), split=True)))
    frequency: Counter[str] = Counter()
    for _, _, terms in docs:
        frequency.update(set(terms))
    total = len(docs)
    average = sum(sum(t.values()) for _, _, t in docs) / total if total else 0.0
    postings: dict[str, list[int]] = {}
    for n, (_, _, terms) in enumerate(docs):
        for term in terms:
            postings.setdefault(term, []).append(n)
    # Source items the charta already leaves out or covers elsewhere are not suggested.
    settled = {_key(o.ref, sources) for o in charta.omissions}
    settled |= {_key(c.ref, sources) for c in charta.covered_elsewhere}
    out: dict[str, list[Suggestion]] = {}
    for item in _principles(charta, only_unlinked):
        query = analyser.terms(_document(item), split=True)
        words: dict[str, set[str]] = {}
        for term, word in query:
            words.setdefault(term, set()).add(word)
        scores: dict[int, float] = {}
        for term in words:
            df = frequency.get(term, 0)
            if not df:
                continue
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            for n in postings[term]:
                tf = docs[n][2][term]
                length = sum(docs[n][2].values())
                gain = idf * tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * length / average))
                scores[n] = scores.get(n, 0.0) + gain
        ranked = sorted(
            ((n, v) for n, v in scores.items() if docs[n][0] not in settled),
            key=lambda kv: (-kv[1], kv[0]),
        )[:top]
        out[item.id] = [
            Suggestion(
                item_id=item.id,
                source=docs[n][0],
                title=docs[n][1],
                score=round(score, 2),
                shared=tuple(sorted({w for t, ws in words.items() if t in docs[n][2] for w in ws})),
            )
            for n, score in ranked
        ]
    return out


def _principles(charta: Charta, only_unlinked: bool) -> Iterable[Item]:
    for item in charta.walk():
        if not only_unlinked or not any(not d.ref.is_local for d in item.derived_from):
            yield item


def _key(ref: Reference, sources: Sequence[Charta]) -> str:
    """``source-id#item-id`` for a reference to one of ``sources`` (by id or file name)."""
    name = ref.charta or ""
    for source in sources:
        if name == source.id or name.endswith((f"/{source.id}.toml",)):
            return f"{source.id}#{ref.item}"
    return f"{name}#{ref.item}"


def confidence_of(score: float) -> Confidence:
    """How sure a suggestion is, from its score: never high (a person has not looked)."""
    return Confidence.MEDIUM if score >= 6 else Confidence.LOW
