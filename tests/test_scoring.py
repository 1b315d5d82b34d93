"""The scoring engine's rules, on a small compiled check built here, and on the real checks."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

from generator import compile_check, scoring
from generator.locale import load_locale

OPTIONS = [
    {"id": "yes", "label": "Yes", "points": 2, "not_applicable": False},
    {"id": "partly", "label": "Partly", "points": 1, "not_applicable": False},
    {"id": "no", "label": "No", "points": 0, "not_applicable": False},
    {"id": "na", "label": "N/A", "points": None, "not_applicable": True},
]
BANDS = [
    {"level": "good", "label": "Good", "min": 80, "max": 100, "summary": "Fine."},
    {"level": "fair", "label": "Fair", "min": 50, "max": 80, "summary": "Gaps."},
    {"level": "poor", "label": "Poor", "min": 0, "max": 50, "summary": "Serious."},
]


def question(qid: str, area: str = "one", weight: float = 1, red_line: bool = False, show_if=None) -> dict:
    return {
        "id": qid,
        "area": area,
        "text": f"Question {qid}?",
        "weight": weight,
        "red_line": red_line,
        "scored": True,
        "show_if": show_if,
        "options": OPTIONS,
        "best": 2,
        "advice_html": f"<p>Fix {qid}.</p>",
        "clauses": [{"id": "c-1", "text": "A <clause> & text", "url": "../../guideline/#c-1"}],
        "cases": [],
    }


def make_check(*questions: dict) -> dict:
    areas = list(dict.fromkeys(item["area"] for item in questions))
    return {
        "id": "demo",
        "version": 1,
        "title": "Demo",
        "areas": [{"id": area, "title": area.title()} for area in areas],
        "questions": list(questions),
        "bands": BANDS,
        "texts": REPORT_TEXTS,
    }


REPORT_TEXTS = {
    key: value if isinstance(value, str) else dict(value)
    for key, value in load_locale("en").namespace("report").items()
}


def test_score_weights_points_and_rounds_half_up() -> None:
    check = make_check(question("a", weight=3), question("b", weight=1), question("c", weight=4))
    result = scoring.score(check, {"a": "yes", "b": "partly", "c": "no"})
    # (3*2 + 1*1 + 4*0) / (8*2) = 7/16 = 43.75 → 43.8
    assert result["score"] == 43.8
    assert result["status"] == "complete"
    assert result["level"] == "poor"


def test_not_applicable_and_hidden_questions_leave_the_denominator() -> None:
    check = make_check(
        question("a"),
        question("b"),
        question("c", show_if={"question": "a", "answer_in": ["no"]}),
    )
    result = scoring.score(check, {"a": "yes", "b": "na", "c": "no"})
    assert result["score"] == 100.0
    assert result["hidden"] == ["c"]
    assert result["progress"] == {"answered": 1, "applicable": 1}
    assert result["recommendations"] == []


def test_show_if_on_a_hidden_question_hides_its_follow_up_too() -> None:
    check = make_check(
        question("a"),
        question("b", show_if={"question": "a", "answer_in": ["no"]}),
        question("c", show_if={"question": "b", "answer_in": ["yes"]}),
    )
    assert scoring.score(check, {"a": "yes", "b": "yes"})["hidden"] == ["b", "c"]
    assert scoring.score(check, {"a": "no", "b": "yes"})["hidden"] == []


def test_unanswered_questions_make_the_result_incomplete_but_provisional() -> None:
    check = make_check(question("a"), question("b"), question("c"))
    result = scoring.score(check, {"a": "partly"})
    assert result["status"] == "incomplete"
    assert result["progress"] == {"answered": 1, "applicable": 3}
    assert result["score"] == 50.0
    assert (result["level"], result["label"], result["summary"]) == (None, None, None), "no level until complete"
    assert result["unanswered"] == ["b", "c"]


def test_nothing_answered_gives_no_score_and_no_level() -> None:
    result = scoring.score(make_check(question("a")), {})
    assert result["score"] is None
    assert result["level"] is None
    assert result["status"] == "incomplete"


def test_a_failed_red_line_forces_the_worst_level_of_its_area_and_the_check() -> None:
    check = make_check(question("a", weight=10), question("b", area="two", red_line=True, weight=1))
    result = scoring.score(check, {"a": "yes", "b": "partly"})
    assert result["score"] > 90
    assert result["level"] == "poor"
    assert result["red_line_failed"] is True
    levels = {area["id"]: area["level"] for area in result["areas"]}
    assert levels == {"one": "good", "two": "poor"}


def test_recommendations_put_red_lines_first_then_weight_times_shortfall() -> None:
    check = make_check(
        question("small", weight=1),
        question("big", weight=3),
        question("line", weight=1, red_line=True),
        question("half", weight=5),
        question("best", weight=9),
    )
    result = scoring.score(check, {"small": "no", "big": "no", "line": "partly", "half": "partly", "best": "yes"})
    order = [item["question"] for item in result["recommendations"]]
    # line (red line) first; then big 3*2=6, half 5*1=5, small 1*2=2; best has no shortfall
    assert order == ["line", "big", "half", "small"]
    assert [item["priority"] for item in result["recommendations"]] == [1.0, 6.0, 5.0, 2.0]
    assert result["recommendations"][0]["advice_html"] == "<p>Fix line.</p>"


def test_unknown_questions_options_and_malformed_answers_are_reported_not_raised() -> None:
    check = make_check(question("a"), question("b"))
    result = scoring.score(check, {"gone": "yes", "a": "maybe", "b": ["yes"], "c": 3})
    assert [(problem["question"], problem["answer"]) for problem in result["problems"]] == [
        ("a", "maybe"),
        ("b", '["yes"]'),
        ("c", "3"),
        ("gone", "yes"),
    ]
    assert result["progress"] == {"answered": 0, "applicable": 2}
    for bad in (None, [], "yes", 7):
        assert scoring.score(check, bad)["problems"][0]["message"].startswith("answers must be a mapping")


def test_band_edges_follow_min_inclusive_max_exclusive_and_100_in_the_top_band() -> None:
    check = make_check(*(question(f"q{index}") for index in range(10)))
    eight = {f"q{index}": "yes" for index in range(8)} | {"q8": "no", "q9": "no"}
    assert scoring.score(check, eight)["level"] == "good"  # exactly 80
    assert scoring.score(check, {f"q{index}": "yes" for index in range(10)})["level"] == "good"  # 100
    five = {f"q{index}": "yes" for index in range(5)} | {f"q{index}": "no" for index in range(5, 10)}
    assert scoring.score(check, five)["level"] == "fair"  # exactly 50


def test_dumps_is_canonical_and_the_report_escapes_content_text() -> None:
    check = make_check(question("a"))
    check["questions"][0]["text"] = "<script>alert(1)</script>"
    result = scoring.score(check, {"a": "no"})
    assert scoring.dumps({"b": 1, "a": "é"}) == '{"a":"é","b":1}'
    html = scoring.report_html(check, result)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "A &lt;clause&gt; &amp; text" in html


def test_the_browser_entry_points_load_a_check_once_then_score_by_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scoring, "_LOADED", {})
    check = make_check(question("a"), question("b", show_if={"question": "a", "answer_in": ["no"]}))
    other = {**make_check(question("x")), "id": "other"}
    assert scoring.browser_load(json.dumps(check)) == "demo"
    assert scoring.browser_load(json.dumps(other)) == "other"
    answers = {"a": "yes", "b": "no"}
    scored = scoring.browser_score("demo", json.dumps(answers))
    result = scoring.score(check, answers)
    assert scored == {"result": result, "html": scoring.report_html(check, result)}
    assert scored["result"]["hidden"] == ["b"]
    assert scoring.dumps(scored["result"]) == scoring.dumps(result), "the same bytes as the CLI's"
    assert scoring.browser_score("other", '{"x": "no"}')["result"]["check"] == "other", "both stay loaded"


def test_loading_a_check_again_keeps_the_same_version_and_takes_a_new_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scoring, "_LOADED", {})
    check = make_check(question("a"))
    scoring.browser_load(json.dumps(check))
    kept = scoring._LOADED["demo"]
    assert scoring.browser_load(json.dumps(check)) == "demo"
    assert scoring._LOADED["demo"] is kept, "the same id and version: nothing is replaced"
    newer = {**make_check(question("a"), question("b")), "version": 2}
    scoring.browser_load(json.dumps(newer))
    assert scoring.browser_score("demo", "{}")["result"]["version"] == 2
    assert scoring.browser_score("demo", "{}")["result"]["progress"]["applicable"] == 2


def test_browser_scoring_reports_bad_answers_and_refuses_a_check_not_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scoring, "_LOADED", {})
    scoring.browser_load(json.dumps(make_check(question("a"))))
    for bad in ("{not json", "null", "[]", '"yes"', None, "[" * 100_000):
        problems = scoring.browser_score("demo", bad)["result"]["problems"]
        assert problems[0]["message"].startswith("answers must be a mapping"), bad and bad[:20]
    problems = scoring.browser_score("demo", '{"a": null, "b": "yes", "a2": {"x": 1}}')["result"]["problems"]
    assert [problem["question"] for problem in problems] == ["a2", "b"]
    with pytest.raises(LookupError, match="'unknown' is not loaded"):
        scoring.browser_score("unknown", "{}")


def nested(depth: int) -> dict:
    """``{"x": {"x": … "deep" …}}``, built without recursion."""
    value: object = "deep"
    for _ in range(depth):
        value = {"x": value}
    return value


def test_answers_nested_too_deeply_to_show_are_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands deep, as a damaged browser store could hold them: a problem, never a RecursionError."""
    check = make_check(question("a"))
    for depth in (10, 900, 5_000, 100_000):
        result = scoring.score(check, {"a": nested(depth), "b": nested(depth)})
        assert [problem["question"] for problem in result["problems"]] == ["a", "b"], depth
        assert result["progress"]["answered"] == 0
        scoring.dumps(result)
    monkeypatch.setattr(scoring, "_LOADED", {})
    scoring.browser_load(json.dumps(check))
    for depth in (10, 900, 5_000, 100_000):
        text = '{"a": ' + '{"x": ' * depth + '"deep"' + "}" * depth + ', "b": "yes"}'
        problems = scoring.browser_score("demo", text)["result"]["problems"]
        assert problems and all(isinstance(problem["message"], str) for problem in problems), depth


def test_health_check_chart_has_every_area_with_its_number_and_level_in_text(corpus) -> None:
    health = next(check for check in corpus.checks.values() if check.area is None)
    compiled = compile_check(corpus, health)
    answers = {item["id"]: "yes" for item in compiled["questions"]}
    first_area = compiled["areas"][0]["id"]
    for item in compiled["questions"]:
        if item["area"] == first_area and not item["red_line"]:
            answers[item["id"]] = "no"
    result = scoring.score(compiled, answers)
    chart = scoring.chart_html(compiled, result)
    assert chart.count('class="check-bar"') == len(compiled["areas"]) == len(corpus.areas)
    for area in result["areas"]:
        assert f'data-area="{area["id"]}"' in chart
        assert f'<span class="check-bar__value">{area["score"]:.1f} · {area["label"]}' in chart
    patterns = {area["level"]: area for area in result["areas"]}
    assert len(patterns) >= 2, "the profile should give at least two different levels"
    assert "<figcaption" in chart and "<text" not in chart, "the words are HTML text, not SVG text that scales"


def test_the_engine_imports_only_the_standard_library() -> None:
    tree = ast.parse(Path(scoring.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "the engine must not import from the generator package"
            imported.add((node.module or "").split(".")[0])
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}


def test_recommendations_link_to_cases_that_name_their_question(corpus) -> None:
    from dataclasses import replace

    check = corpus.checks["labour-check"]
    model = next(iter(corpus.cases.values()))
    # A case that names one question and cites no clause of the check.
    example = replace(
        model,
        id="example",
        title="A <made-up> case",
        clauses=("preamble-1",),
        areas=("labour",),
        questions=("labour-written-contracts",),
    )
    compiled = compile_check(replace(corpus, cases={**corpus.cases, "example": example}), check)
    result = scoring.score(compiled, {"labour-written-contracts": "no", "labour-staff-rules": "no"})
    made_up = {"title": "A <made-up> case", "url": "../../cases/example/"}
    linked = {item["question"]: item["cases"] for item in result["recommendations"]}
    assert made_up in linked["labour-written-contracts"]
    assert made_up not in linked["labour-staff-rules"]
    html = scoring.report_html(compiled, result)
    assert '<a href="../../cases/example/">A &lt;made-up&gt; case</a>' in html
    assert made_up not in compile_check(corpus, check)["questions"][2]["cases"]


def test_recommendations_link_to_cases_that_cite_their_clauses(corpus) -> None:
    compiled = compile_check(corpus, corpus.checks["labour-check"])
    for question in compiled["questions"]:
        citing = {case.id for clause in question["clauses"] for case in corpus.cases_citing_clause(clause["id"])}
        linked = {case["url"].split("/")[-2] for case in question["cases"]}
        assert linked <= citing
        assert len(linked) == min(3, len(citing)), question["id"]


def test_all_any_and_not_conditions_with_a_not_holding_before_its_question_is_answered() -> None:
    check = make_check(
        question("a"),
        question("b"),
        question(
            "c", show_if={"all": [{"question": "a", "answer_in": ["yes"]}, {"question": "b", "answer_in": ["no"]}]}
        ),
        question(
            "d", show_if={"any": [{"question": "a", "answer_in": ["no"]}, {"question": "c", "answer_in": ["no"]}]}
        ),
        question("e", show_if={"not": {"question": "a", "answer_in": ["yes", "partly"]}}),
    )
    assert scoring.score(check, {})["hidden"] == ["c", "d"], "not: holds while 'a' is unanswered"
    assert scoring.score(check, {"a": "yes", "b": "yes"})["hidden"] == ["c", "d", "e"]
    assert scoring.score(check, {"a": "yes", "b": "no"})["hidden"] == ["d", "e"]
    assert scoring.score(check, {"a": "yes", "b": "no", "c": "no"})["hidden"] == ["e"], "any: through c"
    assert scoring.score(check, {"a": "no"})["hidden"] == ["c"]


def test_a_gate_question_counts_in_progress_but_never_in_score_recommendations_or_red_lines() -> None:
    gate = {**question("gate", weight=0), "scored": False, "advice_html": ""}
    check = make_check(gate, question("a", show_if={"question": "gate", "answer_in": ["yes"]}), question("b"))
    unanswered = scoring.score(check, {"b": "yes"})
    assert unanswered["status"] == "incomplete" and unanswered["unanswered"] == ["gate"]
    assert unanswered["progress"] == {"answered": 1, "applicable": 2}
    result = scoring.score(check, {"gate": "no", "b": "partly"})
    assert (result["score"], result["status"], result["hidden"]) == (50.0, "complete", ["a"])
    assert [item["question"] for item in result["recommendations"]] == ["b"]
    assert result["items"][0]["status"] == "answered" and not result["red_line_failed"]
    html = scoring.report_html(check, result)
    assert "About your business (1)" in html and 'data-item="gate" data-item-status="answered"' in html


def test_report_words_come_from_the_check_s_texts_with_one_and_other_forms() -> None:
    check = make_check(question("a"), question("b"), question("c"), question("d"), question("e"))
    texts = {**REPORT_TEXTS, "more_actions": {"one": "One more: {count}.", "other": "More: {count}."}}
    check = {**check, "texts": texts}
    two_more = scoring.report_html(check, scoring.score(check, dict.fromkeys("abcde", "no")))
    assert "More: 2." in two_more
    one_more = scoring.report_html(check, scoring.score(check, dict.fromkeys("abcd", "no")))
    assert "One more: 1." in one_more
    only_other = {**check, "texts": {**texts, "more_actions": {"other": "还有 {count} 项<b>。"}}}
    assert "还有 1 项&lt;b&gt;。" in scoring.report_html(
        only_other, scoring.score(only_other, dict.fromkeys("abcd", "no"))
    )
