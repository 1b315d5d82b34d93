"""Share cards (issue #12): each case page's ``og:image``, a 1200×630 PNG with the site name, the
title and the lesson, drawn at build time in a font that covers Chinese and cached by content hash.

Wrapping is tested as a pure function with made-up widths; drawing, the font lookup and the cache
with the real font (Debian's fonts-noto-cjk); the pages with builds of the small fixture project
plus a Chinese and a hostile case. The shipped site's cards are checked in test_cases_site.py."""

from __future__ import annotations

import io
import os
import shutil
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from PIL import Image, ImageFont
from projects import add_content, fixture_project

from generator import share_cards
from generator.share_cards import (
    ELLIPSIS,
    NO_BREAK_BEFORE,
    CardFonts,
    FontFace,
    NoShareCardFont,
    ShareCards,
    card_key,
    covers_chinese,
    draw_card,
    find_fonts,
    fit,
    wrap,
)
from generator.sitebuild import build_site

SITE_URL = "https://compliance.example.org/"
CASES = ROOT / "tests" / "fixtures" / "cases"
EXTRA_CASES = ("share-card-chinese", "share-card-hostile")
HOSTILE_TITLE = "A \"quoted\" {{ config.site_name }} {% if true %}title{% endif %} & 'apostrophes' with 中文"
LESSON = "A handshake is not a labour contract: sign in writing within the first month."


def cells(text: str) -> int:
    """A made-up width: two cells for a Chinese character, one for anything else."""
    return sum(2 if unicodedata.east_asian_width(character) in ("W", "F") else 1 for character in text)


# --------------------------------------------------------------------------- wrapping


def test_english_breaks_at_spaces() -> None:
    lines = wrap(LESSON, 20, len)
    assert lines == ["A handshake is not a", "labour contract:", "sign in writing", "within the first", "month."]
    assert " ".join(lines) == LESSON


def test_white_space_runs_count_as_one_space() -> None:
    assert wrap("  sign   in\n writing  ", 100, len) == ["sign in writing"]


def test_chinese_breaks_between_any_characters_but_not_before_closing_punctuation() -> None:
    text = "握手不是劳动合同：在用工之日起一个月内订立书面劳动合同。"
    lines = wrap(text, 16, cells)
    assert lines == ["握手不是劳动合", "同：在用工之日起", "一个月内订立书面", "劳动合同。"]
    assert "".join(lines) == text
    assert all(cells(line) <= 16 for line in lines)
    # Without the colon the first line is full: the break moved back one character for it.
    assert wrap("握手不是劳动合同在用工之日起", 16, cells)[0] == "握手不是劳动合同"


def test_mixed_text_breaks_at_spaces_and_around_chinese() -> None:
    lines = wrap("Sign within 一个月 (the first month), 书面（劳动）合同。", 12, cells)
    assert lines == ["Sign within", "一个月 (the", "first", "month), 书面", "（劳动）合", "同。"]
    assert all(cells(line) <= 12 for line in lines)
    assert not any(line[0] in NO_BREAK_BEFORE for line in lines)


def test_a_word_longer_than_a_line_is_broken_between_its_characters() -> None:
    word = "Supercalifragilisticexpialidocious"
    lines = wrap(f"see {word} now", 10, len)
    assert lines == ["see", "Supercalif", "ragilistic", "expialidoc", "ious now"]
    assert "".join(lines[1:4]) + lines[4].split()[0] == word
    assert all(len(line) <= 10 for line in lines)


def test_text_that_does_not_fit_ends_in_an_ellipsis() -> None:
    assert fit(LESSON, 20, len, 5) == wrap(LESSON, 20, len), "text that fits is left whole"
    assert fit(LESSON, 20, len, 2) == ["A handshake is not a", "labour contract" + ELLIPSIS]
    # Cut inside a word, the line goes back to the last space.
    assert fit("one two three fourteen", 13, len, 1) == ["one two" + ELLIPSIS]
    chinese = fit("握手不是劳动合同：在用工之日起一个月内订立书面劳动合同。", 16, cells, 2)
    assert chinese == ["握手不是劳动合", "同：在用工之日" + ELLIPSIS]
    assert all(cells(line) <= 16 for line in chinese)


# --------------------------------------------------------------------------- fonts


@pytest.fixture(scope="session")
def fonts() -> CardFonts:
    try:
        return find_fonts()
    except NoShareCardFont as problem:
        pytest.fail(f"{problem}: the shipped site's share cards need it")


def test_the_default_fonts_are_noto_sans_cjk_in_simplified_chinese(fonts: CardFonts) -> None:
    assert fonts.regular.path == share_cards.REGULAR_FONT
    assert fonts.bold.path == share_cards.BOLD_FONT
    assert fonts.regular.at(20).getname() == ("Noto Sans CJK SC", "Regular")
    assert fonts.bold.at(20).getname() == ("Noto Sans CJK SC", "Bold")


def test_a_font_without_chinese_is_told_apart(fonts: CardFonts) -> None:
    assert covers_chinese(fonts.regular.at(40))
    assert not covers_chinese(ImageFont.load_default(40)), "Pillow's own font has Latin letters only"


def test_without_the_font_package_the_problem_names_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(share_cards, "REGULAR_FONT", tmp_path / "NotoSansCJK-Regular.ttc")
    with pytest.raises(NoShareCardFont, match="install Debian's fonts-noto-cjk package"):
        find_fonts()


def test_a_configured_font_must_be_a_readable_font(tmp_path: Path, fonts: CardFonts) -> None:
    with pytest.raises(NoShareCardFont, match=r"share_card_font 'missing\.ttf' is not a file"):
        find_fonts("missing.ttf", tmp_path)
    (tmp_path / "notes.ttf").write_text("not a font", encoding="utf-8")
    with pytest.raises(NoShareCardFont, match="is not a font Pillow can read"):
        find_fonts("notes.ttf", tmp_path)
    # One configured file serves all text; relative to the project, and its Chinese face is found.
    os.symlink(fonts.bold.path, tmp_path / "mine.ttc")
    chosen = find_fonts("mine.ttc", tmp_path)
    assert chosen.regular == chosen.bold == FontFace(tmp_path / "mine.ttc", fonts.bold.index)


# --------------------------------------------------------------------------- drawing and the cache


def test_a_card_is_a_png_of_1200_by_630(fonts: CardFonts) -> None:
    card = draw_card(HOSTILE_TITLE + " " + HOSTILE_TITLE, "握手不是劳动合同。" * 30, "SME Compliance Guide", fonts)
    image = Image.open(io.BytesIO(card))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    image.load()
    assert len(image.getcolors()) > 8, "more than a blank page: text with smooth edges"


def test_the_title_is_drawn_as_large_as_fits(fonts: CardFonts) -> None:
    assert share_cards.title_lines("A short title", fonts.bold) == (64, ["A short title"])
    size, lines = share_cards.title_lines("一家从未签订书面劳动合同的家具作坊" * 6, fonts.bold)
    assert size == share_cards.TITLE_SIZES[-1] and len(lines) == share_cards.TITLE_LINES
    assert lines[-1].endswith(ELLIPSIS)
    assert all(fonts.bold.at(size).getlength(line) <= share_cards.TEXT_WIDTH for line in lines)


def test_cards_are_cached_by_what_they_show(fonts: CardFonts, tmp_path: Path) -> None:
    cards = ShareCards(fonts, "SME Compliance Guide", tmp_path / "cache")
    cached = tmp_path / "cache" / f"{card_key('A title', LESSON, 'SME Compliance Guide', fonts)}.png"
    first = cards("A title", LESSON)
    assert (cards.drawn, cards.reused) == (1, 0)
    assert cards("A title", LESSON) == first and (cards.drawn, cards.reused) == (1, 1)
    assert list((tmp_path / "cache").iterdir()) == [cached]
    assert cards("Another title", LESSON) != first and cards.drawn == 2
    assert ShareCards(fonts, "Another site", tmp_path / "cache")("A title", LESSON) != first
    # A cached file cut short is drawn again, not published.
    cached.write_bytes(first[:1000])
    assert cards("A title", LESSON) == first and cards.drawn == 3
    assert cached.read_bytes() == first


def test_the_cache_key_changes_with_the_font_file(tmp_path: Path) -> None:
    font = tmp_path / "font.ttf"
    font.write_bytes(b"x")
    faces = CardFonts(FontFace(font), FontFace(font))
    key = card_key("A title", LESSON, "Site", faces)
    assert card_key("A title", LESSON, "Site", faces) == key
    os.utime(font, ns=(0, 10**9))
    assert card_key("A title", LESSON, "Site", faces) != key
    assert card_key("A title", LESSON, "Site", CardFonts(FontFace(font), FontFace(font, 2))) != card_key(
        "A title", LESSON, "Site", faces
    )


# --------------------------------------------------------------------------- the template


def test_the_meta_tags_escape_a_title_that_is_markup() -> None:
    """Titles are plain text (the schema refuses ``<`` and ``>``), but the template escapes whatever it gets."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    template = config.theme.get_env().get_template("partials/share-meta.html")
    title = "<script>alert(1)</script> \"quoted\" {{x}} & 'single'"
    page = SimpleNamespace(
        title=title,
        meta={"description": "A lesson", "share_card": "cases/x/share-card.png"},
        canonical_url=f"{SITE_URL}cases/x/",
    )
    html = template.render(page=page, config=config, share_card_size={"width": 1200, "height": 630})
    assert "<script>" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert meta(soup, "og:image:alt") == meta(soup, "og:title") == meta(soup, "twitter:title") == title
    assert meta(soup, "og:image") == f"{SITE_URL}cases/x/share-card.png"
    assert meta(soup, "twitter:card") == "summary_large_image"
    page.meta = {"description": "A lesson"}
    soup = BeautifulSoup(template.render(page=page, config=config), "html.parser")
    assert meta(soup, "og:image") is None and meta(soup, "twitter:card") == "summary"


def test_the_share_preview_locale_follows_the_sites_language() -> None:
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    template = config.theme.get_env().get_template("partials/share-meta.html")
    page = SimpleNamespace(title="A case", meta={"description": "A lesson"}, canonical_url=f"{SITE_URL}cases/x/")
    locales = {}
    for language in ("en", "zh", "zh-Hant", "fr"):
        config.theme["language"] = language
        locales[language] = meta(BeautifulSoup(template.render(page=page, config=config), "html.parser"), "og:locale")
    assert locales == {"en": "en_US", "zh": "zh_CN", "zh-Hant": "zh_TW", "fr": "fr"}


# --------------------------------------------------------------------------- builds


def meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def head_of(site: Path, path: str) -> BeautifulSoup:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html[: html.index("</head>")], "html.parser")


class DrawCounter:
    """Counts the cards drawn (not taken from the cache) while it is installed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.titles: list[str] = []
        draw = share_cards.draw_card

        def counting(title: str, *args: object) -> bytes:
            self.titles.append(title)
            return draw(title, *args)

        monkeypatch.setattr(share_cards, "draw_card", counting)


def card_project(target: Path) -> Path:
    project = fixture_project(target)
    for case_id in EXTRA_CASES:
        add_content(project, f"cases/{case_id}.yaml", CASES / f"{case_id}.yaml")
    return project


def cards_of(site: Path) -> dict[str, bytes]:
    return {path.parent.name: path.read_bytes() for path in sorted((site / "cases").glob("*/share-card.png"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, fonts: CardFonts) -> SimpleNamespace:
    project = card_project(tmp_path_factory.mktemp("cards") / "project")
    with pytest.MonkeyPatch.context() as monkeypatch:
        drawn = DrawCounter(monkeypatch)
        site = build_site(project / "mkdocs.yml", project / "site")
    return SimpleNamespace(project=project, site=site, drawn=drawn.titles)


@pytest.mark.build
def test_every_case_page_has_a_share_card_of_1200_by_630(built: SimpleNamespace) -> None:
    pages = sorted(path.parent.name for path in (built.site / "cases").glob("*/index.html"))
    assert pages == sorted(["unsigned-contracts", *EXTRA_CASES])
    for case_id in pages:
        soup = head_of(built.site, f"cases/{case_id}")
        image = meta(soup, "og:image")
        assert image == f"{SITE_URL}cases/{case_id}/share-card.png"
        card = built.site / image.removeprefix(SITE_URL)
        assert card.is_file(), image
        with Image.open(card) as png:
            assert (png.format, png.size) == ("PNG", (1200, 630))
        assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
        assert meta(soup, "og:image:type") == "image/png"
        assert meta(soup, "og:image:alt") == meta(soup, "og:title")
        assert meta(soup, "twitter:card") == "summary_large_image"
    assert len(built.drawn) == 3, "a new project's cards are all drawn"
    assert len(set(cards_of(built.site).values())) == 3


@pytest.mark.build
def test_a_hostile_title_is_text_in_the_meta_tags(built: SimpleNamespace) -> None:
    soup = head_of(built.site, "cases/share-card-hostile")
    assert meta(soup, "og:title") == HOSTILE_TITLE, "template syntax in content is not evaluated"
    assert meta(soup, "og:image:alt") == HOSTILE_TITLE
    assert meta(soup, "og:description") == "Lesson with \"double\" and 'single' quotes, {{ x }} braces & an ampersand."
    assert HOSTILE_TITLE in built.drawn


@pytest.mark.build
def test_pages_without_a_card_keep_the_small_preview(built: SimpleNamespace) -> None:
    soup = head_of(built.site, "cases")
    assert meta(soup, "og:title") == "Cases"
    assert meta(soup, "og:image") is None
    assert meta(soup, "twitter:card") == "summary"


@pytest.mark.build
def test_cards_come_from_the_cache_and_change_with_the_title(
    built: SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of the built project with its cache: an unchanged build draws nothing and ships the
    same cards; a changed title draws that case's card alone, and the card changes."""
    project = tmp_path / "project"
    shutil.copytree(built.project, project, ignore=shutil.ignore_patterns("site"))
    assert len(list((project / ".cache" / "share-cards").glob("*.png"))) == 3
    drawn = DrawCounter(monkeypatch)
    again = build_site(project / "mkdocs.yml", project / "site")
    assert drawn.titles == []
    assert cards_of(again) == cards_of(built.site)

    case_file = project / "content" / "cases" / "unsigned-contracts.yaml"
    title = "A furniture workshop that never signed labour contracts"
    case_file.write_text(case_file.read_text(encoding="utf-8").replace(title, "A renamed workshop"), "utf-8")
    changed = build_site(project / "mkdocs.yml", project / "site")
    assert drawn.titles == ["A renamed workshop"]
    before, after = cards_of(built.site), cards_of(changed)
    assert after["unsigned-contracts"] != before["unsigned-contracts"]
    assert {key: value for key, value in after.items() if key != "unsigned-contracts"} == {
        key: value for key, value in before.items() if key != "unsigned-contracts"
    }
    with Image.open(io.BytesIO(after["unsigned-contracts"])) as png:
        assert (png.format, png.size) == ("PNG", (1200, 630))
    assert meta(head_of(changed, "cases/unsigned-contracts"), "og:image:alt") == "A renamed workshop"


@pytest.mark.build
def test_without_a_font_the_build_warns_once_and_pages_have_no_card(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = fixture_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("      schema_dir: schema\n", "      schema_dir: schema\n      share_card_font: fonts/none.ttc\n")
    )
    assert "share_card_font" in config.read_text(encoding="utf-8")
    site = build_site(config, project / "site")
    warnings = [line for line in capsys.readouterr().err.splitlines() if "share_card_font" in line]
    assert warnings == [
        "WARNING -  share_card_font 'fonts/none.ttc' is not a file "
        f"({project / 'fonts' / 'none.ttc'}); case pages are built without a share card (og:image)"
    ]
    soup = head_of(site, "cases/unsigned-contracts")
    assert meta(soup, "og:image") is None
    assert meta(soup, "twitter:card") == "summary"
    assert list(site.rglob("share-card.png")) == []
    assert not (project / ".cache" / "share-cards").exists()
