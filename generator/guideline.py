"""The guideline itself: official documents and our key areas, as content types, cross-checks
and pages (home, the guideline clause by clause, the areas index and one page per area)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from markupsafe import Markup

from . import urls
from .diagnostics import Problem
from .loading import CorpusDraft, Loading
from .locale import Locale
from .model import Area, Clause, Corpus, Document, DocumentSource, Part, Section, frozen_mapping
from .render import (
    SEARCH_BOOST,
    Page,
    PageContext,
    Site,
    clause_block,
    default_locale,
    heading_text,
    html_text,
    part_reference,
    way_in,
)
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
    is_guideline = data["role"] == "guideline"
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
        official_url=data.get("official_url"),
        address=data.get("address", urls.GUIDELINE_ADDRESS) if is_guideline else None,
        nav_title=data.get("nav_title"),
        description=data.get("description"),
        language=data.get("language"),
        areas_title=data.get("areas_title"),
        areas_nav_title=data.get("areas_nav_title"),
        wording=frozen_mapping(
            {
                key: frozen_mapping(value) if isinstance(value, dict) else value
                for key, value in data.get("wording", {}).items()
            }
        ),
    )
    count = document.issuing_body_count
    loading.expect(
        count is None or count == len(document.issuers),
        source,
        ("issuing_body_count",),
        f"says {count} issuing bodies but issuers lists {len(document.issuers)}",
    )
    if not is_guideline:
        for name in GUIDELINE_ONLY:
            loading.expect(name not in data, source, (name,), f"only the guideline (role 'guideline') has {name!r}")
    loading.expect(
        document.address is None or document.address not in urls.TOP_LEVEL_RESERVED,
        source,
        ("address",),
        f"address {document.address!r} is taken by the site's own pages ({', '.join(sorted(urls.TOP_LEVEL_RESERVED))})",
    )
    check_wording(document, source, loading)
    draft.documents[document.id] = document


GUIDELINE_ONLY = ("address", "nav_title", "description", "language", "areas_title", "areas_nav_title", "wording")
"""Fields that shape the site around the guideline, refused on a library document."""


def check_wording(document: Document, source: Source, loading: Loading) -> None:
    """Each ``wording`` key must be an interface text, using only that text's placeholders."""
    texts = default_locale()
    for key, value in document.wording.items():
        if key not in texts.texts:
            loading.problems.append(source.problem(("wording", key), f"{key!r} is not an interface text"))
            continue
        if isinstance(value, Mapping) and not isinstance(texts.texts[key], Mapping):
            message = f"{key!r} is not counted: give one text, not plural forms"
            loading.problems.append(source.problem(("wording", key), message))
            continue
        known = texts.placeholders(key)
        given = Locale(texts.language, {key: value}).placeholders(key)
        loading.expect(
            given <= known,
            source,
            ("wording", key),
            f"unknown placeholder(s) {', '.join(sorted(given - known))}: {key!r} has "
            + (", ".join("{" + name + "}" for name in sorted(known)) or "none"),
        )


def load_area(source: Source, draft: CorpusDraft, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    section = data.get("section", ())
    draft.areas[data["id"]] = Area(
        id=data["id"],
        section_ids=(section,) if isinstance(section, str) else tuple(section),
        title=data["title"],
        summary=data["summary"],
        explanation=data["explanation"],
        clause_notes=frozen_mapping(data.get("clause_notes")),
        part_id=data.get("part"),
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
    """Each area names guideline sections (or a part) that exist and that no other area claims;
    its clause notes are on its own clauses."""
    if not any(document.role == "guideline" for document in corpus.documents.values()):
        return
    guideline = corpus.guideline
    guideline_sections = {section.id for section in guideline.sections()}
    parts = {part.id: part for part in guideline.parts}
    claimed: dict[str, str] = {}
    for area in corpus.areas.values():
        source, _ = loading.place(area.id)
        places: list[tuple[KeyPath, str]] = []
        if area.part_id is not None:
            if area.part_id not in parts:
                message = f"part {area.part_id!r} is not a part of the guideline {guideline.id!r} ({', '.join(parts)})"
                loading.problems.append(source.problem(("part",), message))
                continue
            places = [(("part",), section.id) for section in parts[area.part_id].sections]
            places.append((("part",), area.part_id))
        listed = isinstance(source.data.get("section"), list)
        for index, section_id in enumerate(area.section_ids):
            path: KeyPath = ("section", index) if listed else ("section",)
            if section_id not in guideline_sections:
                message = f"section {section_id!r} is not a section of the guideline {guideline.id!r}"
                loading.problems.append(source.problem(path, message))
                continue
            places.append((path, section_id))
        for path, place in places:
            if place in claimed and claimed[place] != area.id:
                loading.problems.append(source.problem(path, f"{place!r} already belongs to area {claimed[place]!r}"))
            claimed.setdefault(place, area.id)
        own = {clause.id for clause in corpus.area_clauses(area)}
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


def part_heading(locale: Locale, parts: Sequence[Part], part: Part, level: int) -> str:
    words = " ".join(item for item in (part.label, part.heading) if item) or part_reference(locale, parts, part)
    return f"{'#' * level} {heading_text(words)} {{#{part.id}}}\n"


def section_heading(section: Section, level: int) -> str:
    words = " ".join(item for item in (section.label, section.heading) if item)
    if not words:
        return f'<div id="{section.id}"></div>\n'
    return f"{'#' * level} {heading_text(words)} {{#{section.id}}}\n"


def area_link(context: PageContext, area: Area) -> str:
    text = context.site.locale("guideline.area_link", title=area.title)
    return f'<p class="area-link"><a href="{context.link(urls.area_src(area.id))}">{escape(text)}</a></p>\n'


def document_page(site: Site, document: Document) -> Page:
    src = urls.document_src(document)
    context = PageContext(site, src)
    corpus = site.corpus
    text = site.locale
    lines = [f"---\nsearch:\n  boost: {SEARCH_BOOST}\n---\n", f"# {heading_text(document.short_title)}\n"]
    notice = html_text(text, "guideline.official_notice", ours=Markup(f"<em>{escape(text('guideline.ours'))}</em>"))
    lines.append(f'<p class="official-notice">{notice}</p>\n')
    lines.append(document_header(document, text))
    if document.addressees:
        lines.append(f'<p class="doc-addressees">{escape(document.addressees)}</p>\n')
    for part in document.parts:
        lines.append(part_heading(text, document.parts, part, 2))
        area = corpus.area_of_section(part.id) if document.role == "guideline" else None
        if area:
            lines.append(area_link(context, area))
        for clause in part.clauses:
            lines.append(clause_block(context, clause))
        for section in part.sections:
            lines.append(section_heading(section, 3))
            area = corpus.area_of_section(section.id) if document.role == "guideline" else None
            if area and area.part_id is None:
                lines.append(area_link(context, area))
            for clause in section.clauses:
                lines.append(clause_block(context, clause))
    lines.append(issuers_block(text, document))
    title = (document.nav_title or document.short_title) if document.role == "guideline" else document.short_title
    return Page(src, title, "\n".join(lines), about=(document.id,))


def document_header(document: Document, locale: Locale | None = None) -> str:
    text = locale or default_locale()
    count = len(document.issuers)
    rows = [
        (text("guideline.meta_title"), escape(document.title)),
        (text("guideline.meta_number"), escape(document.document_number)),
        (text("guideline.meta_issued"), escape(document.date_line or text.date(document.issued))),
        (
            text("guideline.meta_issued_by"),
            escape(document.issuers[0] if count == 1 else text("guideline.issuers_listed", count=count)),
        ),
    ]
    if document.source:
        # The publisher, linked to the published text where its address is known. (The document's
        # own source line, "Source: …", is quoted verbatim with the issuing offices at the end.)
        origin = document.source
        publisher = escape(origin.publisher)
        if origin.url:
            publisher = f'<a href="{escape(origin.url)}" rel="noopener">{publisher}</a>'
        rows.append((text("guideline.meta_source"), publisher))
    if document.official_url:
        rows.append((text("guideline.meta_official_url"), official_link(document.official_url)))
    body = "".join(f'<tr><th scope="row">{escape(name)}</th><td>{value}</td></tr>' for name, value in rows)
    note = ""
    if document.source and document.source.note:
        note = f'<p class="doc-note">{escape(document.source.note)}</p>'
    return f'<table class="doc-meta"><tbody>{body}</tbody></table>{note}\n'


def official_link(url: str) -> str:
    """The official source's address as a plain link: shown and followed, never loaded by the page."""
    return f'<a class="official-url" href="{escape(url)}" rel="noopener">{escape(url)}</a>'


def issuers_block(text: Locale, document: Document) -> str:
    items = "".join(f"<li>{escape(issuer)}</li>" for issuer in document.issuers)
    date = f'<p class="doc-date">{escape(document.date_line)}</p>' if document.date_line else ""
    source = ""
    if document.source and document.source.source_line:
        source = f'<p class="doc-source">{escape(document.source.source_line)}</p>'
    heading = heading_text(text("guideline.issuers_heading"))
    return f'## {heading} {{#issuers}}\n\n<ol class="issuers">{items}</ol>{date}{source}\n'


def mapped_places(corpus: Corpus, area: Area) -> list[tuple[Part, Section | None]]:
    """Where an area's official text is: its whole part, or each of its sections with its part."""
    guideline = corpus.guideline
    if area.part_id is not None:
        return [(part, None) for part in guideline.parts if part.id == area.part_id]
    part_of = {section.id: part for part in guideline.parts for section in part.sections}
    return [(part_of[section_id], corpus.sections[section_id]) for section_id in area.section_ids]


def place_reference(text: Locale, corpus: Corpus, part: Part, section: Section | None) -> str:
    """``Part 2, section (1) Labor employment compliance.``: where an area's official text is."""
    words = [part_reference(text, corpus.guideline.parts, part)]
    if section is not None:
        title = " ".join(item for item in (section.label, section.heading) if item)
        words.append(text("guideline.section_title", title=title) if title else "")
    return text("guideline.reference_separator").join(word for word in words if word)


def area_page(site: Site, area: Area) -> Page:
    src = urls.area_src(area.id)
    context = PageContext(site, src)
    corpus = site.corpus
    guideline = corpus.guideline
    text = site.locale
    lines = [f"# {heading_text(area.title)}\n"]
    lines.append(
        f'<p class="area-summary"><strong>{escape(text("guideline.in_short"))}</strong> {escape(area.summary)}</p>\n'
    )
    lines.append(f"## {heading_text(text('guideline.official_text'))} {{#official-text}}\n")
    for part, section in mapped_places(corpus, area):
        document_link = (
            f'<a href="{context.link(urls.document_src(guideline), section.id if section else part.id)}">'
            f"{escape(guideline.short_title)}</a>"
        )
        source = html_text(
            text,
            "guideline.official_source",
            document=Markup(document_link),
            reference=place_reference(text, corpus, part, section),
            number=guideline.document_number,
        )
        lines.append(f'<p class="official-source">{source}</p>\n')
        clauses = part.all_clauses() if section is None else section.clauses
        for clause in clauses:
            lines.append(clause_block(context, clause, area.clause_notes.get(clause.id)))
    lines.append(f"## {heading_text(text('guideline.explanation_heading'))} {{#explanation}}\n")
    lines.append(
        f'<div class="explanation"><p class="explanation__label">{escape(text("guideline.explanation_label"))}</p>'
        f"{context.formatted(area.explanation)}</div>\n"
    )
    for extra in site.blocks.area_sections:
        block = extra(context, area)
        if block:
            lines.append(block)
    return Page(src, area.title, "\n".join(lines), nav_section=areas_nav_title(site), about=(area.id,))


def areas_nav_title(site: Site) -> str:
    """The key areas' section in the navigation: the guideline's own name for it, else the interface text."""
    return site.corpus.guideline.areas_nav_title or site.locale("nav.areas")


def areas_title(site: Site) -> str:
    return site.corpus.guideline.areas_title or site.locale("guideline.areas_title")


def area_label(corpus: Corpus, area: Area) -> str:
    """The official numbering shown before an area's title in the index: its first section's, or its part's."""
    places = mapped_places(corpus, area)
    if not places:
        return ""
    part, section = places[0]
    return (section.label if section else part.label) or ""


def areas_index(site: Site) -> Page:
    context = PageContext(site, urls.AREAS_INDEX)
    corpus = site.corpus
    text = site.locale
    items = []
    for area in corpus.ordered_areas:
        items.append(
            f'<li><a href="{context.link(urls.area_src(area.id))}"><strong>{escape(area_label(corpus, area))} '
            f"{escape(area.title)}</strong></a><br>{escape(area.summary)}</li>"
        )
    title = areas_title(site)
    body = (
        f"# {heading_text(title)}\n\n"
        f"<p>{escape(text('guideline.areas_intro', count=len(corpus.areas)))}</p>\n"
        f'<ol class="area-list">{"".join(items)}</ol>\n'
    )
    return Page(urls.AREAS_INDEX, title, body, nav_section=areas_nav_title(site))


def home_page(site: Site) -> Page:
    """The first screen says what this is and who runs this copy, then offers the ways in; the
    document's particulars and its headline goal follow below them."""
    context = PageContext(site, urls.HOME)
    corpus = site.corpus
    guideline = corpus.guideline
    text = site.locale
    count = len(guideline.issuers)
    lines = [f"# {heading_text(guideline.short_title)}\n"]
    intro = text(
        "guideline.home_intro", title=guideline.short_title, issuers=text("guideline.issuer_count", count=count)
    )
    lines.append(f'<p class="home-what">{escape(intro)}</p>\n')
    if site.site_owner:
        owner = html_text(text, "guideline.home_owner", owner=Markup(f"<strong>{escape(site.site_owner)}</strong>"))
    else:
        owner = escape(text("guideline.home_no_owner"))
    lines.append(
        f'<p class="home-who">{escape(text("guideline.home_not_official"))} {owner} '
        f'<a href="{context.link(urls.ABOUT)}">{escape(text("guideline.about_site"))}</a></p>\n'
    )
    cards = [
        way_in(
            context.link(urls.document_src(guideline)),
            text("guideline.read_title"),
            text("guideline.read_text", count=len(corpus.areas)),
        )
    ]
    cards.extend(card(context) for card in site.blocks.home_cards)
    lines.append(
        f'<nav class="ways-in" aria-label="{escape(text("guideline.ways_in_label"))}">'
        f"{''.join(card for card in cards if card)}</nav>\n"
    )
    if guideline.goal_clause:
        goal = corpus.clauses[guideline.goal_clause]
        lines.append(f"## {heading_text(text('guideline.goal_title'))} {{#goal}}\n")
        lines.append(
            f'<blockquote class="home-goal"><p>{escape(goal.text)}</p>'
            f'<p><a href="{context.clause_href(goal.id)}">{escape(text("guideline.goal_link", clause=goal.id))}</a>'
            "</p></blockquote>\n"
        )
    lines.append(f"## {heading_text(text('guideline.about_document'))} {{#document}}\n")
    facts = [
        (text("guideline.meta_title"), escape(guideline.title)),
        (text("guideline.meta_number"), escape(guideline.document_number)),
        (text("guideline.meta_issued"), escape(guideline.date_line or text.date(guideline.issued))),
        (text("guideline.meta_issued_by"), escape(issued_by(guideline.issuers, text))),
    ]
    if guideline.source:
        facts.append((text("guideline.meta_source"), escape(guideline.source.publisher)))
    if guideline.official_url:
        facts.append((text("guideline.meta_official_url"), official_link(guideline.official_url)))
    rows = "".join(f'<tr><th scope="row">{escape(name)}</th><td>{value}</td></tr>' for name, value in facts)
    lines.append(f'<table class="doc-meta"><tbody>{rows}</tbody></table>\n')
    issuers = "".join(f"<li>{escape(issuer)}</li>" for issuer in guideline.issuers)
    lines.append(
        f'<details class="home-issuers"><summary>{escape(text("guideline.issuers_summary", count=count))}</summary>'
        f"<ol>{issuers}</ol></details>\n"
    )
    return Page(urls.HOME, text("nav.home"), "\n".join(lines))


def guideline_pages(site: Site) -> list[Page]:
    """Home, the guideline, the areas index and the area pages, in navigation order."""
    pages = [home_page(site), document_page(site, site.corpus.guideline), areas_index(site)]
    pages.extend(area_page(site, area) for area in site.corpus.ordered_areas)
    return pages


def issued_by(issuers: Sequence[str], locale: Locale | None = None) -> str:
    """Who issued a document, counted from content: one issuer by name, several as a count and
    the first (the lead department, as the official text lists them)."""
    if len(issuers) == 1:
        return issuers[0]
    text = locale or default_locale()
    return text("guideline.departments", count=len(issuers), lead=issuers[0])
