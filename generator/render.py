"""What every page builder shares: :class:`Page`, the :class:`Site` pages are built against,
:class:`PageContext` for links and text, and small HTML pieces. Nothing here imports MkDocs.

Content text reaches the Markdown only as escaped HTML (official text) or as HTML from
:mod:`generator.markdown` (our formatted text), inside raw HTML blocks that MkDocs passes
through untouched. Headings stay Markdown so MkDocs builds the table of contents and the
search index by section.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from html import escape

from markupsafe import Markup

from . import markdown, urls
from .locale import Locale, load_locale
from .model import Area, Case, Clause, Corpus, Part, Section, guideline_of


@dataclass(frozen=True)
class Page:
    """One generated page: where it lives, its title and its Markdown."""

    src_uri: str
    title: str
    markdown: str
    nav_section: str | None = None
    """The navigation section the page belongs to; ``None`` for top-level pages."""
    about: tuple[str, ...] = ()
    """Ids of the content items the page presents: its "last changed" day is the newest of
    their files'. Empty: the page draws on the content as a whole (an index, the home page)."""


@dataclass(frozen=True)
class SiteFile:
    """A generated file of the site that is not a page (e.g. ``checks/<id>/check.json``, a case's
    share card)."""

    uri: str
    """Where it lives, site-relative."""
    content: str | bytes
    """Text (written as UTF-8) or bytes (written as they are, e.g. a PNG)."""


class PageContext:
    """Link-making for one page: every address is relative to where the page lives."""

    def __init__(self, site: Site, src_uri: str) -> None:
        self.site = site
        self.corpus = site.corpus
        self.src_uri = src_uri
        self.url = urls.page_url(src_uri)
        self.explained_terms: set[str] = set()
        """Glossary terms already explained on this page (each is explained where it first occurs)."""

    def link(self, src_uri: str, fragment: str = "") -> str:
        target = urls.page_url(src_uri) + (f"#{fragment}" if fragment else "")
        return urls.relative(self.url, target)

    def asset(self, site_path: str) -> str:
        """A file of the site (not a page), relative to this page."""
        return urls.relative(self.url, site_path)

    def clause_href(self, clause_id: str) -> str:
        clause = self.corpus.clauses[clause_id]
        document = self.corpus.documents[clause.document_id]
        return self.link(urls.document_src(document), clause_id)

    def formatted(self, text: str) -> str:
        return self._in_content_language(markdown.render(text, self.clause_href), "div")

    def formatted_inline(self, text: str) -> str:
        return self._in_content_language(markdown.render_inline(text, self.clause_href), "span")

    def official(self, text: str) -> str:
        """Official text as HTML: escaped, then marked up by each text marker (e.g. glossary terms)."""
        html = escape(text)
        for mark in self.site.blocks.text_markers:
            html = mark(self, html)
        return self._in_content_language(html, "span")

    def _in_content_language(self, html: str, element: str) -> str:
        """Content written in another language than the interface's, marked as such."""
        language = self.site.content_language
        if language is None:
            return html
        return f'<{element} lang="{escape(language)}">{html}</{element}>'


AreaSection = Callable[[PageContext, Area], str]
"""Adds a block to an area page (e.g. its self-check or cases); returns Markdown or ``""``."""
CaseSection = Callable[[PageContext, Case], str]
"""Adds a block to a case page (e.g. its self-check questions); returns Markdown or ``""``."""
ClauseExtra = Callable[[PageContext, Clause], str]
"""Adds HTML under a clause wherever it is shown (e.g. the cases citing it); ``""`` for nothing."""
HomeCard = Callable[[PageContext], str]
"""A 'way in' card for the home page, or ``""``."""
TextMarker = Callable[[PageContext, str], str]
"""Takes escaped official text (no tags) and returns HTML with inline marks added."""
ShareCardMaker = Callable[[str, str], bytes]
"""Draws a page's share card from its title and text: PNG bytes (see :mod:`generator.share_cards`)."""


@dataclass(frozen=True)
class Blocks:
    """What features add to pages they do not own, each list in feature order."""

    area_sections: tuple[AreaSection, ...] = ()
    case_sections: tuple[CaseSection, ...] = ()
    clause_extras: tuple[ClauseExtra, ...] = ()
    home_cards: tuple[HomeCard, ...] = ()
    text_markers: tuple[TextMarker, ...] = ()


@dataclass(frozen=True)
class Site:
    """What every page is built against: the corpus, the blocks features add to each other's
    pages, and the build settings that change page markup."""

    corpus: Corpus
    blocks: Blocks = field(default_factory=Blocks)
    selfcheck_snapshot: bool = True
    """Whether a memory snapshot of the self-check runtime ships (check forms point at it)."""
    site_owner: str = ""
    """Who runs this copy of the site (plugin option ``site_owner``), named on the home page."""
    site_url: str = ""
    """The site's public address (``site_url``), for what must carry absolute addresses (the QR
    codes of a campaign's sheet); empty when the build has none."""
    share_cards: ShareCardMaker | None = None
    """Draws the share cards of case pages; ``None`` when the build has no font for them, and then
    case pages have no share card."""
    locale: Locale = field(default_factory=lambda: load_locale("en"))
    """The interface texts of the site's language (``theme.language``): every word a page adds
    around the content comes from here (see :mod:`generator.locale`). The guideline's own
    ``wording`` is laid over it when the site is made."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "locale", worded(self.locale, self.corpus))

    @cached_property
    def content_language(self) -> str | None:
        """The content's language where it is not the interface's (by primary language: ``zh-Hans``
        content on a ``zh`` site needs no mark); ``None`` when they agree or the content says nothing."""
        guideline = guideline_of(self.corpus.documents.values())
        language = guideline.language if guideline is not None else None
        if not language or primary_language(language) == primary_language(self.locale.language):
            return None
        return language


def worded(locale: Locale, corpus: Corpus) -> Locale:
    """The interface texts with the guideline's own ``wording`` laid over them: what every page,
    template and script of the site says."""
    guideline = guideline_of(corpus.documents.values())
    return locale.overlaid(guideline.wording) if guideline is not None else locale


def primary_language(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


PageSource = Callable[[Site], "list[Page]"]
"""A feature's own pages, in navigation order."""
FileSource = Callable[[Site], "list[SiteFile]"]
"""A feature's generated files that are not pages."""


def time_tag(locale: Locale, date: str) -> str:
    """A possibly partial ISO date as a ``<time>`` element, in words of the site's language."""
    return f'<time datetime="{escape(date)}">{escape(locale.date(date))}</time>'


def html_text(locale: Locale, key: str, /, count: int | None = None, **values: object) -> str:
    """The interface text under ``key`` as HTML for element content (``"See also the {timeline}."``):
    its own words escaped, each value that is :class:`~markupsafe.Markup` (a link, a ``<time>``)
    put in as it is, every other value escaped."""
    marks = {name: f"\x00{index}\x00" for index, name in enumerate(values)}
    filled = escape(locale(key, count=count, **marks), quote=False)
    for name, mark in marks.items():
        value = values[name]
        filled = filled.replace(mark, str(value) if isinstance(value, Markup) else escape(str(value), quote=False))
    return filled


SEARCH_BOOST = 4
"""Search ranking boost for pages of official text, so a clause's own page ranks above pages quoting it
(and above a page matching only part of a query in its title, e.g. "contractor" for "labor contract")."""

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
"""The characters Python-Markdown lets a backslash escape; ``<``, ``>`` and ``&`` become entities instead."""


def heading_text(text: str) -> str:
    """Official text used as a Markdown heading, shown literally."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", escape(text, quote=False))


def front_matter(values: dict[str, object]) -> str:
    """YAML front matter for ``page.meta``. Strings are HTML-escaped here because the theme
    writes some of them (``description``) into attributes without escaping."""
    lines = []
    for key, value in values.items():
        text = escape(value) if isinstance(value, str) else value
        lines.append(f"{key}: {json.dumps(text, ensure_ascii=False)}")
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def clause_block(context: PageContext, clause: Clause, note: str | None = None) -> str:
    """One clause: verbatim text, its permalink with a copy button, and our note beside it."""
    note_html = ""
    if note:
        text = context.site.locale
        note_html = (
            f'<aside class="clause-note" aria-label="{escape(text("guideline.note_label"))}">'
            f'<p class="clause-note__label">{escape(text("guideline.note_heading"))}</p>'
            f"{context.formatted(note)}</aside>"
        )
    canonical = context.clause_href(clause.id)
    extras = "".join(extra(context, clause) for extra in context.site.blocks.clause_extras)
    # Anchors for ids the clause had before a rename: published links to them still land here.
    former = "".join(f'<span class="clause__former-id" id="{former_id}"></span>' for former_id in clause.former_ids)
    return (
        f'<div class="clause" id="{clause.id}" data-clause="{clause.id}">{former}'
        f'<p class="clause__text">{context.official(clause.text)}</p>'
        f'<p class="clause__tools"><a class="clause__permalink" href="{canonical}" data-copy-link '
        f'title="{escape(context.site.locale("guideline.permalink_title"))}">#{clause.id}</a></p>'
        f"{note_html}{extras}</div>\n"
    )


OFFICIAL_NUMBER_END = re.compile(r"[\s、.．:：]+$")
"""Punctuation after an official part number ("2、"), dropped when the number is quoted."""


def part_reference(locale: Locale, parts: Sequence[Part], part: Part) -> str:
    """A part as a reader of the official text names it: by the document's own numbering
    (``Part 2``), else by its heading, else as the preamble or the closing."""
    if part.label:
        return locale("guideline.part_reference", label=OFFICIAL_NUMBER_END.sub("", part.label))
    if part.heading:
        return part.heading
    return locale("guideline.preamble" if parts and parts[0].id == part.id else "guideline.closing")


def section_reference(locale: Locale, section: Section) -> str:
    """A section by its official label (``section (1)``), else by its heading."""
    if section.label:
        return locale("guideline.section_reference", label=section.label)
    return section.heading or ""


def clause_reference(corpus: Corpus, clause_id: str, locale: Locale | None = None) -> str:
    """A clause as a reader of the official text finds it: its part, its section and, where the
    section holds more than one, its sentence: ``Part 2, section (1), sentence 2``. Ids are for links."""
    locale = locale or default_locale()
    clause = corpus.clauses[clause_id]
    parts = corpus.documents[clause.document_id].parts
    part = next(part for part in parts if part.id == clause.part_id)
    words = [part_reference(locale, parts, part)]
    siblings = part.clauses
    if clause.section_id is not None:
        section = corpus.sections[clause.section_id]
        siblings = section.clauses
        words.append(section_reference(locale, section))
    if len(siblings) > 1:
        number = [sibling.id for sibling in siblings].index(clause_id) + 1
        words.append(locale("guideline.sentence_reference", number=number))
    return locale("guideline.reference_separator").join(word for word in words if word)


@functools.cache
def default_locale() -> Locale:
    """English, for callers that build text without a site (the command line, tests)."""
    return load_locale("en")


def way_in(href: str, title: str, text: str) -> str:
    """A card on the home page leading to one part of the site."""
    return f'<a class="way-in" href="{href}"><strong>{escape(title)}</strong><span>{escape(text)}</span></a>'
