"""The reader's experience in real headless Chromium."""

from __future__ import annotations

import pytest
from conftest import Visit

pytestmark = [pytest.mark.browser, pytest.mark.build]


def test_home_and_area_page_load_cleanly_from_this_origin_only(visit: Visit, site_url: str) -> None:
    for path in ("", "areas/labour/", "guideline/"):
        visit.page.goto(site_url + path)
        visit.page.wait_for_load_state("networkidle")
    assert visit.console_errors == []
    assert visit.foreign_requests() == []


def test_search_finds_a_clause_by_its_words(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url)
    page.keyboard.press("s")
    page.locator("input.md-search__input").press_sequentially("measurement assurance", delay=40)
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=15000)
    hrefs = page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")
    assert any("areas/quality/" in href or "guideline/" in href for href in hrefs), hrefs
    assert visit.foreign_requests() == []


def test_clause_permalink_scrolls_to_its_clause_and_copies(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site_url + "guideline/#safety-7")
    target = page.locator("#safety-7")
    assert target.is_visible()
    target.locator("a[data-copy-link]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    # Read away from the site's own host (a local preview), the copy is the published address.
    assert copied == "https://compliance.example.org/guideline/#safety-7"
    assert target.locator("a[data-copy-link]").get_attribute("data-copied") == "Link copied"


def test_phone_width_has_no_horizontal_scroll(phone: Visit, site_url: str) -> None:
    page = phone.page
    for path in ("", "guideline/", "areas/data/"):
        page.goto(site_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, path


def test_print_hides_navigation_and_keeps_clauses(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + "areas/labour/")
    page.emulate_media(media="print")
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert not page.locator(".md-header").is_visible()
    assert page.locator("#labour-2 .clause__text").is_visible()
