"""Texts fit for any output: no character a page, terminal or file may not hold,
and addresses that may become links.

Every text of a charta may come from a citizen; each writer (HTML, Markdown,
PROV, the terminal) passes it through :func:`printable` and links only what
:func:`web_url` accepts.
"""

from __future__ import annotations

import re
from urllib.parse import quote

__all__ = ["CONTROLS", "is_web_url", "printable", "visible", "web_url"]


def is_web_url(url: str) -> bool:
    """Whether ``url`` may become a link: http(s) only, never ``javascript:`` or ``data:``."""
    url = url.strip()
    return url[:8].lower().startswith(("http://", "https://")) and not _NOT_IN_URL.search(url)


_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")


# Characters a URL may hold as they are; every other one is percent-encoded.
_URL_SAFE = "-._~:/?#[]@!$&'()*+,;=%"


def web_url(url: str) -> str | None:
    """``url`` as a link target, or ``None`` when it is not http(s).

    Characters that have no place in a URL (``<``, ``>``, ``"``, spaces,
    non-ASCII letters) are percent-encoded, so that the address can close no
    tag or Markdown link it is written into.
    """
    if not is_web_url(url):
        return None
    return quote(url.strip(), safe=_URL_SAFE)


# Control characters (but tab and line ends), C1 controls, surrogates and
# noncharacters: no HTML page, terminal or PROV file may receive them.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"\\U{p:04x}fffe\\U{p:04x}ffff" for p in range(1, 17))
    + "]"
)


def printable(text: str) -> str:
    """``text`` without characters no page may hold (NUL, ESC, U+FFFE, ...), and
    with the bidirectional controls and line separators written out (see
    :func:`visible`), so that no text is turned around on a page either."""
    if text.isprintable():  # C speed, and true for most texts: nothing to remove
        return text
    text = _UNPRINTABLE.sub("", text) if _UNPRINTABLE.search(text) else text
    return visible(text)


CONTROLS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029"
    r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
"""Characters that change what a reader sees around them without being seen:
control characters (C0 but tab and line ends, C1: ``U+009B`` starts a terminal
escape sequence), the line and paragraph separators U+2028 and U+2029 (a line
end to JavaScript and many editors), and the bidirectional marks, embeddings,
overrides and isolates (``U+202E`` turns the text after it around)."""


def visible(text: str, *, backslash: str = "\\") -> str:
    """``text`` with each of :data:`CONTROLS` written out as ``\\u202e`` (``\\x1b``
    below U+0100): for outputs that cannot escape them (Markdown, CSV, PROV-N),
    so that a reader sees that they are there and nothing is turned around.
    ``backslash`` is how the output writes a backslash (PROV-N: ``\\\\``)."""
    if text.isascii() and text.isprintable():
        return text

    def written_out(match: re.Match[str]) -> str:
        code = ord(match.group())
        return backslash + (f"x{code:02x}" if code < 0x100 else f"u{code:04x}")

    return CONTROLS.sub(written_out, text)
