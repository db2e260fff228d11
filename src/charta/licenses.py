"""SPDX licence ids and expressions: syntax, familiarity, attribution.

The licence of a charta file is written as an SPDX id (``CC0-1.0``) or an
SPDX expression (``CC-BY-4.0 OR DL-DE-BY-2.0``).  charta checks the syntax
itself and knows the ids a German public body is likely to use; any other
syntactically valid id is accepted with a hint to check it against the SPDX
list.  (The full list is available as a package, but importing it costs about
23 ms on every run that meets a licence, a quarter of charta's start-up.)
"""

from __future__ import annotations

import re

__all__ = ["FAMILIAR", "needs_attribution", "parse_expression"]

FAMILIAR = frozenset(
    {
        # Open data and documents (Creative Commons, Datenlizenz Deutschland, ODC)
        "CC0-1.0",
        "CC-BY-4.0",
        "CC-BY-SA-4.0",
        "CC-BY-ND-4.0",
        "CC-BY-NC-4.0",
        "CC-BY-NC-SA-4.0",
        "CC-BY-NC-ND-4.0",
        "CC-BY-3.0",
        "CC-BY-SA-3.0",
        "CC-BY-3.0-DE",
        "CC-BY-SA-3.0-DE",
        "DL-DE-BY-2.0",
        "DL-DE-ZERO-2.0",
        "ODbL-1.0",
        "ODC-By-1.0",
        "PDDL-1.0",
        "GFDL-1.3-or-later",
        # Software, where a charta ships with code
        "MIT",
        "Apache-2.0",
        "EUPL-1.2",
        "MPL-2.0",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "GPL-3.0-only",
        "GPL-3.0-or-later",
        "AGPL-3.0-only",
        "AGPL-3.0-or-later",
        "LGPL-3.0-or-later",
        # SPDX's own words for "no licence stated" and "no assertion made"
        "NONE",
        "NOASSERTION",
    }
)

_TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z0-9.+:-]+)")
_ID = re.compile(
    r"(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+|[A-Za-z0-9][A-Za-z0-9.-]*\+?"
)
_OPERATORS = {"AND", "OR", "WITH"}


def parse_expression(text: str) -> list[str]:
    """The licence ids of an SPDX expression; ``ValueError`` saying what is wrong.

    Accepts ``ID``, ``ID+``, ``LicenseRef-x``, ``A AND B``, ``A OR (B WITH exception)``.
    """
    tokens: list[str] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ValueError(f"unexpected character {text[pos:].lstrip()[:1]!r}")
        tokens.append(m.group(1))
        pos = m.end()
    if not tokens:
        raise ValueError("it is empty")
    ids: list[str] = []
    depth = 0
    expect_id = True  # an id (or "(") must come next, not an operator
    after_with = False
    for token in tokens:
        if token == "(":
            if not expect_id:
                raise ValueError("'(' after a licence id: put AND or OR between them")
            depth += 1
        elif token == ")":
            if expect_id or depth == 0:
                raise ValueError("a ')' without its '(' or after an operator")
            depth -= 1
        elif token in _OPERATORS or token.upper() in _OPERATORS:
            if expect_id:
                raise ValueError(f"'{token}' where a licence id belongs")
            if token not in _OPERATORS:
                raise ValueError(f"write the operator in capitals: '{token.upper()}'")
            after_with = token == "WITH"
            expect_id = True
        else:
            if not expect_id:
                raise ValueError(f"two licence ids in a row ('{token}'): join them with AND or OR")
            if not _ID.fullmatch(token):
                raise ValueError(f"'{token}' is not an SPDX licence id")
            if not after_with:  # an exception (after WITH) is not a licence
                ids.append(token)
            after_with = False
            expect_id = False
    if expect_id:
        raise ValueError("it ends with an operator")
    if depth:
        raise ValueError("a '(' is not closed")
    return ids


def needs_attribution(license_id: str) -> bool:
    """Whether the licence asks users to name the author (CC BY, DL-DE-BY, ODC-By)."""
    upper = license_id.upper()
    return upper.startswith(("CC-BY", "DL-DE-BY", "ODC-BY"))
