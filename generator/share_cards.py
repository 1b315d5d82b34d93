"""Share cards: the picture a chat app or social network shows beside a shared case link
(``og:image``), a 1200×630 PNG with the site name, the case's title and its lesson.

Drawn at build time with Pillow in a font that covers Chinese (:func:`find_fonts`), and cached by
the hash of everything that goes into the picture (:func:`card_key`), so a build draws only the
cards whose text changed. :func:`wrap` and :func:`fit` break text into lines by measured width,
at spaces in English and between any two Chinese characters. Nothing here imports MkDocs.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
"""The size Open Graph consumers show large (1.91:1)."""
RENDERER_VERSION = 1
"""Bump when the drawing changes (layout, colours, sizes), so no cached card of the old design is reused."""

# --- fonts ----------------------------------------------------------------------------------------

FONT_PACKAGE = "fonts-noto-cjk"
"""The Debian package of the default fonts."""
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
"""Where ``fonts-noto-cjk`` installs Noto Sans CJK."""
REGULAR_FONT = FONT_DIR / "NotoSansCJK-Regular.ttc"
BOLD_FONT = FONT_DIR / "NotoSansCJK-Bold.ttc"
PREFERRED_FACE = " SC"
"""In a font collection (``.ttc``), the face whose family name ends so: simplified Chinese glyph forms."""
MAX_FACES = 16
CHINESE_SAMPLE = "中文合规"
"""Characters a font must draw (not as its "missing glyph" box) to be used for the cards."""
MISSING = "\U0010fffd"
"""A private-use character no font draws: what the font shows for a character it lacks."""


class NoShareCardFont(Exception):
    """No usable font for the cards; the message says what is missing and how to fix it."""


@dataclass(frozen=True)
class FontFace:
    """One face of a font file (a collection holds several)."""

    path: Path
    index: int = 0

    def at(self, size: int) -> ImageFont.FreeTypeFont:
        return _font(str(self.path), self.index, size)

    def identity(self) -> dict[str, object]:
        """What identifies this face for the cache: the file (path, size, modification time) and the face.
        A font package upgrade changes the file, so cards drawn with the old font are not reused."""
        stat = self.path.stat()
        return {"path": str(self.path), "index": self.index, "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}


@functools.lru_cache(maxsize=32)
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index)


@dataclass(frozen=True)
class CardFonts:
    regular: FontFace
    """The site name and the lesson."""
    bold: FontFace
    """The title."""

    def identity(self) -> list[dict[str, object]]:
        return [self.regular.identity(), self.bold.identity()]


def _face(path: Path) -> FontFace:
    """The font in ``path``: in a collection, its simplified-Chinese face if it has one, else its first."""
    try:
        first = ImageFont.truetype(str(path), 12, index=0)
    except OSError as error:
        raise NoShareCardFont(f"{path} is not a font Pillow can read ({error})") from None
    if (first.getname()[0] or "").endswith(PREFERRED_FACE):
        return FontFace(path, 0)
    for index in range(1, MAX_FACES):
        try:
            font = ImageFont.truetype(str(path), 12, index=index)
        except OSError:
            break
        if (font.getname()[0] or "").endswith(PREFERRED_FACE):
            return FontFace(path, index)
    return FontFace(path, 0)


def _draws(font: ImageFont.FreeTypeFont, text: str) -> bytes:
    image = Image.new("L", (font.size * 2, font.size * 2))
    ImageDraw.Draw(image).text((0, 0), text, font=font, fill=255)
    return image.tobytes()


def covers_chinese(font: ImageFont.FreeTypeFont) -> bool:
    """Whether the font draws each character of :data:`CHINESE_SAMPLE` as itself, not as the box
    (or blank) it draws for a character it lacks."""
    missing = _draws(font, MISSING)
    return all(_draws(font, character) != missing for character in CHINESE_SAMPLE)


def find_fonts(setting: str = "", base: Path = Path()) -> CardFonts:
    """The fonts for the cards. ``setting`` (the plugin option ``share_card_font``, relative to
    ``base``) names one font file used for all text; empty: Noto Sans CJK Regular and Bold from
    Debian's ``fonts-noto-cjk`` (:data:`REGULAR_FONT`, :data:`BOLD_FONT`). Raises
    :class:`NoShareCardFont` when the font is missing, unreadable or has no Chinese characters."""
    if setting:
        path = Path(setting).expanduser()
        path = path if path.is_absolute() else base / path
        if not path.is_file():
            raise NoShareCardFont(f"share_card_font {setting!r} is not a file ({path})")
        face = _face(path)
        fonts = CardFonts(face, face)
        named = f"share_card_font {setting!r}"
    else:
        if not REGULAR_FONT.is_file():
            raise NoShareCardFont(
                f"no font covering Chinese for share cards: {REGULAR_FONT} is missing; install Debian's "
                f"{FONT_PACKAGE} package (apt-get install {FONT_PACKAGE}, or make system-packages) or set the "
                "plugin option share_card_font to a font file that covers Chinese"
            )
        regular = _face(REGULAR_FONT)
        fonts = CardFonts(regular, _face(BOLD_FONT) if BOLD_FONT.is_file() else regular)
        named = str(REGULAR_FONT)
    for face in dict.fromkeys((fonts.regular, fonts.bold)):
        if not covers_chinese(face.at(40)):
            raise NoShareCardFont(f"{named} ({face.path}) has no Chinese characters; use a font that covers Chinese")
    return fonts


# --- wrapping -------------------------------------------------------------------------------------

Measure = Callable[[str], float]
"""The width of a line of text, in pixels (e.g. ``FreeTypeFont.getlength``)."""

NO_BREAK_BEFORE = frozenset("，。、；：！？）」』】》〉〕］｝’”…—,.;:!?)]}%·")
"""Closing punctuation: never the first character of a line."""
NO_BREAK_AFTER = frozenset("（「『【《〈〔［｛‘“([{")
"""Opening punctuation: never the last character of a line."""
ELLIPSIS = "…"
BEFORE_ELLIPSIS = " ,.;:-–—，。、；："
"""Dropped from the end of a truncated line before the ellipsis."""


def _wide(character: str) -> bool:
    """Chinese (and other East Asian wide) characters: a line may break before or after each."""
    return unicodedata.east_asian_width(character) in ("W", "F")


def _may_break(before: str, after: str) -> bool:
    """Whether a line may break between two characters with no space between them."""
    return (_wide(before) or _wide(after)) and after not in NO_BREAK_BEFORE and before not in NO_BREAK_AFTER


def pieces(text: str) -> list[tuple[str, bool]]:
    """The text cut where a line may break: each piece with whether a space comes before it.
    Runs of white space count as one space."""
    found: list[tuple[str, bool]] = []
    current, spaced, pending = "", False, False
    for character in text:
        if character.isspace():
            if current:
                found.append((current, spaced))
                current = ""
            pending = True
            continue
        if current and _may_break(current[-1], character):
            found.append((current, spaced))
            current = ""
        if not current:
            spaced, pending = pending and bool(found), False
        current += character
    if current:
        found.append((current, spaced))
    return found


def wrap(text: str, width: float, measure: Measure) -> list[str]:
    """Break ``text`` into lines no wider than ``width``: at spaces, and between Chinese characters
    (not before closing or after opening punctuation). A word wider than a line is broken between
    its characters."""
    lines: list[str] = []
    line = ""
    for piece, spaced in pieces(text):
        candidate = f"{line} {piece}" if line and spaced else line + piece
        if measure(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for character in piece:
            if line and measure(line + character) > width:
                lines.append(line)
                line = character
            else:
                line += character
    if line:
        lines.append(line)
    return lines


def fit(text: str, width: float, measure: Measure, max_lines: int) -> list[str]:
    """:func:`wrap`, at most ``max_lines`` lines: text that does not fit ends in an ellipsis, cut at a
    space rather than inside an English word where the line has one."""
    lines = wrap(text, width, measure)
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    cut = last
    while cut and measure(cut + ELLIPSIS) > width:
        cut = cut[:-1]
    if cut != last and " " in cut:
        dropped = last[len(cut)]
        if not (cut[-1].isspace() or dropped.isspace() or _wide(cut[-1]) or _wide(dropped)):
            cut = cut[: cut.rindex(" ")]  # not inside an English word
    return [*lines[: max_lines - 1], cut.rstrip(BEFORE_ELLIPSIS) + ELLIPSIS]


# --- drawing --------------------------------------------------------------------------------------

BACKGROUND = "#ffffff"
BAND = "#4051b5"
"""Material's indigo, the theme's primary colour (``palette.primary`` in mkdocs.yml)."""
ON_BAND = "#ffffff"
TITLE_COLOUR = "#1b1f24"
TEXT_COLOUR = "#3c4350"
MARGIN = 72
TEXT_WIDTH = WIDTH - 2 * MARGIN
BAND_HEIGHT = 96
SITE_NAME_SIZE = 34
TITLE_TOP = BAND_HEIGHT + 52
TITLE_SIZES = (64, 56, 48)
"""Largest first: the title takes the largest size at which it fits in :data:`TITLE_LINES`."""
TITLE_LINES = 3
TITLE_LEADING = 1.25
LESSON_SIZE = 34
LESSON_LEADING = 1.45
LESSON_GAP = 36
LESSON_LINES = 4
BOTTOM = HEIGHT - 52
PALETTE_COLOURS = 48


def title_lines(title: str, face: FontFace) -> tuple[int, list[str]]:
    """The title's size and lines: the largest size at which it fits, else the smallest, truncated."""
    for size in TITLE_SIZES:
        lines = wrap(title, TEXT_WIDTH, face.at(size).getlength)
        if len(lines) <= TITLE_LINES:
            return size, lines
    size = TITLE_SIZES[-1]
    return size, fit(title, TEXT_WIDTH, face.at(size).getlength, TITLE_LINES)


def draw_card(title: str, lesson: str, site_name: str, fonts: CardFonts) -> bytes:
    """The card as PNG bytes: the site name on a coloured band, the title large below it, then the
    lesson, as many lines as fit (at most :data:`LESSON_LINES`, ending in an ellipsis if cut); the
    title and lesson together are centred in the space under the band."""
    band_font = fonts.bold.at(SITE_NAME_SIZE)
    name = fit(site_name, TEXT_WIDTH, band_font.getlength, 1)
    size, title = title_lines(title, fonts.bold)
    title_step = round(size * TITLE_LEADING)
    lesson_font = fonts.regular.at(LESSON_SIZE)
    lesson_step = round(LESSON_SIZE * LESSON_LEADING)
    lesson_top = TITLE_TOP + len(title) * title_step + LESSON_GAP
    room = min(LESSON_LINES, (BOTTOM - lesson_top) // lesson_step)
    lesson_lines = fit(lesson, TEXT_WIDTH, lesson_font.getlength, room) if room > 0 else []
    shift = (BOTTOM - lesson_top - len(lesson_lines) * lesson_step) // 2

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, BAND_HEIGHT), fill=BAND)
    draw.text((MARGIN, BAND_HEIGHT // 2), name[0] if name else "", font=band_font, fill=ON_BAND, anchor="lm")
    for number, line in enumerate(title):
        y = TITLE_TOP + shift + number * title_step
        draw.text((MARGIN, y), line, font=fonts.bold.at(size), fill=TITLE_COLOUR, anchor="la")
    for number, line in enumerate(lesson_lines):
        y = lesson_top + shift + number * lesson_step
        draw.text((MARGIN, y), line, font=lesson_font, fill=TEXT_COLOUR, anchor="la")
    # A few solid colours and their anti-aliased edges: a palette of PALETTE_COLOURS keeps the edges
    # smooth at half the bytes of an RGB PNG and a third of its encoding time.
    card = image.quantize(PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    card.save(out, "PNG")
    return out.getvalue()


# --- the cache ------------------------------------------------------------------------------------

CACHE_DIR = Path(".cache") / "share-cards"
"""Beside mkdocs.yml: every build of the project shares it (``.cache/`` is git-ignored)."""
PNG_START = b"\x89PNG\r\n\x1a\n"
PNG_END = b"IEND\xaeB`\x82"


def card_key(title: str, lesson: str, site_name: str, fonts: CardFonts) -> str:
    """The SHA-256 of everything the card's pixels depend on: its text, the site name, the font files
    and faces, this module's :data:`RENDERER_VERSION` and Pillow's version."""
    inputs = {
        "renderer": RENDERER_VERSION,
        "pillow": PIL.__version__,
        "title": title,
        "lesson": lesson,
        "site_name": site_name,
        "fonts": fonts.identity(),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


class ShareCards:
    """Draws cards, or takes them from the cache: ``cards(title, lesson)`` returns the PNG bytes.
    Counts what it drew and what it reused, for the build's log and the tests."""

    def __init__(self, fonts: CardFonts, site_name: str, cache_dir: Path | None) -> None:
        self.fonts = fonts
        self.site_name = site_name
        self.cache_dir = cache_dir
        self.drawn = 0
        self.reused = 0
        self.seconds = 0.0
        """Time spent making cards, drawn or read from the cache."""

    def __call__(self, title: str, lesson: str) -> bytes:
        started = time.perf_counter()
        key = card_key(title, lesson, self.site_name, self.fonts)
        card = self._cached(key)
        if card is not None:
            self.reused += 1
        else:
            card = draw_card(title, lesson, self.site_name, self.fonts)
            self.drawn += 1
            self._keep(key, card)
        self.seconds += time.perf_counter() - started
        return card

    def _cached(self, key: str) -> bytes | None:
        if self.cache_dir is None:
            return None
        try:
            data = (self.cache_dir / f"{key}.png").read_bytes()
        except OSError:
            return None
        # A file cut short (a full disk) is drawn again rather than published.
        return data if data.startswith(PNG_START) and data.endswith(PNG_END) else None

    def _keep(self, key: str, card: bytes) -> None:
        """Write the card under its key, whole or not at all (builds running at once may share the cache).
        A cache that cannot be written only costs the next build the drawing."""
        if self.cache_dir is None:
            return
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.cache_dir, prefix=f".{key}-", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(card)
            os.replace(temporary, self.cache_dir / f"{key}.png")
        except OSError:
            Path(temporary).unlink(missing_ok=True)
