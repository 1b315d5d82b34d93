"""Turn the corpus into Markdown pages for MkDocs. Nothing here imports MkDocs.

Content text reaches the Markdown only as escaped HTML (official text) or as HTML from
:mod:`generator.markdown` (our formatted text), inside raw HTML blocks that MkDocs
passes through untouched. Headings stay Markdown so MkDocs builds the table of
contents and the search index by section.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape

from . import markdown, urls
from .corpus import Corpus
from .model import Area, Clause, Document, Part, Section


@dataclass(frozen=True)
class Page:
    """One generated page: where it lives, its title and its Markdown."""

    src_uri: str
    title: str
    markdown: str
    nav_section: str | None = None
    """The navigation section the page belongs to; ``None`` for top-level pages."""


class PageContext:
    """Link-making for one page: every address is relative to where the page lives."""

    def __init__(self, corpus: Corpus, src_uri: str) -> None:
        self.corpus = corpus
        self.src_uri = src_uri
        self.url = urls.page_url(src_uri)
        self.explained_terms: set[str] = set()
        """Glossary terms already explained on this page (each is explained where it first occurs)."""

    def link(self, src_uri: str, fragment: str = "") -> str:
        target = urls.page_url(src_uri) + (f"#{fragment}" if fragment else "")
        return urls.relative(self.url, target)

    def clause_href(self, clause_id: str) -> str:
        clause = self.corpus.clauses[clause_id]
        document = self.corpus.documents[clause.document_id]
        return self.link(urls.document_src(document.id, document.role), clause_id)

    def formatted(self, text: str) -> str:
        return markdown.render(text, self.clause_href)

    def official(self, text: str) -> str:
        """Official text as HTML: escaped, then marked up by each of :data:`TEXT_MARKERS` (e.g. glossary terms)."""
        html = escape(text)
        for mark in TEXT_MARKERS:
            html = mark(self, html)
        return html


AreaSection = Callable[[PageContext, Area], str]
"""Adds a block to an area page (e.g. its self-check or cases); returns Markdown or ``""``."""

AREA_SECTIONS: list[AreaSection] = []
PAGE_SOURCES: list[Callable[[Corpus], Iterator[Page]]] = []
"""Other modules register generators of further pages here."""

HOME_WAYS_IN: list[Callable[[PageContext], str]] = []
"""Extra 'ways in' cards for the home page, from the modules that own those pages."""

TEXT_MARKERS: list[Callable[[PageContext, str], str]] = []
"""Functions that take escaped official text (no tags) and return HTML with inline marks added."""

SEARCH_BOOST = 2
"""Search ranking boost for pages of official text, so a clause's own page ranks above pages quoting it."""

CLAUSE_EXTRAS: list[Callable[[PageContext, Clause], str]] = []
"""Adds HTML under a clause wherever it is shown (e.g. the cases citing it); returns ``""`` for nothing."""

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
"""The characters Python-Markdown lets a backslash escape; ``<``, ``>`` and ``&`` become entities instead."""


def heading_text(text: str) -> str:
    """Official text used as a Markdown heading, shown literally."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", escape(text, quote=False))


def clause_block(context: PageContext, clause: Clause, note: str | None = None) -> str:
    """One clause: verbatim text, its permalink with a copy button, and our note beside it."""
    note_html = ""
    if note:
        note_html = (
            '<aside class="clause-note" aria-label="Plain-language note">'
            '<p class="clause-note__label">Plain-language note (ours, not official text)</p>'
            f"{context.formatted(note)}</aside>"
        )
    canonical = context.clause_href(clause.id)
    extras = "".join(extra(context, clause) for extra in CLAUSE_EXTRAS)
    return (
        f'<div class="clause" id="{clause.id}" data-clause="{clause.id}">'
        f'<p class="clause__text">{context.official(clause.text)}</p>'
        f'<p class="clause__tools"><a class="clause__permalink" href="{canonical}" data-copy-link '
        f'title="Permalink to this clause; click to copy">#{clause.id}</a></p>'
        f"{note_html}{extras}</div>\n"
    )


def part_heading(part: Part, level: int, unnamed: str = "Preamble") -> str:
    words = " ".join(item for item in (part.label, part.heading) if item) or unnamed
    return f"{'#' * level} {heading_text(words)} {{#{part.id}}}\n"


def section_heading(section: Section, level: int) -> str:
    words = " ".join(item for item in (section.label, section.heading) if item)
    if not words:
        return f'<div id="{section.id}"></div>\n'
    return f"{'#' * level} {heading_text(words)} {{#{section.id}}}\n"


def document_page(corpus: Corpus, document: Document) -> Page:
    src = urls.document_src(document.id, document.role)
    context = PageContext(corpus, src)
    lines = [f"---\nsearch:\n  boost: {SEARCH_BOOST}\n---\n", f"# {heading_text(document.short_title)}\n"]
    lines.append(OFFICIAL_NOTICE)
    lines.append(document_header(document))
    if document.addressees:
        lines.append(f'<p class="doc-addressees">{escape(document.addressees)}</p>\n')
    for index, part in enumerate(document.parts):
        lines.append(part_heading(part, 2, "Preamble" if index == 0 else "Closing"))
        for clause in part.clauses:
            lines.append(clause_block(context, clause))
        for section in part.sections:
            lines.append(section_heading(section, 3))
            area = corpus.area_of_section(section.id)
            if area:
                lines.append(
                    f'<p class="area-link"><a href="{context.link(urls.area_src(area.id))}">'
                    f"Plain-language page for this area: {escape(area.title)}</a></p>\n"
                )
            for clause in section.clauses:
                lines.append(clause_block(context, clause))
    lines.append(issuers_block(document))
    return Page(src, document.short_title, "\n".join(lines))


OFFICIAL_NOTICE = (
    '<p class="official-notice">Official text, published verbatim clause by clause. '
    "Each clause has a permanent link; headings and notes marked <em>ours</em> are not part of it.</p>\n"
)


def document_header(document: Document) -> str:
    rows = [
        ("Title", document.title),
        ("Document number", document.document_number),
        ("Issued", document.date_line or document.issued),
        (
            "Issued by",
            document.issuers[0]
            if len(document.issuers) == 1
            else f"{len(document.issuers)} departments (listed at the end)",
        ),
    ]
    if document.source:
        rows.append(("Source", document.source.source_line or document.source.publisher))
    body = "".join(f'<tr><th scope="row">{escape(name)}</th><td>{escape(value)}</td></tr>' for name, value in rows)
    note = ""
    if document.source and document.source.note:
        note = f'<p class="doc-note">{escape(document.source.note)}</p>'
    return f'<table class="doc-meta"><tbody>{body}</tbody></table>{note}\n'


def issuers_block(document: Document) -> str:
    items = "".join(f"<li>{escape(issuer)}</li>" for issuer in document.issuers)
    date = f'<p class="doc-date">{escape(document.date_line)}</p>' if document.date_line else ""
    source = ""
    if document.source and document.source.source_line:
        source = f'<p class="doc-source">{escape(document.source.source_line)}</p>'
    return f'## Issuing offices {{#issuers}}\n\n<ol class="issuers">{items}</ol>{date}{source}\n'


def area_page(corpus: Corpus, area: Area) -> Page:
    src = urls.area_src(area.id)
    context = PageContext(corpus, src)
    section = corpus.sections[area.section_id]
    guideline = corpus.guideline
    lines = [f"# {heading_text(area.title)}\n"]
    lines.append(f'<p class="area-summary"><strong>In short (ours):</strong> {escape(area.summary)}</p>\n')
    lines.append("## Official text {#official-text}\n")
    words = " ".join(item for item in (section.label, section.heading) if item)
    lines.append(
        f'<p class="official-source">Part 2, section {escape(words)} of the '
        f'<a href="{context.link(urls.GUIDELINE, section.id)}">{escape(guideline.short_title)}</a> '
        f"({escape(guideline.document_number)}), verbatim.</p>\n"
    )
    for clause in section.clauses:
        lines.append(clause_block(context, clause, area.clause_notes.get(clause.id)))
    lines.append("## Plain-language explanation {#explanation}\n")
    lines.append(
        '<div class="explanation"><p class="explanation__label">Our explanation — not part of the official text.</p>'
        f"{context.formatted(area.explanation)}</div>\n"
    )
    for extra in AREA_SECTIONS:
        block = extra(context, area)
        if block:
            lines.append(block)
    return Page(src, area.title, "\n".join(lines), nav_section="Key areas")


def areas_index(corpus: Corpus) -> Page:
    context = PageContext(corpus, urls.AREAS_INDEX)
    items = []
    for area in corpus.ordered_areas():
        section = corpus.sections[area.section_id]
        items.append(
            f'<li><a href="{context.link(urls.area_src(area.id))}"><strong>{escape(section.label or "")} '
            f"{escape(area.title)}</strong></a><br>{escape(area.summary)}</li>"
        )
    body = (
        "# Key compliance areas\n\n"
        "<p>Part 2 of the guideline names ten key areas of compliance management. "
        "Each page gives the official clauses, then our plain-language explanation.</p>\n"
        f'<ol class="area-list">{"".join(items)}</ol>\n'
    )
    return Page(urls.AREAS_INDEX, "Key compliance areas", body, nav_section="Key areas")


def home_page(corpus: Corpus) -> Page:
    context = PageContext(corpus, urls.HOME)
    guideline = corpus.guideline
    lines = [f"# {heading_text(guideline.short_title)}\n"]
    lines.append(f'<p class="home-title">{escape(guideline.title)}</p>\n')
    facts = [
        ("Document number", guideline.document_number),
        ("Issued", guideline.date_line or guideline.issued),
        ("Issued by", f"{len(guideline.issuers)} departments, led by the {guideline.issuers[0]}"),
    ]
    if guideline.source:
        facts.append(("Source", guideline.source.publisher))
    rows = "".join(f'<tr><th scope="row">{escape(name)}</th><td>{escape(value)}</td></tr>' for name, value in facts)
    lines.append(f'<table class="doc-meta"><tbody>{rows}</tbody></table>\n')
    issuers = "".join(f"<li>{escape(issuer)}</li>" for issuer in guideline.issuers)
    lines.append(
        f'<details class="home-issuers"><summary>The {len(guideline.issuers)} issuing offices</summary>'
        f"<ol>{issuers}</ol></details>\n"
    )
    if guideline.goal_clause:
        goal = corpus.clauses[guideline.goal_clause]
        lines.append("## The 2030 goal {#goal}\n")
        lines.append(
            f'<blockquote class="home-goal"><p>{escape(goal.text)}</p>'
            f'<p><a href="{context.clause_href(goal.id)}">Read it in context (clause {goal.id})</a></p></blockquote>\n'
        )
    lines.append("## Where to start {#start}\n")
    cards = [
        way_in(
            context.link(urls.GUIDELINE),
            "Read the guideline",
            "The full official text, clause by clause, with a permanent link to every clause, "
            "and the ten key areas explained in plain language.",
        )
    ]
    cards.extend(card(context) for card in HOME_WAYS_IN)
    lines.append(f'<div class="ways-in">{"".join(card for card in cards if card)}</div>\n')
    return Page(urls.HOME, "Home", "\n".join(lines))


def way_in(href: str, title: str, text: str) -> str:
    return f'<a class="way-in" href="{href}"><strong>{escape(title)}</strong><span>{escape(text)}</span></a>'


def site_pages(corpus: Corpus) -> list[Page]:
    """Every generated page, in navigation order."""
    pages = [home_page(corpus)]
    pages.append(document_page(corpus, corpus.guideline))
    pages.append(areas_index(corpus))
    pages.extend(area_page(corpus, area) for area in corpus.ordered_areas())
    for source in PAGE_SOURCES:
        pages.extend(source(corpus))
    return pages


NAV_SECTION_LIMIT = 60
"""A navigation section with more pages than this lists only its index page. Every page renders
the whole sidebar, so a section of n pages costs n² in build time and output (a 1,000-page
section makes each page ~330 KB); its index page lists them all anyway."""


def site_nav(pages: list[Page], extra: list[tuple[str, str]] = ()) -> list:
    """MkDocs ``nav`` for the generated pages, grouped by ``nav_section`` in first-seen order,
    followed by ``extra`` (title, src_uri) pages written by hand."""
    nav: list = []
    groups: dict[str, list] = {}
    sizes: dict[str, int] = {}
    indexed: set[str] = set()
    for page in pages:
        if page.nav_section is not None:
            sizes[page.nav_section] = sizes.get(page.nav_section, 0) + 1
            if page.src_uri.endswith("index.md"):
                indexed.add(page.nav_section)
    for page in pages:
        if (
            page.nav_section in indexed
            and sizes[page.nav_section] > NAV_SECTION_LIMIT
            and not page.src_uri.endswith("index.md")
        ):
            continue
        if page.nav_section is None:
            nav.append({page.title: page.src_uri})
            continue
        if page.nav_section not in groups:
            groups[page.nav_section] = []
            nav.append({page.nav_section: groups[page.nav_section]})
        groups[page.nav_section].append(
            page.src_uri if page.src_uri.endswith("index.md") else {page.title: page.src_uri}
        )
    nav.extend({title: src} for title, src in extra)
    return nav
