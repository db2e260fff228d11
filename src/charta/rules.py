"""The catalogue of rules: every problem charta reports has one of these codes.

Codes are stable (configuration and CI scripts name them); levels are the
defaults.  ``charta rules`` lists them, and the rule table in
``docs/format.md`` is generated from this module (a test keeps it in step).
"""

from __future__ import annotations

import attrs

from charta.errors import REQUEST_CODE, Level, Rule, Stage

__all__ = ["RULES", "Catalogue", "catalogue", "markdown_table"]

RULES: dict[str, Rule] = {}
"""Every rule by code, in the order the stages run."""

E, W = Level.ERROR, Level.WARNING


def _rule(code: str, level: Level, stage: Stage, summary: str) -> Rule:
    if code in RULES:  # pragma: no cover - a programming error, caught by the tests' import
        raise ValueError(f"rule code {code!r} defined twice")
    rule = RULES[code] = Rule(code, level, stage, summary)
    return rule


# -- read ---------------------------------------------------------------------
NO_SUCH_FILE = _rule("no-such-file", E, Stage.READ, "the file exists")
NOT_A_FILE = _rule("not-a-file", E, Stage.READ, "a regular file, not a folder, device or pipe")
CANNOT_READ = _rule("cannot-read", E, Stage.READ, "the file can be read (permissions)")
FILE_TOO_LARGE = _rule("file-too-large", E, Stage.READ, "at most 5 MiB")
NOT_UTF8 = _rule("not-utf8", E, Stage.READ, "the encoding is UTF-8")
BYTE_ORDER_MARK = _rule("byte-order-mark", W, Stage.READ, "no byte-order mark")
CRLF = _rule("crlf-line-ends", W, Stage.READ, "LF line ends")
EMPTY_FILE = _rule("empty-file", E, Stage.READ, "the file is not empty")

# -- syntax -------------------------------------------------------------------
TOML_SYNTAX = _rule("toml-syntax", E, Stage.SYNTAX, "TOML syntax")
NUMBER_TOO_LONG = _rule("number-too-long", E, Stage.SYNTAX, "whole numbers of at most 4,300 digits")
TOO_DEEP = _rule("too-deep", E, Stage.SYNTAX, "tables and arrays nest at most 40 levels")

# -- shape --------------------------------------------------------------------
FORMAT_VERSION = _rule(
    "format-version", E, Stage.SHAPE, "the file is in a format this charta reads (checked first)"
)
UNKNOWN_KEY = _rule("unknown-key", E, Stage.SHAPE, "no unknown keys (with did-you-mean)")
MISSING_KEY = _rule("missing-key", E, Stage.SHAPE, "required keys are there")
WRONG_TYPE = _rule(
    "wrong-type", E, Stage.SHAPE, "strict types: text, whole numbers, booleans, arrays, tables"
)
NOT_ALLOWED = _rule("not-allowed", E, Stage.SHAPE, "closed vocabularies (with did-you-mean)")
BAD_DATE = _rule("bad-date", E, Stage.SHAPE, "real dates: a TOML date, or a year or month")
BAD_REFERENCE = _rule("bad-reference", E, Stage.SHAPE, "the reference syntax")

# -- meaning: ids and counts --------------------------------------------------
INVALID_ID = _rule("invalid-id", E, Stage.MEANING, "ids are kebab-case")
DUPLICATE_ITEM_ID = _rule("duplicate-item-id", E, Stage.MEANING, "item ids are unique")
DUPLICATE_EDITION = _rule("duplicate-edition", E, Stage.MEANING, "edition ids are unique")
DUPLICATE_ENTRY_ID = _rule(
    "duplicate-entry-id", E, Stage.MEANING, "comment and response ids are unique"
)
MORE_THAN_DECLARED = _rule(
    "more-than-declared", E, Stage.MEANING, "no more top-level items than declared"
)
COMPLETE_BUT_MISSING = _rule(
    "complete-but-missing", E, Stage.MEANING, "'complete' means every declared item is recorded"
)
PARTIAL_BUT_ALL = _rule(
    "partial-but-all", E, Stage.MEANING, "'partial' means some declared items are missing"
)
PARTIAL_WITHOUT_COUNT = _rule(
    "partial-without-count", W, Stage.MEANING, "'partial' says how many items are declared"
)

# -- meaning: references ------------------------------------------------------
BASED_ON_ITEM = _rule(
    "based-on-item", E, Stage.MEANING, "based-on names a whole charta, not an item"
)
UNRESOLVED = _rule(
    "unresolved-reference",
    E,
    Stage.MEANING,
    "references resolve: sources, files, editions, items",
)
NOT_IN_BASED_ON = _rule(
    "not-in-based-on",
    W,
    Stage.MEANING,
    "derivations name a source listed in based-on (when based-on is given)",
)
SELF_DERIVATION = _rule("self-derivation", E, Stage.MEANING, "no item is derived from itself")
DERIVATION_CYCLE = _rule("derivation-cycle", E, Stage.MEANING, "no derivation cycle inside a file")
FILE_CYCLE = _rule("file-cycle", E, Stage.MEANING, "no derivation cycle between files")
OMITTED_AND_DERIVED = _rule(
    "omitted-and-derived", E, Stage.MEANING, "a source item is omitted or derived, not both"
)
OMITTED_TWICE = _rule("omitted-twice", E, Stage.MEANING, "each source item is omitted once")
OMISSION_REASON = _rule("omission-reason", E, Stage.MEANING, "an omission gives a reason")
MERGED_INTO = _rule(
    "merged-into",
    E,
    Stage.MEANING,
    "a merged-away principle names the principle it went into, which exists",
)

COVERED_CONFLICT = _rule(
    "covered-elsewhere-conflict",
    E,
    Stage.MEANING,
    "a source item covered elsewhere is not also derived or omitted",
)
COVERED_TWICE = _rule(
    "covered-elsewhere-twice", E, Stage.MEANING, "each source item is covered elsewhere once"
)
DUPLICATE_LINK = _rule(
    "duplicate-link", W, Stage.MEANING, "a principle links to a source item once"
)
CONTRADICTORY_LINKS = _rule(
    "contradictory-links",
    E,
    Stage.MEANING,
    "two links of one principle to one source item have the same relation",
)
ASSERTION_MISSING = _rule(
    "assertion-missing",
    Level.INFO,
    Stage.MEANING,
    "a link says who asserts it: the issuer, or the record-keeper",
)
STATED_AT_NOT_ISSUER = _rule(
    "stated-at-not-issuer",
    W,
    Stage.MEANING,
    "stated-at is given only where the issuer states the link",
)
LINEAGE_CONTRADICTION = _rule(
    "lineage-contradiction",
    E,
    Stage.MEANING,
    "lineage 'none-named' has no link the issuer states",
)
LINEAGE_NOT_RECORDED = _rule(
    "lineage-not-recorded",
    W,
    Stage.MEANING,
    "lineage 'not-recorded' has no recorded links",
)

# -- meaning: the issuer, adoption, licence ------------------------------------
BLANK_TEXT = _rule("blank-text", E, Stage.MEANING, "required texts are not blank")
BAD_AGS = _rule("bad-ags", E, Stage.MEANING, "an official municipality key (AGS) has 8 digits")
AGS_OUTSIDE_GERMANY = _rule(
    "ags-outside-germany", W, Stage.MEANING, "an AGS belongs to a body in Germany (country DE)"
)
BAD_LANGUAGE = _rule("bad-language", E, Stage.MEANING, "a language is a BCP 47 tag (de, en, de-CH)")
BAD_COUNTRY = _rule(
    "bad-country", E, Stage.MEANING, "a country is an ISO 3166-1 alpha-2 code (DE, CH, AT)"
)
ADOPTION_STATUS = _rule(
    "adoption-status",
    W,
    Stage.MEANING,
    "a charta with a seen adoption is not a draft or in consultation",
)
ADOPTED_WITHOUT_RECORD = _rule(
    "adopted-without-record",
    Level.INFO,
    Stage.MEANING,
    "an adopted charta says when and by whom ([adoption])",
)
BAD_LICENSE = _rule("bad-license", E, Stage.MEANING, "a licence is an SPDX id or expression")
UNFAMILIAR_LICENSE = _rule(
    "unfamiliar-license",
    Level.INFO,
    Stage.MEANING,
    "a licence is one charta knows (else check the SPDX id)",
)
ATTRIBUTION_MISSING = _rule(
    "attribution-missing", W, Stage.MEANING, "a licence that asks for attribution has one"
)

# -- meaning: history ---------------------------------------------------------
REVISION_NO_CHANGE = _rule("revision-no-change", E, Stage.MEANING, "a revision changes something")
REVISION_CHAIN_GAP = _rule(
    "revision-chain-gap", E, Stage.MEANING, "each revision starts where the last one ended"
)
REVISION_CHAIN_END = _rule(
    "revision-chain-end", E, Stage.MEANING, "the last revision ends in the current value"
)
REVISION_DATE_ORDER = _rule("revision-date-order", E, Stage.MEANING, "revisions are dated in order")
UNKNOWN_CAUSE = _rule(
    "unknown-cause", E, Stage.MEANING, "caused-by names comments and responses that exist"
)

# -- meaning: consultation ----------------------------------------------------
CONSULTATION_DATES = _rule(
    "consultation-dates", E, Stage.MEANING, "the consultation ends after it starts"
)
COMMENT_TARGET = _rule(
    "comment-target", E, Stage.MEANING, "a comment targets '#item-id' of this charta"
)
MISSING_PSEUDONYM = _rule("missing-pseudonym", E, Stage.MEANING, "every commenter has a pseudonym")
UNKNOWN_COMMENT = _rule(
    "unknown-comment", E, Stage.MEANING, "a response answers a comment that exists"
)
PERSONAL_DATA_IN_CHARTA = _rule(
    "personal-data-in-charta",
    W,
    Stage.MEANING,
    "the charta file holds no name or email of a commenter who did not consent",
)
ACCEPTED_WITHOUT_AMENDMENT = _rule(
    "accepted-without-amendment",
    W,
    Stage.MEANING,
    "a comment whose answer is 'accepted' led to an amendment (caused-by)",
)
AMENDMENT_CITES_REJECTED = _rule(
    "amendment-cites-rejected",
    W,
    Stage.MEANING,
    "an amendment does not cite a comment whose answer is 'rejected'",
)
PERSONAL_DATA_MISMATCH = _rule(
    "personal-data-mismatch",
    W,
    Stage.MEANING,
    "the personal-data file belongs to the charta: its comments, pseudonyms and id match",
)
TORN_PAIR = _rule(
    "torn-pair",
    E,
    Stage.MEANING,
    "the charta and its personal-data file were written together: no interrupted write, "
    "no comment in the personal-data file that the charta lacks",
)
HIDDEN_CHARACTERS = _rule(
    "hidden-characters",
    W,
    Stage.MEANING,
    "titles and texts hold no control character, line separator (U+2028, U+2029) or "
    "bidirectional control (U+202E)",
)
BAD_URL = _rule(
    "bad-url", E, Stage.MEANING, "every address (url, urls) is an http:// or https:// URL"
)
CONTACT_DATA_IN_CHARTA = _rule(
    "contact-data-in-charta",
    E,
    Stage.MEANING,
    "comments and responses hold no e-mail, phone number, street address or profile link",
)
RESPONSE_NAMES_COMMENTER = _rule(
    "response-names-commenter",
    W,
    Stage.MEANING,
    "a response does not name a commenter who did not consent",
)

# -- meaning: rights ----------------------------------------------------------
TEXT_IN_SUMMARY = _rule(
    "text-in-summarised-source", W, Stage.MEANING, "a summarised source holds no full texts"
)

# -- importing comments ----------------------------------------------------------
BAD_ROW = _rule(
    "bad-comment-row",
    E,
    Stage.SHAPE,
    "each imported comment has a text, a real date, a principle that exists, UTF-8 text",
)

# -- requests and output --------------------------------------------------------
REQUEST = _rule(
    REQUEST_CODE, E, Stage.OUTPUT, "a command names a source, item or option that exists"
)
CANNOT_WRITE = _rule(
    "cannot-write", E, Stage.OUTPUT, "an output file can be written, and never over an input"
)

BAD_SETTINGS = _rule(
    "bad-settings", E, Stage.OUTPUT, "a render settings file has known keys and valid values"
)
BAD_TEMPLATE = _rule("bad-template", E, Stage.OUTPUT, "a town's own template loads and renders")


def markdown_table() -> str:
    """The rule table of ``docs/format.md``: code, level, stage, what it asks."""
    rows = ["| code | level | stage | what it asks |", "|---|---|---|---|"]
    rows += [
        f"| `{r.code}` | {r.level.value} | {r.stage.value} | {r.summary} |" for r in RULES.values()
    ]
    return "\n".join(rows) + "\n"


@attrs.frozen(kw_only=True)
class Catalogue:
    """Every rule: ``charta rules --format json``."""

    rules: tuple[Rule, ...]
    """In the order the stages run."""


def catalogue() -> Catalogue:
    """The catalogue of rules as one object."""
    return Catalogue(rules=tuple(RULES.values()))
