"""End-to-end: the real content builds with --strict, and the published text is complete and verbatim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, article_text

pytestmark = pytest.mark.build

SOURCE = ROOT / "tests" / "fixtures" / "sources" / "2025-guiding-opinions-sme-compliance.txt"
FURNITURE = ("Return", "Previous:", "Next:")


def guideline_body(text: str) -> str:
    """Parts 1–3 of the source: from the heading '1、' to the list of issuing offices."""
    start = text.index("1、 Overall requirements")
    end = text.index("Office of the Ministry of Industry and Information Technology\nOffice of the Central")
    return text[start:end]


def sentences(text: str) -> list[str]:
    pieces = re.split(r"(?<=[.;])\s+", " ".join(text.split()))
    return [piece for piece in pieces if len(piece) > 3]


def test_every_sentence_of_parts_1_to_3_is_published_verbatim(built_site: Path) -> None:
    published = article_text(built_site / "guideline" / "index.html")
    missing = [
        sentence
        for sentence in sentences(guideline_body(SOURCE.read_text(encoding="utf-8")))
        if sentence not in published
    ]
    assert missing == []


def test_issuers_addressees_and_number_are_published(built_site: Path) -> None:
    published = article_text(built_site / "guideline" / "index.html")
    source = SOURCE.read_text(encoding="utf-8")
    issuers_block = source[
        source.index("Office of the Ministry of Industry and Information Technology\nOffice of the Central") :
    ]
    issuers = issuers_block.split("\n\n")[0].splitlines()[:-1]
    assert len(issuers) == 15
    for issuer in issuers:
        assert issuer in published
    assert (
        "Departments in charge of small and medium-sized enterprises, Party Committee Propaganda Department"
        in published
    )
    assert "Joint Enterprise [2025] No. 14" in published


def test_page_furniture_of_the_capture_is_not_published(built_site: Path) -> None:
    for html_file in built_site.rglob("*.html"):
        text = article_text(html_file) if "<article" in html_file.read_text(encoding="utf-8") else ""
        for furniture in ("Previous:Effective immediately", "Next:Regulations of the State Council"):
            assert furniture not in text, html_file


def test_each_clause_has_a_permalink_anchor_and_copy_link(built_site: Path) -> None:
    soup = BeautifulSoup((built_site / "guideline" / "index.html").read_text(encoding="utf-8"), "html.parser")
    clauses = soup.select("div.clause[id]")
    assert len(clauses) >= 70
    for clause in clauses:
        link = clause.select_one("a[data-copy-link]")
        assert link is not None and link["href"] == f"#{clause['id']}"


def test_area_page_has_official_clauses_then_marked_explanation(built_site: Path) -> None:
    soup = BeautifulSoup((built_site / "areas" / "labour" / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    official = article.select_one("#official-text")
    explanation = article.select_one("#explanation")
    assert official is not None and explanation is not None
    html = str(article)
    assert html.index('id="labour-1"') < html.index('id="explanation"')
    label = article.select_one(".explanation__label").get_text()
    assert "not part of the official text" in label


def test_home_page_says_what_the_guideline_is(built_site: Path) -> None:
    text = article_text(built_site / "index.html")
    assert "Joint Enterprise [2025] No. 14" in text
    assert "March 7, 2025" in text
    assert "15 departments" in text
    assert "By 2030" in text
    soup = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    ways = [link.get_text(" ", strip=True) for link in soup.select(".ways-in a.way-in")]
    assert any(way.startswith("Read the guideline") for way in ways)


def test_no_page_references_another_host(built_site: Path) -> None:
    pattern = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""")
    for html_file in built_site.rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        loaders = [
            match
            for match in pattern.finditer(head)
            if "canonical" not in head[max(0, match.start() - 40) : match.start()]
        ]
        assert not loaders, (html_file, [head[m.start() : m.start() + 80] for m in loaders])
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_nothing_generated_is_written_into_the_repository(built_site: Path) -> None:
    assert not (ROOT / "docs" / "guideline.md").exists()
    assert not (ROOT / "docs" / "areas").exists()
