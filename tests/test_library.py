"""The policy library, timeline and glossary as built from the real content."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, ROOT, SCHEMA, article_text

from generator import ContentError, load_corpus
from generator.feature import blocks
from generator.features import GLOSSARY
from generator.glossary import mark_terms
from generator.library import timeline_entries
from generator.model import Corpus, Term, date_key
from generator.render import SEARCH_BOOST, PageContext, Site

SOURCES = ROOT / "tests" / "fixtures" / "sources"
NOTICE = SOURCES / "2020-miit-notice-sme-resume-production.txt"
SOURCE_TEXTS = {
    "scio-briefing-2020": SOURCES / "2020-scio-briefing-sme-support.txt",
    "quality-plan-analysis-2023": SOURCES / "2023-sme-quality-standards-plan-analysis.txt",
    "guideline-news-2025": SOURCES / "2025-news-global-times-guideline.txt",
}


def soup_of(html_file: Path) -> BeautifulSoup:
    return BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")


def flat(text: str) -> str:
    return " ".join(text.split())


def notice_measures(text: str) -> dict[int, str]:
    """The 20 numbered measures of the notice: the text after each number, up to the next paragraph."""
    measures = {}
    for paragraph in text.split("\n\n"):
        match = re.match(r"^(\d{1,2})\. (.+)$", paragraph.strip(), re.S)
        if match and len(match.group(2)) > 120:
            measures[int(match.group(1))] = flat(match.group(2))
    return measures


def sentences(text: str) -> list[str]:
    return [piece for piece in re.split(r"(?<=[.;:])\s+", flat(text)) if len(piece) > 3]


@pytest.mark.build
def test_every_sentence_of_the_20_measures_of_the_2020_notice_is_published(built_site: Path) -> None:
    measures = notice_measures(NOTICE.read_text(encoding="utf-8"))
    assert sorted(measures) == list(range(1, 21))
    published = article_text(built_site / "library" / "miit-notice-2020" / "index.html")
    missing = [sentence for text in measures.values() for sentence in sentences(text) if sentence not in published]
    assert missing == []


@pytest.mark.build
def test_notice_has_six_sections_and_a_permalink_per_measure_and_sentence(built_site: Path) -> None:
    soup = soup_of(built_site / "library" / "miit-notice-2020" / "index.html")
    article = soup.select_one("article")
    section_headings = [heading.get_text(" ", strip=True).rstrip("¶ ") for heading in article.select("h2")]
    for label in ("I. Fully ensure", "II. Further strengthen fiscal", "III.", "IV.", "5. Further", "6. Further"):
        assert any(heading.startswith(label) for heading in section_headings), (label, section_headings)
    for number in range(1, 21):
        measure = article.select_one(f"#notice-measure-{number}")
        assert measure is not None and measure.name == "h3", number
    clauses = article.select("div.clause[id]")
    assert len(clauses) >= 60
    for clause in clauses:
        assert clause.select_one("a[data-copy-link]")["href"] == f"#{clause['id']}"


@pytest.mark.build
def test_notice_metadata_and_frame_text_are_published_without_page_furniture(built_site: Path) -> None:
    source = NOTICE.read_text(encoding="utf-8")
    published = article_text(built_site / "library" / "miit-notice-2020" / "index.html")
    for line in (
        "Ministry of Industry and Information Technology Telegram [ 2020 ] 14 Number",
        "MIIT Telegram [2020] No. 14",
        "February 9, 2020",
        flat(source[source.index("To the departments") : source.index("Corps:") + len("Corps:")]),
        flat(source[source.index("To thoroughly implement") : source.index("following notice:") + 17]),
        "Localities should promptly report to the Small and Medium-sized Enterprises Bureau",
        "Notice from the Ministry of Industry and Information Technology on Measures to Help Small",
    ):
        assert line in published, line
    for furniture in ("Related News", "undefined", "Key words:"):
        assert furniture not in published


@pytest.mark.build
def test_source_pages_quote_their_source_verbatim_and_mark_the_summary_as_ours(built_site: Path, corpus) -> None:
    for source_id, file in SOURCE_TEXTS.items():
        original = flat(file.read_text(encoding="utf-8"))
        soup = soup_of(built_site / "library" / source_id / "index.html")
        quotes = [flat(quote.get_text(" ")) for quote in soup.select(".fact__quote")]
        assert len(quotes) == len(corpus.library_sources[source_id].facts) > 0
        for quote in quotes:
            assert quote in original, (source_id, quote)
        label = soup.select_one(".source-summary .explanation__label").get_text()
        assert "not official text" in label
        assert corpus.library_sources[source_id].publisher in article_text(
            built_site / "library" / source_id / "index.html"
        )


@pytest.mark.build
def test_briefing_page_shows_the_key_figures_with_the_sentences_stating_them(built_site: Path) -> None:
    soup = soup_of(built_site / "library" / "scio-briefing-2020" / "index.html")
    figures = {fact["id"]: fact for fact in soup.select("li.fact")}
    assert figures["little-giants-first-batch"]["data-figure"] == "248"
    assert "248" in figures["little-giants-first-batch"].select_one(".fact__quote").get_text()
    assert figures["demonstration-platforms"]["data-figure"] == "657"
    assert "one law, one regulation and two guidelines" in figures["one-law-one-regulation-two-guidelines"].get_text()
    assert figures["cultivation-centers"].select_one(".fact__figure").get_text() == "more than 60,000 SMEs"


@pytest.mark.build
def test_timeline_lists_every_dated_item_in_date_order(built_site: Path, corpus) -> None:
    soup = soup_of(built_site / "library" / "timeline" / "index.html")
    entries = soup.select("ol.timeline > li[data-item]")
    items = [entry["data-item"] for entry in entries]
    expected = {*corpus.documents, *corpus.library_sources, *corpus.events}
    assert sorted(items) == sorted(expected)
    dates = [entry["data-date"] for entry in entries]
    assert dates == sorted(dates, key=date_key)
    milestones = ["sme-promotion-law-amended-2017", "miit-notice-2020", "scio-briefing-2020"]
    milestones += ["sme-quality-plan-announced-2023", "guideline"]
    assert [item for item in items if item in milestones] == milestones
    for entry in entries:
        assert entry.select_one("time")["datetime"] == entry["data-date"]


def test_a_partial_date_is_placed_after_the_days_of_its_period() -> None:
    dates = ["2025-04-01", "2025-03", "2017", "2025-03-07", "2020-02-09", "2020-10-29", "2025"]
    assert sorted(dates, key=date_key) == [
        "2017",
        "2020-02-09",
        "2020-10-29",
        "2025-03-07",
        "2025-03",
        "2025-04-01",
        "2025",
    ]


def test_timeline_follows_content_dates_not_file_order(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    law = content / "library" / "sme-promotion-law-2017.yaml"
    law.write_text(law.read_text(encoding="utf-8").replace('date: "2017"', "date: 2026-01-01"), encoding="utf-8")
    moved = timeline_entries(load_corpus(content, SCHEMA, tmp_path))
    assert moved[-1].id == "sme-promotion-law-amended-2017"


def test_an_event_must_quote_a_passage_its_source_records(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    event = content / "library" / "quality-plan-2023.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("On May 25, MIIT", "On May 26, MIIT"), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_corpus(content, SCHEMA, tmp_path)
    assert [str(problem) for problem in error.value.problems] == [
        "content/library/quality-plan-2023.yaml:7:8: $.quote: the quote must be one of the passages recorded "
        "in the facts of 'quality-plan-analysis-2023'",
    ]


def test_a_full_date_must_be_a_real_day(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    event = content / "library" / "quality-plan-2023.yaml"
    event.write_text(
        event.read_text(encoding="utf-8").replace("date: 2023-05-25", "date: 2023-02-30"), encoding="utf-8"
    )
    with pytest.raises(ContentError) as error:
        load_corpus(content, SCHEMA, tmp_path)
    assert [str(problem) for problem in error.value.problems] == [
        "content/library/quality-plan-2023.yaml:3:7: $.date: '2023-02-30' is not a valid date",
    ]


@pytest.mark.build
def test_library_index_lists_documents_and_background_and_is_in_the_navigation(built_site: Path, corpus) -> None:
    soup = soup_of(built_site / "library" / "index.html")
    links = {link["href"] for link in soup.select("article .library-list a")}
    for document in corpus.documents.values():
        assert any(document.id in href or (document.role == "guideline" and "guideline/" in href) for href in links)
    for source_id in corpus.library_sources:
        assert f"../{source_id}/" in links or f"{source_id}/" in links, source_id
    nav = soup.select_one("nav.md-nav--primary").get_text(" ")
    assert "Policy library" in nav and "Timeline" in nav and "Glossary" in nav
    home = soup_of(built_site / "index.html")
    assert any(card.get_text().startswith("Policy library") for card in home.select(".ways-in a.way-in"))


@pytest.mark.build
def test_each_area_page_links_to_the_policy_items_that_name_it(built_site: Path, corpus) -> None:
    linked_somewhere = 0
    for area in corpus.areas.values():
        soup = soup_of(built_site / "areas" / area.id / "index.html")
        hrefs = [link["href"] for link in soup.select("ul.related-policy a")]
        named_by = [item.id for item in corpus.library_sources.values() if area.id in item.areas]
        named_by += [item.id for item in corpus.documents.values() if area.id in item.areas]
        for item_id in named_by:
            assert f"../../library/{item_id}/" in hrefs, (area.id, item_id)
        events = [event.id for event in corpus.events.values() if area.id in event.areas]
        for event_id in events:
            assert f"../../library/timeline/#{event_id}" in hrefs
        assert len(hrefs) == len(named_by) + len(events)
        linked_somewhere += bool(hrefs)
    assert linked_somewhere >= 3


@pytest.mark.build
def test_glossary_page_defines_every_term(built_site: Path, corpus) -> None:
    soup = soup_of(built_site / "glossary" / "index.html")
    for term in corpus.terms.values():
        entry = soup.select_one(f"dt#{term.id}")
        assert entry is not None and entry.get_text() == term.term
        assert term.definition in entry.find_next_sibling("dd").get_text()


@pytest.mark.build
def test_terms_are_explained_where_they_first_occur_in_official_text(built_site: Path, corpus) -> None:
    soup = soup_of(built_site / "guideline" / "index.html")
    marks = soup.select("article abbr.term")
    export = [mark for mark in marks if mark["data-term"] == "export-control"]
    assert len(export) == 1
    assert export[0]["title"] == corpus.terms["export-control"].definition
    assert export[0].get_text().lower().startswith("export control")
    assert export[0].find_parent("div", class_="clause")["id"] == "international-1"
    assert len({mark["data-term"] for mark in marks}) == len(marks)
    for mark in marks:
        assert mark.find_parent(["h1", "h2", "h3", "a"]) is None
    notice = soup_of(built_site / "library" / "miit-notice-2020" / "index.html")
    assert notice.select_one('abbr[data-term="force-majeure"]').find_parent("div", class_="clause")["id"] == (
        "notice-measure-18-2"
    )


def test_term_marking_keeps_text_escaped_and_never_marks_inside_entities() -> None:
    terms = {
        "quot": Term("quot", "quot", 'Says "<b>bold</b>" & more'),
        "rd": Term("rd", "R&D", "Research and development.", aliases=("research & development",)),
    }
    site = Site(Corpus(terms=terms), blocks([GLOSSARY]))
    context = PageContext(site, "guideline.md")
    html = context.official('Use "quot" for R&D <script>; R&D again.')
    assert html == (
        'Use &quot;<abbr class="term" data-term="quot" '
        'title="Says &quot;&lt;b&gt;bold&lt;/b&gt;&quot; &amp; more" tabindex="0">quot</abbr>&quot; for '
        '<abbr class="term" data-term="rd" title="Research and development." tabindex="0">R&amp;D</abbr> '
        "&lt;script&gt;; R&amp;D again."
    )
    assert mark_terms(PageContext(site, "x.md"), "no terms here") == "no terms here"


@pytest.mark.build
def test_library_documents_are_boosted_in_search(built_site: Path) -> None:
    import json

    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    boosts = {doc["location"].split("#")[0]: doc.get("boost") for doc in index["docs"]}
    assert boosts["guideline/"] == boosts["library/miit-notice-2020/"] == SEARCH_BOOST
    assert boosts.get("library/scio-briefing-2020/") is None


@pytest.mark.build
def test_footer_shows_no_owner_or_registration_by_default(built_site: Path) -> None:
    assert soup_of(built_site / "index.html").select_one(".site-registration") is None
