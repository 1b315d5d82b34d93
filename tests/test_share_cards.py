"""Share cards (issue #12): each case page's ``og:image``, a 1200×630 PNG with the site name, the
title and the lesson, drawn at build time in a font that covers Chinese and cached by content hash.

Wrapping is tested as a pure function with made-up widths; drawing, the font lookup and the cache
with the real font (Debian's fonts-noto-cjk)."""

from __future__ import annotations

import io
import os
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageFont

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
