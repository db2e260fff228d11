"""The words of rendered pages: German for a German charta, English otherwise.

Every interface text a renderer writes (headings, the words for relations,
decisions and how sure a fact is) comes from here, so that a page in German
says "übernommen" and "Gestrichen:" throughout and a page in English says
"adopted" and "Deleted:".  A charta in another language gets the English
labels, marked with ``lang="en"`` in HTML.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from charta.model import PartialDate

__all__ = ["LANGUAGES", "Labels", "format_date", "labels_for"]

_DE: Final = {
    "skip": "Zum Inhalt springen",
    "contents": "Inhalt",
    "introduction": "Einleitung",
    "principles": "Die Grundsätze",
    "principle_word": "Grundsatz",
    "origin": "Herkunft",
    "no_origin": "Eigener Grundsatz: keine Quelle genannt oder erschlossen.",
    "history": "Änderungen",
    "comments": "Kommentare aus der Beteiligung",
    "coverage": "Welche Quellen aufgegriffen werden",
    "coverage_intro": (
        "Die Tabellen zeigen für jeden Punkt der Quellen, welcher Grundsatz ihn aufgreift "
        "und wie. Ein Strich heißt: kein Grundsatz greift ihn auf."
    ),
    "coverage_caption": "Punkte von „{title}“ und die Grundsätze, die sie aufgreifen",
    "coverage_figure": "Überblick als Bild",
    "coverage_svg_title": "Abdeckung der Quellen",
    "coverage_svg_desc": (
        "Ein Raster: eine Zeile je Punkt der Quellen, eine Spalte je Grundsatz; ein gefülltes "
        "Feld heißt, der Grundsatz greift den Punkt auf. {taken} von {rows} Punkten werden "
        "aufgegriffen. Die Tabellen oben enthalten dieselben Angaben als Text."
    ),
    "coverage_figures": (
        "{derived} von {known} erfassten Punkten aufgegriffen, {elsewhere} anderswo "
        "behandelt, {omitted} bewusst ausgelassen, {none} nicht aufgegriffen."
    ),
    "coverage_declared": "Die Quelle nennt selbst {declared} Punkte; nicht alle sind hier erfasst.",
    "source_item": "Punkt der Quelle",
    "status": "Status",
    "legend": "Zeichenerklärung",
    "whole_charta": "die ganze Charta",
    "derived_status": "aufgegriffen",
    "covered_elsewhere": "anderswo behandelt",
    "omitted": "bewusst ausgelassen",
    "not_addressed": "nicht aufgegriffen",
    "consultation": "Beteiligung",
    "consultation_period": "Zeitraum",
    "consultation_page": "Seite der Beteiligung",
    "comment_on": "zu",
    "comment_whole": "zur ganzen Charta",
    "comment_by": "Kommentar von",
    "response_by": "Antwort von",
    "decision": "Entscheidung",
    "caused": "Geänderter Grundsatz",
    "no_comments": "Keine Kommentare erfasst.",
    "about": "Über dieses Dokument",
    "issuer": "Herausgeber",
    "office": "Zuständig",
    "edition": "Fassung",
    "date": "Datum",
    "adoption": "Beschluss",
    "part_of": "Teil von",
    "based_on": "Beruht auf",
    "cited_as": "zitiert als",
    "omissions": "Bewusst nicht übernommen",
    "covered_elsewhere_head": "Anderswo in der Strategie behandelt",
    "record": "Herkunft dieser Seite",
    "obtained": "Gewonnen",
    "retrieved": "Abgerufen",
    "rights": "Rechte",
    "license": "Lizenz dieser Daten",
    "attribution": "Namensnennung",
    "original": "Original",
    "note": "Anmerkung",
    "notes_by_record_keeper": "Anmerkung der Datenpflege",
    "inserted": "Eingefügt:",
    "deleted": "Gestrichen:",
    "changed_on": "geändert am",
    "changed_in": "geändert im",
    "changed_year": "geändert",
    "result": "Ergebnis",
    "see_reason": "Begründung",
    "see_where": "wo",
    "record_note": "Anmerkung zur Herkunft dieser Seite",
    "changed_undated": "Datum der Änderung nicht bekannt",
    "reason": "Grund",
    "caused_by": "Ausgelöst durch",
    "merged_head": "Hierin aufgegangen",
    "report_title": "Abwägungstabelle",
    "report_state": "Stand der Beteiligung",
    "state_open": "Die Beteiligung ist offen.",
    "state_closed": "Die Beteiligung ist abgeschlossen.",
    "report_figures": "Stellungnahmen: {comments}; beantwortet: {answered}; "
    "mit einer Änderung als Folge: {changed}.",
    "report_decisions": "Beschlüsse",
    "report_caption": "Stellungnahmen, Erwiderungen, Beschlüsse und Änderungen",
    "col_number": "Nr.",
    "col_reference": "Bezug",
    "col_statement": "Stellungnahme",
    "col_response": "Erwiderung",
    "col_decision": "Beschluss",
    "col_change": "Änderung",
    "col_date": "Eingang",
    "col_by": "Von",
    "col_id": "Kennung",
    "no_response": "noch nicht beantwortet",
    "no_change": "keine Änderung",
    "whole_document": "ganzes Dokument",
    "internal_notice": "Interne Fassung: enthält personenbezogene Daten der Einwendenden. "
    "Nicht veröffentlichen.",
    "merged_into_word": "aufgegangen in",
    "merged_on": "zusammengeführt am",
    "merged_in": "zusammengeführt im",
    "merged_year": "zusammengeführt",
    "merged_undated": "Datum der Zusammenführung nicht bekannt",
    "last_wording": "Letzter Wortlaut",
    "before_inferred": "Die frühere Fassung ist erschlossen, nicht im Original gesehen.",
    "uncertain": "Unsicher",
    "confidence": "Sicherheit der Zuordnung",
    "stated_by_issuer": "Diese Verbindung nennt der Herausgeber selbst",
    "record_keeper": "Diese Verbindung ist erschlossen: eine Lesart der Datenpflege, "
    "keine Angabe des Herausgebers",
    "not_asserted": "Wer diese Verbindung angibt, ist nicht erfasst",
    "page": "Seite/Stelle",
    "publisher": "Herausgegeben von",
    "links": "Weitere Angaben",
    "summary_own_words": "Zusammenfassung in eigenen Worten",
    "made_with": "Erstellt mit charta",
    "unresolved": "nicht aufgelöst",
    "principle_count": "{count} Grundsätze",
    "no_principles": "Keine Grundsätze erfasst.",
    "sub_items": "Unterpunkte",
    "addressee": "Richtet sich an",
    "open_link": "Original öffnen",
    "in_words_title": "Titel",
    "in_words_text": "Text",
    "in_words_summary": "Zusammenfassung",
}

_EN: Final = {
    "skip": "Skip to content",
    "contents": "Contents",
    "introduction": "Introduction",
    "principles": "The principles",
    "principle_word": "Principle",
    "origin": "Origin",
    "no_origin": "A local principle: no source named or inferred.",
    "history": "Changes",
    "comments": "Comments from the consultation",
    "coverage": "Which sources are taken up",
    "coverage_intro": (
        "For each item of the sources, the tables show which principle takes it up and how. "
        "A dash means: no principle takes it up."
    ),
    "coverage_caption": "Items of “{title}” and the principles that take them up",
    "coverage_figure": "Overview as a picture",
    "coverage_svg_title": "Coverage of the sources",
    "coverage_svg_desc": (
        "A grid: one row per source item, one column per principle; a filled square means the "
        "principle takes the item up. {taken} of {rows} items are taken up. The tables above "
        "hold the same facts as text."
    ),
    "coverage_figures": "{derived} of {known} recorded items taken up, {elsewhere} covered "
    "elsewhere, {omitted} left out on purpose, {none} not taken up.",
    "coverage_declared": "The source itself names {declared} items; not all are recorded here.",
    "source_item": "Source item",
    "status": "Status",
    "legend": "Key",
    "whole_charta": "the whole charta",
    "derived_status": "taken up",
    "covered_elsewhere": "covered elsewhere",
    "omitted": "left out on purpose",
    "not_addressed": "not taken up",
    "consultation": "Consultation",
    "consultation_period": "Period",
    "consultation_page": "Consultation page",
    "comment_on": "on",
    "comment_whole": "on the whole charta",
    "comment_by": "Comment by",
    "response_by": "Response by",
    "decision": "Decision",
    "caused": "Changed principle",
    "no_comments": "No comments recorded.",
    "about": "About this document",
    "issuer": "Issuer",
    "office": "Responsible office",
    "edition": "Version",
    "date": "Date",
    "adoption": "Adoption",
    "part_of": "Part of",
    "based_on": "Based on",
    "cited_as": "cited as",
    "omissions": "Left out on purpose",
    "covered_elsewhere_head": "Covered elsewhere in the strategy",
    "record": "Where this page comes from",
    "obtained": "Obtained",
    "retrieved": "Retrieved",
    "rights": "Rights",
    "license": "Licence of this data",
    "attribution": "Attribution",
    "original": "Original",
    "note": "Note",
    "notes_by_record_keeper": "Note of the record-keeper",
    "inserted": "Inserted:",
    "deleted": "Deleted:",
    "changed_on": "changed on",
    "changed_in": "changed in",
    "changed_year": "changed in",
    "result": "Result",
    "see_reason": "why",
    "see_where": "where",
    "record_note": "Note on where this page comes from",
    "changed_undated": "date of the change not known",
    "reason": "Reason",
    "caused_by": "Caused by",
    "merged_head": "Merged into this one",
    "report_title": "Weighing table",
    "report_state": "State of the consultation",
    "state_open": "The consultation is open.",
    "state_closed": "The consultation is closed.",
    "report_figures": "Comments: {comments}; answered: {answered}; led to a change: {changed}.",
    "report_decisions": "Decisions",
    "report_caption": "Comments, responses, decisions and changes",
    "col_number": "No.",
    "col_reference": "Reference",
    "col_statement": "Comment",
    "col_response": "Response",
    "col_decision": "Decision",
    "col_change": "Resulting change",
    "col_date": "Received",
    "col_by": "By",
    "col_id": "Id",
    "no_response": "not answered yet",
    "no_change": "no change",
    "whole_document": "whole document",
    "internal_notice": "Internal version: holds personal data of the commenters. Do not publish.",
    "merged_into_word": "merged into",
    "merged_on": "merged on",
    "merged_in": "merged in",
    "merged_year": "merged in",
    "merged_undated": "date of the merge not known",
    "last_wording": "Last wording",
    "before_inferred": "The earlier wording is reconstructed, not seen in the original.",
    "uncertain": "Uncertain",
    "confidence": "Confidence of the link",
    "stated_by_issuer": "The issuer states this link itself",
    "record_keeper": "This link is inferred: the record-keeper's reading, not a statement "
    "of the issuer",
    "not_asserted": "Who states this link is not recorded",
    "page": "Page/place",
    "publisher": "Published by",
    "links": "More information",
    "summary_own_words": "Summary in our own words",
    "made_with": "Made with charta",
    "unresolved": "not resolved",
    "principle_count": "{count} principles",
    "no_principles": "No principles recorded.",
    "sub_items": "Sub-items",
    "addressee": "Addressed to",
    "open_link": "Open the original",
    "in_words_title": "Title",
    "in_words_text": "Text",
    "in_words_summary": "Summary",
}

_VALUES_DE: Final = {
    # relations
    "adopted": "übernommen",
    "adapted": "angepasst",
    "merged": "zusammengeführt",
    "extended": "erweitert",
    "inspired-by": "angeregt durch",
    "corresponds": "entspricht",
    # decisions
    "accepted": "angenommen",
    "partly-accepted": "teilweise angenommen",
    "rejected": "abgelehnt",
    "noted": "zur Kenntnis genommen",
    # status
    "draft": "Entwurf",
    "consultation": "in der Beteiligung",
    "published": "veröffentlicht",
    "superseded": "abgelöst",
    "withdrawn": "zurückgezogen",
    "unknown": "nicht bekannt",
    # knowledge
    "verified": "geprüft",
    "partial": "teilweise geprüft",
    "inferred": "erschlossen",
    "unverified": "nicht bestätigt",
    # confidence
    "high": "hoch",
    "medium": "mittel",
    "low": "gering",
    # obtained
    "transcribed": "abgeschrieben aus der Veröffentlichung des Herausgebers",
    "summarised": "Titel und Aufbau erfasst, Inhalte in eigenen Worten zusammengefasst",
    "authored": "vom Herausgeber in dieser Datei verfasst",
    "derived": "aus anderen Chartas abgeleitet",
}
_VALUES_DE_STATUS_ADOPTED = "beschlossen"

_VALUES_EN: Final = {
    "transcribed": "transcribed from the issuer's publication",
    "summarised": "titles and structure recorded, contents summarised in our own words",
    "authored": "written by the issuer in this file",
    "derived": "derived from other chartas",
    "unverified": "not confirmed",
}

_SYMBOLS: Final = {
    "adopted": "Ü",
    "adapted": "A",
    "merged": "Z",
    "extended": "E",
    "inspired-by": "I",
    "corresponds": "K",
}
_SYMBOLS_EN: Final = {
    "adopted": "AD",
    "adapted": "AP",
    "merged": "M",
    "extended": "E",
    "inspired-by": "I",
    "corresponds": "C",
}

_KINDS_DE: Final = {
    "leitmotiv": "Die Leitmotive",
    "leitlinie": "Die Leitlinien",
    "leitbild": "Das Leitbild",
    "recommendation": "Die Empfehlungen",
    "theme": "Die Themen",
    "point": "Die Punkte",
    "section": "Die Abschnitte",
}
_KINDS_EN: Final = {
    "leitmotiv": "The Leitmotive",
    "leitlinie": "The guidelines",
    "leitbild": "The Leitbild",
    "recommendation": "The recommendations",
    "theme": "The themes",
    "point": "The points",
    "section": "The sections",
}

LANGUAGES: Final = ("de", "en")
"""The languages charta has labels in."""


class Labels:
    """The interface words of one language: ``labels["history"]``, ``labels.value("merged")``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else "en"
        self._words = _DE if self.lang == "de" else _EN

    def __getitem__(self, key: str) -> str:
        return self._words[key]

    def __iter__(self) -> Iterator[str]:
        """The keys of the words."""
        return iter(self._words)

    def format(self, key: str, **values: object) -> str:
        return self._words[key].format(**values)

    def value(self, value: str, *, status: bool = False) -> str:
        """The word for an enum value (``merged`` -> ``zusammengeführt``)."""
        if self.lang != "de":
            return _VALUES_EN.get(value, value.replace("-", " "))
        if status and value == "adopted":
            return _VALUES_DE_STATUS_ADOPTED
        return _VALUES_DE.get(value, value)

    def items_heading(self, kinds: set[str]) -> str:
        """ "Die Leitmotive" when every item is a Leitmotiv; "Die Grundsätze" for a mix."""
        if len(kinds) == 1:
            found = (_KINDS_DE if self.lang == "de" else _KINDS_EN).get(next(iter(kinds)))
            if found:
                return found
        return self._words["principles"]

    def symbol(self, relation: str) -> str:
        """The short mark of a relation in the coverage table."""
        return (_SYMBOLS if self.lang == "de" else _SYMBOLS_EN)[relation]


def labels_for(lang: str) -> Labels:
    """The labels for ``lang`` (a BCP 47 tag: ``de``, ``de-CH``, ``en-GB``; else English)."""
    return Labels(lang.split("-", maxsplit=1)[0].lower())


_MONTHS = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "en": "January February March April May June July August September October November December",
}


def format_date(date: PartialDate | None, lang: str) -> str:
    """``8. Dezember 2020``, ``November 2020``, ``2020`` (``8 December 2020`` in English)."""
    if date is None:
        return ""
    months = _MONTHS["de" if lang == "de" else "en"].split()
    if date.month is None:
        return str(date.year)
    month = months[date.month - 1]
    if date.day is None:
        return f"{month} {date.year}"
    return f"{date.day}. {month} {date.year}" if lang == "de" else f"{date.day} {month} {date.year}"
