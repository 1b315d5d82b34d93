"""Self-checks as content: the scale, bands and check content types and their cross-checks.

The check pages live in :mod:`generator.check_pages`, the engine's input in
:mod:`generator.compiled_check`, the engine in :mod:`generator.scoring` and the ``score``
command in :mod:`generator.score_cli`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from .loading import CorpusDraft, Loading
from .model import (
    AllOf,
    AnyOf,
    Band,
    Bands,
    Check,
    Condition,
    Corpus,
    Not,
    Option,
    Question,
    Scale,
    ShowIf,
    answer_conditions,
    areas_by_clause,
    condition_parts,
)
from .yamlsource import KeyPath, Source

DEFAULT_SCALE = "standard"
DEFAULT_BANDS = "standard-bands"


# --- loading ------------------------------------------------------------------------------------


def load_scale(source: Source, draft: CorpusDraft, loading: Loading) -> None:
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
    draft.scales[data["id"]] = Scale(data["id"], data["title"], tuple(options))


def load_bands(source: Source, draft: CorpusDraft, loading: Loading) -> None:
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
    draft.bands[data["id"]] = Bands(data["id"], data["title"], tuple(bands))


MAX_CONDITION_DEPTH = 4
"""How deep all / any / not may nest in a ``show_if`` (an answer condition at the top is depth 1)."""
CONDITION_FORMS = ("all", "any", "not")


def load_condition(data: dict, source: Source, path: KeyPath, loading: Loading, depth: int = 1) -> Condition | None:
    """A ``show_if`` mapping as a :data:`Condition`; None (and a problem) when its form is wrong."""
    forms = [key for key in CONDITION_FORMS if key in data]
    if "question" in data and forms:
        loading.problems.append(
            source.problem(
                path,
                f"a condition is either question and answer_in, or one of all, any, not: not both "
                f"(found question and {forms[0]})",
            )
        )
        return None
    if len(forms) > 1:
        loading.problems.append(
            source.problem(
                path, f"a condition has one of all, any or not; nest them to combine ({' and '.join(forms)})"
            )
        )
        return None
    if not forms:
        if "question" not in data:
            loading.problems.append(
                source.problem(path, "a condition needs question and answer_in, or all, any or not")
            )
            return None
        return ShowIf(data["question"], tuple(data["answer_in"]))
    if depth >= MAX_CONDITION_DEPTH:
        loading.problems.append(
            source.problem((*path, forms[0]), f"conditions nest at most {MAX_CONDITION_DEPTH} deep; simplify this one")
        )
        return None
    if forms[0] == "not":
        inner = load_condition(data["not"], source, (*path, "not"), loading, depth + 1)
        return None if inner is None else Not(inner)
    parts = [
        load_condition(item, source, (*path, forms[0], index), loading, depth + 1)
        for index, item in enumerate(data[forms[0]])
    ]
    if any(part is None for part in parts):
        return None
    return (AllOf if forms[0] == "all" else AnyOf)(tuple(parts))


def condition_paths(condition: Condition, path: KeyPath) -> Iterator[tuple[ShowIf, KeyPath]]:
    """Every answer condition inside ``condition`` with its key path in the check file."""
    key, inner = condition_parts(condition)
    if isinstance(condition, ShowIf):
        yield condition, path
    elif key == "not":
        yield from condition_paths(inner[0], (*path, "not"))
    for index, part in enumerate(inner if key != "not" else ()):
        yield from condition_paths(part, (*path, key, index))


GATE_KEYS = ("weight", "advice", "red_line")
"""Keys that mean nothing on a gate question (``scored: false``)."""


def load_check(source: Source, draft: CorpusDraft, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    questions = []
    for index, entry in enumerate(data["questions"]):
        loading.define(source, ("questions", index, "id"), entry["id"])
        scored = entry.get("scored", True)
        if not scored:
            for key in GATE_KEYS:
                loading.expect(
                    key not in entry,
                    source,
                    ("questions", index, key),
                    f"a gate question (scored: false) never counts in the score, so '{key}' means nothing; remove it",
                )
        condition = entry.get("show_if")
        question = Question(
            id=entry["id"],
            check_id=data["id"],
            area=data.get("area") or entry.get("area") or "",
            text=entry["text"],
            help=entry.get("help"),
            clauses=tuple(entry["clauses"]),
            weight=entry.get("weight", 0) if scored else 0,
            red_line=bool(entry.get("red_line")) and scored,
            show_if=load_condition(condition, source, ("questions", index, "show_if"), loading) if condition else None,
            advice=entry.get("advice", "") if scored else "",
            own_area="area" in entry,
            not_applicable=entry.get("not_applicable", True),
            scale=entry.get("scale"),
            scored=scored,
        )
        draft.questions[question.id] = question
        questions.append(question)
    check = Check(
        id=data["id"],
        title=data["title"],
        area=data.get("area"),
        version=data["version"],
        intro=data["intro"],
        scale=data.get("scale", DEFAULT_SCALE),
        bands=data.get("bands", DEFAULT_BANDS),
        questions=tuple(questions),
    )
    draft.checks[check.id] = check
    if any(not question.area for question in questions):
        loading.finishing.append(lambda draft: _areas_from_clauses(draft, check.id))


def _areas_from_clauses(draft: CorpusDraft, check_id: str) -> None:
    """A question of a check without an area, naming none itself, scores in the area of the
    first clause it cites that belongs to an area (known only once every file is read)."""
    area_of_clause = areas_by_clause(draft.areas.values(), draft.documents.values(), draft.sections)
    check = draft.checks[check_id]
    questions = []
    for question in check.questions:
        if not question.area:
            area = next((area_of_clause[clause].id for clause in question.clauses if clause in area_of_clause), "")
            question = replace(question, area=area)
            draft.questions[question.id] = question
        questions.append(question)
    draft.checks[check_id] = replace(check, questions=tuple(questions))


def check_checks(corpus: Corpus, loading: Loading) -> None:
    """References from checks: area, scales, bands, clauses and show_if."""
    for check in corpus.checks.values():
        source, _ = loading.place(check.id)
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
        earlier: dict[str, int] = {}
        for index, question in enumerate(check.questions):
            _check_question(corpus, loading, source, check, question, ("questions", index), earlier)
            earlier[question.id] = index
        loading.expect(
            any(question.scored for question in check.questions),
            source,
            ("questions",),
            "every question is a gate (scored: false), so nothing is scored; score at least one",
        )


def _check_question(
    corpus: Corpus,
    loading: Loading,
    source: Source,
    check: Check,
    question: Question,
    path: KeyPath,
    earlier: dict[str, int],
) -> None:
    if check.area is not None and question.own_area:
        loading.problems.append(
            source.problem(
                (*path, "area"),
                f"the check covers area {check.area!r}; only checks without 'area' name it per question",
            )
        )
    elif question.own_area:
        loading.refer(question.area, corpus.areas, source, (*path, "area"), f"unknown area {question.area!r}")
    elif not question.area:
        loading.problems.append(
            source.problem(
                path,
                "this check has no 'area' and no clause of this question belongs to a key area, "
                "so the question needs its own 'area'",
            )
        )
    for position, clause_id in enumerate(question.clauses):
        loading.expect(
            clause_id in corpus.clauses,
            source,
            (*path, "clauses", position),
            f"unknown clause {clause_id!r}",
        )
    if question.scale is not None:
        loading.refer(
            question.scale,
            corpus.scales,
            source,
            (*path, "scale"),
            f"unknown scale {question.scale!r} (known: {', '.join(sorted(corpus.scales)) or 'none'})",
        )
    scale = corpus.scales.get(check.scale_of(question))
    if scale is not None and not question.not_applicable:
        na_options = [option.id for option in scale.options if option.not_applicable]
        loading.expect(
            bool(na_options),
            source,
            (*path, "not_applicable"),
            f"scale {scale.id!r} has no not-applicable option, so 'not_applicable: false' changes nothing; remove it",
        )
        scored = [option for option in question.options(scale) if not option.not_applicable]
        loading.expect(
            not na_options or len(scored) >= 2,
            source,
            (*path, "not_applicable"),
            f"without its not-applicable options, scale {scale.id!r} leaves one answer; a question needs two",
        )
    if question.show_if is not None:
        for condition, condition_path in condition_paths(question.show_if, (*path, "show_if")):
            _check_condition(corpus, loading, source, check, condition, condition_path, earlier)


def _check_condition(
    corpus: Corpus,
    loading: Loading,
    source: Source,
    check: Check,
    condition: ShowIf,
    path: KeyPath,
    earlier: dict[str, int],
) -> None:
    """One answer condition: an earlier question of the same check, and options of its own scale
    that it accepts."""
    if condition.question not in earlier:
        later = any(other.id == condition.question for other in check.questions)
        reason = "comes later in this check" if later else "is not a question of this check"
        loading.problems.append(
            source.problem(
                (*path, "question"),
                f"show_if question {condition.question!r} {reason}; it must be an earlier question",
            )
        )
        return
    asked = check.questions[earlier[condition.question]]
    scale = corpus.scales.get(check.scale_of(asked))
    if scale is None:
        return
    known = [option.id for option in scale.options]
    accepted = [option.id for option in asked.options(scale)]
    for position, option_id in enumerate(condition.answer_in):
        if option_id not in known:
            message = (
                f"{option_id!r} is not an option of scale {scale.id!r} ({', '.join(known)}), "
                f"the scale of question {asked.id!r}"
            )
        else:
            message = (
                f"question {condition.question!r} does not accept {option_id!r} (not_applicable: false), "
                "so this condition never holds for it"
            )
        loading.expect(option_id in accepted, source, (*path, "answer_in", position), message)


# --- conditions in words (the check page) --------------------------------------------------------


def first_paint_words(condition: Condition) -> tuple[str, bool]:
    """What the check page's head script needs to hide a follow-up before the first paint: the
    ``question=option`` words of every answer that can make ``condition`` hold, and whether it
    holds with no answer at all (``not`` of an answer), so it must never be hidden before the
    script decides. A condition that does not hold without answers needs one of the words' answers
    to hold (the answers under no ``not``), so the words are enough. The engine's ``hidden`` has
    the last word."""
    words = [
        f"{atom.question}={option}"
        for atom, negated in answer_conditions(condition)
        if not negated
        for option in atom.answer_in
    ]
    return " ".join(dict.fromkeys(words)), holds_without_answers(condition)


def holds_without_answers(condition: Condition) -> bool:
    """Whether ``condition`` holds before any question is answered (every answer condition false)."""
    if isinstance(condition, ShowIf):
        return False
    if isinstance(condition, Not):
        return not holds_without_answers(condition.condition)
    _, inner = condition_parts(condition)
    results = [holds_without_answers(part) for part in inner]
    return all(results) if isinstance(condition, AllOf) else any(results)
