"""``charta render``: a charta for the public, in one of six formats."""

from __future__ import annotations

import click

from charta.cli.base import handle_errors, main, write_output


@main.command()
@click.argument("path", metavar="CHARTA")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "toml", "json", "markdown", "prov-json", "prov-n"]),
    default="html",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write to this file, atomically ('-' or none: standard output).",
)
@click.option("--lang", type=click.Choice(["de", "en"]), help="Language of the page's own words.")
@click.option("--fragment", is_flag=True, help="HTML without <html>/<head>, for a CMS.")
@click.option(
    "--template-dir",
    type=click.Path(file_okay=False),
    help="Folder with the town's own templates (page.html, charta.css).",
)
@click.option("--settings", "settings_file", metavar="FILE", help="Settings file (TOML).")
@click.option(
    "--link", "links", multiple=True, metavar="LABEL=URL", help="A footer link; repeatable."
)
@click.option(
    "--internal",
    is_flag=True,
    help="Name the commenters (html, markdown): for the office, never to publish.",
)
@handle_errors
def render(
    path: str,
    *,
    fmt: str,
    output: str | None,
    lang: str | None,
    fragment: bool,
    template_dir: str | None,
    settings_file: str | None,
    links: tuple[str, ...],
    internal: bool,
) -> None:
    """Render a charta for the public: HTML, TOML, JSON, Markdown or W3C PROV.

    Every format shows commenters by pseudonym unless they consented, and
    never an email.

    \b
      charta render leitmotive.toml -o leitmotive.html
      charta render leitmotive.toml --format markdown
      charta render leitmotive.toml --format prov-json -o provenance.json
    """
    from charta.render.run import render as run  # lazy: start-up time

    if fragment and fmt != "html":
        raise click.UsageError("--fragment goes with --format html")
    from pathlib import Path  # lazy: start-up time

    read: list[Path] = []
    text = run(
        path,
        fmt,
        settings_file=settings_file,
        lang=lang,
        template_dir=template_dir,
        links=links,
        fragment=fragment,
        read=read,
        internal=internal,
    )
    write_output(output, text, toml=fmt == "toml", inputs=tuple(map(str, read)))
