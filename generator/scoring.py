"""The self-check scoring engine: the only scorer, run by CPython (CLI, tests) and Pyodide (browser).

Standard library only and imports nothing from the generator package, so the site ships this
file as is and the browser's worker imports it. Input is a *compiled check* (a plain dict the
generator makes from the content, see ``generator.checks.compile_check``) and the answers
(question id → option id); output is a JSON-serialisable dict. :func:`dumps` is the one way
results become text, so CPython (the CLI) and Pyodide (the browser) give the same bytes.

Entry points:

- ``score(check, answers) -> dict`` and ``dumps(result) -> str``: the CLI and the tests.
- ``report_html(check, result) -> str``: the result panel the check page shows.
- ``browser_load(check_json) -> str`` then ``browser_score(check_id, answers_json) -> dict``:
  the browser's worker loads each check once (it stays loaded by id, several at a time), then
  scores every change of answers against it, getting ``{"result": <score()>, "html": <report>}``,
  which the worker hands to the page as a structured value.

Rules:

- A question counts when it is shown (its ``show_if`` holds) and its answer is not a
  not-applicable option. Hidden and N/A questions leave the denominator.
- score = 100 × Σ weight × points / Σ weight × best points over the answered questions that
  count, rounded half up to one decimal; ``None`` until one such question is answered.
- Shown questions without an answer make the result ``incomplete``; the score is then
  provisional, and ``progress`` says how many of the applicable questions are answered.
- A red-line question answered with anything but its best option forces the level of its area
  and of the whole check to the worst band, whatever the score.
- Recommendations list every answered question whose answer is not the best: red lines first,
  then by weight × shortfall (best points − points), then in question order.
- Answers to unknown questions, unknown option ids and malformed answers are reported in
  ``problems`` and otherwise ignored; they never raise.
"""

from __future__ import annotations

import json
from functools import cmp_to_key

ENGINE_VERSION = 1


def dumps(value: object) -> str:
    """The canonical JSON text of a result (or any engine value): sorted keys, UTF-8, compact."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# Exact arithmetic on (numerator, denominator) pairs: cheaper to import in Pyodide than
# ``fractions`` (which pulls in ``decimal``), and the same on every Python.
Ratio = tuple[int, int]


def _ratio(value: float) -> Ratio:
    return value.as_integer_ratio() if isinstance(value, float) else (int(value), 1)


def _reduced(numerator: int, denominator: int) -> Ratio:
    divisor = _gcd(numerator, denominator) or 1
    return numerator // divisor, denominator // divisor


def _gcd(a: int, b: int) -> int:
    a, b = abs(a), abs(b)
    while b:
        a, b = b, a % b
    return a


def _add(a: Ratio, b: Ratio) -> Ratio:
    return _reduced(a[0] * b[1] + b[0] * a[1], a[1] * b[1])


def _times(a: Ratio, b: Ratio) -> Ratio:
    return _reduced(a[0] * b[0], a[1] * b[1])


def _round(value: Ratio) -> float:
    """One decimal, half up, computed exactly so CPython and Pyodide agree to the byte (values are >= 0)."""
    numerator, denominator = value
    return ((20 * numerator + denominator) // (2 * denominator)) / 10


def escape(text: str) -> str:
    """The same as ``html.escape(text, quote=True)``, without importing ``html``'s entity tables."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def _band(bands: list[dict], score: float | None) -> dict | None:
    if score is None:
        return None
    for band in bands:
        if band["min"] <= score < band["max"] or (score == band["max"] == 100):
            return band
    return None


def _worst(bands: list[dict]) -> dict:
    return min(bands, key=lambda band: band["min"])


def _level(bands: list[dict], score: float | None, red_line_failed: bool) -> dict:
    band = _worst(bands) if red_line_failed else _band(bands, score)
    if band is None:
        return {"level": None, "label": None, "summary": None}
    return {"level": band["level"], "label": band["label"], "summary": band["summary"]}


def _clean_answers(check: dict, answers: object) -> tuple[dict[str, str], list[dict]]:
    """Keep the answers that name a known question and one of its options; report the rest."""
    problems: list[dict] = []
    if not isinstance(answers, dict):
        return {}, [
            {"question": None, "answer": None, "message": "answers must be a mapping of question id to option id"}
        ]
    questions = {question["id"]: question for question in check["questions"]}
    clean: dict[str, str] = {}
    for key in sorted(answers, key=str):
        value = answers[key]
        question = questions.get(key)
        if question is None:
            problems.append(
                {"question": str(key), "answer": _text(value), "message": "no such question in this check; ignored"}
            )
        elif value is None or value == "":
            continue
        elif not isinstance(value, str) or value not in {option["id"] for option in question["options"]}:
            problems.append(
                {"question": key, "answer": _text(value), "message": "not an option of this question; ignored"}
            )
        else:
            clean[key] = value
    return clean, problems


NOT_SHOWN = "(not shown: nested too deeply)"
"""A bad answer's text in ``problems`` when it is too deep to write out (never a RecursionError)."""


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    except RecursionError:
        return NOT_SHOWN


def _tally(questions: list[dict], answers: dict[str, str], shown: set[str]) -> dict:
    earned: Ratio = (0, 1)
    possible: Ratio = (0, 1)
    answered = applicable = 0
    red_line_failed = False
    for question in questions:
        if question["id"] not in shown:
            continue
        option = _option(question, answers.get(question["id"]))
        if option is not None and option["not_applicable"]:
            continue
        applicable += 1
        if option is None:
            continue
        answered += 1
        weight = _ratio(question["weight"])
        earned = _add(earned, _times(weight, _ratio(option["points"])))
        possible = _add(possible, _times(weight, _ratio(question["best"])))
        if question["red_line"] and option["points"] < question["best"]:
            red_line_failed = True
    score = _round(_reduced(100 * earned[0] * possible[1], earned[1] * possible[0])) if possible[0] else None
    return {"score": score, "answered": answered, "applicable": applicable, "red_line_failed": red_line_failed}


def _option(question: dict, option_id: str | None) -> dict | None:
    return next((option for option in question["options"] if option["id"] == option_id), None)


def _shown(check: dict, answers: dict[str, str]) -> set[str]:
    """Questions whose ``show_if`` holds; a condition on a hidden question does not hold."""
    shown: set[str] = set()
    for question in check["questions"]:
        condition = question["show_if"]
        if condition is None or (
            condition["question"] in shown and answers.get(condition["question"]) in condition["answer_in"]
        ):
            shown.add(question["id"])
    return shown


def _recommendation_order(left: tuple, right: tuple) -> int:
    """Red lines first, then the larger weight × shortfall (compared exactly), then question order."""
    (left_line, (ln, ld), left_position), _ = left
    (right_line, (rn, rd), right_position), _ = right
    if left_line != right_line:
        return -1 if left_line < right_line else 1
    if ln * rd != rn * ld:
        return -1 if ln * rd > rn * ld else 1
    return left_position - right_position


def score(check: dict, answers: dict) -> dict:
    """Score ``answers`` (question id → option id) against a compiled ``check``."""
    clean, problems = _clean_answers(check, answers)
    shown = _shown(check, clean)
    questions = check["questions"]
    overall = _tally(questions, clean, shown)
    areas = []
    for area in check["areas"]:
        tally = _tally([question for question in questions if question["area"] == area["id"]], clean, shown)
        areas.append(
            {
                "id": area["id"],
                "title": area["title"],
                **tally,
                **_level(check["bands"], tally["score"], tally["red_line_failed"]),
            }
        )
    recommendations = []
    for position, question in enumerate(questions):
        option = _option(question, clean.get(question["id"]))
        if question["id"] not in shown or option is None or option["not_applicable"]:
            continue
        best, points = _ratio(question["best"]), _ratio(option["points"])
        shortfall = _add(best, (-points[0], points[1]))
        if shortfall[0] <= 0:
            continue
        priority = _times(_ratio(question["weight"]), shortfall)
        recommendations.append(
            (
                (not question["red_line"], priority, position),
                {
                    "question": question["id"],
                    "text": question["text"],
                    "area": question["area"],
                    "answer": option["id"],
                    "answer_label": option["label"],
                    "red_line": question["red_line"],
                    "priority": _round(priority),
                    "advice_html": question["advice_html"],
                    "clauses": question["clauses"],
                    "cases": question.get("cases", []),
                },
            )
        )
    recommendations.sort(key=cmp_to_key(_recommendation_order))
    unanswered = [question["id"] for question in questions if question["id"] in shown and question["id"] not in clean]
    return {
        "engine": ENGINE_VERSION,
        "check": check["id"],
        "version": check["version"],
        "status": "incomplete" if unanswered else "complete",
        "progress": {"answered": overall["answered"], "applicable": overall["applicable"]},
        "score": overall["score"],
        "red_line_failed": overall["red_line_failed"],
        **_level(check["bands"], overall["score"], overall["red_line_failed"]),
        "areas": areas,
        "recommendations": [item for _, item in recommendations],
        "unanswered": unanswered,
        "hidden": [question["id"] for question in questions if question["id"] not in shown],
        "problems": problems,
    }


# ---------------------------------------------------------------------------------------------
# The result as HTML and the per-area chart as SVG, made here so the browser's JS stays thin.
# Every text from the check is escaped, except ``advice_html``, which the generator rendered
# safely from the content's Markdown subset.


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def report_html(check: dict, result: dict) -> str:
    """The result panel: status, score, level, per-area chart (for checks across areas) and actions."""
    progress = result["progress"]
    parts = ['<div class="check-report">']
    if result["status"] == "incomplete":
        parts.append(
            f'<p class="check-report__status" data-result-status="incomplete">Provisional result: '
            f"{progress['answered']} of {progress['applicable']} applicable questions answered.</p>"
        )
    else:
        parts.append(
            f'<p class="check-report__status" data-result-status="complete">All {progress["applicable"]} '
            "applicable questions answered.</p>"
        )
    level = escape(result["level"] or "")
    parts.append(
        '<p class="check-report__headline">'
        '<span class="check-report__score">Score '
        f"<strong data-result-score>{_number(result['score'])}</strong> / 100</span> "
        f'<span class="check-report__level" data-level="{level}">Level: '
        f"<strong>{escape(result['label'] or 'not yet known')}</strong> "
        f"(<code data-result-level>{level}</code>)</span></p>"
    )
    if result["summary"]:
        parts.append(f'<p class="check-report__summary">{escape(result["summary"])}</p>')
    if result["red_line_failed"]:
        parts.append(
            '<p class="check-report__red-line"><strong>Red line:</strong> at least one answer marked as a red line '
            "is not the best one, so the level is the worst whatever the score.</p>"
        )
    if len(check["areas"]) > 1:
        parts.append(chart_svg(check, result))
    parts.append(_recommendations_html(result))
    if result["problems"]:
        items = "".join(
            f"<li><code>{escape(str(problem['question']))}</code>: {escape(problem['message'])}</li>"
            for problem in result["problems"]
        )
        parts.append(
            f'<div class="check-report__problems"><p>Some saved answers were ignored:</p><ul>{items}</ul></div>'
        )
    parts.append("</div>")
    return "".join(parts)


def _recommendations_html(result: dict) -> str:
    recommendations = result["recommendations"]
    if not recommendations:
        return '<p class="check-report__none">No recommendations: every answered question has the best answer.</p>'
    items = []
    for item in recommendations:
        clauses = "".join(
            f'<li><a class="clause-ref" href="{escape(clause["url"])}">{escape(clause["id"])}</a>: '
            f"<q>{escape(clause['text'])}</q></li>"
            for clause in item["clauses"]
        )
        cases = "".join(
            f'<li><a href="{escape(case["url"])}">{escape(case["title"])}</a></li>' for case in item["cases"]
        )
        flag = '<strong class="check-rec__flag">Red line</strong> ' if item["red_line"] else ""
        items.append(
            f'<li class="check-rec" data-recommendation="{escape(item["question"])}">'
            f'<p class="check-rec__question">{flag}{escape(item["text"])} '
            f'<span class="check-rec__answer">Your answer: {escape(item["answer_label"])}.</span></p>'
            f'<div class="check-rec__advice">{item["advice_html"]}</div>'
            f'<p class="check-rec__clauses-label">From the guideline:</p><ul class="check-rec__clauses">{clauses}</ul>'
            + (f'<p>Cases:</p><ul class="check-rec__cases">{cases}</ul>' if cases else "")
            + "</li>"
        )
    return (
        f'<h3 class="check-report__title">What to do next ({len(items)})</h3>'
        f'<ol class="check-report__recommendations">{"".join(items)}</ol>'
    )


PATTERNS = ("solid", "dots", "hatch")
"""Bar fills from the best band to the worst, so levels differ without colour."""


def chart_svg(check: dict, result: dict) -> str:
    """Every area's score as a horizontal bar, labelled with its title, score and level in text."""
    areas = result["areas"]
    row, label_width, bar_width, top = 34, 250, 300, 28
    height = top + row * len(areas) + 8
    width = label_width + bar_width + 150
    ranked = sorted(check["bands"], key=lambda band: -band["min"])
    patterns = {band["level"]: PATTERNS[min(rank, len(PATTERNS) - 1)] for rank, band in enumerate(ranked)}
    names = {"solid": "solid", "dots": "dots", "hatch": "stripes"}
    key = ", ".join(f"{names[patterns[band['level']]]} = {band['label']}" for band in ranked)
    rows = []
    for index, area in enumerate(areas):
        y = top + index * row
        value = area["score"]
        length = 0 if value is None else round(bar_width * value / 100, 1)
        words = "not answered yet" if value is None else f"{value:.1f} · {area['label']}"
        if area["red_line_failed"]:
            words += " (red line)"
        rows.append(
            f'<g class="chart-row" data-area="{escape(area["id"])}" data-level="{escape(area["level"] or "")}">'
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end">{escape(area["title"])}</text>'
            f'<rect class="chart-track" x="{label_width}" y="{y + 4}" width="{bar_width}" height="18"/>'
            f'<rect class="chart-bar" x="{label_width}" y="{y + 4}" width="{length}" height="18" '
            f'fill="url(#chart-{patterns.get(area["level"], PATTERNS[-1])})"/>'
            f'<text x="{label_width + bar_width + 8}" y="{y + 17}">{escape(words)}</text></g>'
        )
    axis = "".join(
        f'<text class="chart-axis" x="{label_width + bar_width * tick / 100}" y="16" text-anchor="middle">{tick}</text>'
        for tick in (0, 50, 100)
    )
    return (
        f'<figure class="check-chart"><svg role="img" aria-labelledby="check-chart-title" '
        f'viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">'
        '<title id="check-chart-title">Score by area, 0 to 100</title>'
        "<defs>"
        '<pattern id="chart-solid" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="currentColor"/></pattern>'
        '<pattern id="chart-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<circle cx="3" cy="3" r="1.6" fill="currentColor"/></pattern>'
        '<pattern id="chart-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="2.5" height="6" fill="currentColor"/></pattern>'
        "</defs>"
        f"{axis}{''.join(rows)}</svg>"
        f"<figcaption>Score by area (0–100). Bar fill: {escape(key)}; "
        "the numbers and levels are written beside each bar.</figcaption></figure>"
    )


# ---------------------------------------------------------------------------------------------
# The browser's worker (site_overrides/assets/javascripts/selfcheck-worker.js): a check is loaded
# once, then every change of answers is scored against it by id.

_LOADED: dict[str, dict] = {}
"""Compiled checks loaded in this interpreter, by id: one per check page visited in the tab."""


def browser_load(check_json: str) -> str:
    """Keep the compiled check (JSON text) for :func:`browser_score`; returns its id.

    Loading a check whose id and version are already loaded keeps the one loaded (a no-op but
    for parsing the text); another version of it replaces it."""
    check = json.loads(check_json)
    loaded = _LOADED.get(check["id"])
    if loaded is None or loaded["version"] != check["version"]:
        _LOADED[check["id"]] = check
    return check["id"]


def browser_score(check_id: str, answers_json: str) -> dict:
    """Score answers (JSON text, as the CLI reads them) against a loaded check:
    ``{"result": score(...), "html": report_html(...)}``. Answers that are not JSON, or not a
    mapping, are reported in the result's ``problems`` like any other bad answer; a check that
    was not loaded raises :class:`LookupError`."""
    check = _LOADED.get(check_id)
    if check is None:
        raise LookupError(f"the check {check_id!r} is not loaded; load it with browser_load first")
    try:
        answers = json.loads(answers_json)
    except (TypeError, ValueError, RecursionError):
        answers = None
    result = score(check, answers)
    return {"result": result, "html": report_html(check, result)}
