"""A second, invented guideline (``tests/fixtures/projects/fictional/``: the Riverside Harbour
Authority's ferry guidance) published by the same generator with no change of code: every item
gets its page, the navigation follows the content's order, and no word of the shipped guideline
reaches a page. One build of the pack serves the whole module."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import SCHEMA, SiteRequestHandler, serve
from projects import FIXTURE_PROJECTS, edit, fixture_project
from test_browser_library import axe_violations
from test_interface_language import content_strings, english_fragments, interface_text

from generator import cli, load_corpus, urls
from generator.locale import LOCALES_DIR
from generator.model import Corpus

pytestmark = pytest.mark.build

PACK = FIXTURE_PROJECTS / "fictional"

SHIPPED_WORDING = (
    "SME",
    "small and medium",
    "small or medium",
    "enterprise",
    "SRDI",
    "little giant",
    "2030",
    "2025 guideline",
    "Key areas",
    "Key compliance areas",
    "ten key areas",
    "Part 2",
    "departments, led by",
    "Chinese government",
    "MIIT",
)
"""Phrases only the shipped guideline (China's 2025 SME compliance guideline) has reason to use.

Chosen so that none is ordinary wording a site about any guideline could need: the subject of
the shipped guideline (SMEs, small and medium(-sized) or small or medium-sized enterprises,
"enterprise" at all: the pack speaks of operators and ferries), its labels (SRDI, "little giant"),
its dates (its 2030 goal, "the 2025 guideline"), its structure (the ten "Key areas" of its Part 2,
the "Key compliance areas" index) and its issuers (departments of the Chinese government, MIIT,
"departments, led by"). Generic words the generator may rightly use for any guideline, such as
"guideline", "compliance", "clause" or "area", are deliberately not in the list. Each phrase is
matched as whole words, ignoring case."""


def phrases_in(text: str) -> list[str]:
    return [phrase for phrase in SHIPPED_WORDING if re.search(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE)]


def visible_text(html_file: Path) -> str:
    """What a reader sees or hears of a page: its text outside scripts and styles, and the
    attributes shown as text (tooltips, image descriptions, labels, placeholders)."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    for element in soup(["script", "style", "template"]):
        element.decompose()
    shown = [
        str(element[name])
        for element in soup.find_all(True)
        for name in ("title", "alt", "aria-label", "placeholder")
        if element.has_attr(name)
    ]
    return " ".join([soup.get_text(" "), *shown])


@pytest.fixture(scope="module")
def pack_corpus() -> Corpus:
    return load_corpus(PACK / "content", SCHEMA)


@pytest.fixture(scope="module")
def pack_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack built as ``python -m generator --content DIR build`` builds it (in-process)."""
    project = fixture_project(tmp_path_factory.mktemp("fictional") / "project", "fictional")
    site = project / "site"
    status = cli.main(
        [
            "--content",
            str(project / "content"),
            "--schema",
            str(project / "schema"),
            "build",
            "--config",
            str(project / "mkdocs.yml"),
            "--site-dir",
            str(site),
        ]
    )
    assert status == 0
    return site


def page_file(site: Path, src_uri: str) -> Path:
    return site / urls.page_url(src_uri) / "index.html"


def soup_of(site: Path, src_uri: str) -> BeautifulSoup:
    return BeautifulSoup(page_file(site, src_uri).read_text(encoding="utf-8"), "html.parser")


def test_the_pack_is_clearly_fictional_and_uses_no_shipped_wording(pack_corpus: Corpus) -> None:
    """The pack's own text must be free of the phrases, or the page test below would prove nothing."""
    guideline = pack_corpus.guideline
    assert all("fictional" in issuer for issuer in guideline.issuers) and len(guideline.issuers) == 1
    assert "fictional" in guideline.title
    content = "\n".join(file.read_text(encoding="utf-8") for file in sorted((PACK / "content").rglob("*.yaml")))
    assert phrases_in(content) == []
    assert phrases_in((PACK / "docs" / "about.md").read_text(encoding="utf-8")) == []


def test_the_pack_has_what_a_guideline_site_shows(pack_corpus: Corpus) -> None:
    assert len(pack_corpus.areas) >= 3
    assert len(pack_corpus.checks) >= 3 and any(check.area is None for check in pack_corpus.checks.values())
    assert pack_corpus.cases and pack_corpus.terms and pack_corpus.library_documents
    assert pack_corpus.scales and pack_corpus.bands
    # Areas map to one section, several sections or a whole part; every one has clauses.
    areas = pack_corpus.areas.values()
    assert all(pack_corpus.area_clauses(area) for area in areas)
    assert any(len(area.section_ids) > 1 for area in areas) and any(area.part_id for area in areas)
    # The guideline has its own address and official source address.
    assert pack_corpus.guideline.address != "guideline" and pack_corpus.guideline.official_url
    # Every question feature: a gate, a question's own scale, all/any/not conditions, a check
    # whose questions take their areas from their clauses.
    questions = pack_corpus.questions.values()
    assert any(not question.scored for question in questions)
    assert any(question.scale for question in questions)
    conditions = {type(question.show_if).__name__ for question in questions if question.show_if}
    assert {"AllOf", "AnyOf"} <= conditions
    assert any(check.area is None and all(q.area for q in check.questions) for check in pack_corpus.checks.values())


def test_every_item_has_its_page(pack_site: Path, pack_corpus: Corpus) -> None:
    sources = [
        *(urls.area_src(area) for area in pack_corpus.areas),
        *(urls.check_src(check) for check in pack_corpus.checks),
        *(urls.case_src(case) for case in pack_corpus.cases),
        *(urls.document_src(document) for document in pack_corpus.library_documents),
    ]
    assert [source for source in sources if not page_file(pack_site, source).is_file()] == []
    glossary = soup_of(pack_site, urls.GLOSSARY)
    assert sorted(entry["id"] for entry in glossary.select("dl.glossary dt")) == sorted(pack_corpus.terms)


def test_navigation_lists_items_in_content_order(pack_site: Path, pack_corpus: Corpus) -> None:
    """Areas in the guideline's order of sections, checks across areas first, cases by first area:
    not alphabetical (the pack's ids are chosen so that the two orders differ)."""
    nav = soup_of(pack_site, urls.ABOUT).select_one("nav.md-nav--primary")
    listed = [link["href"].removeprefix("../") for link in nav.select("a.md-nav__link[href]")]

    def in_nav(sources: list[str]) -> list[str]:
        wanted = {urls.page_url(source) for source in sources}
        return [address for address in listed if address in wanted]

    areas = [urls.area_src(area.id) for area in pack_corpus.ordered_areas]
    assert (
        in_nav(areas)
        == [urls.page_url(source) for source in areas]
        == ["areas/crew/", "areas/vessel/", "areas/passengers/", "areas/guidance-review/"]
    )
    checks = [urls.check_src(check.id) for check in pack_corpus.ordered_checks]
    assert in_nav(checks) == [
        "checks/night-check/",
        "checks/season-check/",
        "checks/crew-check/",
        "checks/vessel-check/",
    ]
    cases = [urls.case_src(case.id) for case in pack_corpus.ordered_cases]
    assert in_nav(cases) == [
        "cases/fog-without-a-lookout/",
        "cases/the-cracked-ramp/",
        "cases/one-passenger-too-many/",
    ]


def test_the_home_page_links_every_section(pack_site: Path) -> None:
    links = {link["href"] for link in soup_of(pack_site, urls.HOME).select("article a[href]")}
    guideline = urls.guideline_src("ferry-guidance")
    sections = (guideline, urls.CASES_INDEX, urls.CHECKS_INDEX, urls.LIBRARY_INDEX, urls.GLOSSARY)
    assert [urls.page_url(source) for source in sections if urls.page_url(source) not in links] == []


def test_a_chinese_alias_finds_its_term_in_search(pack_site: Path) -> None:
    """The glossary entry carries the term's Chinese alias in the search index, so typing 集合点 on
    the English site finds "muster point"."""
    index = json.loads((pack_site / urls.SEARCH_INDEX).read_text(encoding="utf-8"))
    entries = [entry for entry in index["docs"] if "集合点" in entry["text"]]
    assert entries and all(entry["location"].startswith("glossary/") for entry in entries)


def test_no_word_of_the_shipped_guideline_on_any_page(pack_site: Path) -> None:
    found = {
        html.relative_to(pack_site).as_posix(): phrases
        for html in sorted(pack_site.rglob("*.html"))
        if (phrases := phrases_in(visible_text(html)))
    }
    assert found == {}


@pytest.fixture(scope="module")
def chinese_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same pack built with ``theme.language: zh`` (its content stays English)."""
    project = fixture_project(tmp_path_factory.mktemp("fictional-zh") / "project", "fictional")
    config = project / "mkdocs.yml"
    edit(config, "  language: en\n", "  language: zh\n")
    status = cli.main(
        ["--content", str(project / "content"), "--schema", str(project / "schema"), "build"]
        + ["--config", str(config), "--site-dir", str(project / "site")]
    )
    assert status == 0
    return project


INTERFACE = tuple(sorted(path.stem for path in (LOCALES_DIR / "en").glob("*.yaml")))
"""Every namespace of interface texts: on a Chinese build, none of their English words may show."""


def test_every_page_of_a_chinese_build_has_a_chinese_interface(chinese_pack: Path) -> None:
    """Every page type (home, guideline, areas over sections and a part, checks with gates and
    conditions, cases, glossary, library, plan, about, 404): no English run of any interface text
    in its text, titles, labels or the texts handed to its scripts, once the pack's own (English)
    strings are taken out; and each page is marked as Chinese."""
    content = content_strings(chinese_pack)
    fragments = english_fragments(INTERFACE)
    assert {"Last changed", "Your result", "Print plan", "Page not found"} & fragments, "the check can fail"
    pages = sorted((chinese_pack / "site").rglob("*.html"))
    assert len(pages) >= 20
    found = {}
    for html_file in pages:
        html = html_file.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:  # a redirect stub, shown for a moment
            continue
        assert BeautifulSoup(html, "html.parser").html["lang"] == "zh", html_file
        shown = re.sub(r"https?://\S+", " ", interface_text(html, content, whole_page=True))  # addresses are no words
        if left := sorted(fragment for fragment in fragments if fragment in shown):
            found[html_file.relative_to(chinese_pack / "site").as_posix()] = left
    assert found == {}


def test_content_in_another_language_than_the_interface_is_marked(chinese_pack: Path, pack_site: Path) -> None:
    """The pack says it is written in English: on the Chinese build its official text, explanations
    and cases carry lang="en"; on the English build nothing is marked."""
    area = "areas/crew/index.html"
    zh = BeautifulSoup((chinese_pack / "site" / area).read_text(encoding="utf-8"), "html.parser")
    marked = [element.get_text(" ", strip=True) for element in zh.select('article [lang="en"]')]
    assert any("lookout on the bridge" in text for text in marked), "the official clause"
    assert any("muster" in text or "lookout" in text for text in marked[1:]), "the explanation too"
    assert zh.select_one("article h1").find_parent(attrs={"lang": "en"}) is None, "interface headings stay zh"
    en = BeautifulSoup((pack_site / area).read_text(encoding="utf-8"), "html.parser")
    assert en.select('article [lang="en"]') == []


NIGHT_ANSWERS = {
    "night-crosses": "yes",
    "night-lookout": "partly",
    "night-forecast": "no",
    "night-stop": "yes",
    "night-muster": "yes",
}
"""The pack's topic check answered through its gate and every kind of condition: the gate opens the
lookout question, all(gate, not N/A) opens the forecast, any(partly lookout, no forecast) opens the
red-line fog question."""


@pytest.mark.browser
def test_the_chinese_pack_scores_its_topic_check_like_the_cli_with_no_accessibility_violation(
    browser, chinese_pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """In Chromium, on the Chinese build of the fictional pack (its runtime boots without a memory
    snapshot): the check with a gate, a Yes/No question and all/any/not conditions scores as
    ``score`` does, and the scored check page, an area over two sections and the guideline at its
    own address have no serious or critical accessibility violation."""
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(NIGHT_ANSWERS), encoding="utf-8")
    content = chinese_pack / "content"
    capsys.readouterr()
    assert cli.main(["--content", str(content), "--schema", str(chinese_pack / "schema"), "score"]
                    + ["night-check", str(answers), "--language", "zh"]) == 0  # fmt: skip
    expected = json.loads(capsys.readouterr().out)
    server, url = serve(chinese_pack / "site", SiteRequestHandler)
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url + "checks/night-check/")
        page.wait_for_selector('form[data-check-state="ready"]', timeout=120_000)
        for question, option in NIGHT_ANSWERS.items():  # page order: each follow-up shows once answered
            page.locator(f'input[name="{question}"][value="{option}"]').check()
        page.wait_for_selector('[data-result-status="complete"]', timeout=30_000)
        shown = page.inner_text("[data-result-score]"), page.get_attribute("[data-result-level]", "data-level")
        assert shown == (f"{expected['score']:.1f}", expected["level"])
        assert expected["progress"] == {"answered": 5, "applicable": 5} and expected["hidden"] == []
        # Areas from the clauses: the weather clauses belong to the vessel area's second section.
        assert [area["id"] for area in expected["areas"]] == ["crew", "vessel", "passengers"]
        found = {"checks/night-check/": axe_violations(page)}
        for address in ("areas/vessel/", "ferry-guidance/"):
            page.goto(url + address)
            page.wait_for_load_state("networkidle")
            found[address] = axe_violations(page)
        assert found == {address: [] for address in found}
        assert errors == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()
