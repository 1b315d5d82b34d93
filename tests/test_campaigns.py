"""Campaigns (issue #12): a named list of cases in content, shown by the case index for
``/cases/?set=<id>`` and printed as a sheet of QR codes at ``/cases/sets/<id>/``.

The generic behaviour is tried on the small fixture project with the cases and campaigns of
``tests/fixtures/campaigns/`` (one campaign with hostile text, one long enough to print on more
than one page); the shipped campaign is checked on the real site. Content errors are fixtures
beside the exact problems they must give (``invalid/*.yaml`` and ``.expected``)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import SCHEMA, article_of, serve
from projects import FIXTURE_PROJECTS, add_content, fixture_project

from generator import load_corpus, site_pages
from generator.diagnostics import ContentError
from generator.model import Campaign, Case, Corpus

FIXTURES = Path(__file__).parent / "fixtures" / "campaigns"
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
SITE_URL = "https://compliance.example.org/"
HOSTILE_ORDER = ["print-shop-overtime", "unsigned-contracts"]
"""The hostile campaign's cases, in its order (the index lists them the other way round)."""
FILLERS = [f"filler-{number:02d}" for number in range(1, 13)]
LONG_ORDER = ["bakery-rest-days", *FILLERS, "print-shop-overtime", "unsigned-contracts"]
"""The long campaign: 15 cases, more than one A4 page of codes."""
MM = 96 / 25.4
"""CSS pixels in a millimetre."""


def folder_for(file: Path) -> str:
    """Where a fixture goes in a project's content, from the schema its first line names."""
    return "campaigns" if "campaign.schema.json" in file.read_text(encoding="utf-8").partition("\n")[0] else "cases"


def filler_case(number: int) -> str:
    text = (FIXTURES / "cases" / "print-shop-overtime.yaml").read_text(encoding="utf-8")
    title = f"Filler case {number:02d}: " + "a workshop with a longer title than most " * (number % 3)
    return text.replace("id: print-shop-overtime", f"id: filler-{number:02d}").replace(
        'title: "A print shop that kept no record of overtime"', f'title: "{title.strip()}"'
    )


def campaign_project(target: Path) -> Path:
    """The fixture project with the fixture cases, twelve fillers and both campaigns."""
    project = fixture_project(target)
    for file in sorted((FIXTURES / "cases").glob("*.yaml")):
        add_content(project, f"cases/{file.name}", file)
    for number in range(1, 13):
        (project / "content" / "cases" / f"filler-{number:02d}.yaml").write_text(
            filler_case(number).replace("../../../../schema/", "../../schema/"), encoding="utf-8"
        )
    for file in sorted((FIXTURES / "campaigns").glob("*.yaml")):
        add_content(project, f"campaigns/{file.name}", file)
    (project / "content" / "campaigns" / "long-week.yaml").write_text(
        "# yaml-language-server: $schema=../../schema/campaign.schema.json\n"
        "id: long-week\n"
        'title: "A long campaign"\n'
        "description: Fifteen cases, to print on more than one page.\n"
        f"cases: [{', '.join(LONG_ORDER)}]\n",
        encoding="utf-8",
    )
    return project


# --------------------------------------------------------------------------- content errors


@pytest.mark.parametrize("file", INVALID, ids=lambda file: file.stem)
def test_a_bad_campaign_is_reported_at_its_file_line_and_field(tmp_path: Path, file: Path) -> None:
    project = fixture_project(tmp_path / "project")
    add_content(project, f"{folder_for(file)}/{file.name}", file)
    with pytest.raises(ContentError) as raised:
        load_corpus(project / "content", project / "schema", project)
    expected = file.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert [str(problem) for problem in raised.value.problems] == [line for line in expected if line.strip()]


def test_a_content_folder_without_campaigns_builds_its_case_index_without_them() -> None:
    corpus = load_corpus(FIXTURE_PROJECTS / "minimal" / "content", SCHEMA)
    assert dict(corpus.campaigns) == {}
    pages = {page.src_uri: page.markdown for page in site_pages(corpus, site_url=SITE_URL)}
    assert not [src for src in pages if src.startswith("cases/sets/")]
    index = BeautifulSoup(pages["cases/index.md"], "html.parser")
    assert index.select(".case-sets, [data-case-set]") == []
    assert index.select_one("[data-case-set-unknown]").has_attr("hidden"), "a stale ?set= link still gets its notice"


def test_campaigns_are_listed_newest_first_then_undated_by_title() -> None:
    def campaign(id: str, title: str, date: str | None = None) -> Campaign:
        return Campaign(id=id, title=title, description="Text.", cases=("c",), date=date)

    corpus = Corpus(
        campaigns={
            "b": campaign("b", "Beta"),
            "a": campaign("a", "alpha"),
            "old": campaign("old", "Old", "2024-03-01"),
            "new": campaign("new", "New", "2025-05-01"),
        }
    )
    assert [item.id for item in corpus.ordered_campaigns] == ["new", "old", "a", "b"]


# --------------------------------------------------------------------------- the sheet, without a browser


@pytest.fixture(scope="module")
def campaign_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    project = campaign_project(tmp_path_factory.mktemp("corpus") / "project")
    return load_corpus(project / "content", project / "schema", project)


def sheet(corpus: Corpus, campaign_id: str, site_url: str) -> BeautifulSoup:
    pages = {page.src_uri: page.markdown for page in site_pages(corpus, site_url=site_url)}
    return BeautifulSoup(pages[f"cases/sets/{campaign_id}.md"], "html.parser")


@pytest.mark.parametrize("site_url", [SITE_URL, "https://sme.example.gov.cn/compliance/"])
def test_the_sheet_has_one_code_per_case_in_order_to_its_address(campaign_corpus: Corpus, site_url: str) -> None:
    soup = sheet(campaign_corpus, "long-week", site_url)
    cards = soup.select("li.case-sheet__item")
    assert [card["data-case"] for card in cards] == LONG_ORDER
    for card in cards:
        case: Case = campaign_corpus.cases[card["data-case"]]
        address = f"{site_url}cases/{case.id}/"
        assert [svg["aria-label"] for svg in card.select("svg.qr-code")] == [f"QR code for {address}"]
        assert card.select_one(".case-sheet__url").get_text() == address
        assert card.select_one(".case-sheet__title").get_text() == case.title
        assert card.select_one(".case-sheet__lesson").get_text() == case.lesson
    whole = soup.select_one(".case-sheet__all svg.qr-code")
    assert whole["aria-label"] == f"QR code for {site_url}cases/?set=long-week"
    preview = soup.select_one(".case-sheet__preview")
    if site_url == SITE_URL:
        assert preview.get_text(" ", strip=True).startswith("Preview build: links point to a placeholder")
    else:
        assert preview is None, "a real address prints no preview notice"


def test_without_a_site_address_the_sheet_says_so_and_prints_no_codes(campaign_corpus: Corpus) -> None:
    soup = sheet(campaign_corpus, "long-week", "")
    assert soup.select("svg") == []
    assert soup.select_one(".case-sheet__preview").get_text(" ", strip=True).startswith("No site address")
    assert len(soup.select("li.case-sheet__item")) == len(LONG_ORDER)


# --------------------------------------------------------------------------- the built fixture site


@pytest.fixture(scope="module")
def campaign_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from generator.sitebuild import build_site

    project = campaign_project(tmp_path_factory.mktemp("campaigns") / "project")
    return build_site(project / "mkdocs.yml", project / "site")


@pytest.fixture(scope="module")
def campaign_url(campaign_site: Path) -> Iterator[str]:
    server, url = serve(campaign_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.mark.build
def test_the_index_lists_each_campaign_with_links_that_work_without_javascript(campaign_site: Path) -> None:
    index = article_of(campaign_site / "cases" / "index.html")
    items = index.select(".case-sets li")
    assert [item.a.get_text() for item in items] == [
        "Week of \"quotes\", 'apostrophes' & ampersands",
        "A long campaign",
    ]
    assert [[link["href"] for link in item.select("a")] for item in items] == [
        ["sets/hostile-week/", "./?set=hostile-week"],
        ["sets/long-week/", "./?set=long-week"],
    ]
    assert (campaign_site / "cases" / "sets" / "hostile-week" / "index.html").is_file()
    heading = index.select_one('[data-case-set="hostile-week"]')
    assert heading.has_attr("hidden") and heading["data-case-set-cases"] == " ".join(HOSTILE_ORDER)
    assert {element.name for element in heading.find_all(True)} <= {"h2", "div", "p", "a"}
    assert [link["href"] for link in heading.select("a")] == ["../guideline/#labour-2", "sets/hostile-week/", "./"]


def visible_cases(page) -> list[str]:
    """The ids of the case cards shown, in the order the page shows them."""
    return page.locator("li.case-card:visible").evaluate_all("cards => cards.map(card => card.dataset.case)")


@pytest.mark.build
@pytest.mark.browser
def test_a_set_link_shows_only_the_campaigns_cases_in_its_order_under_its_heading(
    browser, campaign_url: str, campaign_corpus: Corpus
) -> None:
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("dialog", lambda dialog: (problems.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(campaign_url + "cases/?set=hostile-week")
    heading = page.locator("[data-case-set=hostile-week]")
    heading.wait_for()
    assert heading.locator("h2").inner_text() == "Week of \"quotes\", 'apostrophes' & ampersands"
    description = heading.locator(".case-set__description").inner_text()
    assert "<img src=x onerror=\"window.__pwned = 'img'\">" in description
    assert '</script><script>window.__pwned = "script"</script>' in description
    assert visible_cases(page) == HOSTILE_ORDER
    assert page.locator("[data-case-count]").inner_text() == "Showing the 2 cases of this campaign"
    assert page.locator("[data-case-set-unknown]").is_hidden()
    page.fill("input[name=q]", "overtime")
    assert visible_cases(page) == ["print-shop-overtime"]
    assert page.url.endswith("cases/?set=hostile-week&q=overtime"), "the address keeps the campaign"
    page.fill("input[name=q]", "")

    heading.get_by_role("link", name="Show all cases").click()
    assert heading.is_hidden()
    assert visible_cases(page) == [case.id for case in campaign_corpus.ordered_cases], "back in the index's order"
    assert page.url == campaign_url + "cases/"
    assert page.evaluate("window.__pwned") is None
    assert problems == []
    context.close()


@pytest.mark.build
@pytest.mark.browser
def test_an_unknown_set_shows_a_notice_and_every_case(browser, campaign_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.goto(campaign_url + "cases/?set=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3Eweek")
    notice = page.locator("[data-case-set-unknown]")
    notice.wait_for()
    assert "no campaign called “<img src=x onerror=alert(1)>week”" in notice.inner_text()
    assert page.locator("[data-case-set-unknown] img").count() == 0
    assert len(visible_cases(page)) == 3 + len(FILLERS)
    assert page.locator("[data-case-set]:visible").count() == 0
    assert page.locator("[data-case-count]").inner_text() == f"Showing all {3 + len(FILLERS)} cases"
    assert problems == []
    context.close()


A4_CONTENT = {"width": 703, "height": 1047}
"""A4 less the page margins (10 mm × 12 mm), in CSS pixels: the print layout's viewport."""


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.build
@pytest.mark.browser
def test_the_sheet_prints_on_a4_several_codes_a_page_none_split_each_scanning_to_its_case(
    browser, campaign_url: str, campaign_corpus: Corpus
) -> None:
    from pypdf import PdfReader
    from qrcodes import read_qr

    context = browser.new_context(viewport=A4_CONTENT)
    page = context.new_page()
    page.goto(campaign_url + "cases/sets/long-week/")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    pages = [squeezed(sheet.extract_text()) for sheet in pdf.pages]
    assert 2 <= len(pages) <= 3, "fifteen cards, several a page"
    where: dict[str, int] = {}
    for case_id in LONG_ORDER:
        case = campaign_corpus.cases[case_id]
        # The card prints its title above the code and the address under it: both on one page
        # means the code between them is not split.
        with_title = [number for number, text in enumerate(pages) if squeezed(case.title) in text]
        with_address = [number for number, text in enumerate(pages) if f"{SITE_URL}cases/{case_id}/" in text]
        assert len(with_title) == 1 and with_title == with_address, (case_id, with_title, with_address)
        where[case_id] = with_title[0]
    per_page = [list(where.values()).count(number) for number in range(len(pages))]
    assert min(per_page) >= 3, per_page
    assert "Previewbuild:linkspointtoaplaceholder" in pages[0]

    page.emulate_media(media="print")
    codes = page.locator(".case-sheet svg.qr-code")
    widths = codes.evaluate_all("codes => codes.map(code => code.getBoundingClientRect().width)")
    assert min(widths) >= 25 * MM, "codes at least 25 mm wide on paper"
    found = [read_qr(code.screenshot()) for code in codes.all()]
    assert found == [[f"{SITE_URL}cases/{case_id}/"] for case_id in LONG_ORDER]
    assert read_qr(page.locator(".case-sheet__all svg.qr-code").screenshot()) == [f"{SITE_URL}cases/?set=long-week"]
    context.close()


# --------------------------------------------------------------------------- the shipped campaign


@pytest.mark.build
def test_the_real_sites_campaigns_have_sheets_and_are_listed_on_the_index(built_site: Path, corpus) -> None:
    assert corpus.campaigns, "the site ships at least one campaign"
    index = article_of(built_site / "cases" / "index.html")
    assert [link["href"] for link in index.select(".case-sets li > a:first-child")] == [
        f"sets/{campaign.id}/" for campaign in corpus.ordered_campaigns
    ]
    for campaign in corpus.campaigns.values():
        soup = article_of(built_site / "cases" / "sets" / campaign.id / "index.html")
        assert soup.h1.get_text().startswith(campaign.title)
        labels = [svg["aria-label"] for svg in soup.select(".case-sheet svg.qr-code")]
        assert labels == [f"QR code for {SITE_URL}cases/{case_id}/" for case_id in campaign.cases]
        assert soup.select_one(f'a[href="../../?set={campaign.id}"]') is not None, "links to the filtered index"


@pytest.mark.build
@pytest.mark.browser
def test_the_real_sites_campaign_link_shows_its_cases(visit, site_url: str, corpus) -> None:
    campaign = corpus.ordered_campaigns[0]
    page = visit.page
    page.goto(site_url + f"cases/?set={campaign.id}")
    page.locator(f"[data-case-set={campaign.id}] h2").wait_for()
    assert page.locator(f"[data-case-set={campaign.id}] h2").inner_text() == campaign.title
    assert visible_cases(page) == list(campaign.cases)
    assert visit.console_errors == []
