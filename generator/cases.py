"""The case library: cases that explain the rules through SME scenarios, and their pages.

Each case is data (``content/cases/*.yaml``); this module loads and cross-checks it and
generates the case pages, the filterable index, the "Cases" block of each area page, the
"cited by" line under each clause and the home card. The share kit (QR code, copy-link
button, share preview meta) is drawn by the theme from the page's front matter.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape

from . import markdown, urls
from .corpus import Corpus, Loading, check_markdown_links, content_type, cross_check, where
from .model import Area, Clause
from .pages import AREA_SECTIONS, CLAUSE_EXTRAS, HOME_WAYS_IN, PAGE_SOURCES, Page, PageContext, heading_text, way_in
from .yamlsource import Source

CASES_INDEX = "cases/index.md"
NAV_SECTION = "Cases"
FORMATTED_FIELDS = ("facts", "what_went_wrong", "rule", "consequences")


@dataclass(frozen=True)
class CaseSource:
    """Where a reported case was published."""

    publisher: str
    title: str
    date: str
    url: str


@dataclass(frozen=True)
class Case:
    """One case: an SME scenario explaining the clauses it cites."""

    id: str
    kind: str
    title: str
    lesson: str
    areas: tuple[str, ...]
    clauses: tuple[str, ...]
    keywords: tuple[str, ...]
    facts: str
    what_went_wrong: str
    rule: str
    consequences: str
    actions: tuple[str, ...]
    questions: tuple[str, ...] = ()
    source: CaseSource | None = None


def case_src(case_id: str) -> str:
    return f"cases/{case_id}.md"


@content_type("case.schema.json")
def load_case(source: Source, corpus: Corpus, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    # Where this case (not another item sharing its id) was defined, for the cross-check's messages.
    loading.defined[f"case:{data['id']}"] = (source, ("id",))
    origin = data.get("source")
    corpus.cases[data["id"]] = Case(
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


@cross_check
def check_cases(corpus: Corpus, loading: Loading) -> None:
    """Areas, clauses and self-check questions named by a case must exist; so must clause links in its text."""
    for case in corpus.cases.values():
        source, _ = where(loading, f"case:{case.id}")
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
        for name in FORMATTED_FIELDS:
            check_markdown_links(getattr(case, name), source, (name,), corpus, loading)
        for index, action in enumerate(case.actions):
            check_markdown_links(action, source, ("actions", index), corpus, loading)


def ordered_cases(corpus: Corpus) -> list[Case]:
    """Cases grouped by their first area, in the guideline's order of areas, then by title."""
    return list(case_index(corpus).ordered)


@dataclass(frozen=True)
class CaseIndex:
    """The cases in :func:`ordered_cases` order, and that order's cases by clause, question and area."""

    ordered: tuple[Case, ...]
    by_clause: dict[str, tuple[Case, ...]]
    by_question: dict[str, tuple[Case, ...]]
    by_area: dict[str, tuple[Case, ...]]


def case_index(corpus: Corpus) -> CaseIndex:
    """Built once per corpus: every self-check question and every clause looks up its cases."""
    return corpus.derived("cases", len(corpus.cases), lambda: _build_case_index(corpus))


def _build_case_index(corpus: Corpus) -> CaseIndex:
    order = {area.id: position for position, area in enumerate(corpus.ordered_areas())}
    ordered = tuple(sorted(corpus.cases.values(), key=lambda case: (order[case.areas[0]], case.title.casefold())))
    by_clause: dict[str, list[Case]] = {}
    by_question: dict[str, list[Case]] = {}
    by_area: dict[str, list[Case]] = {}
    for case in ordered:
        for index, keys in ((by_clause, case.clauses), (by_question, case.questions), (by_area, case.areas)):
            for key in dict.fromkeys(keys):
                index.setdefault(key, []).append(case)

    def frozen(index: dict[str, list[Case]]) -> dict[str, tuple[Case, ...]]:
        return {key: tuple(cases) for key, cases in index.items()}

    return CaseIndex(ordered, frozen(by_clause), frozen(by_question), frozen(by_area))


def cases_citing_clause(corpus: Corpus, clause_id: str) -> tuple[Case, ...]:
    """For clause blocks and self-check recommendations: the cases that explain this clause."""
    return case_index(corpus).by_clause.get(clause_id, ())


def cases_for_question(corpus: Corpus, question_id: str) -> tuple[Case, ...]:
    """For self-check recommendations: the cases that name this question."""
    return case_index(corpus).by_question.get(question_id, ())


def cases_of_area(corpus: Corpus, area_id: str) -> tuple[Case, ...]:
    return case_index(corpus).by_area.get(area_id, ())


CaseSection = Callable[[PageContext, Case], str]
"""Adds a block to a case page (e.g. its self-check questions); returns Markdown or ``""``."""

CASE_SECTIONS: list[CaseSection] = []


def front_matter(values: dict[str, object]) -> str:
    """YAML front matter for ``page.meta``. Strings are HTML-escaped here because the theme
    writes some of them (``description``) into attributes without escaping."""
    lines = []
    for key, value in values.items():
        text = escape(value) if isinstance(value, str) else value
        lines.append(f"{key}: {json.dumps(text, ensure_ascii=False)}")
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def kind_notice(case: Case) -> str:
    if case.kind == "reported" and case.source:
        origin = case.source
        return (
            '<p class="case-kind case-kind--reported"><strong>Reported case.</strong> Source: '
            f'{escape(origin.publisher)}, <a href="{escape(origin.url)}" rel="noopener">{escape(origin.title)}</a> '
            f"({escape(origin.date)}). The summary and comments are ours, not legal advice.</p>\n"
        )
    return (
        '<p class="case-kind case-kind--illustrative"><strong>Illustrative scenario.</strong> '
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
    clauses = "; ".join(
        ", ".join(
            f'<a class="clause-ref" href="{context.clause_href(clause_id)}">{escape(clause_id)}</a>'
            for clause_id in clause_ids
        )
        + f" of the {escape(corpus.documents[document_id].short_title)} "
        f"({escape(corpus.documents[document_id].document_number)})"
        for document_id, clause_ids in by_document.items()
    )
    keywords = "".join(f'<span class="case-tag">{escape(keyword)}</span>' for keyword in case.keywords)
    return (
        '<dl class="case-meta">'
        f"<dt>Areas</dt><dd>{areas}</dd>"
        f"<dt>Clauses</dt><dd>{clauses}</dd>"
        f'<dt>Keywords</dt><dd class="case-tags">{keywords}</dd>'
        "</dl>\n"
    )


def cited_clauses(context: PageContext, case: Case) -> str:
    """The official text of each cited clause, taken from the corpus, never from the case."""
    quotes = "".join(
        f'<blockquote class="case-clause" cite="{context.clause_href(clause_id)}">'
        f"<p>{context.official(context.corpus.clauses[clause_id].text)}</p>"
        f'<p class="case-clause__ref"><a href="{context.clause_href(clause_id)}">Clause {escape(clause_id)} '
        "in context</a></p></blockquote>"
        for clause_id in case.clauses
    )
    return (
        '<aside class="case-clauses case-screen-only" aria-label="Official text cited">'
        '<p class="case-clauses__label">Official text cited (verbatim)</p>'
        f"{quotes}</aside>\n"
    )


def case_page(corpus: Corpus, case: Case) -> Page:
    src = case_src(case.id)
    context = PageContext(corpus, src)
    actions = "".join(f"<li>{markdown.render_inline(action, context.clause_href)}</li>" for action in case.actions)
    lines = [
        front_matter({"description": case.lesson, "share": True}),
        f"# {heading_text(case.title)}\n",
        kind_notice(case),
        f'<p class="case-lesson"><strong>Lesson:</strong> {escape(case.lesson)}</p>\n',
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
    for extra in CASE_SECTIONS:
        block = extra(context, case)
        if block:
            lines.append(block)
    return Page(src, case.title, "\n".join(lines), nav_section=NAV_SECTION)


def case_card(context: PageContext, case: Case) -> str:
    """One case in a list; ``data-*`` attributes feed the index filter."""
    corpus = context.corpus
    areas = " · ".join(escape(corpus.areas[area_id].title) for area_id in case.areas)
    keywords = "".join(f'<span class="case-tag">{escape(keyword)}</span>' for keyword in case.keywords)
    return (
        f'<li class="case-card" data-case="{case.id}" data-areas="{escape(" ".join(case.areas))}" '
        f'data-keywords="{escape("|".join(keyword.casefold() for keyword in case.keywords))}">'
        f'<a class="case-card__title" href="{context.link(case_src(case.id))}">{escape(case.title)}</a>'
        f'<p class="case-card__lesson">{escape(case.lesson)}</p>'
        f'<p class="case-card__tags"><span class="case-card__areas">{areas}</span> {keywords}</p></li>'
    )


def cases_index(corpus: Corpus) -> Page:
    context = PageContext(corpus, CASES_INDEX)
    cases = ordered_cases(corpus)
    area_options = "".join(
        f'<option value="{area.id}">{escape(area.title)}</option>'
        for area in corpus.ordered_areas()
        if cases_of_area(corpus, area.id)
    )
    keywords = sorted({keyword for case in cases for keyword in case.keywords}, key=str.casefold)
    keyword_options = "".join(f'<option value="{escape(keyword)}"></option>' for keyword in keywords)
    by_area = "".join(
        f'<li><a href="{context.link(urls.area_src(area.id), "cases")}">{escape(area.title)}</a> '
        f"({len(cases_of_area(corpus, area.id))})</li>"
        for area in corpus.ordered_areas()
        if cases_of_area(corpus, area.id)
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
        '<form class="case-filter" data-case-filter role="search" aria-label="Filter cases" hidden>'
        '<label>Area <select name="area"><option value="">All areas</option>'
        f"{area_options}</select></label> "
        '<label>Keyword <input type="search" name="q" list="case-keywords" autocomplete="off"></label>'
        f'<datalist id="case-keywords">{keyword_options}</datalist>'
        '<p class="case-filter__count" data-case-count aria-live="polite"></p></form>\n',
        f'<ul class="case-list" data-case-list>{"".join(case_card(context, case) for case in cases)}</ul>\n',
        '<p class="case-list__empty" data-case-empty hidden>No case matches. Clear the filter to see all cases.</p>\n',
    ]
    return Page(CASES_INDEX, "Cases", "\n".join(lines), nav_section=NAV_SECTION)


def case_pages(corpus: Corpus) -> Iterator[Page]:
    if not corpus.cases:
        return
    yield cases_index(corpus)
    for case in ordered_cases(corpus):
        yield case_page(corpus, case)


def area_cases(context: PageContext, area: Area) -> str:
    cases = cases_of_area(context.corpus, area.id)
    if not cases:
        return ""
    return (
        "## Cases {#cases}\n\n"
        '<p class="area-cases__intro">Scenarios that show these clauses at work (ours, not legal advice).</p>'
        f'<ul class="case-list">{"".join(case_card(context, case) for case in cases)}</ul>\n'
    )


def clause_cases(context: PageContext, clause: Clause) -> str:
    cases = cases_citing_clause(context.corpus, clause.id)
    if not cases:
        return ""
    links = ", ".join(f'<a href="{context.link(case_src(case.id))}">{escape(case.title)}</a>' for case in cases)
    return f'<p class="clause__cases">Cases citing this clause: {links}</p>'


def home_card(context: PageContext) -> str:
    count = len(context.corpus.cases)
    if not count:
        return ""
    return way_in(
        context.link(CASES_INDEX),
        "See cases",
        f"{count} short scenarios from small firms that show what goes wrong, which rule applies and what to do.",
    )


PAGE_SOURCES.append(case_pages)
AREA_SECTIONS.append(area_cases)
CLAUSE_EXTRAS.append(clause_cases)
HOME_WAYS_IN.append(home_card)
