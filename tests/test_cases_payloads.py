"""Hostile case text: raw HTML, event handlers and ``javascript:``/``data:`` links in a case's
Markdown come out as inert text on every page that shows the case, and never run in a browser.
The case is added to the small fixture project, which has every kind of page that shows a case."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, serve
from projects import add_content, fixture_project

from generator.sitebuild import build_site

PAYLOAD = ROOT / "tests" / "fixtures" / "cases" / "payload-case.yaml"
PAGES = ("cases/payload-case", "cases", "areas/labour", "guideline", ".")
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
TITLE = "Payload: quotes \" ' & ampersands in a title"

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = fixture_project(tmp_path_factory.mktemp("payload") / "project")
    add_content(project, "cases/payload-case.yaml", PAYLOAD)
    with (project / "content" / "published-urls.txt").open("a", encoding="utf-8") as manifest:
        manifest.write("/cases/payload-case/\n")
    return build_site(project / "mkdocs.yml", project / "site")


@pytest.fixture(scope="module")
def payload_url(payload_site: Path) -> Iterator[str]:
    server, url = serve(payload_site)
    yield url
    server.shutdown()
    server.server_close()


def article(site: Path, path: str) -> BeautifulSoup:
    soup = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("article")


@pytest.mark.parametrize("path", PAGES)
def test_payload_markup_is_not_markup(payload_site: Path, path: str) -> None:
    body = article(payload_site, path)
    for element in body.find_all(True):
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert handlers == [], (path, element.name, handlers)
        for name in ("href", "src", "action", "formaction"):
            if not element.has_attr(name):
                continue
            value = "".join(str(element.get(name, "")).split()).lower()
            if "share-kit__download" in element.get("class", []):
                assert value.startswith(("data:image/svg+xml;", "data:image/png;base64,")), (path, element)
                continue
            assert not value.startswith(UNSAFE_SCHEMES), (path, element)


def test_payload_case_page_shows_the_payload_as_text(payload_site: Path) -> None:
    body = article(payload_site, "cases/payload-case")
    elements = {element.name for element in body.find_all(True)} - {"svg", "path"}
    assert not elements & {"script", "img", "iframe", "style", "b"}
    assert [svg["class"] for svg in body.find_all("svg")] == [["qr-code"]]
    text = body.get_text(" ")
    assert '<script>window.__pwned = "script"</script>' in text
    assert '<img src="x" onerror="window.__pwned = \'img\'">' in text
    assert "<b onmouseover=" in text
    assert "<style>body { display: none }</style>" in text
    assert "plain javascript link" in text


def test_payload_quotes_stay_inside_attributes(payload_site: Path) -> None:
    soup = BeautifulSoup((payload_site / "cases/payload-case/index.html").read_text(encoding="utf-8"), "html.parser")
    lesson = "Lesson with \"double\" and 'single' quotes & an ampersand; onmouseover=alert(1)"
    assert soup.find("meta", attrs={"name": "description"})["content"] == lesson
    assert soup.find("meta", attrs={"property": "og:description"})["content"] == lesson
    assert soup.find("meta", attrs={"property": "og:title"})["content"] == TITLE
    index = BeautifulSoup((payload_site / "cases/index.html").read_text(encoding="utf-8"), "html.parser")
    card = index.select_one('li[data-case="payload-case"]')
    assert card["data-keywords"] == 'quote" onfocus="window.__pwned=1|amp & more'
    assert not card.has_attr("onfocus")


@pytest.mark.browser
def test_payload_never_runs_in_the_browser(browser, payload_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in ("cases/payload-case/", "cases/?q=quote", "areas/labour/"):
        page.goto(payload_url + path)
        page.wait_for_load_state("networkidle")
        for link in page.locator("article a:not(.share-kit__download)").all():
            href = link.get_attribute("href") or ""
            if not href.startswith(("http", "#", ".", "/")) and href:
                link.click()
        for element in page.locator("article .case-card, article .case-text li, article .case-actions li").all()[:20]:
            for event in ("mouseover", "focus", "click"):
                element.dispatch_event(event)
        assert page.evaluate("window.__pwned") is None, path
    assert page.locator("body").is_visible()
    assert dialogs == []
    context.close()


def test_the_404_pages_case_list_carries_the_payload_title_as_data(payload_site: Path) -> None:
    """The 404 page holds every case's title in a single-quoted JSON attribute: the payload's
    quotes and ampersand stay inside it and come back exactly."""
    soup = BeautifulSoup((payload_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    holder = soup.select_one("div[data-not-found-cases]")
    assert sorted(holder.attrs) == ["class", "data-not-found-base", "data-not-found-cases"]
    cases = json.loads(holder["data-not-found-cases"])
    assert {"id": "payload-case", "title": TITLE, "path": "cases/payload-case/"} in cases


@pytest.mark.browser
def test_a_404_page_offering_the_payload_case_shows_its_title_as_text(browser, payload_site: Path, payload_url: str):
    context = browser.new_context()
    page = context.new_page()
    missing = payload_url + "cases/payload-cas/"
    page.route(missing, lambda route: route.fulfill(status=404, path=payload_site / "404.html"))
    page.goto(missing)
    link = page.locator('[data-not-found-nearest] a[data-not-found-case="payload-case"]')
    link.wait_for()
    assert link.inner_text() == TITLE
    assert link.get_attribute("href") == payload_url + "cases/payload-case/"
    assert page.evaluate("window.__pwned") is None
    context.close()
