"""Self-checks as content: the scale, bands and check content types and their cross-checks.

The check pages live in :mod:`generator.check_pages`, the engine's input in
:mod:`generator.compiled_check`, the engine in :mod:`generator.scoring` and the ``score``
command in :mod:`generator.score_cli`.
"""

from __future__ import annotations

from .loading import CorpusDraft, Loading
from .model import Band, Bands, Check, Corpus, Option, Question, Scale, ShowIf
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


def load_check(source: Source, draft: CorpusDraft, loading: Loading) -> None:
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
            not_applicable=entry.get("not_applicable", True),
        )
        draft.questions[question.id] = question
        questions.append(question)
    draft.checks[data["id"]] = Check(
        id=data["id"],
        title=data["title"],
        area=data.get("area"),
        version=data["version"],
        intro=data["intro"],
        scale=data.get("scale", DEFAULT_SCALE),
        bands=data.get("bands", DEFAULT_BANDS),
        questions=tuple(questions),
    )


def check_checks(corpus: Corpus, loading: Loading) -> None:
    """References from checks: area, scale, bands, clauses (of the right area) and show_if."""
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
    path: KeyPath,
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
    condition = question.show_if
    if condition is None:
        return
    if condition.question not in earlier:
        later = any(other.id == condition.question for other in check.questions)
        reason = "comes later in this check" if later else "is not a question of this check"
        loading.problems.append(
            source.problem(
                (*path, "show_if", "question"),
                f"show_if question {condition.question!r} {reason}; it must be an earlier question",
            )
        )
    if scale is not None:
        known = [option.id for option in scale.options]
        earlier_question = corpus.questions.get(condition.question)
        accepted = (
            [option.id for option in earlier_question.options(scale)]
            if earlier_question is not None and condition.question in earlier
            else known
        )
        for position, option_id in enumerate(condition.answer_in):
            if option_id not in known:
                message = f"{option_id!r} is not an option of scale {scale.id!r} ({', '.join(known)})"
            else:
                message = (
                    f"question {condition.question!r} does not accept {option_id!r} (not_applicable: false), "
                    "so this condition never holds for it"
                )
            loading.expect(option_id in accepted, source, (*path, "show_if", "answer_in", position), message)
