"""Site search: case pages index as words with their lesson first, and synonym groups (content)
make US and UK spellings find the same sections, down to Material's search box in Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SCHEMA, Visit
from projects import fixture_project

from generator import load_corpus
from generator.diagnostics import ContentError
from generator.model import SynonymGroup
from generator.search import expand_index, missing_variants

LABOUR = SynonymGroup(("labour", "labor"))
LICENCE = SynonymGroup(("licence", "license"))


def test_a_section_gets_the_variants_of_the_words_it_uses() -> None:
    assert missing_variants("<p>Sign a <em>labour</em> contract.</p>", [LABOUR, LICENCE]) == ["labor"]
    assert missing_variants("Labor and labour", [LABOUR]) == []
    assert missing_variants("A laboratory and a labourer", [LABOUR]) == [], "whole words only"


def test_the_index_keeps_its_text_and_gains_the_variants_at_the_end() -> None:
    index = {
        "config": {},
        "docs": [
            {"location": "a/", "title": "Labour", "text": "<p>Contracts.</p>"},
            {"location": "b/", "title": "Other", "text": "<p>A licence and a labor contract.</p>"},
            {"location": "c/", "title": "None", "text": "<p>Nothing here.</p>"},
        ],
    }
    assert expand_index(index, [LABOUR, LICENCE]) == 2
    assert [(doc["title"], doc["text"]) for doc in index["docs"]] == [
        ("Labour<span hidden> labor</span>", "<p>Contracts.</p>"),
        ("Other", "<p>A licence and a labor contract.</p><p hidden>labour license</p>"),
        ("None", "<p>Nothing here.</p>"),
    ]


def test_a_word_in_two_groups_is_refused(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "project")
    (project / "content" / "synonyms.yaml").write_text(
        "# yaml-language-server: $schema=../schema/synonyms.schema.json\n"
        "synonyms:\n  - [labour, labor]\n  - [work, labor]\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as raised:
        load_corpus(project / "content", SCHEMA, project)
    assert "content/synonyms.yaml:4:" in raised.value.report() and "synonym:labor" in raised.value.report()


def search_index(site: Path) -> dict[str, dict]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {entry["location"]: entry for entry in index["docs"]}


def plain(html: str) -> str:
    """The text without tags, and without the zero-width spaces that split Chinese into words."""
    return " ".join(re.sub(r"<[^>]*>", " ", html).replace("\u200b", "").split())


@pytest.mark.build
def test_a_case_result_starts_with_its_lesson_and_its_metadata_reads_as_words(built_site: Path, corpus) -> None:
    docs = search_index(built_site)
    for case in corpus.cases.values():
        text = plain(docs[f"cases/{case.id}/"]["text"])
        assert text.startswith(f"Lesson: {case.lesson}"), (case.id, text[:80])
        areas = ", ".join(corpus.areas[area].title for area in case.areas)
        assert f"Areas {areas} Clauses" in text, case.id
        keywords = " ".join(case.keywords)
        assert f"Keywords {keywords}" in text, (case.id, "keywords run together")


@pytest.mark.build
def test_the_built_index_finds_labour_pages_by_the_us_spelling(built_site: Path) -> None:
    docs = search_index(built_site)
    case = docs["cases/unsigned-contracts/"]
    assert case["title"].endswith("<span hidden> labor</span>"), "its title says labour"
    assert "labor" in re.findall(r"[a-z]+", docs["cases/unsigned-contracts/#facts"]["text"].lower())
    official = [entry for location, entry in docs.items() if location.startswith("guideline/")]
    assert any("labor contract system" in entry["text"] for entry in official)


@pytest.mark.build
@pytest.mark.parametrize(
    ("keyword", "case_id"),
    [
        ("劳动合同", "unsigned-contracts"),
        ("两用物项", "dual-use-without-licence"),
        ("危险废物", "waste-solvent-hand-off"),
    ],
)
def test_a_chinese_keyword_finds_its_case_in_the_built_index(built_site: Path, keyword: str, case_id: str) -> None:
    """The theme splits Chinese with jieba when it writes the index (words between zero-width
    spaces, which the index's separator splits on), and the search box splits a Chinese query into
    the index's words. So a reader typing the keyword finds the case if the case page's entry holds
    every word jieba makes of the keyword, in order."""
    import jieba

    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    words = list(jieba.cut(keyword))
    found = [
        entry["location"]
        for entry in index["docs"]
        if "\u200b".join(words) in entry["text"]
        and set(words) <= set(separator.split(re.sub(r"<[^>]*>", " ", entry["text"]).lower()))
    ]
    assert f"cases/{case_id}/" in found, (keyword, words, found)


def search_results(page, query: str) -> list[str]:
    """The page addresses Material's search lists for ``query``, best first, as a reader types it."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query)
    page.locator(".md-search-result__item").first.wait_for()
    links = page.locator(".md-search-result__item > a.md-search-result__link").evaluate_all(
        "links => links.map(link => new URL(link.href).pathname)"
    )
    return [path.rstrip("/").rsplit("/", 1)[-1] or "home" for path in links]


@pytest.mark.browser
@pytest.mark.build
def test_searching_labor_contract_finds_the_labour_clause_and_case_before_the_roof_contractor(
    visit: Visit, site_url: str
) -> None:
    page = visit.page
    page.goto(site_url)
    results = search_results(page, "labor contract")
    assert "guideline" in results and "unsigned-contracts" in results, results
    if "contractor-roof-fall" in results:
        roof = results.index("contractor-roof-fall")
        assert results.index("guideline") < roof and results.index("unsigned-contracts") < roof, results
    result = page.locator(".md-search-result__item", has=page.locator("a[href*='unsigned-contracts']")).first
    shown = result.locator("article").first.inner_text()
    assert "Lesson:" in shown, "the case's result shows its lesson"
    assert not re.search(r"\blabor\b", shown), "the variants added to the index stay hidden"
