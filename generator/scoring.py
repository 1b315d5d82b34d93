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


# ---------------------------------------------------------------------------------------------
# The plan across checks
#
# "My plan" (/checks/plan/) gathers every check saved in one browser: each check's latest figures,
# then the actions of every check in one list, red lines first, then weight × shortfall. Each check
# is scored by this engine's own scorer (through _assess_record), so the plan shows exactly what
# the check pages show; nothing here scores differently.

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Cells starting with these run as formulas in spreadsheets (OWASP: CSV injection)."""

CSV_COLUMNS = ("Rank", "Area", "Question", "Clause", "Advice", "Status", "Red line", "Check", "Your answer", "Note")
"""The plan's CSV, one row per action, in the plan's order."""

ITEM_STATUS_WORDS = {"met": "Met", "partly": "Partly met", "not_met": "Not met"}
DATE_NOT_RECORDED = "date not recorded"


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _assess_record(check: dict, record: object) -> dict:
    """The engine's result for one saved record (``{"check", "version", "answers", ...}``).

    The one place the plan calls the per-check scorer: once ``assess(check, record)`` exists,
    this becomes ``return assess(check, record)``."""
    return score(check, record.get("answers", {}) if isinstance(record, dict) else None)


def _is_date(text: object) -> bool:
    """``YYYY-MM-DD`` with a plausible month and day (no calendar: it is only shown)."""
    if not isinstance(text, str) or len(text) != 10 or text[4] != "-" or text[7] != "-":
        return False
    year, month, day = text[:4], text[5:7], text[8:]
    if not (year + month + day).isdigit() or not (year + month + day).isascii():
        return False
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _record_date(record: object) -> tuple[str | None, str | None]:
    """The date of a saved check and where it comes from: its assessment's date, else the day of
    its newest kept assessment (``history``), else ``(None, None)``."""
    if not isinstance(record, dict):
        return None, None
    assessment = record.get("assessment")
    if isinstance(assessment, dict) and _is_date(assessment.get("date")):
        return assessment["date"], "assessment"
    history = record.get("history")
    days = [
        entry["saved"][:10]
        for entry in (history if isinstance(history, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("saved"), str) and _is_date(entry["saved"][:10])
    ]
    return (max(days), "history") if days else (None, None)


MAX_NOTE = 2000
"""Longest note kept, as the record's format allows."""


def _notes(result: dict, record: object) -> dict[str, str]:
    """Question id → note. From the result's ``items`` when the engine reports them; otherwise
    (an engine without notes) from the record's ``notes``, text only, cut to :data:`MAX_NOTE`."""
    if isinstance(result.get("items"), list):
        return {
            item["question"]: item["note"]
            for item in result["items"]
            if isinstance(item, dict) and isinstance(item.get("note"), str) and item["note"]
        }
    notes = record.get("notes") if isinstance(record, dict) else None
    if not isinstance(notes, dict):
        return {}
    return {key: value[:MAX_NOTE] for key, value in notes.items() if isinstance(value, str) and value}


def _item_status(result: dict, question: dict, option: dict) -> str:
    """``partly`` or ``not_met`` for an action: the result's own item status when it has one,
    else ``not_met`` for the question's lowest-points option and ``partly`` for any other."""
    for item in result.get("items") or []:
        if isinstance(item, dict) and item.get("question") == question["id"] and item.get("status"):
            return item["status"]
    points = [choice["points"] for choice in question["options"] if not choice["not_applicable"]]
    return "not_met" if points and option["points"] <= min(points) else "partly"


def _is_compiled_check(check: object) -> bool:
    return (
        isinstance(check, dict)
        and isinstance(check.get("id"), str)
        and isinstance(check.get("version"), int)
        and isinstance(check.get("title"), str)
        and all(isinstance(check.get(key), list) for key in ("areas", "questions", "bands"))
    )


def _plan_order(left: tuple, right: tuple) -> int:
    """Red lines first, then the larger weight × shortfall (exactly), then check and question order."""
    (left_line, (ln, ld), left_place), _ = left
    (right_line, (rn, rd), right_place), _ = right
    if left_line != right_line:
        return -1 if left_line < right_line else 1
    if ln * rd != rn * ld:
        return -1 if ln * rd > rn * ld else 1
    return -1 if left_place < right_place else (1 if left_place > right_place else 0)


def plan(entries: object) -> dict:
    """The plan across checks: ``entries`` is ``[{"check": <compiled check>, "record": <saved
    record>}]``, one per saved check, in the order to show them.

    Returns ``{"engine", "checks", "actions", "problems"}``: per check its figures from the
    engine's result (level and label only once the check is complete, per area only once the
    area is), its date and its address relative to the plan page (``../<id>/``); then every
    action of every check, red lines first, then weight × shortfall, then check and question
    order. Entries that are not a compiled check are left out and reported in ``problems``."""
    checks: list[dict] = []
    ranked: list[tuple] = []
    problems: list[dict] = []
    if not isinstance(entries, list):
        problems.append({"check": None, "message": "the saved checks could not be read (not a list); none shown"})
        entries = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        check = entry.get("check") if isinstance(entry, dict) else None
        if not _is_compiled_check(check):
            problems.append({"check": None, "message": f"entry {index + 1} holds no compiled check; left out"})
            continue
        if check["id"] in seen:
            problems.append({"check": check["id"], "message": "this check was given twice; the first is shown"})
            continue
        seen.add(check["id"])
        record = entry.get("record")
        result = _assess_record(check, record)
        complete = result["status"] == "complete"
        date, date_source = _record_date(record)
        url = f"../{check['id']}/"
        areas = []
        if len(check["areas"]) > 1:
            for area in result["areas"]:
                done = area["answered"] == area["applicable"] and area["level"] is not None
                areas.append(
                    {
                        "id": area["id"],
                        "title": area["title"],
                        "score": area["score"],
                        "level": area["level"] if done else None,
                        "label": area["label"] if done else None,
                        "answered": area["answered"],
                        "applicable": area["applicable"],
                        "red_line_failed": area["red_line_failed"],
                    }
                )
        checks.append(
            {
                "check": check["id"],
                "version": check["version"],
                "title": check["title"],
                "url": url,
                "status": result["status"],
                "progress": result["progress"],
                "score": result["score"],
                "level": result["level"] if complete else None,
                "label": result["label"] if complete else None,
                "red_line_failed": result["red_line_failed"],
                "date": date,
                "date_source": date_source,
                "areas": areas,
                "actions": len(result["recommendations"]),
                "problems": len(result["problems"]),
            }
        )
        questions = {question["id"]: (position, question) for position, question in enumerate(check["questions"])}
        area_titles = {area["id"]: area["title"] for area in check["areas"]}
        notes = _notes(result, record)
        for recommendation in result["recommendations"]:
            position, question = questions[recommendation["question"]]
            option = _option(question, recommendation["answer"])
            points = _ratio(option["points"])
            shortfall = _add(_ratio(question["best"]), (-points[0], points[1]))
            priority = _times(_ratio(question["weight"]), shortfall)
            ranked.append(
                (
                    (not question["red_line"], priority, (len(checks), position)),
                    {
                        "check": check["id"],
                        "check_title": check["title"],
                        "url": url,
                        "area": question["area"],
                        "area_title": area_titles.get(question["area"], question["area"]),
                        "question": question["id"],
                        "text": question["text"],
                        "red_line": question["red_line"],
                        "priority": recommendation["priority"],
                        "status": _item_status(result, question, option),
                        "answer_label": recommendation["answer_label"],
                        "advice_html": recommendation["advice_html"],
                        "clauses": recommendation["clauses"],
                        "note": notes.get(question["id"]),
                    },
                )
            )
    ranked.sort(key=cmp_to_key(_plan_order))
    return {
        "engine": ENGINE_VERSION,
        "checks": checks,
        "actions": [action for _, action in ranked],
        "problems": problems,
    }


def _figures(score: float | None, complete: bool, label: str | None, level: str | None) -> str:
    provisional = "" if complete or score is None else ' <span class="plan-provisional">(provisional)</span>'
    level_text = escape(label) if label else "No level until complete"
    return (
        f'<td data-label="Score"><span data-plan-score>{_number(score)}</span>{provisional}</td>'
        f'<td data-label="Level"><span data-plan-level data-level="{escape(level or "")}">{level_text}</span></td>'
    )


def _check_row(item: dict) -> str:
    progress = item["progress"]
    complete = item["status"] == "complete"
    state = "Complete" if complete else "In progress"
    red_line = (
        '<br><strong class="plan-flag">Red line</strong> failed: the level is the worst whatever the score.'
        if item["red_line_failed"]
        else ""
    )
    ignored = (
        f"<br>{item['problems']} saved answer{'s' if item['problems'] != 1 else ''} ignored; open the check to review."
        if item["problems"]
        else ""
    )
    date = escape(item["date"]) if item["date"] else DATE_NOT_RECORDED
    link = "Review" if complete else "Continue"
    title = escape(item["title"])
    return (
        f'<tr class="plan-check" data-plan-check="{escape(item["check"])}" data-plan-status="{escape(item["status"])}">'
        f'<th scope="row">{title}</th>'
        + _figures(item["score"], complete, item["label"], item["level"])
        + f'<td data-label="Status"><span data-plan-progress>{state}: {progress["answered"]} of '
        f"{progress['applicable']} applicable questions answered</span>{red_line}{ignored}</td>"
        f'<td data-label="Date"><span data-plan-date>{date}</span></td>'
        f'<td><a class="plan-continue" href="{escape(item["url"])}">{link}'
        f'<span class="plan-hidden"> {title}</span></a></td></tr>'
    )


def _area_table(item: dict) -> str:
    """A check across areas, area by area (an area's level once all its applicable questions are answered)."""
    rows = []
    for area in item["areas"]:
        done = area["label"] is not None
        rows.append(
            f'<tr class="plan-area" data-plan-area="{escape(area["id"])}" data-plan-check="{escape(item["check"])}">'
            f'<th scope="row">{escape(area["title"])}</th>'
            + _figures(area["score"], done, area["label"], area["level"])
            + f'<td data-label="Status">{area["answered"]} of {area["applicable"]} answered'
            + (' <strong class="plan-flag">Red line</strong>' if area["red_line_failed"] else "")
            + "</td></tr>"
        )
    check_id = escape(item["check"])
    return (
        f'<h3 id="plan-areas-{check_id}">{escape(item["title"])}, by area</h3>'
        f'<table class="plan-checks plan-areas" data-plan-areas="{check_id}"><thead><tr>'
        '<th scope="col">Area</th><th scope="col">Score</th><th scope="col">Level</th><th scope="col">Status</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _action_html(action: dict) -> str:
    flag = '<strong class="plan-flag">Red line</strong> ' if action["red_line"] else ""
    clauses = ", ".join(
        f'<a class="clause-ref" href="{escape(clause["url"])}">{escape(clause["id"])}</a>'
        for clause in action["clauses"]
    )
    note = ""
    if action["note"]:
        note = f'<p class="plan-action__note"><strong>Your note:</strong> {escape(action["note"])}</p>'
    status = ITEM_STATUS_WORDS.get(action["status"], action["status"])
    return (
        f'<li class="plan-action" data-plan-action="{escape(action["check"])}:{escape(action["question"])}" '
        f'data-plan-red-line="{"true" if action["red_line"] else "false"}" '
        f'data-plan-item-status="{escape(action["status"])}">'
        f'<p class="plan-action__question">{flag}{escape(action["text"])}</p>'
        f'<p class="plan-action__meta">{escape(action["area_title"])} · '
        f'<a href="{escape(action["url"])}">{escape(action["check_title"])}</a> · '
        f"Your answer: {escape(action['answer_label'])} ({escape(status)})</p>"
        f'<div class="plan-action__advice">{action["advice_html"]}</div>{note}'
        + (f'<p class="plan-action__clauses">From the guideline: {clauses}</p>' if clauses else "")
        + "</li>"
    )


def plan_html(plan: dict) -> str:
    """The plan as HTML for the plan page: a table of the checks, then the actions in order.
    Every text is escaped but ``advice_html``, which the generator rendered safely."""
    checks, actions = plan["checks"], plan["actions"]
    if not checks:
        return '<p class="plan-report__empty">No saved self-check answers were found in this browser.</p>'
    red_lines = sum(1 for action in actions if action["red_line"])
    summary = (
        f"{len(checks)} saved check{'s' if len(checks) != 1 else ''}; "
        f"{len(actions)} action{'s' if len(actions) != 1 else ''}"
        + (f", {red_lines} of them on red lines" if red_lines else "")
        + "."
    )
    parts = [
        '<div class="plan-report">',
        f'<p class="plan-report__summary" data-plan-summary>{summary}</p>',
        '<h2 id="plan-checks">Your checks</h2>',
        '<table class="plan-checks"><caption class="plan-hidden">Your checks: latest score, level, status and date'
        "</caption><thead><tr>"
        '<th scope="col">Check</th><th scope="col">Score</th><th scope="col">Level</th>'
        '<th scope="col">Status</th><th scope="col">Date</th><th scope="col"><span class="plan-hidden">Link</span></th>'
        f"</tr></thead><tbody>{''.join(_check_row(item) for item in checks)}</tbody></table>",
        f'<h2 id="plan-actions">What to do next ({len(actions)})</h2>',
    ]
    if actions:
        parts.append(
            '<p class="plan-report__order">Red lines first, then the actions that add most to your score '
            "(the question's weight × the points your answer is short of the best).</p>"
            f'<ol class="plan-actions">{"".join(_action_html(action) for action in actions)}</ol>'
        )
    elif any(item["progress"]["answered"] for item in checks):
        unfinished = any(item["status"] != "complete" for item in checks)
        parts.append(
            '<p class="plan-report__none">No actions so far: every question you answered has the best answer.'
            + (" Finish the checks in progress to complete your plan." if unfinished else "")
            + "</p>"
        )
    else:
        parts.append(
            '<p class="plan-report__none">No actions yet: your saved checks have no answers. '
            "Continue a check to build your plan.</p>"
        )
    with_areas = [item for item in checks if item["areas"]]
    if with_areas:
        parts.append('<h2 id="plan-areas">Scores by area</h2>')
        parts.extend(_area_table(item) for item in with_areas)
    if plan["problems"]:
        items = "".join(f"<li>{escape(problem['message'])}</li>" for problem in plan["problems"])
        parts.append(f'<div class="plan-report__problems"><p>Left out of the plan:</p><ul>{items}</ul></div>')
    parts.append("</div>")
    return "".join(parts)


BLOCK_TAGS = {"p", "li", "br", "ul", "ol", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": " "}


def _unescape(text: str) -> str:
    """Undo the HTML escaping of text (named entities of :data:`ENTITIES` and numeric ones)."""
    out: list[str] = []
    position = 0
    while True:
        start = text.find("&", position)
        end = text.find(";", start) if start >= 0 else -1
        if start < 0 or end < 0 or end - start > 10:
            if start < 0 or end < 0:
                out.append(text[position:])
                return "".join(out)
            out.append(text[position : start + 1])
            position = start + 1
            continue
        out.append(text[position:start])
        name = text[start + 1 : end]
        value = None
        if name.startswith(("#x", "#X")) and name[2:] and all(c in "0123456789abcdefABCDEF" for c in name[2:]):
            value = int(name[2:], 16)
        elif name.startswith("#") and name[1:].isdigit() and name[1:].isascii():
            value = int(name[1:])
        if value is not None and 0 < value <= 0x10FFFF:
            out.append(chr(value))
        elif name in ENTITIES:
            out.append(ENTITIES[name])
        else:
            out.append(text[start : end + 1])
        position = end + 1


def plain_text(html: str) -> str:
    """Safe HTML (the advice) as plain text: tags dropped, one line per paragraph or list item
    (items marked with a bullet), entities undone, runs of spaces made one."""
    lines: list[str] = []
    current: list[str] = []
    position = 0
    while position < len(html):
        start = html.find("<", position)
        if start < 0:
            current.append(html[position:])
            break
        current.append(html[position:start])
        end = html.find(">", start)
        if end < 0:
            break
        name = html[start + 1 : end].strip().lstrip("/").split(" ")[0].split("/")[0].lower()
        if name in BLOCK_TAGS:
            lines.append("".join(current))
            current = ["• "] if name == "li" and html[start + 1] != "/" else []
        position = end + 1
    lines.append("".join(current))
    words = (" ".join(_unescape(line).split()) for line in lines)
    return "\n".join(line for line in words if line and line != "•")


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(spreadsheet_safe(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return '"' + text.replace('"', '""') + '"'


def plan_csv(plan: dict) -> str:
    """The plan's actions as CSV for a spreadsheet, one row per action (:data:`CSV_COLUMNS`):
    a UTF-8 byte order mark first, every cell quoted and neutralised against formulas
    (:func:`spreadsheet_safe`), rows ended by CRLF."""
    rows = [CSV_COLUMNS]
    for rank, action in enumerate(plan["actions"], start=1):
        clauses = "\n".join(f"{clause['id']}: {clause['text']}" for clause in action["clauses"])
        rows.append(
            (
                rank,
                action["area_title"],
                action["text"],
                clauses,
                plain_text(action["advice_html"]),
                ITEM_STATUS_WORDS.get(action["status"], action["status"]),
                "yes" if action["red_line"] else "no",
                action["check_title"],
                action["answer_label"],
                action["note"] or "",
            )
        )
    return "\ufeff" + "".join(",".join(_csv_cell(cell) for cell in row) + "\r\n" for row in rows)


def browser_plan(entries_json: str) -> dict:
    """The plan page's worker call: ``entries_json`` is the JSON text of :func:`plan`'s entries;
    returns ``{"plan", "html", "csv"}``. Text that is not JSON gives an empty plan saying so."""
    try:
        entries = json.loads(entries_json)
    except (TypeError, ValueError, RecursionError):
        entries = None
    result = plan(entries)
    return {"plan": result, "html": plan_html(result), "csv": plan_csv(result)}
