"""The self-check pages: the checks index, one page per check (a form the browser scores), the
self-check block of area pages, the checks on case pages and the home card.

A check page reads and prints without JavaScript; the form's ``data-*`` attributes are the
page's DOM contract with ``selfcheck.js`` (documented in the manual's reference).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from html import escape

from markupsafe import Markup

from . import scoring, urls
from .checks import first_paint_words
from .compiled_check import compile_check
from .locale import Locale
from .model import (
    AllOf,
    AnyOf,
    Area,
    Case,
    Check,
    Condition,
    Corpus,
    Not,
    Question,
    ShowIf,
    answer_conditions,
    condition_parts,
)
from .render import Page, PageContext, Site, heading_text, html_text, way_in


def checks_index(site: Site) -> Page:
    context = PageContext(site, urls.CHECKS_INDEX)
    corpus = site.corpus
    t = site.locale
    items = []
    for check in corpus.ordered_checks:
        covered = len(check.areas())
        scope = (
            corpus.areas[check.area].title
            if check.area
            else t("checks.all_areas", count=covered)
            if covered == len(corpus.areas)
            else t("checks.some_areas", count=covered)
        )
        items.append(
            f'<li><a href="{context.link(urls.check_src(check.id))}"><strong>{escape(check.title)}</strong></a><br>'
            f"{escape(t('checks.questions', count=len(check.questions)))} · {escape(scope)}</li>"
        )
    body = (
        f"# {heading_text(t('checks.index_title'))}\n\n"
        f'<p class="checks-intro">{escape(t("checks.index_intro"))} {escape(where_to_start(corpus, t))}</p>\n'
        f'<ul class="check-list">{"".join(items)}</ul>\n'
    )
    return Page(urls.CHECKS_INDEX, t("checks.index_title"), body, nav_section=t("checks.index_title"))


def where_to_start(corpus: Corpus, t: Locale) -> str:
    """Which check to take first, from the checks there are: a check across areas if the content
    has one (named by its title), then those of the areas that show gaps."""
    across = [check for check in corpus.ordered_checks if check.area is None]
    by_area = [check for check in corpus.ordered_checks if check.area is not None]
    if across and by_area:
        return t("checks.start_across_then_areas", title=across[0].title)
    if across:
        return t("checks.start_across", title=across[0].title)
    return t("checks.start_area")


def check_page(site: Site, check: Check) -> Page:
    src = urls.check_src(check.id)
    context = PageContext(site, src)
    corpus = site.corpus
    t = site.locale
    compiled = compile_check(corpus, check, t)
    # ``selfcheck`` tells main.html to start the runtime from <head>, before the stylesheets;
    # ``selfcheck_key`` lets that script hide follow-ups the saved answers rule out, before the
    # first paint. JSON is valid YAML, so the key needs no YAML quoting rules.
    key = json.dumps(f"selfcheck:{check.id}:v{check.version}")
    lines = [f"---\nselfcheck: true\nselfcheck_key: {key}\n---\n", f"# {heading_text(check.title)}\n"]
    lines.append(f'<div class="check-intro">{context.formatted(check.intro)}</div>\n')
    if check.area:
        area = corpus.areas[check.area]
        link = Markup(f'<a href="{context.link(urls.area_src(area.id))}">{escape(area.title)}</a>')
        lines.append(f'<p class="check-scope">{html_text(t, "checks.scope", area=link)}</p>\n')
    positions = {question.id: number for number, question in enumerate(check.questions, start=1)}
    by_id = {question.id: question for question in check.questions}

    def labels(question_id: str) -> dict[str, str]:
        """The option labels of the scale of the question a condition names."""
        return {option.id: option.label for option in corpus.scales[check.scale_of(by_id[question_id])].options}

    # The radios are the options each question accepts, as the engine sees them.
    accepted = {question["id"]: question["options"] for question in compiled["questions"]}
    questions = []
    current_area = None
    for question in check.questions:
        if not check.area and question.area != current_area:
            current_area = question.area
            questions.append(
                f'<li class="check-area-heading" data-search-exclude><h2 id="area-{current_area}">'
                f"{escape(corpus.areas[current_area].title)}</h2></li>"
            )
        questions.append(question_html(context, question, accepted[question.id], positions, labels))
    escaped = {key: escape(t(f"checks.{key}")) for key in ("noscript", "result_title", "result_waiting", "retry")}
    attributes = {
        "data-check": check.id,
        "data-check-version": str(check.version),
        "data-check-state": "idle",
    }
    attribute_text = runtime_attributes(context, attributes)
    data = json_attribute(compiled)
    lines.append(
        f'<form class="check" {attribute_text} autocomplete="off">'
        f'<p class="check-noscript">{escaped["noscript"]}</p>'
        f"{assessment_html(t)}{tools_html(t)}{choice_html(t)}{earlier_html(t)}"
        f'<ol class="check-questions">{"".join(questions)}</ol>'
        # After the questions and sticky at the viewport's bottom: in view while answering, clear of
        # the header and of the theme's "Back to top" button, which both sit at the top.
        '<p class="check-progress" data-check-progress hidden></p>'
        '<section class="check-result" data-check-result aria-live="polite" aria-labelledby="check-result-title">'
        f'<h2 id="check-result-title" tabindex="-1">{escaped["result_title"]}</h2>'
        '<p class="check-print-date" data-print-date></p>'
        f'<div data-result-body><p class="check-result__waiting">{escaped["result_waiting"]}</p></div>'
        '<p class="check-retry"><button type="button" class="check-tool" data-check-retry hidden>'
        f"{escaped['retry']}</button></p>"
        "</section>"
        f"<div class=\"check-data\" hidden data-check-data='{data}'></div>"
        "</form>\n"
    )
    return Page(src, check.title, "\n".join(lines), nav_section=t("checks.index_title"), about=(check.id,))


def assessment_html(t: Locale) -> str:
    """Organisation, assessor and date: saved with the answers once the script runs, printed either way."""
    keys = ("assessment", "assessment_hint", "organisation", "assessor", "date")
    e = {key: escape(t(f"checks.{key}")) for key in keys}
    return (
        f'<fieldset class="check-assessment"><legend>{e["assessment"]} '
        f'<span class="check-assessment__hint">{e["assessment_hint"]}</span></legend>'
        f'<label class="check-assessment__field">{e["organisation"]}'
        '<input type="text" maxlength="200" data-assessment="organisation"></label>'
        f'<label class="check-assessment__field">{e["assessor"]}'
        '<input type="text" maxlength="200" data-assessment="assessor"></label>'
        f'<label class="check-assessment__field">{e["date"]}'
        '<input type="date" data-assessment="date"></label>'
        "</fieldset>"
    )


def tools_html(t: Locale) -> str:
    """The tool bar, shown by the script (none of its tools work without it)."""
    e = {
        key: escape(t(f"checks.{key}"))
        for key in ("export", "import", "share", "save_assessment", "clear", "print", "undo", "share_link")
    }
    return (
        '<div class="check-tools" data-check-tools hidden>'
        f'<button type="button" class="check-tool" data-action="export">{e["export"]}</button>'
        f'<label class="check-tool check-tools__import">{e["import"]}'
        '<input type="file" accept="application/json,.json" data-action="import"></label>'
        f'<button type="button" class="check-tool" data-action="share">{e["share"]}</button>'
        f'<button type="button" class="check-tool" data-action="save-assessment">{e["save_assessment"]}</button>'
        f'<button type="button" class="check-tool" data-action="clear">{e["clear"]}</button>'
        f'<button type="button" class="check-tool" data-action="print">{e["print"]}</button>'
        f'<button type="button" class="check-tool" data-action="undo" hidden>{e["undo"]}</button>'
        '<p class="check-tools__message" data-check-message role="status" tabindex="-1"></p>'
        f'<p class="check-tools__share" data-share hidden><label>{e["share_link"]} '
        '<input type="text" readonly data-share-url></label></p>'
        "</div>"
    )


def choice_html(t: Locale) -> str:
    """Asked when a shared link's answers differ from the saved ones; filled by the script."""
    e = {key: escape(t(f"checks.{key}")) for key in ("choice_title", "choice_kept", "keep_mine", "use_shared")}
    return (
        '<div class="check-choice" data-check-choice hidden role="group" aria-labelledby="check-choice-title">'
        f'<p class="check-choice__title" id="check-choice-title"><strong>{e["choice_title"]}</strong> '
        f"{e['choice_kept']}</p>"
        '<p class="check-choice__summary" data-check-choice-summary></p>'
        '<ul class="check-choice__list" data-check-choice-list></ul>'
        '<p class="check-choice__actions">'
        f'<button type="button" class="check-tool" data-action="keep-mine">{e["keep_mine"]}</button> '
        f'<button type="button" class="check-tool" data-action="use-shared">{e["use_shared"]}</button></p>'
        "</div>"
    )


def earlier_html(t: Locale) -> str:
    """Offered when nothing is saved for this version of the check but answers to an earlier one
    are: answers are never carried over without the reader's say. Filled by the script."""
    e = {key: escape(t(f"checks.{key}")) for key in ("earlier_title", "use_earlier", "start_afresh")}
    return (
        '<div class="check-choice" data-check-earlier hidden role="group" aria-labelledby="check-earlier-title">'
        f'<p class="check-choice__title" id="check-earlier-title"><strong>{e["earlier_title"]}</strong></p>'
        '<p class="check-choice__summary" data-check-earlier-summary></p>'
        '<p class="check-choice__actions">'
        f'<button type="button" class="check-tool" data-action="use-earlier">{e["use_earlier"]}</button> '
        f'<button type="button" class="check-tool" data-action="start-afresh">{e["start_afresh"]}</button></p>'
        "</div>"
    )


def runtime_attributes(context: PageContext, attributes: dict[str, str]) -> str:
    """``attributes`` plus the runtime's addresses relative to the page (no snapshot address when
    none ships), as HTML attribute text: the loader starts the worker from them."""
    runtime = urls.selfcheck_runtime(context.site.selfcheck_snapshot)
    addresses = {f"data-check-{name}": context.asset(runtime[name]) for name in RUNTIME_PARTS if runtime[name]}
    return " ".join(f'{name}="{escape(value)}"' for name, value in {**attributes, **addresses}.items())


RUNTIME_PARTS = ("runtime", "snapshot", "engine", "worker", "script")


def json_attribute(value: object) -> str:
    """JSON for a single-quoted ``data-*`` attribute. An attribute, not ``<script
    type="application/json">``: Material's instant navigation re-creates inline scripts in the
    content without their attributes, which would run the JSON as code. Single-quoted, so the
    JSON's double quotes stay one byte instead of six (``&quot;``)."""
    return escape(scoring.dumps(value), quote=False).replace("'", "&#x27;")


def question_html(
    context: PageContext,
    question: Question,
    options: list[dict],
    positions: dict[str, int],
    labels: Callable[[str], dict[str, str]],
) -> str:
    t = context.site.locale
    number = positions[question.id]
    radios = "".join(
        f'<label class="check-option"><input type="radio" name="{question.id}" value="{escape(option["id"])}"> '
        f"{escape(option['label'])}</label>"
        for option in options
    )
    help_html = f'<p class="check-question__help">{escape(question.help)}</p>' if question.help else ""
    condition = ""
    show_if = ""
    if question.show_if:
        words = condition_html(t, question.show_if, labels, positions)
        condition = f'<p class="check-question__condition">{words}</p>'
        # Every answer that can show the question, as "question=option" words, so the head script can
        # hide it before the first paint when the saved answers rule it out (see selfcheck-loader.js);
        # a condition that holds without an answer (a "not") is never hidden before the script runs.
        when, without_answer = first_paint_words(question.show_if)
        first = next(atom.question for atom, _ in answer_conditions(question.show_if))
        show_if = f' data-show-if="{first}" data-show-when="{escape(when)}"' + (
            " data-show-first" if without_answer else ""
        )
    if not question.scored:
        condition += f'<p class="check-question__gate">{escape(t("report.gate_note"))}</p>'
    clauses = ", ".join(
        f'<a class="clause-ref" href="{context.clause_href(clause_id)}">{clause_id}</a>'
        for clause_id in question.clauses
    )
    red_line_text = escape(t("checks.red_line"))
    red_line = f' <strong class="check-question__red-line">{red_line_text}</strong>' if question.red_line else ""
    from_clauses = html_text(t, "checks.from_clauses", clauses=Markup(clauses))
    return (
        f'<li class="check-question" id="{question.id}" data-question="{question.id}"{show_if}>'
        f'<fieldset><legend><span class="check-question__number">{number}.</span> {escape(question.text)}</legend>'
        f"{help_html}{condition}"
        f'<div class="check-options" data-search-exclude>{radios}</div>'
        f'<p class="check-question__clauses">{from_clauses}{red_line}</p>'
        f'<div class="check-question__extra" data-search-exclude>'
        f'<label class="check-review"><input type="checkbox" data-review="{question.id}"> '
        f"{escape(t('checks.review_later'))}</label>"
        f'<label class="check-note">{escape(t("checks.note", number=number))}'
        f'<textarea data-note="{question.id}" maxlength="{NOTE_MAX_CHARS}" rows="2" '
        f'placeholder="{escape(t("checks.note_placeholder"))}"></textarea></label>'
        "</div></fieldset></li>"
    )


NOTE_MAX_CHARS = 2000
"""A note's length limit, the one the engine and the page's script also apply."""


def check_pages(site: Site) -> list[Page]:
    """The checks index, then one page per check."""
    if not site.corpus.checks:
        return []
    return [checks_index(site), *(check_page(site, check) for check in site.corpus.ordered_checks)]


def area_self_check(context: PageContext, area: Area) -> str:
    checks = context.corpus.checks_of_area(area.id)
    if not checks:
        return ""
    t = context.site.locale
    items = "".join(
        f'<li><a href="{context.link(urls.check_src(check.id))}"><strong>{escape(check.title)}</strong></a> — '
        f"{escape(t('checks.area_check', count=len(check.questions)))}</li>"
        for check in checks
    )
    return f'## {heading_text(t("checks.area_heading"))} {{#self-check}}\n\n<ul class="area-checks">{items}</ul>\n'


def home_card(context: PageContext) -> str:
    if not context.corpus.checks:
        return ""
    t = context.site.locale
    return way_in(
        context.link(urls.CHECKS_INDEX),
        t("checks.home_title"),
        t("checks.home_text", count=len(context.corpus.checks)),
    )


CHECKS_PER_CASE_AREA = 3
"""A case page links at most this many checks of each of its areas, then the area's list of them:
listing every check on every case page made the site grow as cases × checks."""


def case_self_checks(context: PageContext, case: Case) -> str:
    """On a case page: the self-check questions it names, and the checks of its areas."""
    corpus = context.corpus
    if not corpus.checks:
        return ""
    t = context.site.locale
    items = []
    for question_id in case.questions:
        question = corpus.questions[question_id]
        check = corpus.checks[question.check_id]
        items.append(
            f'<li><a href="{context.link(urls.check_src(check.id), question.id)}">{escape(question.text)}</a> '
            f"({escape(check.title)})</li>"
        )
    for area in corpus.ordered_areas:
        if area.id not in case.areas:
            continue
        checks = corpus.checks_of_area(area.id)
        items.extend(
            f'<li><a href="{context.link(urls.check_src(check.id))}">{escape(check.title)}</a></li>'
            for check in checks[:CHECKS_PER_CASE_AREA]
        )
        if len(checks) > CHECKS_PER_CASE_AREA:
            items.append(
                f'<li><a href="{context.link(urls.area_src(area.id), "self-check")}">'
                f"{escape(t('checks.case_all_checks', count=len(checks), area=area.title))}</a></li>"
            )
    if not items:
        return ""
    return (
        f"## {heading_text(t('checks.case_heading'))} {{#self-check .case-screen-only}}\n\n"
        f'<ul class="case-self-checks case-screen-only">{"".join(items)}</ul>\n'
    )


def condition_html(
    locale: Locale,
    condition: Condition,
    labels: Callable[[str], Mapping[str, str]],
    positions: Mapping[str, int],
) -> str:
    """A ``show_if`` condition as the check page says it ("Only if you answered Yes to question
    1 and …"), escaped HTML with a link to each question it names. ``labels(question_id)`` gives
    the option labels of that question's scale; the words are the ``report.condition_*`` texts."""
    return html_text(
        locale, "report.condition_only_if", condition=Markup(_condition_words(locale, condition, labels, positions))
    )


def _condition_words(
    locale: Locale, condition: Condition, labels: Callable[[str], Mapping[str, str]], positions: Mapping[str, int]
) -> str:
    if isinstance(condition, Not) and isinstance(condition.condition, ShowIf):
        return _answer_words(locale, condition.condition, labels, positions, "report.condition_not_answered")
    if isinstance(condition, ShowIf):
        return _answer_words(locale, condition, labels, positions, "report.condition_answered")
    key, inner = condition_parts(condition)
    parts = []
    for part in inner:
        words = Markup(_condition_words(locale, part, labels, positions))
        grouped = isinstance(part, AllOf | AnyOf) or (isinstance(part, Not) and not isinstance(part.condition, ShowIf))
        parts.append(html_text(locale, "report.condition_group", condition=words) if grouped else words)
    if key == "not":
        return html_text(locale, "report.condition_not", condition=Markup(parts[0]))
    return html_text(locale, "report.condition_and" if key == "all" else "report.condition_or").join(parts)


def _answer_words(
    locale: Locale,
    condition: ShowIf,
    labels: Callable[[str], Mapping[str, str]],
    positions: Mapping[str, int],
    key: str,
) -> str:
    names = labels(condition.question)
    answers = html_text(locale, "report.condition_or_answers").join(
        escape(names.get(option, option)) for option in condition.answer_in
    )
    number = escape(locale("report.condition_question", number=str(positions[condition.question])))
    link = f'<a href="#{escape(condition.question)}">{number}</a>'
    return html_text(locale, key, answers=Markup(answers), question=Markup(link))
