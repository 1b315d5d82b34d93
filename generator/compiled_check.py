"""The compiled check: the scoring engine's input, made from the content.

Everything scoring and the report need, as plain JSON-ready data: the engine imports nothing
from the generator, so this is the one contract between the two. Its shape is
``compiled-check.schema.json`` beside this file, versioned with the engine
(:data:`generator.scoring.ENGINE_VERSION`): a change to one is a change to both.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from . import urls
from .locale import DEFAULT_LANGUAGE, Locale, load_locale
from .model import Case, Check, Condition, Corpus, Question, ShowIf, condition_parts
from .render import PageContext, Site

SCHEMA = Path(__file__).with_name("compiled-check.schema.json")

CASES_PER_RECOMMENDATION = 3


def compile_check(corpus: Corpus, check: Check, locale: Locale | None = None) -> dict:
    """The engine's input for one check. Links are relative to the check's page; advice is HTML
    rendered safely from the content. Each question lists only the options of its scale it
    accepts. ``texts`` are the report's words in ``locale``'s language (English by default): the
    engine runs in the browser and reads no locale files."""
    locale = locale or load_locale(DEFAULT_LANGUAGE)
    context = PageContext(Site(corpus, locale=locale), urls.check_src(check.id))
    area_ids = [check.area] if check.area else list(check.areas())
    order = {area.id: index for index, area in enumerate(corpus.ordered_areas)}
    area_ids.sort(key=lambda area_id: order[area_id])
    questions = []
    for question in check.questions:
        scale = corpus.scales[check.scale_of(question)]
        questions.append(
            {
                "id": question.id,
                "area": question.area,
                "text": question.text,
                "weight": question.weight,
                "red_line": question.red_line,
                "scored": question.scored,
                "show_if": condition_data(question.show_if) if question.show_if else None,
                "options": [
                    {
                        "id": option.id,
                        "label": option.label,
                        "points": option.points,
                        "not_applicable": option.not_applicable,
                    }
                    for option in question.options(scale)
                ],
                "best": scale.best,
                "advice_html": context.formatted(question.advice) if question.scored else "",
                "clauses": [
                    {"id": clause_id, "text": corpus.clauses[clause_id].text, "url": context.clause_href(clause_id)}
                    for clause_id in question.clauses
                ],
                "cases": [
                    {"title": case.title, "url": context.link(urls.case_src(case.id))}
                    for case in question_cases(corpus, question)
                ],
            }
        )
    bands = sorted(corpus.bands[check.bands].bands, key=lambda band: -band.min)
    return {
        "id": check.id,
        "version": check.version,
        "title": check.title,
        "areas": [
            {"id": area_id, "title": corpus.areas[area_id].title, "check_url": area_check_url(context, check, area_id)}
            for area_id in area_ids
        ],
        "questions": questions,
        "bands": [
            {"level": band.level, "label": band.label, "min": band.min, "max": band.max, "summary": band.summary}
            for band in bands
        ],
        "texts": {
            key: dict(value) if isinstance(value, Mapping) else value
            for key, value in sorted(locale.namespace("report").items())
        },
    }


def condition_data(condition: Condition) -> dict:
    """A ``show_if`` condition as the engine reads it: the content's own form (``{question,
    answer_in}``, ``{all: [...]}``, ``{any: [...]}``, ``{not: ...}``)."""
    if isinstance(condition, ShowIf):
        return {"question": condition.question, "answer_in": list(condition.answer_in)}
    key, inner = condition_parts(condition)
    if key == "not":
        return {"not": condition_data(inner[0])}
    return {key: [condition_data(part) for part in inner]}


def area_check_url(context: PageContext, check: Check, area_id: str) -> str | None:
    """The address of the area's own check, relative to ``check``'s page; None when the area has
    none but ``check`` itself."""
    own = next((other for other in context.corpus.checks_of_area(area_id) if other.id != check.id), None)
    return context.link(urls.check_src(own.id)) if own else None


def question_cases(corpus: Corpus, question: Question) -> list[Case]:
    """Cases that name the question, then cases citing its clauses; at most three, no repeats.

    Stops at the third: a clause cited by many cases must not cost every question a pass over them."""
    found = itertools.chain(
        corpus.cases_for_question(question.id),
        *(corpus.cases_citing_clause(clause_id) for clause_id in question.clauses),
    )
    unique: dict[str, Case] = {}
    for case in found:
        unique.setdefault(case.id, case)
        if len(unique) == CASES_PER_RECOMMENDATION:
            break
    return list(unique.values())


@cache
def schema() -> dict:
    """The compiled check's JSON Schema; its ``$id`` ends with the engine version it belongs to."""
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def schema_problems(compiled: dict) -> list[str]:
    """Where a compiled check departs from its schema, as ``$.path: message`` lines (none when valid)."""
    validator = Draft202012Validator(schema())
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(compiled)]


def schema_version() -> int:
    return int(schema()["$id"].rsplit(":v", 1)[1])
