"""The case library: cases that explain the rules through SME scenarios, and their pages.

Each case is data (``content/cases/*.yaml``); this module loads and cross-checks it and
generates the case pages, the filterable index, the "Cases" block of each area page, the
"cited by" line under each clause, the home card and each case's share card (drawn by
:mod:`generator.share_cards` when the build has a font for it). The share kit (QR code, copy-link
button, share preview meta) is drawn by the theme from the page's front matter.
"""

from __future__ import annotations

import math
import re
from html import escape

from markupsafe import Markup

from . import urls
from .campaigns import index_campaign_headings, index_campaign_list
from .loading import CorpusDraft, Loading
from .model import CASE_FORMATTED_FIELDS, Area, Case, CaseSource, Clause, Corpus
from .render import (
    Page,
    PageContext,
    Site,
    SiteFile,
    clause_reference,
    front_matter,
    heading_text,
    html_text,
    primary_language,
    time_tag,
    way_in,
)
from .yamlsource import Source


def nav_section(site: Site) -> str:
    return site.locale("nav.cases")


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


def kind_notice(context: PageContext, case: Case) -> str:
    text = context.site.locale
    if case.kind == "reported" and case.source:
        origin = case.source
        link = f'<a href="{escape(origin.url)}" rel="noopener">{escape(origin.title)}</a>'
        notice = html_text(
            text,
            "cases.reported_notice",
            source=Markup(link),
            date=Markup(time_tag(text, origin.date)),
            publisher=origin.publisher,
        )
        return (
            '<p class="case-kind case-kind--reported" data-search-exclude>'
            f"<strong>{escape(text('cases.reported'))}</strong> {notice}</p>\n"
        )
    return (
        '<p class="case-kind case-kind--illustrative" data-search-exclude>'
        f"<strong>{escape(text('cases.illustrative'))}</strong> {escape(text('cases.illustrative_notice'))}</p>\n"
    )


HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
"""A Han character: a keyword with one is Chinese."""
LATIN = re.compile("[A-Za-z]")


def keyword_lang(keyword: str, language: str) -> str:
    """The ``lang`` attribute a keyword needs on a site in ``language``, so that a screen reader
    pronounces it right: ``zh`` for one in Han script on a site that is not Chinese, ``en`` for one
    in Latin letters (and no Han) on a Chinese site; otherwise none (the page's own language)."""
    chinese = primary_language(language) == "zh"  # zh, zh-CN, zh_Hans
    if HAN.search(keyword):
        return "" if chinese else ' lang="zh"'
    if LATIN.search(keyword) and chinese:
        return ' lang="en"'
    return ""


def case_tags(site: Site, case: Case) -> str:
    """The case's keywords as tags. Whitespace between the elements: the search index takes the
    page's text without tags, and two keywords with nothing between would index as one word."""
    language = site.locale.language
    return " ".join(
        f'<span class="case-tag"{keyword_lang(keyword, language)}>{escape(keyword)}</span>' for keyword in case.keywords
    )


def case_meta(context: PageContext, case: Case) -> str:
    corpus = context.corpus
    text = context.site.locale
    areas = text("cases.list_separator").join(
        f'<a href="{context.link(urls.area_src(area_id), "cases")}">{escape(corpus.areas[area_id].title)}</a>'
        for area_id in case.areas
    )
    by_document: dict[str, list[str]] = {}
    for clause_id in case.clauses:
        by_document.setdefault(corpus.clauses[clause_id].document_id, []).append(clause_id)
    # Each reference has commas of its own ("Part 2, section (1), sentence 2"), so references are
    # separated by semicolons, and documents by line breaks.
    clauses = "<br>".join(
        html_text(
            text,
            "cases.clauses_of",
            clauses=Markup(
                text("cases.reference_separator").join(
                    f'<a class="clause-ref" href="{context.clause_href(clause_id)}">'
                    f"{escape(clause_reference(corpus, clause_id, text))}</a>"
                    for clause_id in clause_ids
                )
            ),
            document=corpus.documents[document_id].short_title,
            number=corpus.documents[document_id].document_number,
        )
        for document_id, clause_ids in by_document.items()
    )
    # Whitespace between the elements: the search index takes the page's text without tags, and
    # "Areas" and "Labour" with nothing between would index as one word "AreasLabour".
    keywords = case_tags(context.site, case)
    return (
        '<dl class="case-meta">\n'
        f"<dt>{escape(text('cases.meta_areas'))}</dt>\n<dd>{areas}</dd>\n"
        f"<dt>{escape(text('cases.meta_clauses'))}</dt>\n<dd>{clauses}</dd>\n"
        f'<dt>{escape(text("cases.meta_keywords"))}</dt>\n<dd class="case-tags">{keywords}</dd>\n'
        "</dl>\n"
    )


def cited_clauses(context: PageContext, case: Case) -> str:
    """The official text of each cited clause, taken from the corpus, never from the case."""
    text = context.site.locale
    quotes = "".join(
        f'<blockquote class="case-clause" cite="{context.clause_href(clause_id)}">'
        f"<p>{context.official(context.corpus.clauses[clause_id].text)}</p>"
        f'<p class="case-clause__ref"><a href="{context.clause_href(clause_id)}">'
        f"{escape(text('cases.in_context', reference=clause_reference(context.corpus, clause_id, text)))}</a></p>"
        "</blockquote>"
        for clause_id in case.clauses
    )
    return (
        f'<aside class="case-clauses" aria-label="{escape(text("cases.cited_label"))}">'
        f'<p class="case-clauses__label">{escape(text("cases.cited_heading"))}</p>'
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
    text = site.locale
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
        kind_notice(context, case),
        f'<p class="case-lesson" data-handout-size="{handout_size(site.corpus, case)}">'
        f"<strong>{escape(text('cases.lesson'))}</strong> {escape(case.lesson)}</p>\n",
        case_meta(context, case),
        f"## {heading_text(text('cases.facts_heading'))} {{#facts}}\n",
        f'<div class="case-text case-facts">{context.formatted(case.facts)}</div>\n',
        f"## {heading_text(text('cases.wrong_heading'))} {{#what-went-wrong .case-screen-only}}\n",
        f'<div class="case-text case-wrong case-screen-only">{context.formatted(case.what_went_wrong)}</div>\n',
        f"## {heading_text(text('cases.rule_heading'))} {{#rule}}\n",
        f'<div class="case-text case-rule">{context.formatted(case.rule)}</div>\n',
        cited_clauses(context, case),
        f"## {heading_text(text('cases.consequences_heading'))} {{#consequences .case-screen-only}}\n",
        f'<div class="case-text case-consequences case-screen-only">{context.formatted(case.consequences)}</div>\n',
        f"## {heading_text(text('cases.actions_heading'))} {{#actions}}\n",
        f'<ol class="case-actions">{actions}</ol>\n',
    ]
    for extra in site.blocks.case_sections:
        block = extra(context, case)
        if block:
            lines.append(block)
    return Page(src, case.title, "\n".join(lines), nav_section=nav_section(site), about=(case.id,))


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
    keywords = case_tags(context.site, case)
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
    text = site.locale
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
    title = text("cases.title")
    lines = [
        front_matter({"description": text("cases.description"), "share": True}),
        f"# {heading_text(title)}\n",
        f'<p class="cases-intro">{escape(text("cases.intro"))}</p>\n',
        f'<nav class="cases-by-area" aria-label="{escape(text("cases.by_area_label"))}">'
        f"<p>{escape(text('cases.by_area'))}</p><ul>{by_area}</ul></nav>\n",
        index_campaign_list(context),
        index_campaign_headings(context),
        f'<form class="case-filter" data-case-filter role="search" aria-label="{escape(text("cases.filter_label"))}" '
        f'hidden><label>{escape(text("cases.filter_area"))} <select name="area"><option value="">'
        f"{escape(text('cases.filter_all_areas'))}</option>"
        f"{area_options}</select></label> "
        f"<label>{escape(text('cases.filter_keyword'))} "
        '<input type="search" name="q" list="case-keywords" autocomplete="off"></label>'
        f'<datalist id="case-keywords">{keyword_options}</datalist>'
        '<p class="case-filter__count" data-case-count aria-live="polite"></p></form>\n',
        f'<ul class="case-list" data-case-list>{"".join(case_card(context, case) for case in cases)}</ul>\n',
        f'<p class="case-list__empty" data-case-empty hidden>{escape(text("cases.no_match"))}</p>\n',
    ]
    return Page(urls.CASES_INDEX, title, "\n".join(line for line in lines if line), nav_section=nav_section(site))


def case_pages(site: Site) -> list[Page]:
    """The cases index, then one page per case."""
    if not site.corpus.cases:
        return []
    return [cases_index(site), *(case_page(site, case) for case in site.corpus.ordered_cases)]


def area_cases(context: PageContext, area: Area) -> str:
    cases = context.corpus.cases_of_area(area.id)
    if not cases:
        return ""
    text = context.site.locale
    return (
        f"## {heading_text(text('cases.area_heading'))} {{#cases}}\n\n"
        f'<p class="area-cases__intro">{escape(text("cases.area_intro"))}</p>'
        f'<ul class="case-list">{"".join(case_card(context, case) for case in cases)}</ul>\n'
    )


def clause_cases(context: PageContext, clause: Clause) -> str:
    cases = context.corpus.cases_citing_clause(clause.id)
    if not cases:
        return ""
    text = context.site.locale
    links = text("cases.list_separator").join(
        f'<a href="{context.link(urls.case_src(case.id))}">{escape(case.title)}</a>' for case in cases
    )
    return f'<p class="clause__cases">{html_text(text, "cases.citing_clause", cases=Markup(links))}</p>'


def home_card(context: PageContext) -> str:
    count = len(context.corpus.cases)
    if not count:
        return ""
    text = context.site.locale
    return way_in(context.link(urls.CASES_INDEX), text("cases.home_title"), text("cases.home_card", count=count))
