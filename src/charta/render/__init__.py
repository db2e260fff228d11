"""Rendering a charta for people: the public page model and its views.

- :func:`render` (:mod:`charta.render.run`): ``charta render``, a file in one
  of six formats (HTML, TOML, JSON, Markdown, PROV-JSON, PROV-N);
  :func:`render_charta` does the same for a charta in memory.
- :mod:`charta.render.page`: what a page shows, built once from the public view.
- :mod:`charta.render.html`, :mod:`~charta.render.markdown`,
  :mod:`~charta.render.prov`: the views.
- :func:`show` (:mod:`charta.render.show`): ``charta show``, for a terminal.
"""

from __future__ import annotations

from charta.render.run import FORMATS, Settings, read_settings, render, render_charta
from charta.render.show import Shown, show, show_text

__all__ = [
    "FORMATS",
    "Settings",
    "Shown",
    "read_settings",
    "render",
    "render_charta",
    "show",
    "show_text",
]
