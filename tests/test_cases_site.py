"""The built case pages: share kit, previews (with each case's share card), canonical addresses, and the lists
that lead to cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import CASE_IDS, CONTENT, article_of
from PIL import Image
from qrcodes import png_of_data_url, read_qr

from generator.redirects import read_manifest

pytestmark = pytest.mark.build

SITE_URL = "https://compliance.example.org/"


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_case_page_carries_qr_share_previews_and_canonical_link(built_site: Path, case_id: str, corpus) -> None:
    case = corpus.cases[case_id]
    soup = soup_of(built_site, f"cases/{case_id}")
    address = f"{SITE_URL}cases/{case_id}/"
    assert soup.find("link", rel="canonical")["href"] == address
    assert meta(soup, "og:url") == address
    assert meta(soup, "og:title") == case.title
    assert meta(soup, "og:description") == case.lesson
    assert meta(soup, "description") == case.lesson
    assert meta(soup, "og:site_name") == "SME Compliance Guide"
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "twitter:title") == case.title
    card = meta(soup, "og:image")
    assert card == f"{address}share-card.png"
    assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
    assert meta(soup, "og:image:alt") == case.title
    with Image.open(built_site / card.removeprefix(SITE_URL)) as png:  # reads the header only
        assert (png.format, png.size) == ("PNG", (1200, 630))
    kit = soup.select_one("article .share-kit")
    qr = kit.select_one("svg.qr-code")
    assert qr is not None and qr.find("path") is not None
    assert qr["aria-label"] == f"QR code for {address}"
    assert kit.select_one("a[data-copy-link]")["href"] == address
    assert kit.select_one("h2").get_text(strip=True) == "Share this page"
    svg = kit.select_one("a.share-kit__download--svg")
    assert svg["download"] == f"qr-cases-{case_id}.svg"
    assert svg["href"].startswith("data:image/svg+xml;")
    png = kit.select_one("a.share-kit__download--png")
    assert png["download"] == f"qr-cases-{case_id}.png"
    assert read_qr(png_of_data_url(png["href"])) == [address]
    share = kit.select_one("button[data-share-link]")
    assert share["data-share-link"] == address and share.has_attr("hidden"), "shown by JS where navigator.share exists"
    notice = kit.select_one(".share-kit__preview").get_text(" ", strip=True)
    assert notice.startswith("Preview build: links point to a placeholder"), "the real site_url is the placeholder"
    check = corpus.check_for_case(case)
    assert check is not None, "every real case leads to a self-check"
    printed = kit.select_one(".share-kit__qr--check")
    assert printed.select_one("svg.qr-code")["aria-label"] == f"QR code for {SITE_URL}checks/{check.id}/"
    assert check.title in printed.get_text(" ", strip=True)
    assert soup.select_one("article h1").get_text().startswith(case.title)
    assert soup.select_one(".case-lesson").get_text(" ", strip=True) == f"Lesson: {case.lesson}"


def test_the_case_index_has_the_small_preview_without_a_card(built_site: Path) -> None:
    soup = soup_of(built_site, "cases")
    assert meta(soup, "og:image") is None
    assert meta(soup, "twitter:card") == "summary"
    assert sorted(path.parent.name for path in (built_site / "cases").glob("*/share-card.png")) == CASE_IDS


def test_illustrative_cases_say_so_on_the_page(built_site: Path, corpus) -> None:
    for case in corpus.cases.values():
        label = (
            article_of(built_site / "cases" / case.id / "index.html").select_one(".case-kind").get_text(" ", strip=True)
        )
        assert label.startswith("Illustrative scenario." if case.kind == "illustrative" else "Reported case.")


def test_case_page_shows_the_cited_official_text_from_the_guideline(built_site: Path, corpus) -> None:
    case = corpus.cases["unsigned-contracts"]
    soup = soup_of(built_site, "cases/unsigned-contracts")
    quotes = [quote.p.get_text() for quote in soup.select(".case-clauses blockquote")]
    assert quotes == [corpus.clauses[clause_id].text for clause_id in case.clauses]
    links = [link["href"] for link in soup.select(".case-clauses .case-clause__ref a")]
    assert links == [f"../../guideline/#{clause_id}" for clause_id in case.clauses]


def test_index_lists_every_case_once_with_filter_data(built_site: Path, corpus) -> None:
    soup = soup_of(built_site, "cases")
    cards = soup.select("ul[data-case-list] li.case-card")
    assert sorted(card["data-case"] for card in cards) == sorted(corpus.cases)
    for card in cards:
        case = corpus.cases[card["data-case"]]
        assert card["data-areas"].split() == list(case.areas)
        assert card.select_one("a.case-card__title")["href"] == f"{case.id}/"
    form = soup.select_one("form[data-case-filter]")
    assert form.has_attr("hidden"), "the filter needs JS, so it must start hidden"
    areas = [option["value"] for option in form.select("select[name=area] option")]
    assert areas[0] == "" and sorted(areas[1:]) == sorted(corpus.areas)
    by_area = [link["href"] for link in soup.select(".cases-by-area a")]
    assert sorted(by_area) == sorted(f"../areas/{area}/#cases" for area in corpus.areas)


def test_each_area_page_lists_its_cases(built_site: Path, corpus) -> None:
    for area in corpus.areas:
        soup = article_of(built_site / "areas" / area / "index.html")
        assert soup.find(id="cases") is not None, area
        listed = sorted(card["data-case"] for card in soup.select("li.case-card"))
        assert listed == sorted(case.id for case in corpus.cases.values() if area in case.areas)


def test_each_clause_lists_the_cases_citing_it(built_site: Path, corpus) -> None:
    soup = article_of(built_site / "guideline" / "index.html")
    for clause_id in corpus.clauses:
        citing = sorted(case.id for case in corpus.cases.values() if clause_id in case.clauses)
        links = soup.select(f"div.clause#{clause_id} .clause__cases a")
        assert sorted(link["href"].split("/")[-2] for link in links) == citing, clause_id


def test_home_page_has_a_see_cases_card(built_site: Path, corpus) -> None:
    soup = soup_of(built_site, ".")
    card = next(link for link in soup.select(".ways-in a.way-in") if link.strong.get_text() == "See cases")
    assert card["href"] == "cases/"
    assert f"{len(corpus.cases)} short scenarios" in card.get_text()


def test_cases_have_their_own_navigation_section(built_site: Path) -> None:
    soup = soup_of(built_site, "cases/unsigned-contracts")
    nav = soup.select_one("nav.md-nav--primary")
    labels = [label.get_text(" ", strip=True) for label in nav.select("label.md-nav__link, a.md-nav__link")]
    assert "Cases" in labels


def test_every_page_served_is_in_the_url_manifest(built_site: Path) -> None:
    """New pages must be added to the manifest (python -m generator urls --update) so they stay published."""
    listed = set(read_manifest(CONTENT / "published-urls.txt"))
    served = {
        "/" + page.parent.relative_to(built_site).as_posix().removeprefix(".").lstrip("/") + "/"
        for page in built_site.rglob("index.html")
        if page.parent != built_site / "search"
    }
    served = {address.replace("//", "/") for address in served}
    assert sorted(served - listed) == [], "run `python -m generator urls --update` and commit the manifest"
    pages = {address for address in listed if "#" not in address}
    assert sorted(pages - served) == []


def test_search_indexes_every_case_by_section(built_site: Path, corpus) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {entry["location"]: entry for entry in index["docs"]}
    for case in corpus.cases.values():
        title = locations[f"cases/{case.id}/"]["title"]
        assert title.split("<span hidden>")[0] == case.title, "search variants are hidden after the title"
        assert f"cases/{case.id}/#actions" in locations
