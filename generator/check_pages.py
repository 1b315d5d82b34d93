"""The self-check pages: the checks index, one page per check (a form the browser scores), the
self-check block of area pages, the checks on case pages and the home card.

A check page reads and prints without JavaScript; the form's ``data-*`` attributes are the
page's DOM contract with ``selfcheck.js`` (documented in the manual's reference).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape

from . import scoring, urls
from .checks import condition_html, first_paint_words
from .compiled_check import compile_check
from .model import Area, Case, Check, Corpus, Question, answer_conditions
from .render import Page, PageContext, Site, heading_text, way_in


def checks_index(site: Site) -> Page:
    context = PageContext(site, urls.CHECKS_INDEX)
    corpus = site.corpus
    items = []
    for check in corpus.ordered_checks:
        covered = len(check.areas())
        scope = (
            corpus.areas[check.area].title
            if check.area
            else f"all {covered} key areas"
            if covered == len(corpus.areas)
            else f"{covered} key areas"
        )
        items.append(
            f'<li><a href="{context.link(urls.check_src(check.id))}"><strong>{escape(check.title)}</strong></a><br>'
            f"{len(check.questions)} questions · {escape(scope)}</li>"
        )
    body = (
        "# Self-checks\n\n"
        '<p class="checks-intro">Answer a few questions about your business and get a score, a risk level and a list '
        "of what to do next, each linked to the guideline clauses it comes from. Scoring runs in this browser: "
        f"your answers are saved here and never sent anywhere. {escape(where_to_start(corpus))}</p>\n"
        f'<ul class="check-list">{"".join(items)}</ul>\n'
    )
    return Page(urls.CHECKS_INDEX, "Self-checks", body, nav_section="Self-checks")


def where_to_start(corpus: Corpus) -> str:
    """Which check to take first, from the checks there are: a check across areas if the content
    has one (named by its title), then those of the areas that show gaps."""
    across = [check for check in corpus.ordered_checks if check.area is None]
    by_area = [check for check in corpus.ordered_checks if check.area is not None]
    if across and by_area:
        return f"Start with “{across[0].title}”, then take the check of each area that shows gaps."
    if across:
        return f"Start with “{across[0].title}”."
    return "Start with the check of the area that matters most to your business."


def check_page(site: Site, check: Check) -> Page:
    src = urls.check_src(check.id)
    context = PageContext(site, src)
    corpus = site.corpus
    compiled = compile_check(corpus, check, site.locale)
    # ``selfcheck`` tells main.html to start the runtime from <head>, before the stylesheets;
    # ``selfcheck_key`` lets that script hide follow-ups the saved answers rule out, before the
    # first paint. JSON is valid YAML, so the key needs no YAML quoting rules.
    key = json.dumps(f"selfcheck:{check.id}:v{check.version}")
    lines = [f"---\nselfcheck: true\nselfcheck_key: {key}\n---\n", f"# {heading_text(check.title)}\n"]
    lines.append(f'<div class="check-intro">{context.formatted(check.intro)}</div>\n')
    if check.area:
        area = corpus.areas[check.area]
        lines.append(
            f'<p class="check-scope">Based on the guideline\'s clauses on '
            f'<a href="{context.link(urls.area_src(area.id))}">{escape(area.title)}</a>.</p>\n'
        )
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
    attributes = {
        "data-check": check.id,
        "data-check-version": str(check.version),
        "data-check-state": "idle",
    }
    attribute_text = runtime_attributes(context, attributes)
    data = json_attribute(compiled)
    lines.append(
        f'<form class="check" {attribute_text} autocomplete="off">'
        '<p class="check-noscript">Scoring needs JavaScript and WebAssembly; without them you can still read, '
        "answer and print the questions.</p>"
        f"{ASSESSMENT_HTML}{TOOLS_HTML}{CHOICE_HTML}"
        f'<ol class="check-questions">{"".join(questions)}</ol>'
        # After the questions and sticky at the viewport's bottom: in view while answering, clear of
        # the header and of the theme's "Back to top" button, which both sit at the top.
        '<p class="check-progress" data-check-progress hidden></p>'
        '<section class="check-result" data-check-result aria-live="polite" aria-labelledby="check-result-title">'
        '<h2 id="check-result-title" tabindex="-1">Your result</h2>'
        '<p class="check-print-date" data-print-date></p>'
        '<div data-result-body><p class="check-result__waiting">Your score, risk level and recommendations appear '
        "here as you answer, worked out in this browser.</p></div>"
        '<p class="check-retry"><button type="button" class="check-tool" data-check-retry hidden>Try again</button></p>'
        "</section>"
        f"<div class=\"check-data\" hidden data-check-data='{data}'></div>"
        "</form>\n"
    )
    return Page(src, check.title, "\n".join(lines), nav_section="Self-checks", about=(check.id,))


ASSESSMENT_HTML = (
    '<fieldset class="check-assessment"><legend>About this assessment '
    '<span class="check-assessment__hint">(optional, printed on the report)</span></legend>'
    '<label class="check-assessment__field">Organisation'
    '<input type="text" maxlength="200" data-assessment="organisation"></label>'
    '<label class="check-assessment__field">Assessor'
    '<input type="text" maxlength="200" data-assessment="assessor"></label>'
    '<label class="check-assessment__field">Date'
    '<input type="date" data-assessment="date"></label>'
    "</fieldset>"
)
"""Organisation, assessor and date: saved with the answers once the script runs, printed either way."""

TOOLS_HTML = (
    '<div class="check-tools" data-check-tools hidden>'
    '<button type="button" class="check-tool" data-action="export">Export answers</button>'
    '<label class="check-tool check-tools__import">Import answers'
    '<input type="file" accept="application/json,.json" data-action="import"></label>'
    '<button type="button" class="check-tool" data-action="share">Share</button>'
    '<button type="button" class="check-tool" data-action="save-assessment">Save this assessment</button>'
    '<button type="button" class="check-tool" data-action="clear">Clear answers</button>'
    '<button type="button" class="check-tool" data-action="print">Print report</button>'
    '<button type="button" class="check-tool" data-action="undo" hidden>Undo</button>'
    '<p class="check-tools__message" data-check-message role="status" tabindex="-1"></p>'
    '<p class="check-tools__share" data-share hidden><label>Link with your answers (the answers stay in the '
    'part after #, which is never sent to a server): <input type="text" readonly data-share-url></label></p>'
    "</div>"
)
"""The tool bar, shown by the script (none of its tools work without it)."""

CHOICE_HTML = (
    '<div class="check-choice" data-check-choice hidden role="group" aria-labelledby="check-choice-title">'
    '<p class="check-choice__title" id="check-choice-title"><strong>This link holds other answers than the ones '
    "saved in this browser.</strong> Nothing has been replaced.</p>"
    '<p class="check-choice__summary" data-check-choice-summary></p>'
    '<ul class="check-choice__list" data-check-choice-list></ul>'
    '<p class="check-choice__actions">'
    '<button type="button" class="check-tool" data-action="keep-mine">Keep mine</button> '
    '<button type="button" class="check-tool" data-action="use-shared">Use the shared answers</button></p>'
    "</div>"
)
"""Asked when a shared link's answers differ from the saved ones; filled by the script."""


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
        words = condition_html(context.site.locale, question.show_if, labels, positions)
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
        condition += f'<p class="check-question__gate">{escape(context.site.locale("report.gate_note"))}</p>'
    clauses = ", ".join(
        f'<a class="clause-ref" href="{context.clause_href(clause_id)}">{clause_id}</a>'
        for clause_id in question.clauses
    )
    red_line = (
        ' <strong class="check-question__red-line">Red line: any answer but the best '
        "sets the level to the worst.</strong>"
        if question.red_line
        else ""
    )
    return (
        f'<li class="check-question" id="{question.id}" data-question="{question.id}"{show_if}>'
        f'<fieldset><legend><span class="check-question__number">{number}.</span> {escape(question.text)}</legend>'
        f"{help_html}{condition}"
        f'<div class="check-options" data-search-exclude>{radios}</div>'
        f'<p class="check-question__clauses">From clause {clauses}.{red_line}</p>'
        f'<div class="check-question__extra" data-search-exclude>'
        f'<label class="check-review"><input type="checkbox" data-review="{question.id}"> Review later</label>'
        f'<label class="check-note">Your note on question {number} (optional)'
        f'<textarea data-note="{question.id}" maxlength="{NOTE_MAX_CHARS}" rows="2" '
        'placeholder="For example: who does this, by when, what is missing"></textarea></label>'
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
    items = "".join(
        f'<li><a href="{context.link(urls.check_src(check.id))}"><strong>{escape(check.title)}</strong></a> — '
        f"{len(check.questions)} questions, scored in your browser; answers never leave it.</li>"
        for check in checks
    )
    return f'## Self-check {{#self-check}}\n\n<ul class="area-checks">{items}</ul>\n'


def home_card(context: PageContext) -> str:
    if not context.corpus.checks:
        return ""
    return way_in(
        context.link(urls.CHECKS_INDEX),
        "Run a self-check",
        f"{len(context.corpus.checks)} self-checks give a score, a risk level and a to-do list linked to the clauses. "
        "They run in your browser; nothing is sent anywhere.",
    )


CHECKS_PER_CASE_AREA = 3
"""A case page links at most this many checks of each of its areas, then the area's list of them:
listing every check on every case page made the site grow as cases × checks."""


def case_self_checks(context: PageContext, case: Case) -> str:
    """On a case page: the self-check questions it names, and the checks of its areas."""
    corpus = context.corpus
    if not corpus.checks:
        return ""
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
                f"All {len(checks)} self-checks on {escape(area.title)}</a></li>"
            )
    if not items:
        return ""
    return (
        "## Check yourself {#self-check .case-screen-only}\n\n"
        f'<ul class="case-self-checks case-screen-only">{"".join(items)}</ul>\n'
    )
