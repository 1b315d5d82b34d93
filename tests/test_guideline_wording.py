"""The words around a guideline come from its content or from the locale files, never from code:
another guideline (fewer departments, other sections, its own address) gets correct pages in
English and Chinese without a code change. Build-free: pages are made from a Site."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import SCHEMA
from projects import edit, fixture_project

from generator import ContentError, load_corpus
from generator.cli import main
from generator.feature import site_pages
from generator.features import FEATURES
from generator.locale import load_locale
from generator.navigation import site_nav
from generator.render import time_tag

MINI = Path(__file__).parent / "golden" / "pages" / "mini" / "content"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the small fictional guideline (two issuers, one area), to change per test."""
    folder = tmp_path / "content"
    shutil.copytree(MINI, folder)
    return folder


def pages_of(content: Path, language: str = "en") -> dict[str, str]:
    corpus = load_corpus(content, SCHEMA, content.parent)
    return {page.src_uri: page.markdown for page in site_pages(corpus, FEATURES, locale=load_locale(language))}


def text_of(markdown: str) -> str:
    return " ".join(BeautifulSoup(markdown, "html.parser").get_text(" ").split())


def problems(content: Path) -> list[str]:
    with pytest.raises(ContentError) as raised:
        load_corpus(content, SCHEMA, content.parent)
    return [str(problem) for problem in raised.value.problems]


def one_issuer(content: Path) -> None:
    guideline = content / "guideline.yaml"
    edit(guideline, "issuing_body_count: 2\n", "issuing_body_count: 1\n")
    edit(guideline, "  - Office of Two\n", "")


def test_a_guideline_with_one_issuing_department_says_one_department(content: Path) -> None:
    one_issuer(content)
    home = text_of(pages_of(content)["index.md"])
    assert "issued by 1 department," in home
    assert "The issuing office" in home
    assert "departments" not in home
    zh_home = text_of(pages_of(content, "zh")["index.md"])
    assert "由1个部门印发" in zh_home
    assert "1个发文单位" in zh_home
    assert "发文单位 Office of One 来源" in zh_home


def test_several_departments_are_counted_with_their_lead(content: Path) -> None:
    home = text_of(pages_of(content)["index.md"])
    assert "issued by 2 departments," in home
    assert "2 departments, led by the Office of One" in home
    assert "Office of One等2个部门" in text_of(pages_of(content, "zh")["index.md"])


def test_the_areas_index_counts_the_areas_of_this_guideline(content: Path) -> None:
    index = text_of(pages_of(content)["areas/index.md"])
    assert "The guideline names 1 area." in index
    assert "ten" not in index and "Part 2 of the guideline" not in index
    assert "指引列出了1个领域" in text_of(pages_of(content, "zh")["areas/index.md"])


def test_an_area_may_map_to_several_sections(content: Path) -> None:
    edit(content / "areas" / "alpha.yaml", "section: alpha-compliance\n", "section: [alpha-compliance, other-areas]\n")
    pages = pages_of(content)
    area = BeautifulSoup(pages["areas/alpha.md"], "html.parser")
    sources = [" ".join(p.get_text(" ").split()) for p in area.select(".official-source")]
    assert sources == [
        "Part 2, section (1) Alpha compliance. of the Fictional ‹Opinions› & *more* | 1 (Fictional [2025] No. 1), "
        "verbatim.",
        "Part 2 of the Fictional ‹Opinions› & *more* | 1 (Fictional [2025] No. 1), verbatim.",
    ]
    assert [link["href"] for link in area.select(".official-source a")] == [
        "../../guideline/#alpha-compliance",
        "../../guideline/#other-areas",
    ]
    assert [clause["id"] for clause in area.select(".clause")] == ["alpha-1", "alpha-2", "other-areas-1"]
    guideline = BeautifulSoup(pages["guideline.md"], "html.parser")
    assert len(guideline.select('.area-link a[href="../areas/alpha/"]')) == 2
    zh_area = BeautifulSoup(pages_of(content, "zh")["areas/alpha.md"], "html.parser")
    assert "第2部分" in zh_area.select(".official-source")[1].get_text()


def test_an_area_may_cover_a_whole_part(content: Path) -> None:
    edit(content / "areas" / "alpha.yaml", "section: alpha-compliance\n", "part: part-2\n")
    area = BeautifulSoup(pages_of(content)["areas/alpha.md"], "html.parser")
    assert [clause["id"] for clause in area.select(".clause")] == ["alpha-1", "alpha-2", "other-areas-1"]
    assert " ".join(area.select_one(".official-source").get_text(" ").split()).startswith("Part 2 of the")


def test_area_mappings_are_cross_checked_with_file_and_line(content: Path) -> None:
    area = content / "areas" / "alpha.yaml"
    edit(area, "section: alpha-compliance\n", "section:\n  - alpha-compliance\n  - no-such-section\n")
    shutil.copy(area, content / "areas" / "beta.yaml")
    edit(content / "areas" / "beta.yaml", "id: alpha\n", "id: beta\n")
    found = problems(content)
    assert any(
        re.fullmatch(
            r"content/areas/alpha\.yaml:5:\d+: \$\.section\[1\]: section 'no-such-section' is not a section .*", line
        )
        for line in found
    ), found
    assert any(
        re.fullmatch(
            r"content/areas/beta\.yaml:4:\d+: \$\.section\[0\]: 'alpha-compliance' already belongs to area 'alpha'",
            line,
        )
        for line in found
    ), found


def test_an_area_names_a_section_or_a_part_not_both(content: Path) -> None:
    edit(content / "areas" / "alpha.yaml", "section: alpha-compliance\n", "section: alpha-compliance\npart: part-2\n")
    assert any("areas/alpha.yaml" in line for line in problems(content))


def test_the_guideline_address_comes_from_content(content: Path) -> None:
    edit(content / "guideline.yaml", "goal_clause: overall-2\n", "goal_clause: overall-2\naddress: opinions\n")
    pages = pages_of(content)
    assert "opinions.md" in pages and "guideline.md" not in pages
    home = BeautifulSoup(pages["index.md"], "html.parser")
    assert home.select_one(".way-in")["href"] == "opinions/"
    assert home.select_one(".home-goal a")["href"] == "opinions/#overall-2"
    area = BeautifulSoup(pages["areas/alpha.md"], "html.parser")
    assert area.select_one(".clause__permalink")["href"] == "../../opinions/#alpha-1"


def test_the_guideline_address_may_not_take_a_page_of_the_site(content: Path) -> None:
    edit(content / "guideline.yaml", "goal_clause: overall-2\n", "goal_clause: overall-2\naddress: cases\n")
    assert any(
        line.startswith("content/guideline.yaml:18:") and "address 'cases' is taken" in line
        for line in problems(content)
    )


def test_navigation_titles_come_from_content(content: Path) -> None:
    edit(
        content / "guideline.yaml",
        "goal_clause: overall-2\n",
        "goal_clause: overall-2\nnav_title: The opinions\nareas_title: Areas of compliance\nareas_nav_title: Areas\n",
    )
    corpus = load_corpus(content, SCHEMA, content.parent)
    pages = site_pages(corpus, FEATURES)
    nav = site_nav(pages)
    assert {"The opinions": "guideline.md"} in nav
    assert {"Areas": ["areas/index.md", {"Alpha": "areas/alpha.md"}]} in nav
    assert next(page for page in pages if page.src_uri == "areas/index.md").markdown.startswith(
        "# Areas of compliance\n"
    )


def test_default_navigation_titles_follow_the_language(content: Path) -> None:
    corpus = load_corpus(content, SCHEMA, content.parent)
    nav = site_nav(site_pages(corpus, FEATURES, locale=load_locale("zh")))
    assert nav[0] == {"首页": "index.md"}
    assert "领域" in [next(iter(entry)) for entry in nav]


def test_the_official_url_is_an_escaped_plain_link(content: Path) -> None:
    url = 'https://example.org/opinions?a=1&b="><script>alert(1)</script>'
    edit(content / "guideline.yaml", "goal_clause: overall-2\n", f"goal_clause: overall-2\nofficial_url: '{url}'\n")
    pages = pages_of(content)
    for src in ("index.md", "guideline.md"):
        assert "<script>" not in pages[src]
        links = BeautifulSoup(pages[src], "html.parser").select("a.official-url")
        assert [(link["href"], link["rel"], link.get_text()) for link in links] == [(url, ["noopener"], url)]
        assert not BeautifulSoup(pages[src], "html.parser").select("iframe, img, object, embed, link")


def test_the_official_url_must_be_https(content: Path) -> None:
    edit(
        content / "guideline.yaml",
        "goal_clause: overall-2\n",
        "goal_clause: overall-2\nofficial_url: http://example.org/opinions\n",
    )
    assert any("official_url" in line for line in problems(content))


def test_wording_keys_and_placeholders_are_checked(content: Path) -> None:
    edit(
        content / "guideline.yaml",
        "goal_clause: overall-2\n",
        "goal_clause: overall-2\nwording:\n  guideline.goal_titel: The goal\n"
        '  guideline.goal_link: "See {clause} in {place}"\n'
        "  guideline.about_site:\n    one: About\n    other: About\n",
    )
    found = problems(content)
    assert any(
        "content/guideline.yaml:19:" in line and "'guideline.goal_titel' is not an interface text" in line
        for line in found
    )
    assert any("content/guideline.yaml:20:" in line and "unknown placeholder(s) place" in line for line in found), found
    assert any("content/guideline.yaml:21:" in line and "give one text, not plural forms" in line for line in found)


def test_wording_replaces_an_interface_text_with_plural_forms(content: Path) -> None:
    edit(
        content / "guideline.yaml",
        "goal_clause: overall-2\n",
        "goal_clause: overall-2\nwording:\n  guideline.goal_title: The 2030 goal\n"
        "  guideline.areas_intro:\n    one: Only {count} area here.\n    other: '{count} areas here.'\n",
    )
    pages = pages_of(content)
    assert "## The 2030 goal {#goal}" in pages["index.md"]
    assert "Only 1 area here." in pages["areas/index.md"]


def test_a_library_document_may_not_shape_the_site(content: Path) -> None:
    library = content / "library"
    library.mkdir()
    shutil.copy(content / "guideline.yaml", library / "other.yaml")
    other = library / "other.yaml"
    edit(other, "$schema=../../", "$schema=../../../")
    edit(other, "id: guideline\nrole: guideline\n", "id: other\nrole: library\n")
    text = other.read_text(encoding="utf-8")
    text = re.sub(r"id: (preamble|part-\d|overall-\d|alpha-\w+|other-areas(-1)?|preamble-1)\b", r"id: o-\1", text)
    other.write_text(text.replace("goal_clause: overall-2\n", "address: other\n"), encoding="utf-8")
    assert any("only the guideline (role 'guideline') has 'address'" in line for line in problems(content))


def test_dates_follow_the_language() -> None:
    assert time_tag(load_locale("en"), "2025-03-07") == '<time datetime="2025-03-07">March 7, 2025</time>'
    assert time_tag(load_locale("zh"), "2025-03-07") == '<time datetime="2025-03-07">2025年3月7日</time>'
    assert time_tag(load_locale("zh"), "2025-03") == '<time datetime="2025-03">2025年3月</time>'


@pytest.mark.parametrize("fixture", ["mini", "cases", "library"])
def test_chinese_pages_carry_no_english_interface_text(fixture: str) -> None:
    """Every text of the namespaces these pages use, in English, is absent from the Chinese pages
    (pieces between placeholders of 16 characters or more, so that content words do not count)."""
    english = load_locale("en")
    pieces = {
        piece.strip()
        for namespace in ("guideline", "library", "cases", "campaigns", "nav")
        for entry in english.namespace(namespace).values()
        for form in (entry.values() if isinstance(entry, dict) or hasattr(entry, "values") else [entry])
        for piece in re.split(r"\{[a-z_]+\}", form)
        if len(piece.strip()) >= 16
    }
    pages = pages_of(MINI.parent.parent / fixture / "content", "zh")
    leftover = sorted(piece for piece in pieces for markdown in pages.values() if piece in markdown)
    assert leftover == []


@pytest.mark.build
def test_another_guideline_builds_in_chinese_at_its_own_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """The fixture project as another guideline: Chinese interface, the official text moved to
    /opinions/ (the old address redirects, so the published clause links still work), and the
    guideline's own description for pages without one."""
    project = fixture_project(tmp_path / "project")
    edit(project / "mkdocs.yml", "  language: en\n", "  language: zh\n")
    edit(
        project / "content" / "guideline.yaml",
        "goal_clause: overall-2\n",
        "goal_clause: overall-2\naddress: opinions\ndescription: 另一份指引，逐条发布。\n",
    )
    (project / "content" / "redirects.yaml").write_text(
        "# yaml-language-server: $schema=../schema/redirect.schema.json\n"
        "redirects:\n  - from: /guideline/\n    to: /opinions/\n    reason: The guideline's own address.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(project)
    code = main(["build"])
    assert code == 0, capsys.readouterr().err
    site = project / "site"
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    opinions = BeautifulSoup((site / "opinions" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.find("meta", attrs={"name": "description"})["content"] == "另一份指引，逐条发布。"
    assert "由2个部门印发" in home.select_one(".home-what").get_text()
    assert home.select_one(".way-in")["href"] == "opinions/"
    assert [th.get_text() for th in opinions.select(".doc-meta th")][:2] == ["标题", "文号"]
    assert "领域" in [link.get_text(" ", strip=True) for link in home.select(".md-nav__link")]
    assert "opinions/" in (site / "guideline" / "index.html").read_text(encoding="utf-8")
