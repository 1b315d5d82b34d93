"""Self-checks: the check, scale and bands content types, their cross-checks, the compiled
check the scoring engine reads, the check pages, and the ``score`` command."""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path

from . import scoring, urls
from .cases import CASE_SECTIONS, Case, case_src, cases_citing_clause, cases_for_question
from .corpus import Corpus, Loading, content_type, cross_check, load_corpus, where
from .diagnostics import ContentError
from .model import Area
from .pages import AREA_SECTIONS, HOME_WAYS_IN, PAGE_SOURCES, Page, PageContext, heading_text, way_in
from .runtime import RUNTIME_URI, SNAPSHOT_URI
from .yamlsource import Path_, Source

DEFAULT_SCALE = "standard"
DEFAULT_BANDS = "standard-bands"
CHECKS_INDEX = "checks/index.md"
ENGINE_URI = "assets/selfcheck/scoring.py"
WORKER_URI = "assets/javascripts/selfcheck-worker.js"
SCRIPT_URI = "assets/javascripts/selfcheck.js"


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    points: float | None
    not_applicable: bool


@dataclass(frozen=True)
class Scale:
    """The answer options of a check's questions."""

    id: str
    title: str
    options: tuple[Option, ...]

    @property
    def best(self) -> float:
        return max(option.points for option in self.options if option.points is not None)


@dataclass(frozen=True)
class Band:
    level: str
    label: str
    min: float
    max: float
    summary: str


@dataclass(frozen=True)
class Bands:
    """Score thresholds → risk level, covering 0–100 exactly once."""

    id: str
    title: str
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class ShowIf:
    question: str
    answer_in: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """One question of a check; ``area`` is the check's area or the question's own."""

    id: str
    check_id: str
    area: str
    text: str
    help: str | None
    clauses: tuple[str, ...]
    weight: float
    red_line: bool
    show_if: ShowIf | None
    advice: str
    own_area: bool
    """True when the content names the area on the question (a check across areas)."""


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    area: str | None
    version: int
    intro: str
    scale: str
    bands: str
    questions: tuple[Question, ...]


# --- loading ------------------------------------------------------------------------------------


@content_type("scale.schema.json")
def load_scale(source: Source, corpus: Corpus, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    options = []
    seen: set[str] = set()
    for index, option in enumerate(data["options"]):
        loading.expect(
            option["id"] not in seen, source, ("options", index, "id"), f"option id {option['id']!r} is used twice"
        )
        seen.add(option["id"])
        loading.expect(
            not ("points" in option and option.get("not_applicable")),
            source,
            ("options", index),
            "a not-applicable option earns no points; remove 'points' or 'not_applicable'",
        )
        options.append(Option(option["id"], option["label"], option.get("points"), bool(option.get("not_applicable"))))
    scored = [option.points for option in options if option.points is not None]
    loading.expect(
        bool(scored) and max(scored) > 0, source, ("options",), "at least one option must earn more than 0 points"
    )
    corpus.scales[data["id"]] = Scale(data["id"], data["title"], tuple(options))


@content_type("bands.schema.json")
def load_bands(source: Source, corpus: Corpus, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    bands = [Band(band["level"], band["label"], band["min"], band["max"], band["summary"]) for band in data["bands"]]
    for index, band in enumerate(bands):
        loading.expect(
            band.min < band.max,
            source,
            ("bands", index, "max"),
            f"band {band.level!r}: max ({band.max}) must be greater than min ({band.min})",
        )
        loading.expect(
            band.level not in {other.level for other in bands[:index]},
            source,
            ("bands", index, "level"),
            f"level {band.level!r} is used twice",
        )
    order = sorted(range(len(bands)), key=lambda index: (bands[index].min, bands[index].max))
    expected = 0.0
    for index in order:
        band = bands[index]
        if band.min > expected:
            loading.problems.append(
                source.problem(
                    ("bands", index, "min"),
                    f"band {band.level!r} starts at {band.min} but the bands below end at {expected}: "
                    f"scores from {expected} to {band.min} have no band",
                )
            )
        elif band.min < expected:
            loading.problems.append(
                source.problem(
                    ("bands", index, "min"),
                    f"band {band.level!r} starts at {band.min}, overlapping the band below that ends at {expected}",
                )
            )
        expected = max(expected, band.max)
    if expected < 100:
        loading.problems.append(
            source.problem(("bands",), f"the bands end at {expected}: scores from {expected} to 100 have no band")
        )
    corpus.bands[data["id"]] = Bands(data["id"], data["title"], tuple(bands))


@content_type("check.schema.json")
def load_check(source: Source, corpus: Corpus, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    questions = []
    for index, entry in enumerate(data["questions"]):
        loading.define(source, ("questions", index, "id"), entry["id"])
        condition = entry.get("show_if")
        question = Question(
            id=entry["id"],
            check_id=data["id"],
            area=data.get("area") or entry.get("area") or "",
            text=entry["text"],
            help=entry.get("help"),
            clauses=tuple(entry["clauses"]),
            weight=entry["weight"],
            red_line=bool(entry.get("red_line")),
            show_if=ShowIf(condition["question"], tuple(condition["answer_in"])) if condition else None,
            advice=entry["advice"],
            own_area="area" in entry,
        )
        corpus.questions[question.id] = question
        questions.append(question)
    corpus.checks[data["id"]] = Check(
        id=data["id"],
        title=data["title"],
        area=data.get("area"),
        version=data["version"],
        intro=data["intro"],
        scale=data.get("scale", DEFAULT_SCALE),
        bands=data.get("bands", DEFAULT_BANDS),
        questions=tuple(questions),
    )


@cross_check
def check_checks(corpus: Corpus, loading: Loading) -> None:
    """References from checks: area, scale, bands, clauses (of the right area) and show_if."""
    for check in corpus.checks.values():
        source, _ = where(loading, check.id)
        if check.area is not None:
            loading.refer(check.area, corpus.areas, source, ("area",), f"unknown area {check.area!r}")
        loading.refer(
            check.scale,
            corpus.scales,
            source,
            ("scale",),
            f"unknown scale {check.scale!r} (known: {', '.join(sorted(corpus.scales)) or 'none'})",
        )
        loading.refer(
            check.bands,
            corpus.bands,
            source,
            ("bands",),
            f"unknown bands {check.bands!r} (known: {', '.join(sorted(corpus.bands)) or 'none'})",
        )
        scale = corpus.scales.get(check.scale)
        earlier: dict[str, int] = {}
        for index, question in enumerate(check.questions):
            _check_question(corpus, loading, source, check, question, ("questions", index), scale, earlier)
            earlier[question.id] = index


def _check_question(
    corpus: Corpus,
    loading: Loading,
    source: Source,
    check: Check,
    question: Question,
    path: Path_,
    scale: Scale | None,
    earlier: dict[str, int],
) -> None:
    if check.area is not None and question.own_area:
        loading.problems.append(
            source.problem(
                (*path, "area"),
                f"the check covers area {check.area!r}; only checks without 'area' name it per question",
            )
        )
    elif check.area is None and not question.own_area:
        loading.problems.append(source.problem(path, "this check has no 'area', so each question needs its own 'area'"))
    elif question.own_area:
        loading.refer(question.area, corpus.areas, source, (*path, "area"), f"unknown area {question.area!r}")
    area = corpus.areas.get(question.area)
    section = corpus.sections.get(area.section_id) if area else None
    own = {clause.id for clause in section.clauses} if section else set()
    for position, clause_id in enumerate(question.clauses):
        if clause_id not in corpus.clauses:
            loading.problems.append(source.problem((*path, "clauses", position), f"unknown clause {clause_id!r}"))
        elif section is not None and clause_id not in own:
            loading.problems.append(
                source.problem(
                    (*path, "clauses", position),
                    f"clause {clause_id!r} is not a clause of area {area.id!r} ({', '.join(sorted(own))})",
                )
            )
    condition = question.show_if
    if condition is None:
        return
    if condition.question not in earlier:
        later = any(other.id == condition.question for other in check.questions)
        where_ = "comes later in this check" if later else "is not a question of this check"
        loading.problems.append(
            source.problem(
                (*path, "show_if", "question"),
                f"show_if question {condition.question!r} {where_}; it must be an earlier question",
            )
        )
    if scale is not None:
        known = [option.id for option in scale.options]
        for position, option_id in enumerate(condition.answer_in):
            loading.expect(
                option_id in known,
                source,
                (*path, "show_if", "answer_in", position),
                f"{option_id!r} is not an option of scale {scale.id!r} ({', '.join(known)})",
            )


# --- the compiled check -------------------------------------------------------------------------

QuestionCases = Callable[[PageContext, "Question"], list[dict]]
"""Links from a question to cases, as ``{"title", "url"}`` with ``url`` from ``context.link``."""

QUESTION_CASES: list[QuestionCases] = []
"""The cases module registers here; each recommendation then links to the question's cases."""


def check_src(check_id: str) -> str:
    return f"checks/{check_id}.md"


def compile_check(corpus: Corpus, check: Check) -> dict:
    """The engine's input: everything scoring and the report need, as plain JSON-ready data.

    Links are relative to the check's page, advice is HTML rendered safely from the content."""
    context = PageContext(corpus, check_src(check.id))
    scale = corpus.scales[check.scale]
    area_ids = [check.area] if check.area else list(dict.fromkeys(question.area for question in check.questions))
    order = {area.id: index for index, area in enumerate(corpus.ordered_areas())}
    area_ids.sort(key=lambda area_id: order[area_id])
    options = [
        {
            "id": option.id,
            "label": option.label,
            "points": option.points,
            "not_applicable": option.not_applicable,
        }
        for option in scale.options
    ]
    questions = []
    for question in check.questions:
        questions.append(
            {
                "id": question.id,
                "area": question.area,
                "text": question.text,
                "weight": question.weight,
                "red_line": question.red_line,
                "show_if": (
                    {"question": question.show_if.question, "answer_in": list(question.show_if.answer_in)}
                    if question.show_if
                    else None
                ),
                "options": options,
                "best": scale.best,
                "advice_html": context.formatted(question.advice),
                "clauses": [
                    {"id": clause_id, "text": corpus.clauses[clause_id].text, "url": context.clause_href(clause_id)}
                    for clause_id in question.clauses
                ],
                "cases": [link for source in QUESTION_CASES for link in source(context, question)],
            }
        )
    bands = sorted(corpus.bands[check.bands].bands, key=lambda band: -band.min)
    return {
        "id": check.id,
        "version": check.version,
        "title": check.title,
        "areas": [{"id": area_id, "title": corpus.areas[area_id].title} for area_id in area_ids],
        "questions": questions,
        "bands": [
            {"level": band.level, "label": band.label, "min": band.min, "max": band.max, "summary": band.summary}
            for band in bands
        ],
    }


def ordered_checks(corpus: Corpus) -> list[Check]:
    """Checks across areas first, then one per area in guideline order."""
    order = {area.id: index for index, area in enumerate(corpus.ordered_areas())}
    return sorted(corpus.checks.values(), key=lambda check: (check.area is not None, order.get(check.area or "", -1)))


def checks_of_area(corpus: Corpus, area_id: str) -> tuple[Check, ...]:
    """The area's checks in :func:`ordered_checks` order, indexed once: every case page asks."""

    def by_area() -> dict[str, tuple[Check, ...]]:
        index: dict[str, list[Check]] = {}
        for check in ordered_checks(corpus):
            if check.area is not None:
                index.setdefault(check.area, []).append(check)
        return {area: tuple(checks) for area, checks in index.items()}

    return corpus.derived("checks-by-area", len(corpus.checks), by_area).get(area_id, ())


# --- pages --------------------------------------------------------------------------------------


def checks_index(corpus: Corpus) -> Page:
    context = PageContext(corpus, CHECKS_INDEX)
    items = []
    for check in ordered_checks(corpus):
        scope = corpus.areas[check.area].title if check.area else f"all {len(compile_areas(check))} key areas"
        items.append(
            f'<li><a href="{context.link(check_src(check.id))}"><strong>{escape(check.title)}</strong></a><br>'
            f"{len(check.questions)} questions · {escape(scope)}</li>"
        )
    body = (
        "# Self-checks\n\n"
        '<p class="checks-intro">Answer a few questions about your business and get a score, a risk level and a list '
        "of what to do next, each linked to the guideline clauses it comes from. Scoring runs in this browser: "
        "your answers are saved here and never sent anywhere. Start with the health check across all areas, "
        "then take the check of each area that shows gaps.</p>\n"
        f'<ul class="check-list">{"".join(items)}</ul>\n'
    )
    return Page(CHECKS_INDEX, "Self-checks", body, nav_section="Self-checks")


def compile_areas(check: Check) -> list[str]:
    return list(dict.fromkeys(question.area for question in check.questions))


def check_page(corpus: Corpus, check: Check) -> Page:
    src = check_src(check.id)
    context = PageContext(corpus, src)
    compiled = compile_check(corpus, check)
    scale = corpus.scales[check.scale]
    # ``selfcheck`` tells main.html to start the runtime from <head>, before the stylesheets.
    lines = ["---\nselfcheck: true\n---\n", f"# {heading_text(check.title)}\n"]
    lines.append(f'<div class="check-intro">{context.formatted(check.intro)}</div>\n')
    if check.area:
        area = corpus.areas[check.area]
        lines.append(
            f'<p class="check-scope">Based on the guideline\'s clauses on '
            f'<a href="{context.link(urls.area_src(area.id))}">{escape(area.title)}</a>.</p>\n'
        )
    lines.append(
        '<p class="check-noscript">Scoring needs JavaScript and WebAssembly; without them you can still read, '
        "answer and print the questions.</p>\n"
    )
    positions = {question.id: number for number, question in enumerate(check.questions, start=1)}
    labels = {option.id: option.label for option in scale.options}
    questions = []
    current_area = None
    for question in check.questions:
        if not check.area and question.area != current_area:
            current_area = question.area
            questions.append(
                f'<li class="check-area-heading" data-search-exclude><h2 id="area-{current_area}">'
                f"{escape(corpus.areas[current_area].title)}</h2></li>"
            )
        questions.append(question_html(context, question, scale, positions, labels))
    attributes = {
        "data-check": check.id,
        "data-check-version": str(check.version),
        "data-check-state": "idle",
        "data-check-runtime": urls.relative(context.url, RUNTIME_URI),
        "data-check-snapshot": urls.relative(context.url, SNAPSHOT_URI),
        "data-check-engine": urls.relative(context.url, ENGINE_URI),
        "data-check-worker": urls.relative(context.url, WORKER_URI),
        "data-check-script": urls.relative(context.url, SCRIPT_URI),
    }
    attribute_text = " ".join(f'{name}="{escape(value)}"' for name, value in attributes.items())
    # An attribute, not <script type="application/json">: Material's instant navigation re-creates
    # inline scripts in the content without their attributes, which would run the JSON as code.
    # Single-quoted, so the JSON's double quotes stay one byte instead of six (&quot;).
    data = escape(scoring.dumps(compiled), quote=False).replace("'", "&#x27;")
    lines.append(
        f'<form class="check" {attribute_text} autocomplete="off">'
        '<div class="check-tools" data-check-tools hidden>'
        '<button type="button" class="check-tool" data-action="export">Export answers</button>'
        '<label class="check-tool check-tools__import">Import answers'
        '<input type="file" accept="application/json,.json" data-action="import"></label>'
        '<button type="button" class="check-tool" data-action="share">Share</button>'
        '<button type="button" class="check-tool" data-action="clear">Clear</button>'
        '<button type="button" class="check-tool" data-action="print">Print report</button>'
        '<p class="check-tools__message" data-check-message role="status"></p>'
        '<p class="check-tools__share" data-share hidden><label>Link with your answers (the answers stay in the '
        'part after #, which is never sent to a server): <input type="text" readonly data-share-url></label></p>'
        "</div>"
        f'<ol class="check-questions">{"".join(questions)}</ol>'
        '<section class="check-result" data-check-result aria-live="polite" aria-labelledby="check-result-title">'
        '<h2 id="check-result-title">Your result</h2>'
        '<p class="check-print-date" data-print-date></p>'
        '<div data-result-body><p class="check-result__waiting">Your score, risk level and recommendations appear '
        "here as you answer, worked out in this browser.</p></div></section>"
        f"<div class=\"check-data\" hidden data-check-data='{data}'></div>"
        "</form>\n"
    )
    return Page(src, check.title, "\n".join(lines), nav_section="Self-checks")


def question_html(
    context: PageContext, question: Question, scale: Scale, positions: dict[str, int], labels: dict[str, str]
) -> str:
    number = positions[question.id]
    options = "".join(
        f'<label class="check-option"><input type="radio" name="{question.id}" value="{option.id}"> '
        f"{escape(option.label)}</label>"
        for option in scale.options
    )
    help_html = f'<p class="check-question__help">{escape(question.help)}</p>' if question.help else ""
    condition = ""
    show_if = ""
    if question.show_if:
        answers = " or ".join(labels[option] for option in question.show_if.answer_in)
        condition = (
            f'<p class="check-question__condition">Only if you answered {escape(answers)} to '
            f'<a href="#{question.show_if.question}">question {positions[question.show_if.question]}</a>.</p>'
        )
        show_if = f' data-show-if="{question.show_if.question}"'
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
        f'<div class="check-options" data-search-exclude>{options}</div>'
        f'<p class="check-question__clauses">From clause {clauses}.{red_line}</p>'
        "</fieldset></li>"
    )


def check_pages(corpus: Corpus) -> Iterator[Page]:
    if not corpus.checks:
        return
    yield checks_index(corpus)
    for check in ordered_checks(corpus):
        yield check_page(corpus, check)


def area_self_check(context: PageContext, area: Area) -> str:
    checks = checks_of_area(context.corpus, area.id)
    if not checks:
        return ""
    items = "".join(
        f'<li><a href="{context.link(check_src(check.id))}"><strong>{escape(check.title)}</strong></a> — '
        f"{len(check.questions)} questions, scored in your browser; answers never leave it.</li>"
        for check in checks
    )
    return f'## Self-check {{#self-check}}\n\n<ul class="area-checks">{items}</ul>\n'


def home_card(context: PageContext) -> str:
    if not context.corpus.checks:
        return ""
    return way_in(
        context.link(CHECKS_INDEX),
        "Run a self-check",
        f"{len(context.corpus.checks)} self-checks give a score, a risk level and a to-do list linked to the clauses. "
        "They run in your browser; nothing is sent anywhere.",
    )


CASES_PER_RECOMMENDATION = 3


def question_cases(context: PageContext, question: Question) -> list[dict]:
    """Cases that name the question, then cases citing its clauses; at most three, no repeats.

    Stops at the third: a clause cited by many cases must not cost every question a pass over them."""
    corpus = context.corpus
    found = itertools.chain(
        cases_for_question(corpus, question.id),
        *(cases_citing_clause(corpus, clause_id) for clause_id in question.clauses),
    )
    unique: dict[str, Case] = {}
    for case in found:
        unique.setdefault(case.id, case)
        if len(unique) == CASES_PER_RECOMMENDATION:
            break
    return [{"title": case.title, "url": context.link(case_src(case.id))} for case in unique.values()]


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
            f'<li><a href="{context.link(check_src(check.id), question.id)}">{escape(question.text)}</a> '
            f"({escape(check.title)})</li>"
        )
    for area in corpus.ordered_areas():
        if area.id not in case.areas:
            continue
        checks = checks_of_area(corpus, area.id)
        items.extend(
            f'<li><a href="{context.link(check_src(check.id))}">{escape(check.title)}</a></li>'
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


QUESTION_CASES.append(question_cases)
CASE_SECTIONS.append(case_self_checks)
PAGE_SOURCES.append(check_pages)
AREA_SECTIONS.append(area_self_check)
HOME_WAYS_IN.append(home_card)


# --- the score command --------------------------------------------------------------------------


def add_score_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "score",
        help="score answers with the site's engine; print the result as JSON",
        description="Score one answers file (JSON) or a CSV batch (one row per enterprise, one column per question "
        "id, optional 'enterprise' column) with the same engine and bytes as the browser.",
    )
    parser.add_argument("check_id", metavar="CHECK_ID")
    parser.add_argument("answers", nargs="?", type=Path, metavar="ANSWERS.json")
    parser.add_argument("--batch", type=Path, metavar="ANSWERS.csv", help="score every row of a CSV file")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="batch output (default jsonl)")
    parser.add_argument("--output", type=Path, help="write batch results to this file instead of standard output")
    parser.set_defaults(run=score_command)


def score_command(args: argparse.Namespace) -> int:
    if (args.answers is None) == (args.batch is None):
        print("give either ANSWERS.json or --batch ANSWERS.csv", file=sys.stderr)
        return 2
    try:
        corpus = load_corpus(args.content, args.schema, Path.cwd())
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    check = corpus.checks.get(args.check_id)
    if check is None:
        print(f"unknown check {args.check_id!r}; known: {', '.join(sorted(corpus.checks))}", file=sys.stderr)
        return 2
    compiled = compile_check(corpus, check)
    if args.batch is not None:
        return score_batch(compiled, args.batch, args.format, args.output)
    try:
        answers = answers_from(json.loads(args.answers.read_text(encoding="utf-8")), check)
    except (OSError, ValueError) as error:
        print(f"{args.answers}: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(scoring.dumps(scoring.score(compiled, answers)) + "\n")
    return 0


def answers_from(data: object, check: Check) -> object:
    """Plain answers (question id → option id), or the site's export file for this check."""
    if isinstance(data, dict) and isinstance(data.get("answers"), dict) and "check" in data:
        if data["check"] != check.id:
            raise ValueError(f"these answers are for check {data['check']!r}, not {check.id!r}")
        return data["answers"]
    return data


def score_batch(compiled: dict, file: Path, output_format: str, output: Path | None) -> int:
    """One result per CSV row; bad rows are reported on standard error by row number and skipped."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        print(f"{file}: {error}", file=sys.stderr)
        return 2
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        print(f"{file}: empty file; the first row must name the question ids", file=sys.stderr)
        return 2
    header = [cell.strip() for cell in rows[0]]
    known = {question["id"] for question in compiled["questions"]}
    unknown = [name for name in header if name not in known and name != "enterprise"]
    if unknown:
        print(f"{file}: row 1: unknown question ids in the header: {', '.join(unknown)}", file=sys.stderr)
        return 2
    results = []
    bad = 0
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            print(f"{file}: row {number}: {len(row)} cells, the header has {len(header)}; row skipped", file=sys.stderr)
            bad += 1
            continue
        cells = dict(zip(header, (cell.strip() for cell in row), strict=True))
        enterprise = cells.pop("enterprise", None)
        result = scoring.score(compiled, {key: value for key, value in cells.items() if value})
        if result["problems"]:
            details = "; ".join(
                f"{problem['question']}={problem['answer']!r}: {problem['message']}" for problem in result["problems"]
            )
            print(f"{file}: row {number}: {details}; row skipped", file=sys.stderr)
            bad += 1
            continue
        results.append((number, enterprise, result))
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if output_format == "jsonl":
            for number, enterprise, result in results:
                stream.write(scoring.dumps({"row": number, "enterprise": enterprise, "result": result}) + "\n")
        else:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(
                ["row", "enterprise", "status", "score", "level", "answered", "applicable", "red_line_failed"]
            )
            for number, enterprise, result in results:
                progress = result["progress"]
                writer.writerow(
                    [
                        number,
                        enterprise or "",
                        result["status"],
                        result["score"],
                        result["level"] or "",
                        progress["answered"],
                        progress["applicable"],
                        str(result["red_line_failed"]).lower(),
                    ]
                )
    finally:
        if output:
            stream.close()
    return 1 if bad else 0
