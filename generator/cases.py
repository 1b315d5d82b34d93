"""The case library: cases that explain the rules through SME scenarios, and their pages.

Each case is data (``content/cases/*.yaml``); this module loads and cross-checks it and
generates the case pages, the filterable index, the "Cases" block of each area page, the
"cited by" line under each clause, the home card and each case's share card (drawn by
:mod:`generator.share_cards` when the build has a font for it). The share kit (QR code, copy-link
button, share preview meta) is drawn by the theme from the page's front matter.
"""

from __future__ import annotations

import math
from html import escape

from . import urls
from .campaigns import index_campaign_headings, index_campaign_list
from .loading import CorpusDraft, Loading
from .model import CASE_FORMATTED_FIELDS, Area, Case, CaseSource, Clause, Corpus
from .render import Page, PageContext, Site, SiteFile, clause_reference, front_matter, heading_text, way_in
from .yamlsource import Source

NAV_SECTION = "Cases"


def load_case(source: Source, draft: CorpusDraft, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    # Where this case (not another item sharing its id) was defined, for the cross-check's messages.
    loading.defined[f"case:{data['id']}"] = (source, ("id",))
    origin = data.get("source")
    draft.cases[data["id"]] = Case(
        id=data["id"],
        kind=data["kind"],
        title=data["title"],
        lesson=data["lesson"],
        areas=tuple(data["areas"]),
        clauses=tuple(data["clauses"]),
        keywords=tuple(data["keywords"]),
        facts=data["facts"],
        what_went_wrong=data["what_went_wrong"],
        rule=data["rule"],
        consequences=data["consequences"],
        actions=tuple(data["actions"]),
        questions=tuple(data.get("questions", ())),
        source=CaseSource(**origin) if origin else None,
    )


def check_cases(corpus: Corpus, loading: Loading) -> None:
    """Areas, clauses and self-check questions named by a case must exist; so must clause links in
    its text; and its id must not take the address of the case library's own pages."""
    for case in corpus.cases.values():
        source, _ = loading.place(f"case:{case.id}")
        loading.expect(
            case.id not in urls.CASES_RESERVED_IDS,
            source,
            ("id",),
            f"id {case.id!r} is reserved for a page of the case library",
        )
        for index, area_id in enumerate(case.areas):
            loading.refer(
                area_id,
                corpus.areas,
                source,
                ("areas", index),
                f"unknown area {area_id!r} (areas: {', '.join(sorted(corpus.areas))})",
            )
        for index, clause_id in enumerate(case.clauses):
            loading.refer(clause_id, corpus.clauses, source, ("clauses", index), f"unknown clause {clause_id!r}")
        for index, question_id in enumerate(case.questions):
            loading.refer(
                question_id,
                corpus.questions,
                source,
                ("questions", index),
                f"unknown self-check question {question_id!r}",
            )
        for name in CASE_FORMATTED_FIELDS:
            loading.check_links(getattr(case, name), source, (name,), corpus)
        for index, action in enumerate(case.actions):
            loading.check_links(action, source, ("actions", index), corpus)


def kind_notice(case: Case) -> str:
    if case.kind == "reported" and case.source:
        origin = case.source
        return (
            '<p class="case-kind case-kind--reported" data-search-exclude><strong>Reported case.</strong> Source: '
            f'{escape(origin.publisher)}, <a href="{escape(origin.url)}" rel="noopener">{escape(origin.title)}</a> '
            f"({escape(origin.date)}). The summary and comments are ours, not legal advice.</p>\n"
        )
    return (
        '<p class="case-kind case-kind--illustrative" data-search-exclude><strong>Illustrative scenario.</strong> '
        "Made up to explain the rules; it describes no real enterprise. Not legal advice.</p>\n"
    )


def case_meta(context: PageContext, case: Case) -> str:
    corpus = context.corpus
    areas = ", ".join(
        f'<a href="{context.link(urls.area_src(area_id), "cases")}">{escape(corpus.areas[area_id].title)}</a>'
        for area_id in case.areas
    )
    by_document: dict[str, list[str]] = {}
    for clause_id in case.clauses:
        by_document.setdefault(corpus.clauses[clause_id].document_id, []).append(clause_id)
    # Each reference has commas of its own ("Part 2, section (1), sentence 2"), so references are
    # separated by semicolons, and documents by line breaks.
    clauses = "<br>".join(
        "; ".join(
            f'<a class="clause-ref" href="{context.clause_href(clause_id)}">'
            f"{escape(clause_reference(corpus, clause_id))}</a>"
            for clause_id in clause_ids
        )
        + f" of the {escape(corpus.documents[document_id].short_title)} "
        f"({escape(corpus.documents[document_id].document_number)})"
        for document_id, clause_ids in by_document.items()
    )
    # Whitespace between the elements: the search index takes the page's text without tags, and
    # "Areas" and "Labour" with nothing between would index as one word "AreasLabour".
    keywords = " ".join(f'<span class="case-tag">{escape(keyword)}</span>' for keyword in case.keywords)
    return (
        '<dl class="case-meta">\n'
        f"<dt>Areas</dt>\n<dd>{areas}</dd>\n"
        f"<dt>Clauses</dt>\n<dd>{clauses}</dd>\n"
        f'<dt>Keywords</dt>\n<dd class="case-tags">{keywords}</dd>\n'
        "</dl>\n"
    )


def cited_clauses(context: PageContext, case: Case) -> str:
    """The official text of each cited clause, taken from the corpus, never from the case."""
    quotes = "".join(
        f'<blockquote class="case-clause" cite="{context.clause_href(clause_id)}">'
        f"<p>{context.official(context.corpus.clauses[clause_id].text)}</p>"
        f'<p class="case-clause__ref"><a href="{context.clause_href(clause_id)}">'
        f"{escape(clause_reference(context.corpus, clause_id))}, in context</a></p></blockquote>"
        for clause_id in case.clauses
    )
    return (
        '<aside class="case-clauses" aria-label="Official text cited">'
        '<p class="case-clauses__label">Official text cited (verbatim)</p>'
        f"{quotes}</aside>\n"
    )


HANDOUT_SIZES = ((29, "12"), (32, "11.5"), (35, "11"), (38, "10.5"))
"""Text size (points) of the printed handout by its estimated length in lines at 11 pt: the largest
that still fits one A4 page, with a margin; longer handouts print at 10 pt, the smallest allowed.
Calibrated against Chromium's print of every case (``data-handout-size`` in ``site.css``)."""


def _lines(text: str, per_line: int) -> int:
    return sum(math.ceil(len(paragraph) / per_line) for paragraph in text.split("\n\n") if paragraph.strip())


def handout_lines(corpus: Corpus, case: Case) -> float:
    """How many lines the printed handout's text takes at 11 pt (about 98 characters a line;
    headings and the lesson count for their larger type, each paragraph for its spacing)."""
    body = (
        _lines(case.facts, 98)
        + _lines(case.rule, 98)
        + sum(_lines(action, 92) for action in case.actions)
        + sum(_lines(corpus.clauses[clause_id].text, 100) for clause_id in case.clauses)
    )
    paragraphs = case.facts.count("\n\n") + case.rule.count("\n\n") + len(case.actions) + len(case.clauses)
    return body + 0.3 * paragraphs + 2 * _lines(case.title, 50) + 1.3 * _lines(case.lesson, 80)


def handout_size(corpus: Corpus, case: Case) -> str:
    """The handout's text size in points, so a short case fills its page and a long one still fits."""
    lines = handout_lines(corpus, case)
    return next((size for limit, size in HANDOUT_SIZES if lines <= limit), "10")


def case_page(site: Site, case: Case) -> Page:
    src = urls.case_src(case.id)
    context = PageContext(site, src)
    actions = "".join(f"<li>{context.formatted_inline(action)}</li>" for action in case.actions)
    meta: dict[str, object] = {"description": case.lesson, "share": True}
    if site.share_cards is not None:
        meta["share_card"] = urls.case_share_card(case.id)  # the theme makes it the page's og:image
    check = site.corpus.check_for_case(case)
    if check is not None:
        # The share kit prints a second QR code, to this check, on the handout.
        meta["handout_check"] = urls.page_url(urls.check_src(check.id))
        meta["handout_check_title"] = check.title
    lines = [
        front_matter(meta),
        f"# {heading_text(case.title)}\n",
        kind_notice(case),
        f'<p class="case-lesson" data-handout-size="{handout_size(site.corpus, case)}">'
        f"<strong>Lesson:</strong> {escape(case.lesson)}</p>\n",
        case_meta(context, case),
        "## What happened {#facts}\n",
        f'<div class="case-text case-facts">{context.formatted(case.facts)}</div>\n',
        "## What went wrong {#what-went-wrong .case-screen-only}\n",
        f'<div class="case-text case-wrong case-screen-only">{context.formatted(case.what_went_wrong)}</div>\n',
        "## The rule {#rule}\n",
        f'<div class="case-text case-rule">{context.formatted(case.rule)}</div>\n',
        cited_clauses(context, case),
        "## Possible consequences {#consequences .case-screen-only}\n",
        f'<div class="case-text case-consequences case-screen-only">{context.formatted(case.consequences)}</div>\n',
        "## What to do {#actions}\n",
        f'<ol class="case-actions">{actions}</ol>\n',
    ]
    for extra in site.blocks.case_sections:
        block = extra(context, case)
        if block:
            lines.append(block)
    return Page(src, case.title, "\n".join(lines), nav_section=NAV_SECTION, about=(case.id,))


def share_card_files(site: Site) -> list[SiteFile]:
    """Each case's share card (title and lesson), when the build can draw them."""
    if site.share_cards is None:
        return []
    return [
        SiteFile(urls.case_share_card(case.id), site.share_cards(case.title, case.lesson))
        for case in site.corpus.ordered_cases
    ]


def case_card(context: PageContext, case: Case) -> str:
    """One case in a list; ``data-*`` attributes feed the index filter."""
    corpus = context.corpus
    areas = " · ".join(escape(corpus.areas[area_id].title) for area_id in case.areas)
    keywords = " ".join(f'<span class="case-tag">{escape(keyword)}</span>' for keyword in case.keywords)
    return (
        f'<li class="case-card" data-case="{case.id}" data-areas="{escape(" ".join(case.areas))}" '
        f'data-keywords="{escape("|".join(keyword.casefold() for keyword in case.keywords))}">'
        f'<a class="case-card__title" href="{context.link(urls.case_src(case.id))}">{escape(case.title)}</a>'
        f'<p class="case-card__lesson">{escape(case.lesson)}</p>'
        f'<p class="case-card__tags"><span class="case-card__areas">{areas}</span> {keywords}</p></li>'
    )


def cases_index(site: Site) -> Page:
    context = PageContext(site, urls.CASES_INDEX)
    corpus = site.corpus
    cases = corpus.ordered_cases
    area_options = "".join(
        f'<option value="{area.id}">{escape(area.title)}</option>'
        for area in corpus.ordered_areas
        if corpus.cases_of_area(area.id)
    )
    keywords = sorted({keyword for case in cases for keyword in case.keywords}, key=str.casefold)
    keyword_options = "".join(f'<option value="{escape(keyword)}"></option>' for keyword in keywords)
    by_area = "".join(
        f'<li><a href="{context.link(urls.area_src(area.id), "cases")}">{escape(area.title)}</a> '
        f"({len(corpus.cases_of_area(area.id))})</li>"
        for area in corpus.ordered_areas
        if corpus.cases_of_area(area.id)
    )
    lines = [
        front_matter(
            {
                "description": "Short scenarios from small and medium-sized enterprises that explain "
                "the compliance rules of the guideline, with what to do.",
                "share": True,
            }
        ),
        "# Cases\n",
        '<p class="cases-intro">Short scenarios that explain the rules: what happened at a small or '
        "medium-sized enterprise, what went wrong, which clauses of the guideline apply and what to do. "
        "Cases are ours, not official text and not legal advice; illustrative scenarios describe no real "
        "enterprise.</p>\n",
        f'<nav class="cases-by-area" aria-label="Cases by area"><p>By area:</p><ul>{by_area}</ul></nav>\n',
        index_campaign_list(context),
        index_campaign_headings(context),
        '<form class="case-filter" data-case-filter role="search" aria-label="Filter cases" hidden>'
        '<label>Area <select name="area"><option value="">All areas</option>'
        f"{area_options}</select></label> "
        '<label>Keyword <input type="search" name="q" list="case-keywords" autocomplete="off"></label>'
        f'<datalist id="case-keywords">{keyword_options}</datalist>'
        '<p class="case-filter__count" data-case-count aria-live="polite"></p></form>\n',
        f'<ul class="case-list" data-case-list>{"".join(case_card(context, case) for case in cases)}</ul>\n',
        '<p class="case-list__empty" data-case-empty hidden>No case matches. Clear the filter to see all cases.</p>\n',
    ]
    return Page(urls.CASES_INDEX, "Cases", "\n".join(line for line in lines if line), nav_section=NAV_SECTION)


def case_pages(site: Site) -> list[Page]:
    """The cases index, then one page per case."""
    if not site.corpus.cases:
        return []
    return [cases_index(site), *(case_page(site, case) for case in site.corpus.ordered_cases)]


def area_cases(context: PageContext, area: Area) -> str:
    cases = context.corpus.cases_of_area(area.id)
    if not cases:
        return ""
    return (
        "## Cases {#cases}\n\n"
        '<p class="area-cases__intro">Scenarios that show these clauses at work (ours, not legal advice).</p>'
        f'<ul class="case-list">{"".join(case_card(context, case) for case in cases)}</ul>\n'
    )


def clause_cases(context: PageContext, clause: Clause) -> str:
    cases = context.corpus.cases_citing_clause(clause.id)
    if not cases:
        return ""
    links = ", ".join(f'<a href="{context.link(urls.case_src(case.id))}">{escape(case.title)}</a>' for case in cases)
    return f'<p class="clause__cases">Cases citing this clause: {links}</p>'


def home_card(context: PageContext) -> str:
    count = len(context.corpus.cases)
    if not count:
        return ""
    return way_in(
        context.link(urls.CASES_INDEX),
        "See cases",
        f"{count} short scenarios from small firms that show what goes wrong, which rule applies and what to do.",
    )
