"""Texts fit for any output: no character a page, terminal or file may not hold,
and addresses that may become links.

Every text of a charta may come from a citizen; each writer (HTML, Markdown,
PROV, the terminal) passes it through :func:`printable` and links only what
:func:`web_url` accepts.
"""

from __future__ import annotations

import re
from urllib.parse import quote

__all__ = ["is_web_url", "printable", "web_url"]


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
    """``text`` without characters no page may hold (NUL, ESC, U+FFFE, ...)."""
    if text.isprintable():  # C speed, and true for most texts: nothing to remove
        return text
    return _UNPRINTABLE.sub("", text) if _UNPRINTABLE.search(text) else text
