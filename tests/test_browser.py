"""The rendered page in a real browser, and through two offline HTML validators.

- axe-core (through axe-playwright-python) in Debian's headless Chromium, at a
  desktop and a phone width: no violation of the WCAG 2.0/2.1 A and AA rules;
- hostile text in every field: no script runs (no dialog, no console message,
  no request), and each payload shows as text;
- the Nu HTML checker (vnu-jar, with Java) and html-validate: no errors.

``scripts/bootstrap-browser`` installs what these need.  On CI (``CI`` set) a
missing browser or validator is a failure; on a developer's machine the tests
are skipped with the command that installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from charta.check.loading import open_charta
from charta.consult.report import build_report, render_report
from charta.render.run import Settings, read_settings, render_charta
from tests import render_cases

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools" / "node_modules"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SIZES = {"desktop": (1280, 900), "phone": (375, 812)}


def _missing(what: str) -> None:
    message = f"{what} is missing: run bash scripts/bootstrap-browser"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _pages() -> dict[str, str]:
    example = ROOT / "examples" / "sindelfingen" / "leitmotive.toml"
    settings = read_settings(ROOT / "examples" / "sindelfingen" / "render.toml")
    musterkreis = ROOT / "examples" / "musterkreis" / "leitlinien.toml"
    return {
        "sindelfingen": render_charta(
            open_charta(str(example)), "html", base=str(example), settings=settings
        ),
        "sindelfingen-en": render_charta(
            open_charta(str(example)), "html", base=str(example), settings=Settings(lang="en")
        ),
        "musterkreis": render_charta(open_charta(str(musterkreis)), "html", base=str(musterkreis)),
        "smart-city-charta": render_charta(open_charta("smart-city-charta"), "html"),
        "fifty": render_charta(render_cases.fifty(), "html"),
        "hostile": render_charta(render_cases.hostile(), "html"),
        "private": render_charta(
            render_cases.with_private_commenter(open_charta(str(example))),
            "html",
            base=str(example),
        ),
        # charta consult report: the weighing table meets the same checks
        "report": render_report(build_report(open_charta(str(example), personal=True)), "html"),
        "report-internal": render_report(
            build_report(open_charta(str(example), personal=True), internal=True), "html"
        ),
        "sindelfingen-internal": render_charta(
            open_charta(str(example), personal=True), "html", base=str(example), internal=True
        ),
        "report-hostile": render_report(build_report(render_cases.hostile_consultation()), "html"),
    }


PAGES = _pages()


@pytest.fixture(scope="session")
def page_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    out = {}
    for name, html in PAGES.items():
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        out[name] = path
    return out


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        _missing("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations(browser, page_files, name: str, size: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(page_files[name].as_uri())
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        violations = [
            (v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
            for v in result.response["violations"]
        ]
        assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
        # the checks ran: axe reports passes on this page
        assert result.response["passes"]
    finally:
        page.close()


def test_axe_finds_a_violation_in_a_broken_page(browser, tmp_path: Path) -> None:
    """The harness can fail: a page with an unlabelled image and no lang is caught."""
    from axe_playwright_python.sync_playwright import Axe

    path = tmp_path / "broken.html"
    path.write_text("<!DOCTYPE html><title>x</title><img src=data:,>", encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        ids = {v["id"] for v in Axe().run(page).response["violations"]}
    finally:
        page.close()
    assert {"image-alt", "html-has-lang"} <= ids


@pytest.mark.parametrize("name", ["hostile", "report-hostile"])
def test_no_payload_runs_and_each_shows_as_text(browser, page_files, name: str) -> None:
    page = browser.new_page()
    ran: list[str] = []
    page.on("dialog", lambda d: (ran.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("console", lambda m: ran.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: ran.append(f"error: {e}"))
    own = page_files[name].as_uri()
    page.on("request", lambda r: ran.append(f"request: {r.url}") if r.url != own else None)
    try:
        page.goto(own)
        page.wait_for_timeout(300)
        # focus and toggle everything: handlers like onfocus/ontoggle would fire now
        page.keyboard.press("Tab")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.wait_for_timeout(200)
        shown = " ".join(page.inner_text("body").split())
        title = page.title()
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    finally:
        page.close()
    assert ran == []
    missing = [p for p in render_cases.PAYLOADS if " ".join(p.split()) not in shown + title]
    assert missing == []
    # a link is only ever http(s) or a place on the page itself
    assert all(h.startswith(("http://", "https://", own + "#")) for h in hrefs), hrefs
    assert not any("javascript" in h.lower() for h in hrefs)


def test_the_harness_sees_a_script_that_runs(browser, tmp_path: Path) -> None:
    """The XSS check can fail: an unescaped payload is reported."""
    path = tmp_path / "unsafe.html"
    path.write_text("<!DOCTYPE html><p><img src=x onerror=alert(1)></p>", encoding="utf-8")
    page = browser.new_page()
    ran: list[str] = []
    page.on("dialog", lambda d: (ran.append(d.message), d.dismiss()))
    try:
        page.goto(path.as_uri())
        page.wait_for_timeout(300)
    finally:
        page.close()
    assert ran == ["1"]


def _validator(name: str) -> Path:
    path = {
        "vnu": TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar",
        "html-validate": TOOLS / ".bin" / "html-validate",
    }[name]
    if not path.exists() or (name == "vnu" and shutil.which("java") is None):
        _missing(name)
    return path


def test_nu_html_checker_finds_no_errors(page_files) -> None:
    jar = _validator("vnu")
    files = [str(p) for p in page_files.values()]
    done = subprocess.run(
        ["java", "-jar", str(jar), "--Werror", "--format", "json", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    assert messages == [], json.dumps(messages[:10], indent=1, ensure_ascii=False)
    assert done.returncode == 0


def test_html_validate_finds_no_errors(page_files, tmp_path: Path) -> None:
    tool = _validator("html-validate")
    config = tmp_path / "htmlvalidate.json"
    # "long-title" is a search-engine advice (70 characters); a charta's title is its own.
    config.write_text(
        json.dumps(
            {
                "extends": ["html-validate:recommended", "html-validate:a11y"],
                "rules": {"long-title": "off"},
            }
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [str(tool), "--config", str(config), "--formatter", "json", *map(str, page_files.values())],
        capture_output=True,
        text=True,
        check=False,
    )
    results = json.loads(done.stdout or "[]")
    problems = [
        (Path(r["filePath"]).name, m["line"], m["ruleId"], m["message"])
        for r in results
        for m in r["messages"]
    ]
    assert problems == [], problems[:20]
    assert done.returncode == 0


def test_the_validators_can_fail(tmp_path: Path) -> None:
    jar = _validator("vnu")
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><title>x</title><p><div></p>", encoding="utf-8")
    done = subprocess.run(
        ["java", "-jar", str(jar), "--Werror", str(bad)], capture_output=True, check=False
    )
    assert done.returncode != 0


@pytest.mark.parametrize("name", ["sindelfingen", "fifty", "hostile", "report"])
def test_the_page_never_scrolls_sideways_on_a_phone(browser, page_files, name: str) -> None:
    """WCAG 1.4.10 (reflow), which axe does not check: at 320 px, only tables scroll."""
    for width in (320, 375):
        page = browser.new_page(viewport={"width": width, "height": 800})
        try:
            page.goto(page_files[name].as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            # no coverage row is taller than a screen: words in cells stay whole
            tallest = page.evaluate(
                "Math.max(0, ...[...document.querySelectorAll('table.coverage tbody th')]"
                ".map(e => e.getBoundingClientRect().height))"
            )
            assert tallest < 400, tallest
        finally:
            page.close()


def test_printing_shows_the_folded_notes(browser, page_files) -> None:
    page = browser.new_page()
    try:
        page.goto(page_files["sindelfingen"].as_uri())
        hidden = page.evaluate(
            "[...document.querySelectorAll('details.note > p')].every(e => !e.checkVisibility())"
        )
        page.emulate_media(media="print")
        shown = page.evaluate(
            "[...document.querySelectorAll('details.note > p')].every(e => e.checkVisibility())"
        )
        nav = page.evaluate("document.querySelector('nav.toc').checkVisibility()")
    finally:
        page.close()
    assert hidden  # folded on screen
    assert shown  # printed
    assert not nav  # the table of contents is not printed
