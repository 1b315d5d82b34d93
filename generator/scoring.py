"""The self-check scoring engine: the only scorer, run by CPython (CLI, tests) and Pyodide (browser).

Standard library only and imports nothing from the generator package, so the site ships this
file as is and the browser's worker imports it. Input is a *compiled check* (a plain dict the
generator makes from the content, see ``generator.compiled_check.compile_check``) and a *record*:
the answers (question id → option id) with what the page keeps beside them (notes, review flags,
the assessment's details, earlier assessments). Output is a JSON-serialisable dict. :func:`dumps`
is the one way results become text, so CPython (the CLI) and Pyodide (the browser) give the same
bytes.

Entry points:

- ``assess(check, record) -> dict``: the one scorer. ``score(check, answers)`` is
  ``assess(check, {"answers": answers})``, and ``dumps(result) -> str`` its text.
- ``report_html(check, result) -> str``: the result panel the check page shows and prints.
- ``browser_load(check_json) -> str`` then ``browser_score(check_id, record_json) -> dict``:
  the browser's worker loads each check once (it stays loaded by id, several at a time), then
  scores every change of the record against it, getting ``{"result": <assess()>, "html": <report>}``,
  which the worker hands to the page as a structured value.

Rules:

- A question counts when it is shown (its ``show_if`` holds) and its answer is not a
  not-applicable option. Hidden and N/A questions leave the denominator. A question offers only
  the options in its ``options``: one whose content says ``not_applicable: false`` has no N/A
  option, so an N/A answer to it is "not an option of this question" and it stays unanswered.
- score = 100 × Σ weight × points / Σ weight × best points over the answered questions that
  count, rounded half up to one decimal; ``None`` until one such question is answered.
- Shown questions without an answer make the result ``incomplete``; the score is then
  provisional, ``progress`` says how many of the applicable questions are answered, and there is
  no level (overall, or for an area with unanswered questions) until every one is answered.
- A red-line question answered with anything but its best option forces the level of its area
  and of the whole check to the worst band, whatever the score.
- Recommendations list every answered question whose answer is not the best: red lines first,
  then by weight × shortfall (best points − points), then in question order.
- A gate question (``scored: false``) is answered like any other and steers ``show_if``, and it
  counts in ``progress`` (a shown gate without an answer leaves the check incomplete), but never
  in the score, the recommendations or red lines; its status is ``answered``.
- ``show_if`` is ``{question, answer_in}`` or ``{all: [...]}``, ``{any: [...]}``, ``{not: ...}``
  of such conditions; an unanswered or hidden question's answer is in no ``answer_in``.
- Every field of the record is checked. Unknown questions, unknown option ids and malformed
  values are reported in ``problems`` and otherwise ignored; they never raise.
"""

from __future__ import annotations

import json
import re
from functools import cmp_to_key

ENGINE_VERSION = 3


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


NO_LEVEL = {"level": None, "label": None, "summary": None}


def _level(bands: list[dict], tally: dict) -> dict:
    """The band of a complete tally (the worst if a red line failed); no level while incomplete."""
    if tally["unanswered"]:
        return NO_LEVEL
    band = _worst(bands) if tally["red_line_failed"] else _band(bands, tally["score"])
    if band is None:
        return NO_LEVEL
    return {"level": band["level"], "label": band["label"], "summary": band["summary"]}


# ---------------------------------------------------------------------------------------------
# The record: every field checked; what is wrong is reported in ``problems``, never raised.

RECORD_KEYS = ("check", "version", "exported", "answers", "notes", "review", "assessment", "history")
"""The record's fields. A mapping with none of them is a bare answers mapping (today's form)."""
MAX_NOTE = 2000
"""The longest note kept, in characters; a longer one is cut and reported."""
MAX_DETAIL = 200
"""The longest organisation or assessor name kept, in characters."""
MAX_HISTORY = 20
"""Earlier assessments kept by the page; a longer history is read from its newest entries."""
MAX_SHOWN = 200
"""The longest bad value written out in ``problems``, in characters."""
ASSESSMENT_FIELDS = ("organisation", "assessor", "date")
NOT_SHOWN = "(not shown: nested too deeply)"
"""A bad answer's text in ``problems`` when it is too deep to write out (never a RecursionError)."""
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})")


def as_record(data: object) -> object:
    """A bare answers mapping (question id → option id, the form saved and sent before records) as
    the record ``{"answers": data}``; anything else unchanged, for :func:`assess` to check."""
    if isinstance(data, dict) and not any(key in data for key in RECORD_KEYS):
        return {"answers": data}
    return data


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        except RecursionError:
            return NOT_SHOWN
        except (TypeError, ValueError):  # not from JSON: a Python caller's set, mixed keys, a cycle
            text = type(value).__name__
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def _words(check: dict, key: str, /, **values: str) -> str:
    """The report text ``key`` of the compiled check as plain text, placeholders filled: the words of
    ``problems`` messages (escaped, like any text, where the report shows them)."""
    return check["texts"][key].format_map(values)


def _problem(field: str, question: object, value: object, message: str) -> dict:
    return {
        "field": field,
        "question": None if question is None else str(question),
        "answer": _text(value),
        "message": message,
    }


def _valid_date(match: re.Match | None) -> bool:
    if match is None:
        return False
    year, month, day = (int(part) for part in match.group(1, 2, 3))
    if not 1 <= month <= 12 or year < 1:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return 1 <= day <= days


def _is_timestamp(value: object) -> bool:
    return isinstance(value, str) and _valid_date(_TIMESTAMP.fullmatch(value))


def _clean_answers(check: dict, answers: object, field: str = "answers") -> tuple[dict[str, str], list[dict]]:
    """Keep the answers that name a known question and one of its options; report the rest."""
    problems: list[dict] = []
    if not isinstance(answers, dict):
        return {}, [_problem(field, None, None, _words(check, "problem_answers_not_mapping"))]
    questions = {question["id"]: question for question in check["questions"]}
    clean: dict[str, str] = {}
    for key in sorted(answers, key=str):
        value = answers[key]
        question = questions.get(key)
        if question is None:
            problems.append(_problem(field, key, value, _words(check, "problem_unknown_question_ignored")))
        elif value is None or value == "":
            continue
        elif not isinstance(value, str) or value not in {option["id"] for option in question["options"]}:
            problems.append(_problem(field, key, value, _words(check, "problem_not_an_option")))
        else:
            clean[key] = value
    return clean, problems


def _clean_identity(check: dict, record: dict, problems: list[dict]) -> None:
    if "check" in record and record["check"] != check["id"]:
        problems.append(
            _problem("check", None, record["check"], _words(check, "problem_other_check", check=check["id"]))
        )
    if "version" in record:
        version = record["version"]
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            problems.append(_problem("version", None, version, _words(check, "problem_version_not_number")))
        elif version != check["version"]:
            problems.append(
                _problem(
                    "version",
                    None,
                    version,
                    _words(check, "problem_other_version", version=str(version), current=str(check["version"])),
                )
            )
    if "exported" in record and record["exported"] is not None and not _is_timestamp(record["exported"]):
        problems.append(_problem("exported", None, record["exported"], _words(check, "problem_exported")))


def _clean_notes(check: dict, notes: object, problems: list[dict]) -> dict[str, str]:
    if notes is None:
        return {}
    if not isinstance(notes, dict):
        problems.append(_problem("notes", None, notes, _words(check, "problem_notes_not_mapping")))
        return {}
    known = {question["id"] for question in check["questions"]}
    clean: dict[str, str] = {}
    for key in sorted(notes, key=str):
        value = notes[key]
        if key not in known:
            problems.append(_problem("notes", key, value, _words(check, "problem_note_unknown_question")))
        elif value is None or (isinstance(value, str) and not value.strip()):
            continue
        elif not isinstance(value, str):
            problems.append(_problem("notes", key, value, _words(check, "problem_note_not_text")))
        else:
            if len(value) > MAX_NOTE:
                problems.append(_problem("notes", key, None, _words(check, "problem_note_too_long", max=str(MAX_NOTE))))
                value = value[:MAX_NOTE]
            clean[key] = value
    return clean


def _clean_review(check: dict, review: object, problems: list[dict]) -> set[str]:
    if review is None:
        return set()
    if not isinstance(review, list):
        problems.append(_problem("review", None, review, _words(check, "problem_review_not_list")))
        return set()
    known = {question["id"] for question in check["questions"]}
    clean: set[str] = set()
    for value in review:
        if isinstance(value, str) and value in known:
            clean.add(value)
        else:
            problems.append(_problem("review", None, value, _words(check, "problem_review_unknown_question")))
    return clean


def _clean_assessment(check: dict, assessment: object, problems: list[dict]) -> dict | None:
    if assessment is None:
        return None
    if not isinstance(assessment, dict):
        problems.append(_problem("assessment", None, assessment, _words(check, "problem_assessment_not_mapping")))
        return None
    for key in sorted(assessment, key=str):
        if key not in ASSESSMENT_FIELDS:
            problems.append(
                _problem(
                    "assessment",
                    None,
                    assessment[key],
                    _words(check, "problem_unknown_detail", detail=repr(str(key)[:MAX_SHOWN])),
                )
            )
    clean: dict[str, str | None] = {}
    for key in ASSESSMENT_FIELDS:
        value = assessment.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            clean[key] = None
        elif not isinstance(value, str):
            problems.append(
                _problem(
                    "assessment",
                    None,
                    value,
                    _words(check, "problem_detail_not_text", detail=_words(check, f"detail_{key}")),
                )
            )
            clean[key] = None
        elif key == "date" and not _valid_date(_DATE.fullmatch(value)):
            problems.append(_problem("assessment", None, value, _words(check, "problem_date")))
            clean[key] = None
        else:
            if len(value) > MAX_DETAIL:
                problems.append(
                    _problem(
                        "assessment",
                        None,
                        None,
                        _words(
                            check, "problem_detail_too_long", detail=_words(check, f"detail_{key}"), max=str(MAX_DETAIL)
                        ),
                    )
                )
                value = value[:MAX_DETAIL]
            clean[key] = value
    return clean if any(value is not None for value in clean.values()) else None


def _newest_history(check: dict, history: object, problems: list[dict]) -> dict | None:
    """The newest well-formed earlier assessment (``history`` is oldest first), or None."""
    if history is None:
        return None
    if not isinstance(history, list):
        problems.append(_problem("history", None, history, _words(check, "problem_history_not_list")))
        return None
    if len(history) > MAX_HISTORY:
        problems.append(
            _problem(
                "history",
                None,
                None,
                _words(check, "problem_history_too_long", count=str(len(history)), max=str(MAX_HISTORY)),
            )
        )
    newest = None
    for entry in history[-MAX_HISTORY:]:
        if not isinstance(entry, dict) or not isinstance(entry.get("answers"), dict):
            problems.append(_problem("history", None, entry, _words(check, "problem_history_no_answers")))
        elif not _is_timestamp(entry.get("saved")):
            problems.append(
                _problem(
                    "history",
                    None,
                    entry.get("saved"),
                    _words(check, "problem_history_no_date"),
                )
            )
        else:
            newest = entry
    return newest


# ---------------------------------------------------------------------------------------------
# Scoring


def _option(question: dict, option_id: str | None) -> dict | None:
    return next((option for option in question["options"] if option["id"] == option_id), None)


def _holds(condition: dict, shown: set[str], answers: dict[str, str]) -> bool:
    """Whether a ``show_if`` condition holds: ``{question, answer_in}`` when that (earlier) question
    is shown and its answer is one of ``answer_in``; ``{all: [...]}``, ``{any: [...]}`` and
    ``{not: ...}`` as their words say (an unanswered or hidden question's answer is in no list)."""
    if "all" in condition:
        return all(_holds(part, shown, answers) for part in condition["all"])
    if "any" in condition:
        return any(_holds(part, shown, answers) for part in condition["any"])
    if "not" in condition:
        return not _holds(condition["not"], shown, answers)
    return condition["question"] in shown and answers.get(condition["question"]) in condition["answer_in"]


def _shown(check: dict, answers: dict[str, str]) -> set[str]:
    """Questions whose ``show_if`` holds; a condition on a hidden question does not hold."""
    shown: set[str] = set()
    for question in check["questions"]:
        condition = question["show_if"]
        if condition is None or _holds(condition, shown, answers):
            shown.add(question["id"])
    return shown


def _scored(question: dict) -> bool:
    """False for a gate question: answered and steering ``show_if``, never in the score."""
    return question.get("scored", True)


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
        if not _scored(question):
            continue
        weight = _ratio(question["weight"])
        earned = _add(earned, _times(weight, _ratio(option["points"])))
        possible = _add(possible, _times(weight, _ratio(question["best"])))
        if question["red_line"] and option["points"] < question["best"]:
            red_line_failed = True
    score = _round(_reduced(100 * earned[0] * possible[1], earned[1] * possible[0])) if possible[0] else None
    return {
        "score": score,
        "answered": answered,
        "applicable": applicable,
        "unanswered": applicable - answered,
        "red_line_failed": red_line_failed,
    }


def _status(question: dict, option: dict | None) -> str:
    """met (best points), partly, not_met (the question's lowest points), not_applicable, unanswered,
    or answered (a gate question's answer, which is neither good nor bad)."""
    if option is None:
        return "unanswered"
    if option["not_applicable"]:
        return "not_applicable"
    if not _scored(question):
        return "answered"
    if option["points"] >= question["best"]:
        return "met"
    lowest = min(other["points"] for other in question["options"] if not other["not_applicable"])
    return "not_met" if option["points"] <= lowest else "partly"


def _recommendation_order(left: tuple, right: tuple) -> int:
    """Red lines first, then the larger weight × shortfall (compared exactly), then position: the
    question's place in its check, or (for the plan) the check's place and then the question's."""
    (left_line, (ln, ld), left_position), _ = left
    (right_line, (rn, rd), right_position), _ = right
    if left_line != right_line:
        return -1 if left_line < right_line else 1
    if ln * rd != rn * ld:
        return -1 if ln * rd > rn * ld else 1
    return (left_position > right_position) - (left_position < right_position)


def _evaluate(check: dict, answers: dict[str, str]) -> dict:
    """The figures of clean answers: score, level, areas, recommendations, items."""
    shown = _shown(check, answers)
    questions = check["questions"]
    overall = _tally(questions, answers, shown)
    areas = []
    for area in check["areas"]:
        tally = _tally([question for question in questions if question["area"] == area["id"]], answers, shown)
        areas.append(
            {
                "id": area["id"],
                "title": area["title"],
                "check_url": area.get("check_url"),
                "status": "incomplete" if tally["unanswered"] else "complete",
                "score": tally["score"],
                "answered": tally["answered"],
                "applicable": tally["applicable"],
                "red_line_failed": tally["red_line_failed"],
                **_level(check["bands"], tally),
            }
        )
    recommendations = []
    for position, question in enumerate(questions):
        option = _option(question, answers.get(question["id"]))
        if question["id"] not in shown or option is None or option["not_applicable"] or not _scored(question):
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
    return {
        "shown": shown,
        "overall": overall,
        "areas": areas,
        "recommendations": [item for _, item in recommendations],
    }


def _comparison(check: dict, now: dict, answers_now: dict[str, str], entry: dict, problems: list[dict]) -> dict:
    """The newest earlier assessment against now, its answers re-scored by this engine."""
    answers, found = _clean_answers(check, entry["answers"], "history")
    for problem in found:
        problem["message"] = _words(check, "problem_in_history", saved=entry["saved"], message=problem["message"])
    problems.extend(found)
    before = _evaluate(check, answers)
    before_areas = {area["id"]: area for area in before["areas"]}
    then = [item["question"] for item in before["recommendations"]]
    current = [item["question"] for item in now["recommendations"]]
    # Done: recommended then, and now answered without a shortfall (best, or not applicable).
    done = [qid for qid in then if qid not in current and qid in now["shown"] and qid in answers_now]
    return {
        "saved": entry["saved"],
        "score_before": before["overall"]["score"],
        "score_after": now["overall"]["score"],
        "areas": [
            {
                "id": area["id"],
                "title": area["title"],
                "before": before_areas[area["id"]]["score"],
                "after": area["score"],
            }
            for area in now["areas"]
        ],
        "done": done,
        "new": [qid for qid in current if qid not in then],
    }


def assess(check: dict, record: object) -> dict:
    """Score a record (``{"answers", "notes", "review", "assessment", "history", …}``) against a
    compiled ``check``. Never raises on the record: what cannot be used is listed in ``problems``."""
    problems: list[dict] = []
    if not isinstance(record, dict):
        problems.append(
            _problem(
                "record",
                None,
                None,
                _words(check, "problem_record_not_mapping"),
            )
        )
        record = {}
        answers: dict[str, str] = {}
    else:
        _clean_identity(check, record, problems)
        answers, found = _clean_answers(check, record.get("answers"))
        problems.extend(found)
    notes = _clean_notes(check, record.get("notes"), problems)
    review = _clean_review(check, record.get("review"), problems)
    assessment = _clean_assessment(check, record.get("assessment"), problems)
    newest = _newest_history(check, record.get("history"), problems)
    now = _evaluate(check, answers)
    overall = now["overall"]
    questions = check["questions"]
    items = []
    for question in questions:
        if question["id"] not in now["shown"]:
            continue
        option = _option(question, answers.get(question["id"]))
        items.append(
            {
                "question": question["id"],
                "area": question["area"],
                "text": question["text"],
                "red_line": question["red_line"],
                "status": _status(question, option),
                "answer": option["id"] if option else None,
                "answer_label": option["label"] if option else None,
                "note": notes.get(question["id"]),
                "review": question["id"] in review,
            }
        )
    comparison = _comparison(check, now, answers, newest, problems) if newest is not None else None
    return {
        "engine": ENGINE_VERSION,
        "check": check["id"],
        "version": check["version"],
        "status": "incomplete" if overall["unanswered"] else "complete",
        "progress": {"answered": overall["answered"], "applicable": overall["applicable"]},
        "score": overall["score"],
        "red_line_failed": overall["red_line_failed"],
        **_level(check["bands"], overall),
        "areas": now["areas"],
        "recommendations": now["recommendations"],
        "items": items,
        "notes": {qid: notes[qid] for qid in sorted(notes)},
        "review": [question["id"] for question in questions if question["id"] in review],
        "assessment": assessment,
        "comparison": comparison,
        "unanswered": [item["question"] for item in items if item["status"] == "unanswered"],
        "hidden": [question["id"] for question in questions if question["id"] not in now["shown"]],
        "problems": problems,
    }


def score(check: dict, answers: object) -> dict:
    """Score bare ``answers`` (question id → option id): ``assess(check, {"answers": answers})``."""
    return assess(check, {"answers": answers})


# ---------------------------------------------------------------------------------------------
# The result as HTML, made here so the browser's JS stays thin. Summary first (score, level,
# status, date, the assessment's details, the top actions), then the actions with their clauses,
# then the answers with their notes, then the comparison with the last saved assessment. Every
# text from the check or the record is escaped, except ``advice_html``, which the generator
# rendered safely from the content's Markdown subset. No internal id is shown as text.

TOP_ACTIONS = 3
"""Actions named in the summary."""

STATUS_GROUPS = ("answered", "met", "partly", "not_met", "not_applicable", "unanswered")
"""The answers section's groups, in the order shown; each heading is the text ``group_<status>``."""


def say(check: dict, key: str, /, count: int | None = None, **html: str) -> str:
    """The report text ``key`` from the compiled check's ``texts`` (the site's language), as HTML:
    the text is escaped, then its ``{name}`` placeholders are filled with ``html`` (already HTML:
    callers escape what they pass). A text with plural forms is ``{"one": ..., "other": ...}``
    (``other`` alone where the language has one form); ``count`` picks ``one`` when it is 1 and
    that form is given, and fills ``{count}``."""
    entry = check["texts"][key]
    if isinstance(entry, dict):
        entry = entry["one"] if count == 1 and "one" in entry else entry["other"]
    if count is not None:
        html = {"count": str(count), **html}
    return escape(entry).format_map(html)


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _action_id(question_id: str) -> str:
    """The anchor of an action in the report (the question's own id names its place in the form)."""
    return f"action-{question_id}"


def report_html(check: dict, result: dict) -> str:
    """The result panel: summary, per-area chart and links (checks across areas), actions with
    their clauses, answers with notes, comparison with the last saved assessment, problems.
    Its words are the compiled check's ``texts``."""
    parts = ['<div class="check-report">', _summary_html(check, result)]
    if len(check["areas"]) > 1:
        parts.append(chart_html(check, result))
        parts.append(_area_checks_html(check, result))
    parts.append(_recommendations_html(check, result))
    parts.append(_items_html(check, result))
    if result["comparison"] is not None:
        parts.append(_comparison_html(check, result))
    if result["problems"]:
        parts.append(_problems_html(check, result))
    parts.append("</div>")
    return "".join(parts)


def _summary_html(check: dict, result: dict) -> str:
    progress = result["progress"]
    complete = result["status"] == "complete"
    score = f"<strong data-result-score>{_number(result['score'])}</strong>"
    score_note = (
        ""
        if complete or result["score"] is None
        else f' <span class="check-report__provisional">{say(check, "provisional_note")}</span>'
    )
    if result["level"] is not None:
        level_note = ""
    elif not complete:
        level_note = f'<span class="check-report__no-level">{say(check, "no_level_incomplete")}</span>'
    else:
        level_note = f'<span class="check-report__no-level">{say(check, "no_level_none")}</span>'
    label, level = escape(result["label"] or ""), escape(result["level"] or "")
    level_html = f'<strong data-result-level data-level="{level}">{label}</strong>{level_note}'
    answered = say(check, "progress", answered=str(progress["answered"]), applicable=str(progress["applicable"]))
    parts = [
        f'<section class="check-report__summary" aria-label="{say(check, "summary_label")}">',
        '<p class="check-report__score">'
        + say(check, "score_line" if complete else "score_line_provisional", score=score)
        + f"{score_note}</p>",
        f'<p class="check-report__level">{say(check, "level_line", level=level_html)}</p>',
        f'<p class="check-report__status" data-result-status="{escape(result["status"])}">'
        + say(
            check,
            "status_line",
            state=say(check, "state_complete" if complete else "state_incomplete"),
            progress=f"<span data-result-progress>{answered}</span>",
        )
        + "</p>",
    ]
    assessment = result["assessment"] or {}
    if assessment.get("date"):
        parts.append(f'<p class="check-report__date">{say(check, "date_line", date=escape(assessment["date"]))}</p>')
    details = [(key, assessment.get(key)) for key in ("organisation", "assessor")]
    if any(value for _, value in details):
        rows = "".join(f"<dt>{say(check, key)}</dt><dd>{escape(value)}</dd>" for key, value in details if value)
        parts.append(f'<dl class="check-report__assessment">{rows}</dl>')
    if result["summary"]:
        parts.append(f'<p class="check-report__summary-text">{escape(result["summary"])}</p>')
    if result["red_line_failed"]:
        parts.append(
            f'<p class="check-report__red-line"><strong>{say(check, "red_line_title")}</strong> '
            f"{say(check, 'red_line_summary')}</p>"
        )
    top = result["recommendations"][:TOP_ACTIONS]
    if top:
        items = "".join(
            f'<li><a href="#{escape(_action_id(item["question"]))}">{escape(item["text"])}</a>'
            + (f' <strong class="check-rec__flag">{say(check, "red_line")}</strong>' if item["red_line"] else "")
            + "</li>"
            for item in top
        )
        more = len(result["recommendations"]) - len(top)
        rest = f'<p class="check-report__more">{say(check, "more_actions", more)}</p>' if more else ""
        parts.append(
            f'<h3 class="check-report__title">{say(check, "top_actions")}</h3>'
            f'<ol class="check-report__top">{items}</ol>{rest}'
        )
    else:
        parts.append(f'<p class="check-report__none">{_no_actions(check, result)}</p>')
    parts.append(f'<p class="check-report__disclaimer">{say(check, "disclaimer")}</p></section>')
    return "".join(parts)


def _no_actions(check: dict, result: dict) -> str:
    """Why there is no action, said for each case."""
    progress = result["progress"]
    if progress["applicable"] == 0:
        return say(check, "no_actions_nothing_applies")
    if progress["answered"] == 0:
        return say(check, "no_actions_start")
    if result["status"] == "incomplete":
        return say(check, "no_actions_so_far", progress["applicable"] - progress["answered"])
    return say(check, "no_actions_done")


def _recommendations_html(check: dict, result: dict) -> str:
    recommendations = result["recommendations"]
    if not recommendations:
        return ""
    quoted: dict[str, int] = {}
    items = []
    for number, item in enumerate(recommendations, start=1):
        quotes, references = [], []
        for clause in item["clauses"]:
            link = f'<a class="clause-ref" href="{escape(clause["url"])}">{escape(clause["id"])}</a>'
            if clause["id"] in quoted:
                references.append(say(check, "quoted_under", link=link, number=str(quoted[clause["id"]])))
            else:
                quoted[clause["id"]] = number
                quote = "<q>" + escape(clause["text"]) + "</q>"
                quotes.append(f"<li>{say(check, 'clause_quote', link=link, text=quote)}</li>")
        clauses = ""
        if quotes:
            clauses = (
                f'<p class="check-rec__clauses-label">{say(check, "from_guideline")}</p>'
                f'<ul class="check-rec__clauses">{"".join(quotes)}</ul>'
            )
        if references:
            key = "also_from_guideline" if quotes else "from_guideline_references"
            joined = say(check, "list_separator").join(references)
            clauses += f'<p class="check-rec__references">{say(check, key, clauses=joined)}</p>'
        cases = "".join(
            f'<li><a href="{escape(case["url"])}">{escape(case["title"])}</a></li>' for case in item["cases"]
        )
        if cases:
            cases = (
                f'<p class="check-rec__cases-label">{say(check, "cases_label")}</p>'
                f'<ul class="check-rec__cases">{cases}</ul>'
            )
        flag = f'<strong class="check-rec__flag">{say(check, "red_line")}</strong> ' if item["red_line"] else ""
        answer = say(check, "your_answer", answer=escape(item["answer_label"]))
        items.append(
            f'<li class="check-rec" id="{escape(_action_id(item["question"]))}" '
            f'data-recommendation="{escape(item["question"])}">'
            f'<p class="check-rec__question">{flag}{escape(item["text"])} '
            f'<span class="check-rec__answer">{answer}</span></p>'
            f'<div class="check-rec__advice">{item["advice_html"]}</div>{clauses}{cases}</li>'
        )
    return (
        f'<h3 class="check-report__title">{say(check, "what_next", len(items))}</h3>'
        f'<ol class="check-report__recommendations">{"".join(items)}</ol>'
    )


def _items_html(check: dict, result: dict) -> str:
    """Every shown question under its status, with the answer, the note and the review flag."""
    if not result["items"]:
        return ""
    areas = {area["id"]: area["title"] for area in check["areas"]}
    across = len(check["areas"]) > 1
    groups = []
    for status in STATUS_GROUPS:
        items = [item for item in result["items"] if item["status"] == status]
        if not items:
            continue
        rows = []
        for item in items:
            area = ""
            if across:
                title = escape(areas.get(item["area"], ""))
                area = f'<span class="check-item__area">{say(check, "item_area", area=title)}</span> '
            answer = ""
            if item["answer_label"]:
                label = escape(item["answer_label"])
                answer = f' <span class="check-item__answer">{say(check, "your_answer", answer=label)}</span>'
            review = (
                f' <strong class="check-item__review">{say(check, "marked_for_review")}</strong>'
                if item["review"]
                else ""
            )
            note = (
                f'<p class="check-item__note"><span>{say(check, "note_label")}</span> {escape(item["note"])}</p>'
                if item["note"]
                else ""
            )
            rows.append(
                f'<li class="check-item" data-item="{escape(item["question"])}" data-item-status="{status}">'
                f"<p>{area}{escape(item['text'])}{answer}{review}</p>{note}</li>"
            )
        groups.append(
            f'<h4 class="check-items__title">{say(check, f"group_{status}", len(items))}</h4>'
            f'<ul class="check-items">{"".join(rows)}</ul>'
        )
    return (
        f'<section class="check-report__answers"><h3 class="check-report__title">{say(check, "your_answers")}</h3>'
        f"{''.join(groups)}</section>"
    )


def _change(check: dict, before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return ""
    difference = round(after - before, 1)
    if difference == 0:
        return " " + say(check, "no_change")
    return f" ({'+' if difference > 0 else '−'}{abs(difference):.1f})"


def _comparison_html(check: dict, result: dict) -> str:
    comparison = result["comparison"]
    texts = {question["id"]: question["text"] for question in check["questions"]}
    saved = escape(comparison["saved"][:10])
    parts = [
        '<section class="check-report__comparison" data-result-comparison>',
        f'<h3 class="check-report__title">{say(check, "since_saved", date=saved)}</h3>',
        "<p>"
        + say(
            check,
            "score_then_now",
            before=_number(comparison["score_before"]),
            after=_number(comparison["score_after"]),
            change=_change(check, comparison["score_before"], comparison["score_after"]),
        )
        + "</p>",
    ]
    if len(comparison["areas"]) > 1:
        rows = "".join(
            f'<tr><th scope="row">{escape(area["title"])}</th><td>{_number(area["before"])}</td>'
            f"<td>{_number(area['after'])}{_change(check, area['before'], area['after'])}</td></tr>"
            for area in comparison["areas"]
        )
        parts.append(
            f'<table class="check-report__changes"><caption>{say(check, "by_area_caption")}</caption>'
            f'<thead><tr><th scope="col">{say(check, "column_area")}</th><th scope="col">{say(check, "column_then")}'
            f'</th><th scope="col">{say(check, "column_now")}</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    for key in ("done", "new"):
        questions = comparison[key]
        if questions:
            items = "".join(f"<li>{escape(texts.get(qid, ''))}</li>" for qid in questions)
            parts.append(f"<p>{say(check, f'{key}_since', len(questions))}</p><ul>{items}</ul>")
        else:
            parts.append(f"<p>{say(check, f'{key}_none')}</p>")
    parts.append("</section>")
    return "".join(parts)


FIELD_NAMES = ("record", "check", "version", "exported", "answers", "notes", "review", "assessment", "history")
"""Fields a problem may name; each is said with the text ``field_<name>``."""


def _problems_html(check: dict, result: dict) -> str:
    texts = {question["id"]: question["text"] for question in check["questions"]}
    items = []
    for problem in result["problems"]:
        question = problem.get("question")
        if question in texts:
            subject = f"<q>{escape(texts[question])}</q>"
        elif question is not None:
            subject = say(check, "problem_unknown_question")
        else:
            field = problem.get("field", "")
            subject = say(check, f"field_{field}" if field in FIELD_NAMES else "field_record")
        items.append(f"<li>{subject}: {escape(problem['message'])}</li>")
    return f'<div class="check-report__problems"><p>{say(check, "problems_intro")}</p><ul>{"".join(items)}</ul></div>'


def _need(area: dict) -> tuple:
    """Most need first: a failed red line, then the lowest score; areas not scored yet last."""
    return (not area["red_line_failed"], area["score"] is None, area["score"] or 0)


def _area_checks_html(check: dict, result: dict) -> str:
    """Links to each area's own check, the areas most in need first."""
    areas = sorted((area for area in result["areas"] if area["check_url"]), key=_need)
    if not areas:
        return ""
    items = []
    for area in areas:
        if area["score"] is None:
            state = say(check, "area_not_answered" if area["applicable"] else "area_nothing_applies")
        else:
            key = "area_score" if area["status"] == "complete" else "area_score_provisional"
            state = say(check, key, score=f"{area['score']:.1f}")
            if area["red_line_failed"]:
                state = say(check, "area_red_line_failed", state=state)
        items.append(
            f'<li><a href="{escape(area["check_url"])}" data-area-check="{escape(area["id"])}">'
            f"{say(check, 'area_check_link', area=escape(area['title']))}</a> <span>({state})</span></li>"
        )
    return (
        f'<section class="check-report__next"><h3 class="check-report__title">{say(check, "area_checks_title")}</h3>'
        f'<p>{say(check, "area_checks_order")}</p><ol class="check-report__area-checks">{"".join(items)}</ol></section>'
    )


PATTERNS = ("solid", "dots", "hatch")
"""Bar fills from the best band to the worst, so levels differ without colour; each is named by
the text ``pattern_<name>`` (``pattern_none``: outline only)."""


def chart_html(check: dict, result: dict) -> str:
    """Every area's score as a bar, with its title, score and level as HTML text beside it, so the
    words keep the page's text size on a phone (an SVG chart scaled to the screen shrinks them).
    Each bar is a small SVG sized in CSS pixels, its length a percentage of the row, its fill a
    pattern per level. Areas without a level yet (incomplete) get an outline only."""
    ranked = sorted(check["bands"], key=lambda band: -band["min"])
    patterns = {band["level"]: PATTERNS[min(rank, len(PATTERNS) - 1)] for rank, band in enumerate(ranked)}
    key = say(check, "list_separator").join(
        say(check, "chart_key", pattern=say(check, f"pattern_{patterns[band['level']]}"), label=escape(band["label"]))
        for band in ranked
    )
    rows = []
    for area in result["areas"]:
        value = area["score"]
        if value is None:
            words = say(check, "area_not_answered" if area["applicable"] else "area_nothing_applies")
        elif area["label"]:
            words = say(check, "chart_value", score=f"{value:.1f}", label=escape(area["label"]))
        else:
            words = say(check, "chart_value_provisional", score=f"{value:.1f}")
        if area["red_line_failed"]:
            words = say(check, "chart_red_line", value=words)
        pattern = patterns.get(area["level"], "none") if area["level"] else "none"
        fill = "none" if pattern == "none" else f"url(#check-chart-{pattern})"
        length = 0 if value is None else value
        rows.append(
            f'<li class="check-bar" data-area="{escape(area["id"])}" data-level="{escape(area["level"] or "")}">'
            f'<span class="check-bar__label">{escape(area["title"])}</span>'
            f'<span class="check-bar__value">{words}</span>'
            '<svg class="check-bar__bar" width="100%" height="14" aria-hidden="true" focusable="false">'
            '<rect class="check-bar__track" x="0.5" y="0.5" width="99%" height="13"/>'
            f'<rect class="check-bar__fill" x="0.5" y="0.5" width="{length:g}%" height="13" fill="{fill}"/></svg></li>'
        )
    return (
        '<figure class="check-chart">'
        '<svg class="check-chart__patterns" width="0" height="0" aria-hidden="true" focusable="false"><defs>'
        '<pattern id="check-chart-solid" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="currentColor"/></pattern>'
        '<pattern id="check-chart-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<circle cx="3" cy="3" r="1.6" fill="currentColor"/></pattern>'
        '<pattern id="check-chart-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="2.5" height="6" fill="currentColor"/></pattern>'
        "</defs></svg>"
        f"<figcaption>{say(check, 'chart_caption', key=key)}</figcaption>"
        f'<ul class="check-bars">{"".join(rows)}</ul></figure>'
    )


# ---------------------------------------------------------------------------------------------
# The browser's worker (site_overrides/assets/javascripts/selfcheck-worker.js): a check is loaded
# once, then every change of the record is scored against it by id.

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


def browser_score(check_id: str, record_json: str) -> dict:
    """Score a record (JSON text, as the CLI reads a file) against a loaded check:
    ``{"result": assess(...), "html": report_html(...)}``. A bare answers mapping, as pages sent
    before records, is read as ``{"answers": ...}`` (see :func:`as_record`). Text that is not
    JSON, or not a mapping, is reported in the result's ``problems`` like any other bad value; a
    check that was not loaded raises :class:`LookupError`."""
    check = _LOADED.get(check_id)
    if check is None:
        raise LookupError(f"the check {check_id!r} is not loaded; load it with browser_load first")
    try:
        record = json.loads(record_json)
    except (TypeError, ValueError, RecursionError):
        record = None
    result = assess(check, as_record(record))
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

CSV_COLUMNS = ("rank", "area", "question", "clause", "advice", "status", "red_line", "check", "answer", "note")
"""The plan's CSV, one row per action, in the plan's order; each heading is the text
``plan_csv_<column>``."""
CSV_HEADINGS = ("Rank", "Area", "Question", "Clause", "Advice", "Status", "Red line", "Check", "Your answer", "Note")
"""The headings of an empty plan's CSV when no compiled check brought its texts."""


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _assess_record(check: dict, record: object) -> dict:
    """The engine's result for one saved record (``{"check", "version", "answers", ...}``): the
    plan's figures, notes and statuses are the check page's, from the same :func:`assess`."""
    return assess(check, record)


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


def _notes(result: dict) -> dict[str, str]:
    """Question id → note, as the engine cleaned them (text only, at most :data:`MAX_NOTE`)."""
    return {item["question"]: item["note"] for item in result["items"] if item["note"]}


def _item_status(result: dict, question: dict) -> str:
    """``partly`` or ``not_met`` for an action: the result's own status of the question."""
    return next(item["status"] for item in result["items"] if item["question"] == question["id"])


def _is_compiled_check(check: object) -> bool:
    return (
        isinstance(check, dict)
        and isinstance(check.get("id"), str)
        and isinstance(check.get("version"), int)
        and isinstance(check.get("title"), str)
        and all(isinstance(check.get(key), list) for key in ("areas", "questions", "bands"))
        and isinstance(check.get("texts"), dict)
    )


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
    # The words of the plan: the texts of the first saved check (every check of a site has the same).
    texts = next(
        (
            entry["check"]["texts"]
            for entry in entries
            if isinstance(entry, dict) and _is_compiled_check(entry.get("check"))
        ),
        None,
    )
    for index, entry in enumerate(entries):
        check = entry.get("check") if isinstance(entry, dict) else None
        if not _is_compiled_check(check):
            message = (
                texts["plan_no_check"].format(number=index + 1) if texts else PLAN_NO_CHECK.format(number=index + 1)
            )
            problems.append({"check": None, "message": message})
            continue
        if check["id"] in seen:
            problems.append({"check": check["id"], "message": texts["plan_check_twice"]})
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
        notes = _notes(result)
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
                        "status": _item_status(result, question),
                        "answer_label": recommendation["answer_label"],
                        "advice_html": recommendation["advice_html"],
                        "clauses": recommendation["clauses"],
                        "note": notes.get(question["id"]),
                    },
                )
            )
    ranked.sort(key=cmp_to_key(_recommendation_order))
    return {
        "engine": ENGINE_VERSION,
        "checks": checks,
        "actions": [action for _, action in ranked],
        "problems": problems,
        "texts": texts or {},
    }


def _figures(plan: dict, score: float | None, complete: bool, label: str | None, level: str | None) -> str:
    provisional = (
        "" if complete or score is None else f' <span class="plan-provisional">{say(plan, "plan_provisional")}</span>'
    )
    level_text = escape(label) if label else say(plan, "plan_no_level")
    return (
        f'<td data-label="{say(plan, "plan_column_score")}"><span data-plan-score>{_number(score)}</span>'
        f"{provisional}</td>"
        f'<td data-label="{say(plan, "plan_column_level")}"><span data-plan-level data-level="{escape(level or "")}">'
        f"{level_text}</span></td>"
    )


def _check_row(plan: dict, item: dict) -> str:
    progress = item["progress"]
    complete = item["status"] == "complete"
    red_line = (
        f'<br><strong class="plan-flag">{say(plan, "red_line")}</strong> {say(plan, "plan_red_line_failed")}'
        if item["red_line_failed"]
        else ""
    )
    ignored = f"<br>{say(plan, 'plan_ignored', item['problems'])}" if item["problems"] else ""
    date = escape(item["date"]) if item["date"] else say(plan, "plan_date_not_recorded")
    link = say(plan, "plan_review" if complete else "plan_continue")
    title = escape(item["title"])
    status = say(
        plan,
        "plan_progress_complete" if complete else "plan_progress_incomplete",
        answered=str(progress["answered"]),
        applicable=str(progress["applicable"]),
    )
    return (
        f'<tr class="plan-check" data-plan-check="{escape(item["check"])}" data-plan-status="{escape(item["status"])}">'
        f'<th scope="row">{title}</th>'
        + _figures(plan, item["score"], complete, item["label"], item["level"])
        + f'<td data-label="{say(plan, "plan_column_status")}"><span data-plan-progress>{status}</span>'
        f"{red_line}{ignored}</td>"
        f'<td data-label="{say(plan, "plan_column_date")}"><span data-plan-date>{date}</span></td>'
        f'<td><a class="plan-continue" href="{escape(item["url"])}">{link}'
        f'<span class="plan-hidden"> {title}</span></a></td></tr>'
    )


def _area_table(plan: dict, item: dict) -> str:
    """A check across areas, area by area (an area's level once all its applicable questions are answered)."""
    rows = []
    for area in item["areas"]:
        done = area["label"] is not None
        answered = say(plan, "plan_area_answered", answered=str(area["answered"]), applicable=str(area["applicable"]))
        rows.append(
            f'<tr class="plan-area" data-plan-area="{escape(area["id"])}" data-plan-check="{escape(item["check"])}">'
            f'<th scope="row">{escape(area["title"])}</th>'
            + _figures(plan, area["score"], done, area["label"], area["level"])
            + f'<td data-label="{say(plan, "plan_column_status")}">{answered}'
            + (f' <strong class="plan-flag">{say(plan, "red_line")}</strong>' if area["red_line_failed"] else "")
            + "</td></tr>"
        )
    check_id = escape(item["check"])
    headers = "".join(
        f'<th scope="col">{say(plan, f"plan_column_{name}")}</th>' for name in ("area", "score", "level", "status")
    )
    return (
        f'<h3 id="plan-areas-{check_id}">{say(plan, "plan_by_area", check=escape(item["title"]))}</h3>'
        f'<table class="plan-checks plan-areas" data-plan-areas="{check_id}"><thead><tr>{headers}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _action_html(plan: dict, action: dict) -> str:
    flag = f'<strong class="plan-flag">{say(plan, "red_line")}</strong> ' if action["red_line"] else ""
    clauses = say(plan, "list_separator").join(
        f'<a class="clause-ref" href="{escape(clause["url"])}">{escape(clause["id"])}</a>'
        for clause in action["clauses"]
    )
    note = ""
    if action["note"]:
        note = (
            f'<p class="plan-action__note"><strong>{say(plan, "plan_your_note")}</strong> {escape(action["note"])}</p>'
        )
    status = say(plan, f"plan_status_{action['status']}")
    answer = say(plan, "plan_your_answer", answer=escape(action["answer_label"]), status=status)
    return (
        f'<li class="plan-action" data-plan-action="{escape(action["check"])}:{escape(action["question"])}" '
        f'data-plan-red-line="{"true" if action["red_line"] else "false"}" '
        f'data-plan-item-status="{escape(action["status"])}">'
        f'<p class="plan-action__question">{flag}{escape(action["text"])}</p>'
        f'<p class="plan-action__meta">{escape(action["area_title"])} · '
        f'<a href="{escape(action["url"])}">{escape(action["check_title"])}</a> · {answer}</p>'
        f'<div class="plan-action__advice">{action["advice_html"]}</div>{note}'
        + (
            f'<p class="plan-action__clauses">{say(plan, "plan_from_guideline", clauses=clauses)}</p>'
            if clauses
            else ""
        )
        + "</li>"
    )


PLAN_NO_CHECK = "entry {number} holds no compiled check; left out"
"""Said in an empty plan's ``problems`` when no saved check brought its texts."""
PLAN_EMPTY = "No saved self-check answers were found in this browser."
"""What an empty plan says when no compiled check brought its texts (the page shows its own empty
state before asking the engine, so this is rarely seen)."""


def plan_html(plan: dict) -> str:
    """The plan as HTML for the plan page: a table of the checks, then the actions in order, in
    the words of the plan's ``texts``. Every text is escaped but ``advice_html``, which the
    generator rendered safely."""
    checks, actions = plan["checks"], plan["actions"]
    if not checks:
        return f'<p class="plan-report__empty">{escape(plan["texts"].get("plan_empty", PLAN_EMPTY))}</p>'
    red_lines = sum(1 for action in actions if action["red_line"])
    summary = say(
        plan,
        "plan_summary_red_lines" if red_lines else "plan_summary",
        checks=say(plan, "plan_saved_checks", len(checks)),
        actions=say(plan, "plan_actions", len(actions)),
        red_lines=str(red_lines),
    )
    headers = "".join(
        f'<th scope="col">{say(plan, f"plan_column_{name}")}</th>'
        for name in ("check", "score", "level", "status", "date")
    )
    parts = [
        '<div class="plan-report">',
        f'<p class="plan-report__summary" data-plan-summary>{summary}</p>',
        f'<h2 id="plan-checks">{say(plan, "plan_your_checks")}</h2>',
        f'<table class="plan-checks"><caption class="plan-hidden">{say(plan, "plan_checks_caption")}'
        f"</caption><thead><tr>{headers}"
        f'<th scope="col"><span class="plan-hidden">{say(plan, "plan_column_link")}</span></th>'
        f"</tr></thead><tbody>{''.join(_check_row(plan, item) for item in checks)}</tbody></table>",
        f'<h2 id="plan-actions">{say(plan, "what_next", len(actions))}</h2>',
    ]
    if actions:
        parts.append(
            f'<p class="plan-report__order">{say(plan, "plan_order")}</p>'
            f'<ol class="plan-actions">{"".join(_action_html(plan, action) for action in actions)}</ol>'
        )
    elif any(item["progress"]["answered"] for item in checks):
        unfinished = any(item["status"] != "complete" for item in checks)
        parts.append(
            f'<p class="plan-report__none">{say(plan, "plan_none_so_far")}'
            + (" " + say(plan, "plan_finish") if unfinished else "")
            + "</p>"
        )
    else:
        parts.append(f'<p class="plan-report__none">{say(plan, "plan_none_yet")}</p>')
    with_areas = [item for item in checks if item["areas"]]
    if with_areas:
        parts.append(f'<h2 id="plan-areas">{say(plan, "plan_scores_by_area")}</h2>')
        parts.extend(_area_table(plan, item) for item in with_areas)
    if plan["problems"]:
        items = "".join(f"<li>{escape(problem['message'])}</li>" for problem in plan["problems"])
        parts.append(f'<div class="plan-report__problems"><p>{say(plan, "plan_left_out")}</p><ul>{items}</ul></div>')
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
    texts = plan["texts"]
    rows: list[tuple] = [tuple(texts[f"plan_csv_{column}"] for column in CSV_COLUMNS) if texts else CSV_HEADINGS]
    for rank, action in enumerate(plan["actions"], start=1):
        clauses = "\n".join(f"{clause['id']}: {clause['text']}" for clause in action["clauses"])
        rows.append(
            (
                rank,
                action["area_title"],
                action["text"],
                clauses,
                plain_text(action["advice_html"]),
                texts[f"plan_status_{action['status']}"],
                texts["plan_csv_yes" if action["red_line"] else "plan_csv_no"],
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
