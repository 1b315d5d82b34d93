"""The guideline itself: official documents and our key areas, as content types, cross-checks
and pages (home, the guideline clause by clause, the areas index and one page per area)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from . import urls
from .diagnostics import Problem
from .loading import CorpusDraft, Loading
from .model import Area, Clause, Corpus, Document, DocumentSource, Part, Section, frozen_mapping
from .render import SEARCH_BOOST, Page, PageContext, Site, clause_block, heading_text, way_in
from .yamlsource import KeyPath, Source

# --- loading ------------------------------------------------------------------------------------


def load_document(source: Source, draft: CorpusDraft, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    parts = []
    for part_index, part in enumerate(data["parts"]):
        part_path: KeyPath = ("parts", part_index)
        loading.define(source, (*part_path, "id"), part["id"])

        def clauses(
            entries: list[dict], path: KeyPath, section_id: str | None, part_id: str = part["id"]
        ) -> tuple[Clause, ...]:
            built = []
            for index, entry in enumerate(entries):
                clause = Clause(
                    entry["id"], entry["text"], data["id"], part_id, section_id, tuple(entry.get("former_ids", ()))
                )
                loading.define(source, (*path, index, "id"), clause.id)
                for position, former in enumerate(clause.former_ids):
                    loading.define(source, (*path, index, "former_ids", position), former)
                draft.clauses[clause.id] = clause
                built.append(clause)
            return tuple(built)

        sections = []
        for section_index, section in enumerate(part.get("sections", [])):
            section_path: KeyPath = (*part_path, "sections", section_index)
            loading.define(source, (*section_path, "id"), section["id"])
            built_section = Section(
                section["id"],
                section.get("label"),
                section.get("heading"),
                clauses(section["clauses"], (*section_path, "clauses"), section["id"]),
            )
            draft.sections[built_section.id] = built_section
            sections.append(built_section)
        parts.append(
            Part(
                part["id"],
                part.get("label"),
                part.get("heading"),
                clauses(part.get("clauses", []), (*part_path, "clauses"), None),
                tuple(sections),
            )
        )
    origin = data.get("source")
    document = Document(
        id=data["id"],
        role=data["role"],
        title=data["title"],
        short_title=data.get("short_title", data["title"]),
        document_number=data["document_number"],
        issued=data["issued"],
        issuers=tuple(data["issuers"]),
        date_line=data.get("date_line"),
        addressees=data.get("addressees"),
        source=DocumentSource(**origin) if origin else None,
        goal_clause=data.get("goal_clause"),
        parts=tuple(parts),
        issuing_body_count=data.get("issuing_body_count"),
        kind=data.get("kind"),
        areas=tuple(data.get("areas", ())),
    )
    count = document.issuing_body_count
    loading.expect(
        count is None or count == len(document.issuers),
        source,
        ("issuing_body_count",),
        f"says {count} issuing bodies but issuers lists {len(document.issuers)}",
    )
    draft.documents[document.id] = document


def load_area(source: Source, draft: CorpusDraft, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    draft.areas[data["id"]] = Area(
        id=data["id"],
        section_id=data["section"],
        title=data["title"],
        summary=data["summary"],
        explanation=data["explanation"],
        clause_notes=frozen_mapping(data.get("clause_notes")),
    )


def check_documents(corpus: Corpus, loading: Loading) -> None:
    guidelines = [document for document in corpus.documents.values() if document.role == "guideline"]
    if len(guidelines) != 1:
        message = f"the content needs exactly one document with role 'guideline', found {len(guidelines)}"
        if guidelines:
            source, _ = loading.place(guidelines[1].id)
            loading.problems.append(source.problem(("role",), message))
        else:
            loading.problems.append(Problem("content", 1, 1, "$", message))
        return
    guideline = guidelines[0]
    if guideline.goal_clause:
        source, _ = loading.place(guideline.id)
        loading.expect(
            corpus.clauses.get(guideline.goal_clause, None) is not None
            and corpus.clauses[guideline.goal_clause].document_id == guideline.id,
            source,
            ("goal_clause",),
            f"goal_clause {guideline.goal_clause!r} is not a clause of this document",
        )


def check_areas(corpus: Corpus, loading: Loading) -> None:
    if not any(document.role == "guideline" for document in corpus.documents.values()):
        return
    guideline = corpus.guideline
    guideline_sections = {section.id for section in guideline.sections()}
    claimed: dict[str, str] = {}
    for area in corpus.areas.values():
        source, _ = loading.place(area.id)
        if area.section_id not in guideline_sections:
            loading.problems.append(
                source.problem(
                    ("section",), f"section {area.section_id!r} is not a section of the guideline {guideline.id!r}"
                )
            )
            continue
        if area.section_id in claimed:
            loading.problems.append(
                source.problem(
                    ("section",), f"section {area.section_id!r} already belongs to area {claimed[area.section_id]!r}"
                )
            )
        claimed[area.section_id] = area.id
        own = {clause.id for clause in corpus.sections[area.section_id].clauses}
        for clause_id, note in area.clause_notes.items():
            loading.expect(
                clause_id in own,
                source,
                ("clause_notes", clause_id),
                f"clause {clause_id!r} is not one of this area's clauses ({', '.join(sorted(own))})",
            )
            loading.check_links(note, source, ("clause_notes", clause_id), corpus)
        loading.check_links(area.explanation, source, ("explanation",), corpus)


# --- pages --------------------------------------------------------------------------------------


def part_heading(part: Part, level: int, unnamed: str = "Preamble") -> str:
    words = " ".join(item for item in (part.label, part.heading) if item) or unnamed
    return f"{'#' * level} {heading_text(words)} {{#{part.id}}}\n"


def section_heading(section: Section, level: int) -> str:
    words = " ".join(item for item in (section.label, section.heading) if item)
    if not words:
        return f'<div id="{section.id}"></div>\n'
    return f"{'#' * level} {heading_text(words)} {{#{section.id}}}\n"


def document_page(site: Site, document: Document) -> Page:
    src = urls.document_src(document.id, document.role)
    context = PageContext(site, src)
    corpus = site.corpus
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
    return Page(src, document.short_title, "\n".join(lines), about=(document.id,))


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
    cells = [(name, escape(value)) for name, value in rows]
    if document.source:
        # The publisher, linked to the published text where its address is known. (The document's
        # own source line, "Source: …", is quoted verbatim with the issuing offices at the end.)
        origin = document.source
        publisher = escape(origin.publisher)
        if origin.url:
            publisher = f'<a href="{escape(origin.url)}" rel="noopener">{publisher}</a>'
        cells.append(("Source", publisher))
    body = "".join(f'<tr><th scope="row">{escape(name)}</th><td>{value}</td></tr>' for name, value in cells)
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


def area_page(site: Site, area: Area) -> Page:
    src = urls.area_src(area.id)
    context = PageContext(site, src)
    corpus = site.corpus
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
    for extra in site.blocks.area_sections:
        block = extra(context, area)
        if block:
            lines.append(block)
    return Page(src, area.title, "\n".join(lines), nav_section="Key areas", about=(area.id,))


def areas_index(site: Site) -> Page:
    context = PageContext(site, urls.AREAS_INDEX)
    corpus = site.corpus
    items = []
    for area in corpus.ordered_areas:
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


def home_page(site: Site) -> Page:
    """The first screen says what this is and who runs this copy, then offers the ways in; the
    document's particulars and the 2030 goal follow below them."""
    context = PageContext(site, urls.HOME)
    corpus = site.corpus
    guideline = corpus.guideline
    lines = [f"# {heading_text(guideline.short_title)}\n"]
    lines.append(
        f'<p class="home-what">The official text of the {escape(guideline.short_title)}, issued by '
        f"{len(guideline.issuers)} departments of the Chinese government, clause by clause with a permanent link "
        "to each, beside our plain-language explanations.</p>\n"
    )
    owner = (
        f"This copy is run by <strong>{escape(site.site_owner)}</strong>."
        if site.site_owner
        else "This copy does not say who runs it."
    )
    lines.append(
        f'<p class="home-who">Not an official publication. {owner} '
        f'<a href="{context.link(urls.ABOUT)}">About this site</a></p>\n'
    )
    cards = [
        way_in(
            context.link(urls.GUIDELINE),
            "Read the guideline",
            "The full official text, clause by clause, with a permanent link to every clause, "
            "and the ten key areas explained in plain language.",
        )
    ]
    cards.extend(card(context) for card in site.blocks.home_cards)
    lines.append(f'<nav class="ways-in" aria-label="Where to start">{"".join(card for card in cards if card)}</nav>\n')
    if guideline.goal_clause:
        goal = corpus.clauses[guideline.goal_clause]
        lines.append("## The 2030 goal {#goal}\n")
        lines.append(
            f'<blockquote class="home-goal"><p>{escape(goal.text)}</p>'
            f'<p><a href="{context.clause_href(goal.id)}">Read it in context (clause {goal.id})</a></p></blockquote>\n'
        )
    lines.append("## About the document {#document}\n")
    facts = [
        ("Title", guideline.title),
        ("Document number", guideline.document_number),
        ("Issued", guideline.date_line or guideline.issued),
        ("Issued by", issued_by(guideline.issuers)),
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
    return Page(urls.HOME, "Home", "\n".join(lines))


def guideline_pages(site: Site) -> list[Page]:
    """Home, the guideline, the areas index and the area pages, in navigation order."""
    pages = [home_page(site), document_page(site, site.corpus.guideline), areas_index(site)]
    pages.extend(area_page(site, area) for area in site.corpus.ordered_areas)
    return pages


def issued_by(issuers: Sequence[str]) -> str:
    """Who issued a document, counted from content: one issuer by name, several as a count and
    the first (the lead department, as the official text lists them)."""
    if len(issuers) == 1:
        return issuers[0]
    return f"{len(issuers)} departments, led by the {issuers[0]}"
