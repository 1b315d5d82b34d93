"""The 404 page a server answers for a missing address: the ways into the site, and for a mistyped
or cut-short case address the nearest cases, in real headless Chromium."""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path

import pytest
from conftest import Visit

pytestmark = [pytest.mark.build]


def cases_data(html: str) -> list[dict]:
    start = html.index("data-not-found-cases='") + len("data-not-found-cases='")
    return json.loads(unescape(html[start : html.index("'", start)]))


def test_the_404_page_lists_the_ways_in_and_every_case(built_site: Path, corpus) -> None:
    html = (built_site / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in html
    # Site-absolute, as MkDocs makes the 404 page's links (the home page is "/."): the page is
    # served at any address.
    for path in ('href="/."', 'href="/guideline/"', 'href="/cases/"', 'href="/checks/"'):
        assert f"<li><a {path}>" in html, path
    assert corpus.guideline.title in html
    assert cases_data(html) == [
        {"id": case.id, "title": case.title, "path": f"cases/{case.id}/"} for case in corpus.cases.values()
    ]


def answered_with_404(visit: Visit, site_url: str, built_site: Path, path: str):
    """Open ``path`` on a server that answers missing addresses with the site's 404 page."""
    page = visit.page
    page.route(
        site_url + path,
        lambda route: route.fulfill(status=404, path=built_site / "404.html", content_type="text/html"),
    )
    response = page.goto(site_url + path)
    assert response.status == 404
    return page


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "nearest"),
    [
        ("cases/unsigned-contract/", ["unsigned-contracts"]),  # a letter short
        ("cases/unsinged-contracts/", ["unsigned-contracts"]),  # two letters swapped
        ("cases/unsigned/", ["unsigned-contracts"]),  # cut short
        ("cases/nothing-like-any-case-at-all/", []),
        ("guidelines/", []),
    ],
)
def test_a_mistyped_case_address_offers_the_nearest_cases(
    visit: Visit, site_url: str, built_site: Path, path: str, nearest: list[str]
) -> None:
    page = answered_with_404(visit, site_url, built_site, path)
    hint = page.locator("[data-not-found-nearest]")
    if nearest:
        hint.wait_for()
        offered = hint.locator("a[data-not-found-case]").evaluate_all("links => links.map(a => a.dataset.notFoundCase)")
        assert offered[: len(nearest)] == nearest
        link = hint.locator(f'a[data-not-found-case="{nearest[0]}"]')
        assert link.get_attribute("href") == f"{site_url}cases/{nearest[0]}/"
    else:
        page.wait_for_selector("[data-not-found-cases][data-not-found-wired]", state="attached")
        assert hint.is_hidden()
    assert page.locator(".not-found-ways a").count() == 4
    assert visit.console_errors == [] or all("404" in error for error in visit.console_errors)
