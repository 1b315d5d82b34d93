"""The policy library: related official documents, background sources (briefings, analyses,
news) and dated events, with a library index, a timeline and links from the area pages.

Official documents use the ``document`` type; this module adds ``source`` and ``event``.
Everything shown about a source other than its verbatim quotes is marked as ours.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from html import escape

from . import urls
from .guideline import document_page
from .loading import CorpusDraft, Loading
from .model import Area, Corpus, Fact, LibrarySource, PolicyEvent, date_key
from .render import Page, PageContext, Site, heading_text, time_tag, way_in
from .yamlsource import Source

NAV_SECTION = "Policy library"
KIND_NOTICES = {
    "briefing": "Spoken answers by officials: background, not a policy document and not official text.",
    "analysis": "Third-party commentary, not official text.",
    "news": "A news report, with expert comment: commentary, not official text.",
}
KIND_NAMES = {"briefing": "Press briefing", "analysis": "Analysis", "news": "News report"}


@dataclass(frozen=True)
class TimelineEntry:
    """One dated item of the timeline, whatever its content type."""

    id: str
    date: str
    title: str
    kind: str
    src_uri: str
    fragment: str = ""


def check_date(date: str, source: Source, loading: Loading) -> None:
    """The schema checks the shape of a partial date; a full one must also be a real day."""
    if date.count("-") == 2:
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            loading.problems.append(source.problem(("date",), f"{date!r} is not a valid date"))


def load_source(source: Source, draft: CorpusDraft, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    check_date(data["date"], source, loading)
    facts = []
    for index, fact in enumerate(data["facts"]):
        loading.define(source, ("facts", index, "id"), f"{data['id']}#{fact['id']}")
        facts.append(Fact(**fact))
    draft.library_sources[data["id"]] = LibrarySource(
        id=data["id"],
        kind=data["kind"],
        title=data["title"],
        short_title=data.get("short_title", data["title"]),
        publisher=data["publisher"],
        date=data["date"],
        attribution=data["attribution"],
        summary=data["summary"],
        facts=tuple(facts),
        date_note=data.get("date_note"),
        speakers=tuple(data.get("speakers", ())),
        url=data.get("url"),
        areas=tuple(data.get("areas", ())),
    )


def load_event(source: Source, draft: CorpusDraft, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    check_date(data["date"], source, loading)
    draft.events[data["id"]] = PolicyEvent(
        id=data["id"],
        date=data["date"],
        title=data["title"],
        stated_in=data["stated_in"],
        quote=data["quote"],
        description=data.get("description"),
        areas=tuple(data.get("areas", ())),
    )


def _check_areas(areas: tuple[str, ...], corpus: Corpus, loading: Loading, source: Source) -> None:
    for index, area_id in enumerate(areas):
        loading.refer(area_id, corpus.areas, source, ("areas", index), f"unknown area {area_id!r}")


def check_library(corpus: Corpus, loading: Loading) -> None:
    """Areas named by library items exist; events quote a passage their source records; no id hides a page."""
    items = [*corpus.library_sources.values(), *corpus.events.values()]
    items += [document for document in corpus.documents.values() if document.role == "library"]
    for item in items:
        source, _ = loading.place(item.id)
        _check_areas(item.areas, corpus, loading, source)
        loading.expect(
            item.id not in urls.LIBRARY_RESERVED_IDS,
            source,
            ("id",),
            f"id {item.id!r} is reserved for a page of the policy library",
        )
    for item in corpus.library_sources.values():
        source, _ = loading.place(item.id)
        loading.check_links(item.summary, source, ("summary",), corpus)
    for event in corpus.events.values():
        source, _ = loading.place(event.id)
        loading.check_links(event.description or "", source, ("description",), corpus)
        stated_in = corpus.library_sources.get(event.stated_in)
        if stated_in is None:
            loading.problems.append(source.problem(("stated_in",), f"unknown source {event.stated_in!r}"))
            continue
        loading.expect(
            any(fact.quote == event.quote for fact in stated_in.facts),
            source,
            ("quote",),
            f"the quote must be one of the passages recorded in the facts of {stated_in.id!r}",
        )


def timeline_entries(corpus: Corpus) -> list[TimelineEntry]:
    """Every dated item of the corpus, oldest first."""
    entries = [
        TimelineEntry(
            document.id,
            document.issued,
            document.short_title,
            "Official document" if document.role == "library" else "The guideline",
            urls.document_src(document.id, document.role),
        )
        for document in corpus.documents.values()
    ]
    entries += [
        TimelineEntry(item.id, item.date, item.short_title, KIND_NAMES[item.kind], urls.source_src(item.id))
        for item in corpus.library_sources.values()
    ]
    entries += [
        TimelineEntry(event.id, event.date, event.title, "Event", urls.TIMELINE, event.id)
        for event in corpus.events.values()
    ]
    return sorted(entries, key=lambda entry: (date_key(entry.date), entry.title))


def figure_text(fact: Fact) -> str:
    if fact.figure is None:
        return ""
    number = int(fact.figure) if float(fact.figure).is_integer() else fact.figure
    words = f"{number:,}"
    if fact.qualifier == "more than":
        words = f"more than {words}"
    return f"{words} {fact.unit}" if fact.unit else words


def source_page(site: Site, item: LibrarySource) -> Page:
    src = urls.source_src(item.id)
    context = PageContext(site, src)
    lines = [f"# {heading_text(item.short_title)}\n"]
    lines.append(
        f'<p class="source-kind source-kind--{escape(item.kind)}"><strong>{escape(KIND_NAMES[item.kind])}.</strong> '
        f"{escape(KIND_NOTICES[item.kind])}</p>\n"
    )
    rows = [("Title", escape(item.title)), ("Published by", escape(item.publisher)), ("Date", time_tag(item.date))]
    if item.speakers:
        rows.append(("Speaking", "<br>".join(escape(speaker) for speaker in item.speakers)))
    if item.url:
        rows.append(("Original", f'<a href="{escape(item.url)}" rel="noopener">{escape(item.url)}</a>'))
    body = "".join(f'<tr><th scope="row">{escape(name)}</th><td>{value}</td></tr>' for name, value in rows)
    lines.append(f'<table class="doc-meta"><tbody>{body}</tbody></table>\n')
    if item.date_note:
        lines.append(f'<p class="doc-note">About the date (ours): {escape(item.date_note)}</p>\n')
    lines.append("## Summary {#summary}\n")
    lines.append(
        '<div class="explanation source-summary"><p class="explanation__label">Our summary — '
        f"not official text.</p>{context.formatted(item.summary)}</div>\n"
    )
    lines.append(f'<p class="source-attribution">{escape(item.attribution)}</p>\n')
    lines.append("## Key facts and figures {#facts}\n")
    facts = []
    for fact in item.facts:
        figure = figure_text(fact)
        figure_html = f'<p class="fact__figure">{escape(figure)}</p>' if figure else ""
        figure_attribute = f' data-figure="{fact.figure:g}"' if fact.figure is not None else ""
        facts.append(
            f'<li class="fact" id="{escape(fact.id)}"{figure_attribute}>'
            f'{figure_html}<p class="fact__statement">{escape(fact.statement)}</p>'
            f'<blockquote class="fact__quote"><p>{escape(fact.quote)}</p></blockquote></li>'
        )
    lines.append(
        '<p class="facts-note">Each fact in our words, with the passage of the source that states it, verbatim.</p>'
        f'<ul class="facts">{"".join(facts)}</ul>\n'
    )
    if item.areas:
        lines.append("## Related key areas {#areas}\n")
        lines.append(area_links(context, item.areas))
    return Page(src, item.short_title, "\n".join(lines), nav_section=NAV_SECTION, about=(item.id,))


def area_links(context: PageContext, area_ids: tuple[str, ...]) -> str:
    links = "".join(
        f'<li><a href="{context.link(urls.area_src(area_id))}">{escape(context.corpus.areas[area_id].title)}</a></li>'
        for area_id in area_ids
    )
    return f'<ul class="related-areas">{links}</ul>\n'


def library_index(site: Site) -> Page:
    context = PageContext(site, urls.LIBRARY_INDEX)
    corpus = site.corpus
    guideline = corpus.guideline
    lines = ["# Policy library\n"]
    lines.append(
        "<p>The guideline builds on earlier policy for small and medium-sized enterprises. "
        "Here are related official documents in full, and background pieces summarised with attribution. "
        f'See also the <a href="{context.link(urls.TIMELINE)}">timeline</a>.</p>\n'
    )
    lines.append("## Official documents {#documents}\n")
    documents = [guideline, *corpus.library_documents]
    items = []
    for document in documents:
        kind = f"{escape(document.kind)} · " if document.kind else ""
        items.append(
            f'<li><a href="{context.link(urls.document_src(document.id, document.role))}">'
            f"<strong>{escape(document.short_title)}</strong></a><br>"
            f'<span class="library-meta">{kind}{escape(document.document_number)} · {time_tag(document.issued)}</span>'
            f'<br><span class="library-title">{escape(document.title)}</span></li>'
        )
    lines.append(f'<ul class="library-list">{"".join(items)}</ul>\n')
    lines.append("## Background: briefings, analysis and news {#background}\n")
    lines.append(
        '<p class="official-notice">These are not official documents. Each page gives our summary, '
        "the key facts with the passages that state them, and who said or wrote it.</p>\n"
    )
    items = []
    for item in corpus.ordered_sources:
        items.append(
            f'<li><a href="{context.link(urls.source_src(item.id))}">'
            f"<strong>{escape(item.short_title)}</strong></a><br>"
            f'<span class="library-meta">{escape(KIND_NAMES[item.kind])} · {escape(item.publisher)} · '
            f"{time_tag(item.date)}</span></li>"
        )
    lines.append(f'<ul class="library-list">{"".join(items)}</ul>\n')
    return Page(urls.LIBRARY_INDEX, "Policy library", "\n".join(lines), nav_section=NAV_SECTION)


def timeline_page(site: Site) -> Page:
    context = PageContext(site, urls.TIMELINE)
    corpus = site.corpus
    lines = ["# Timeline\n"]
    lines.append(
        "<p>SME policy leading to the 2025 guideline, oldest first, from the dates of the items in the library. "
        "Where a source gives only a year or a month, the item is placed at the end of that period.</p>\n"
    )
    items = []
    for entry in timeline_entries(corpus):
        event = corpus.events.get(entry.id)
        if event:
            stated_in = corpus.library_sources[event.stated_in]
            description = (
                f'<div class="timeline__note"><p class="explanation__label">Context (ours)</p>'
                f"{context.formatted(event.description)}</div>"
                if event.description
                else ""
            )
            body = (
                f"<strong>{escape(event.title)}</strong>"
                f'<blockquote class="fact__quote"><p>{escape(event.quote)}</p></blockquote>'
                f'<p class="timeline__source">As stated in: '
                f'<a href="{context.link(urls.source_src(stated_in.id))}">{escape(stated_in.short_title)}</a></p>'
                f"{description}"
            )
        else:
            body = f'<a href="{context.link(entry.src_uri)}"><strong>{escape(entry.title)}</strong></a>'
        items.append(
            f'<li class="timeline__entry" id="{escape(entry.id)}" data-item="{escape(entry.id)}" '
            f'data-date="{escape(entry.date)}"><p class="timeline__date">{time_tag(entry.date)} · '
            f"{escape(entry.kind)}</p>{body}</li>"
        )
    lines.append(f'<ol class="timeline">{"".join(items)}</ol>\n')
    return Page(urls.TIMELINE, "Timeline", "\n".join(lines), nav_section=NAV_SECTION)


def has_library(corpus: Corpus) -> bool:
    return bool(corpus.library_sources or corpus.events or corpus.library_documents)


def library_pages(site: Site) -> list[Page]:
    """The library index, the timeline, then the documents and the background sources."""
    corpus = site.corpus
    if not has_library(corpus):
        return []
    pages = [library_index(site), timeline_page(site)]
    pages.extend(
        dataclasses.replace(document_page(site, document), nav_section=NAV_SECTION)
        for document in corpus.library_documents
    )
    pages.extend(source_page(site, item) for item in corpus.ordered_sources)
    return pages


def related_policy(context: PageContext, area: Area) -> str:
    """The 'Related policy' block of an area page: library items that name the area."""
    corpus = context.corpus
    items = []
    for document in corpus.library_documents:
        if area.id in document.areas:
            items.append(
                f'<li><a href="{context.link(urls.document_src(document.id, document.role))}">'
                f"{escape(document.short_title)}</a> — {escape(document.kind or 'Official document')}, "
                f"{time_tag(document.issued)}</li>"
            )
    for item in corpus.ordered_sources:
        if area.id in item.areas:
            items.append(
                f'<li><a href="{context.link(urls.source_src(item.id))}">{escape(item.short_title)}</a> — '
                f"{escape(KIND_NAMES[item.kind])} (background, not official text), {time_tag(item.date)}</li>"
            )
    for event in sorted(corpus.events.values(), key=lambda event: date_key(event.date)):
        if area.id in event.areas:
            items.append(
                f'<li><a href="{context.link(urls.TIMELINE, event.id)}">{escape(event.title)}</a> — '
                f"{time_tag(event.date)}</li>"
            )
    if not items:
        return ""
    return f'## Related policy {{#related-policy}}\n\n<ul class="related-policy">{"".join(items)}</ul>\n'


def library_way_in(context: PageContext) -> str:
    if not has_library(context.corpus):
        return ""
    return way_in(
        context.link(urls.LIBRARY_INDEX),
        "Policy library",
        "Earlier SME policy in full, background briefings and news with their key figures, and a timeline.",
    )
