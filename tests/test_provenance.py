"""Provenance: the guideline's source row, the home page's first screen (what this is, who runs
this copy, the ways in above the fold on a laptop) and the About page's fields from the plugin's
configuration."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import Visit, article_of
from projects import fixture_project

from generator.cli import main
from generator.guideline import document_header
from generator.model import DocumentSource
from generator.plugin import contact_href


def test_the_source_row_names_the_publisher_once_and_links_it_when_the_address_is_known(corpus) -> None:
    guideline = corpus.guideline
    row = BeautifulSoup(document_header(guideline), "html.parser").find("th", string="Source").find_next("td")
    assert row.get_text() == guideline.source.publisher
    assert not row.get_text().startswith("Source:")
    linked = dataclasses.replace(
        guideline, source=DocumentSource(publisher="A <publisher>", url="https://example.org/text?a=1&b=2")
    )
    html = document_header(linked)
    assert '<a href="https://example.org/text?a=1&amp;b=2" rel="noopener">A &lt;publisher&gt;</a>' in html


@pytest.mark.parametrize(
    ("contact", "href"),
    [
        ("office@example.org", "mailto:office@example.org"),
        ("https://example.org/contact", "https://example.org/contact"),
        ("javascript:alert(1)", ""),
        ("+86 10 0000 0000", ""),
        ("", ""),
    ],
)
def test_contact_links_only_to_mail_or_https(contact: str, href: str) -> None:
    assert contact_href(contact) == href


@pytest.mark.build
def test_the_guideline_page_says_source_once(built_site: Path, corpus) -> None:
    article = article_of(built_site / "guideline" / "index.html")
    assert "Source: Source:" not in " ".join(article.get_text(" ").split())
    row = article.select_one("table.doc-meta").find("th", string="Source").find_next("td")
    assert row.get_text() == corpus.guideline.source.publisher


@pytest.mark.build
def test_the_home_page_says_what_this_is_and_offers_the_ways_in_before_the_details(built_site: Path, corpus) -> None:
    article = article_of(built_site / "index.html")
    children = [element for element in article.find_all(True, recursive=False) if element.name != "a"]
    order = [element.get("class", [element.name])[0] for element in children]
    assert order[:4] == ["h1", "home-what", "home-who", "ways-in"], order
    assert corpus.guideline.short_title in article.select_one(".home-what").get_text()
    who = article.select_one(".home-who").get_text(" ", strip=True)
    assert who.startswith("Not an official publication. This copy does not say who runs it.")
    assert article.select_one(".home-who a")["href"] == "about/"
    assert order.index("ways-in") < order.index("doc-meta")


@pytest.mark.browser
@pytest.mark.build
def test_the_three_ways_in_are_above_the_fold_on_a_laptop(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(site_url)
    cards = {
        card.locator("strong").inner_text(): card.bounding_box()["y"] + card.bounding_box()["height"]
        for card in page.locator(".ways-in a.way-in").all()
    }
    for title in ("Read the guideline", "Run a self-check", "See cases"):
        assert cards[title] <= 768, (title, cards)
    assert page.locator(".home-what").is_visible() and page.locator(".home-who").is_visible()


@pytest.mark.build
def test_the_about_page_without_settings_says_so(built_site: Path) -> None:
    about = article_of(built_site / "about" / "index.html")
    assert about.select_one(".site-about__none") is not None


@pytest.mark.build
def test_who_runs_the_copy_comes_from_the_configuration_and_is_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    project = fixture_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      schema_dir: schema\n",
            "      schema_dir: schema\n"
            '      site_owner: "Example <b>SME</b> Association"\n'
            "      contact: office@example.org\n"
            "      last_updated: '2026-11-30'\n",
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(project)
    assert main(["build"]) == 0, capsys.readouterr().err
    about = article_of(project / "site" / "about" / "index.html")
    fields = {dt.get_text(): dt.find_next("dd") for dt in about.select(".site-about__fields dt")}
    assert fields["Publisher"].get_text() == "Example <b>SME</b> Association"
    assert fields["Contact"].a["href"] == "mailto:office@example.org"
    assert fields["Last updated"].time["datetime"] == "2026-11-30"
    home = article_of(project / "site" / "index.html")
    who = home.select_one(".home-who")
    assert "This copy is run by Example <b>SME</b> Association." in who.get_text()
    assert who.find("b") is None


@pytest.mark.build
def test_a_last_updated_that_is_not_a_date_is_refused(tmp_path: Path, monkeypatch, caplog) -> None:
    project = fixture_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      schema_dir: schema\n", "      schema_dir: schema\n      last_updated: yesterday\n"
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(project)
    assert main(["build"]) == 1
    assert "expected a date as YYYY-MM-DD, got 'yesterday'" in caplog.text
