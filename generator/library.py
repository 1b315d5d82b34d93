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

from markupsafe import Markup

from . import urls
from .guideline import document_page
from .loading import CorpusDraft, Loading
from .locale import Locale
from .model import Area, Corpus, Fact, LibrarySource, PolicyEvent, date_key
from .render import Page, PageContext, Site, default_locale, heading_text, html_text, time_tag, way_in
from .yamlsource import Source


def nav_section(site: Site) -> str:
    return site.locale("nav.library")


def kind_name(locale: Locale, kind: str) -> str:
    """A background source's kind in words (``briefing`` → Press briefing)."""
    return locale(f"library.kind_{kind}")


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


def timeline_entries(corpus: Corpus, locale: Locale | None = None) -> list[TimelineEntry]:
    """Every dated item of the corpus, oldest first."""
    text = locale or default_locale()
    entries = [
        TimelineEntry(
            document.id,
            document.issued,
            document.short_title,
            text("library.kind_document" if document.role == "library" else "library.kind_guideline"),
            urls.document_src(document),
        )
        for document in corpus.documents.values()
    ]
    entries += [
        TimelineEntry(item.id, item.date, item.short_title, kind_name(text, item.kind), urls.source_src(item.id))
        for item in corpus.library_sources.values()
    ]
    entries += [
        TimelineEntry(event.id, event.date, event.title, text("library.kind_event"), urls.TIMELINE, event.id)
        for event in corpus.events.values()
    ]
    return sorted(entries, key=lambda entry: (date_key(entry.date), entry.title))


def figure_text(fact: Fact, locale: Locale | None = None) -> str:
    if fact.figure is None:
        return ""
    text = locale or default_locale()
    number = int(fact.figure) if float(fact.figure).is_integer() else fact.figure
    words = text.number(number)
    if fact.qualifier == "more than":
        words = text("library.more_than", number=words)
    return text("library.figure_unit", number=words, unit=fact.unit) if fact.unit else words


def source_page(site: Site, item: LibrarySource) -> Page:
    src = urls.source_src(item.id)
    context = PageContext(site, src)
    text = site.locale
    lines = [f"# {heading_text(item.short_title)}\n"]
    kind = text("library.kind_heading", kind=kind_name(text, item.kind))
    lines.append(
        f'<p class="source-kind source-kind--{escape(item.kind)}"><strong>{escape(kind)}</strong> '
        f"{escape(text(f'library.notice_{item.kind}'))}</p>\n"
    )
    rows = [
        (text("library.meta_title"), escape(item.title)),
        (text("library.meta_publisher"), escape(item.publisher)),
        (text("library.meta_date"), time_tag(text, item.date)),
    ]
    if item.speakers:
        rows.append((text("library.meta_speakers"), "<br>".join(escape(speaker) for speaker in item.speakers)))
    if item.url:
        rows.append(
            (text("library.meta_original"), f'<a href="{escape(item.url)}" rel="noopener">{escape(item.url)}</a>')
        )
    body = "".join(f'<tr><th scope="row">{escape(name)}</th><td>{value}</td></tr>' for name, value in rows)
    lines.append(f'<table class="doc-meta"><tbody>{body}</tbody></table>\n')
    if item.date_note:
        lines.append(f'<p class="doc-note">{escape(text("library.date_note", note=item.date_note))}</p>\n')
    lines.append(f"## {heading_text(text('library.summary_heading'))} {{#summary}}\n")
    lines.append(
        f'<div class="explanation source-summary"><p class="explanation__label">{escape(text("library.summary_label"))}'
        f"</p>{context.formatted(item.summary)}</div>\n"
    )
    lines.append(f'<p class="source-attribution">{escape(item.attribution)}</p>\n')
    lines.append(f"## {heading_text(text('library.facts_heading'))} {{#facts}}\n")
    facts = []
    for fact in item.facts:
        figure = figure_text(fact, text)
        figure_html = f'<p class="fact__figure">{escape(figure)}</p>' if figure else ""
        figure_attribute = f' data-figure="{fact.figure:g}"' if fact.figure is not None else ""
        facts.append(
            f'<li class="fact" id="{escape(fact.id)}"{figure_attribute}>'
            f'{figure_html}<p class="fact__statement">{escape(fact.statement)}</p>'
            f'<blockquote class="fact__quote"><p>{escape(fact.quote)}</p></blockquote></li>'
        )
    lines.append(
        f'<p class="facts-note">{escape(text("library.facts_note"))}</p><ul class="facts">{"".join(facts)}</ul>\n'
    )
    if item.areas:
        lines.append(f"## {heading_text(text('library.related_areas'))} {{#areas}}\n")
        lines.append(area_links(context, item.areas))
    return Page(src, item.short_title, "\n".join(lines), nav_section=nav_section(site), about=(item.id,))


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
    text = site.locale
    title = text("library.title")
    lines = [f"# {heading_text(title)}\n"]
    timeline = f'<a href="{context.link(urls.TIMELINE)}">{escape(text("library.timeline_link"))}</a>'
    lines.append(f"<p>{html_text(text, 'library.intro', timeline=Markup(timeline))}</p>\n")
    lines.append(f"## {heading_text(text('library.documents_heading'))} {{#documents}}\n")
    documents = [guideline, *corpus.library_documents]
    items = []
    for document in documents:
        kind = f"{escape(document.kind)} · " if document.kind else ""
        items.append(
            f'<li><a href="{context.link(urls.document_src(document))}">'
            f"<strong>{escape(document.short_title)}</strong></a><br>"
            f'<span class="library-meta">{kind}{escape(document.document_number)} · '
            f"{time_tag(text, document.issued)}</span>"
            f'<br><span class="library-title">{escape(document.title)}</span></li>'
        )
    lines.append(f'<ul class="library-list">{"".join(items)}</ul>\n')
    lines.append(f"## {heading_text(text('library.background_heading'))} {{#background}}\n")
    lines.append(f'<p class="official-notice">{escape(text("library.background_notice"))}</p>\n')
    items = []
    for item in corpus.ordered_sources:
        items.append(
            f'<li><a href="{context.link(urls.source_src(item.id))}">'
            f"<strong>{escape(item.short_title)}</strong></a><br>"
            f'<span class="library-meta">{escape(kind_name(text, item.kind))} · {escape(item.publisher)} · '
            f"{time_tag(text, item.date)}</span></li>"
        )
    lines.append(f'<ul class="library-list">{"".join(items)}</ul>\n')
    return Page(urls.LIBRARY_INDEX, title, "\n".join(lines), nav_section=nav_section(site))


def timeline_page(site: Site) -> Page:
    context = PageContext(site, urls.TIMELINE)
    corpus = site.corpus
    text = site.locale
    title = text("library.timeline_title")
    lines = [f"# {heading_text(title)}\n"]
    lines.append(f"<p>{escape(text('library.timeline_intro'))}</p>\n")
    items = []
    for entry in timeline_entries(corpus, text):
        event = corpus.events.get(entry.id)
        if event:
            stated_in = corpus.library_sources[event.stated_in]
            source_link = f'<a href="{context.link(urls.source_src(stated_in.id))}">{escape(stated_in.short_title)}</a>'
            description = (
                f'<div class="timeline__note"><p class="explanation__label">{escape(text("library.context_label"))}</p>'
                f"{context.formatted(event.description)}</div>"
                if event.description
                else ""
            )
            body = (
                f"<strong>{escape(event.title)}</strong>"
                f'<blockquote class="fact__quote"><p>{escape(event.quote)}</p></blockquote>'
                f'<p class="timeline__source">{html_text(text, "library.stated_in", source=Markup(source_link))}</p>'
                f"{description}"
            )
        else:
            body = f'<a href="{context.link(entry.src_uri)}"><strong>{escape(entry.title)}</strong></a>'
        items.append(
            f'<li class="timeline__entry" id="{escape(entry.id)}" data-item="{escape(entry.id)}" '
            f'data-date="{escape(entry.date)}"><p class="timeline__date">{time_tag(text, entry.date)} · '
            f"{escape(entry.kind)}</p>{body}</li>"
        )
    lines.append(f'<ol class="timeline">{"".join(items)}</ol>\n')
    return Page(urls.TIMELINE, title, "\n".join(lines), nav_section=nav_section(site))


def has_library(corpus: Corpus) -> bool:
    return bool(corpus.library_sources or corpus.events or corpus.library_documents)


def library_pages(site: Site) -> list[Page]:
    """The library index, the timeline, then the documents and the background sources."""
    corpus = site.corpus
    if not has_library(corpus):
        return []
    pages = [library_index(site), timeline_page(site)]
    pages.extend(
        dataclasses.replace(document_page(site, document), nav_section=nav_section(site))
        for document in corpus.library_documents
    )
    pages.extend(source_page(site, item) for item in corpus.ordered_sources)
    return pages


def related_policy(context: PageContext, area: Area) -> str:
    """The 'Related policy' block of an area page: library items that name the area."""
    corpus = context.corpus
    text = context.site.locale
    items = []
    for document in corpus.library_documents:
        if area.id in document.areas:
            items.append(
                f'<li><a href="{context.link(urls.document_src(document))}">'
                f"{escape(document.short_title)}</a> — {escape(document.kind or text('library.kind_document'))}, "
                f"{time_tag(text, document.issued)}</li>"
            )
    for item in corpus.ordered_sources:
        if area.id in item.areas:
            items.append(
                f'<li><a href="{context.link(urls.source_src(item.id))}">{escape(item.short_title)}</a> — '
                f"{escape(text('library.background_kind', kind=kind_name(text, item.kind)))}, "
                f"{time_tag(text, item.date)}</li>"
            )
    for event in sorted(corpus.events.values(), key=lambda event: date_key(event.date)):
        if area.id in event.areas:
            items.append(
                f'<li><a href="{context.link(urls.TIMELINE, event.id)}">{escape(event.title)}</a> — '
                f"{time_tag(text, event.date)}</li>"
            )
    if not items:
        return ""
    heading = heading_text(text("library.related_policy"))
    return f'## {heading} {{#related-policy}}\n\n<ul class="related-policy">{"".join(items)}</ul>\n'


def library_way_in(context: PageContext) -> str:
    if not has_library(context.corpus):
        return ""
    return way_in(
        context.link(urls.LIBRARY_INDEX),
        context.site.locale("library.title"),
        context.site.locale("library.home_card"),
    )
