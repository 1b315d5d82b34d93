"""The engine's record rules (issue 11) on small compiled checks built here: questions that do not
accept Not applicable, no level until complete, the status of every item, notes, review flags,
the assessment's details, the comparison with the last saved assessment, and every record field
checked without raising."""

from __future__ import annotations

import json

import pytest
from test_scoring import BANDS, OPTIONS, make_check, question

from generator import scoring

SCORED = [option for option in OPTIONS if not option["not_applicable"]]


def strict(qid: str, **kwargs) -> dict:
    """A question compiled from content saying ``not_applicable: false``: no N/A option."""
    return {**question(qid, **kwargs), "options": SCORED}


def assess(check: dict, **record) -> dict:
    return scoring.assess(check, record)


# --- Not applicable decided per question ------------------------------------------------------


def test_na_to_a_question_without_na_is_not_an_option_and_leaves_it_unanswered() -> None:
    check = make_check(strict("line", red_line=True), question("b"))
    result = scoring.score(check, {"line": "na", "b": "yes"})
    assert result["problems"] == [
        {"field": "answers", "question": "line", "answer": "na", "message": "not an option of this question; ignored"}
    ]
    assert result["status"] == "incomplete" and result["unanswered"] == ["line"]
    assert result["progress"] == {"answered": 1, "applicable": 2}, "the question still counts"
    assert result["red_line_failed"] is False and result["level"] is None
    assert [item["status"] for item in result["items"]] == ["unanswered", "met"]


def test_na_still_takes_a_question_that_accepts_it_out_of_the_score() -> None:
    check = make_check(question("line", red_line=True), question("b"))
    result = scoring.score(check, {"line": "na", "b": "yes"})
    assert result["problems"] == [] and result["status"] == "complete"
    assert (result["score"], result["level"], result["red_line_failed"]) == (100.0, "good", False)


def test_a_red_line_without_na_fails_on_anything_but_the_best_answer() -> None:
    check = make_check(strict("line", red_line=True, weight=1), question("b", weight=20))
    result = scoring.score(check, {"line": "partly", "b": "yes"})
    assert result["score"] > 95 and result["level"] == "poor" and result["red_line_failed"]


# --- No level until complete --------------------------------------------------------------------


def test_no_level_overall_or_per_area_until_every_applicable_question_is_answered() -> None:
    check = make_check(question("a1"), question("a2"), question("b1", area="two"), question("b2", area="two"))
    result = scoring.score(check, {"a1": "yes", "a2": "na", "b1": "yes"})
    areas = {area["id"]: area for area in result["areas"]}
    assert (areas["one"]["status"], areas["one"]["level"], areas["one"]["label"]) == ("complete", "good", "Good")
    assert (areas["two"]["status"], areas["two"]["level"], areas["two"]["summary"]) == ("incomplete", None, None)
    assert areas["two"]["score"] == 100.0, "the area's score is provisional, but there"
    assert (result["level"], result["label"], result["summary"]) == (None, None, None)
    complete = scoring.score(check, {"a1": "yes", "a2": "na", "b1": "yes", "b2": "no"})
    assert complete["level"] == "fair" and [area["level"] for area in complete["areas"]] == ["good", "fair"]


def test_a_failed_red_line_shows_no_level_until_complete_but_is_flagged() -> None:
    check = make_check(question("line", red_line=True), question("b"))
    result = scoring.score(check, {"line": "no"})
    assert result["red_line_failed"] is True and result["level"] is None
    assert "Red line:" in scoring.report_html(check, result)


def test_everything_not_applicable_is_complete_without_score_or_level() -> None:
    check = make_check(question("a"), question("b"))
    result = scoring.score(check, {"a": "na", "b": "na"})
    assert (result["status"], result["score"], result["level"]) == ("complete", None, None)
    assert result["progress"] == {"answered": 0, "applicable": 0}


# --- Items --------------------------------------------------------------------------------------

THREE_TWO_ONE = [
    {"id": "high", "label": "Always", "points": 3, "not_applicable": False},
    {"id": "mid", "label": "Often", "points": 2, "not_applicable": False},
    {"id": "low", "label": "Rarely", "points": 1, "not_applicable": False},
]


def test_every_shown_question_has_an_item_with_its_status_note_and_review_flag() -> None:
    odd = {**question("odd"), "options": THREE_TWO_ONE, "best": 3}
    check = make_check(
        question("met", red_line=True),
        question("partly"),
        question("not-met"),
        question("na"),
        question("open"),
        question("hidden", show_if={"question": "met", "answer_in": ["no"]}),
        odd,
    )
    record = {
        "answers": {"met": "yes", "partly": "partly", "not-met": "no", "na": "na", "odd": "low"},
        "notes": {"partly": "Ask the accountant.", "hidden": "kept, not shown"},
        "review": ["open", "open"],
    }
    result = scoring.assess(check, record)
    assert [(item["question"], item["status"]) for item in result["items"]] == [
        ("met", "met"),
        ("partly", "partly"),
        ("not-met", "not_met"),
        ("na", "not_applicable"),
        ("open", "unanswered"),
        ("odd", "not_met"),
    ], "the lowest points of the question's options is not met, even above 0; hidden questions have no item"
    first = result["items"][0]
    assert first == {
        "question": "met",
        "area": "one",
        "text": "Question met?",
        "red_line": True,
        "status": "met",
        "answer": "yes",
        "answer_label": "Yes",
        "note": None,
        "review": False,
    }
    assert result["items"][1]["note"] == "Ask the accountant." and result["items"][4]["review"] is True
    assert result["items"][4]["answer"] is None and result["items"][4]["answer_label"] is None
    assert result["notes"] == {"hidden": "kept, not shown", "partly": "Ask the accountant."}
    assert result["review"] == ["open"]
    assert result["problems"] == []


# --- The record's fields ------------------------------------------------------------------------


def test_score_is_assess_of_the_answers_alone() -> None:
    check = make_check(question("a"), question("b"))
    answers = {"a": "yes", "b": "partly"}
    assert scoring.score(check, answers) == scoring.assess(check, {"answers": answers})
    result = scoring.score(check, answers)
    assert (result["notes"], result["review"], result["assessment"], result["comparison"]) == ({}, [], None, None)


def test_todays_files_and_saved_values_are_records_without_problems() -> None:
    check = make_check(question("a"))
    exported = {"check": "demo", "version": 1, "exported": "2026-11-22T09:30:00.000Z", "answers": {"a": "no"}}
    saved = {"check": "demo", "version": 1, "answers": {"a": "no"}}
    for record in (exported, saved):
        result = scoring.assess(check, record)
        assert result["problems"] == [] and result["score"] == 0.0


def test_a_bare_answers_mapping_is_read_as_a_record() -> None:
    assert scoring.as_record({"a": "yes"}) == {"answers": {"a": "yes"}}
    assert scoring.as_record({}) == {"answers": {}}
    record = {"answers": {"a": "yes"}, "notes": {}}
    assert scoring.as_record(record) is record
    broken = {"check": "demo", "version": 1}
    assert scoring.as_record(broken) is broken, "a record without answers stays a record, and is reported"
    assert scoring.assess(make_check(question("a")), broken)["problems"][0]["message"].startswith(
        "answers must be a mapping"
    )
    assert scoring.as_record([1]) == [1]


def problems_of(check: dict, record: object) -> list[tuple[str, str | None, str]]:
    return [(p["field"], p["question"], p["message"]) for p in scoring.assess(check, record)["problems"]]


def test_the_check_version_and_export_date_are_checked() -> None:
    check = make_check(question("a"))
    assert problems_of(check, {"check": "other", "version": 2, "exported": "yesterday", "answers": {}}) == [
        ("check", None, "these answers are for another check, not demo"),
        ("version", None, "these answers were given to version 2 of this check, which is now version 1; check them"),
        ("exported", None, "not a date and time (ISO 8601); ignored"),
    ]
    for version in (0, True, "1", 1.5, None):
        assert problems_of(check, {"version": version, "answers": {}}) == [
            ("version", None, "a version is a whole number from 1; ignored")
        ], version


def test_notes_are_checked_kept_as_text_and_cut_at_the_limit() -> None:
    check = make_check(question("a"), question("b"), question("c"))
    long = "x" * (scoring.MAX_NOTE + 5)
    record = {"answers": {}, "notes": {"a": long, "b": 7, "c": "   ", "gone": "note", "": None}}
    result = scoring.assess(check, record)
    assert [(p["field"], p["question"], p["message"]) for p in result["problems"]] == [
        ("notes", "", "a note on a question this check does not have; ignored"),
        ("notes", "a", f"a note is at most {scoring.MAX_NOTE} characters; the rest was left out"),
        ("notes", "b", "a note must be text; ignored"),
        ("notes", "gone", "a note on a question this check does not have; ignored"),
    ]
    assert result["notes"] == {"a": "x" * scoring.MAX_NOTE}, "an empty or blank note is no note"
    assert problems_of(check, {"answers": {}, "notes": ["a"]}) == [
        ("notes", None, "notes must be a mapping of question id to text; ignored")
    ]


def test_review_flags_are_checked() -> None:
    check = make_check(question("a"))
    result = scoring.assess(check, {"answers": {}, "review": ["a", "gone", 3, ["a"]]})
    assert result["review"] == ["a"]
    assert [(p["answer"], p["message"]) for p in result["problems"]] == [
        ("gone", "marked for review, but not a question of this check; ignored"),
        ("3", "marked for review, but not a question of this check; ignored"),
        ('["a"]', "marked for review, but not a question of this check; ignored"),
    ]
    assert problems_of(check, {"answers": {}, "review": "a"}) == [
        ("review", None, "review must be a list of question ids; ignored")
    ]


def test_the_assessment_details_are_checked() -> None:
    check = make_check(question("a"))
    good = {"organisation": " Acme ", "assessor": "", "date": "2024-02-29"}
    result = scoring.assess(check, {"answers": {}, "assessment": good})
    assert result["assessment"] == {"organisation": "Acme", "assessor": None, "date": "2024-02-29"}
    assert result["problems"] == []
    assert scoring.assess(check, {"answers": {}, "assessment": {"assessor": None}})["assessment"] is None
    bad = {"organisation": 5, "assessor": "y" * 300, "date": "2026-02-29", "phone": "123"}
    result = scoring.assess(check, {"answers": {}, "assessment": bad})
    assert [p["message"] for p in result["problems"]] == [
        "unknown detail 'phone'; ignored",
        "the organisation must be text; ignored",
        f"the assessor is at most {scoring.MAX_DETAIL} characters; the rest was left out",
        "the date must be a date written YYYY-MM-DD; ignored",
    ]
    assert result["assessment"] == {"organisation": None, "assessor": "y" * scoring.MAX_DETAIL, "date": None}
    for date in ("2026-13-01", "2026-1-01", "01/02/2026", "2026-04-31", "0000-01-01"):
        record = {"answers": {}, "assessment": {"date": date}}
        assert scoring.assess(check, record)["assessment"] is None, date
    assert problems_of(check, {"answers": {}, "assessment": "Acme"}) == [
        ("assessment", None, "the assessment's details must be a mapping; ignored")
    ]


def test_the_history_is_checked_and_only_its_newest_good_entry_is_compared() -> None:
    check = make_check(question("a"))
    entry = {"saved": "2026-11-01T10:00:00.000Z", "answers": {"a": "no"}}
    history = [entry, {"saved": "2026-11-02", "answers": {}}, {"saved": "2026-11-03T10:00:00Z"}, "x"]
    result = scoring.assess(check, {"answers": {"a": "yes"}, "history": history})
    assert [p["message"] for p in result["problems"]] == [
        "a saved assessment needs the date and time it was saved; ignored",
        "a saved assessment must hold its answers; ignored",
        "a saved assessment must hold its answers; ignored",
    ]
    assert result["comparison"]["saved"] == "2026-11-01T10:00:00.000Z"
    many = [{**entry, "saved": f"2026-10-{day:02d}T10:00:00Z"} for day in range(1, 23)]
    result = scoring.assess(check, {"answers": {}, "history": many})
    assert [p["message"] for p in result["problems"]] == [
        f"22 saved assessments; only the newest {scoring.MAX_HISTORY} are read"
    ]
    assert result["comparison"]["saved"] == "2026-10-22T10:00:00Z"
    assert problems_of(check, {"answers": {}, "history": {}}) == [
        ("history", None, "history must be a list of saved assessments; ignored")
    ]
    assert scoring.assess(check, {"answers": {}, "history": []})["comparison"] is None


HOSTILE = [
    None,
    True,
    3,
    1e308,
    "text",
    [],
    [None, {"a": []}],
    {"": {"": []}},
    {"answers": []},
    {"answers": {"a": {"x": 1}}, "notes": {"a": ["x"]}, "review": [{}], "assessment": [], "history": [[]]},
    {"answers": {}, "assessment": {"date": 20261201}, "history": [{"saved": 1, "answers": {}}]},
    {"answers": {}, "history": [{"saved": "2026-11-01T10:00:00Z", "answers": {"a": "maybe", "gone": "yes"}}]},
    # Not from JSON, as a Python caller could pass them: mixed key types, a set, a cycle.
    {"answers": {"a": {1: "x", "b": 2}}, "notes": {"a": {1, 2}}, "review": [float("nan")]},
    {"answers": (cycle := []), "history": [cycle.append(cycle) or cycle]},
]


@pytest.mark.parametrize("record", HOSTILE, ids=range(len(HOSTILE)))
def test_no_record_makes_the_engine_raise(record: object) -> None:
    check = make_check(question("a"), question("b", area="two"))
    result = scoring.assess(check, record)
    scoring.dumps(result)
    scoring.report_html(check, result)
    assert all(set(p) == {"field", "question", "answer", "message"} for p in result["problems"])


def test_values_nested_too_deeply_to_show_are_reported_in_every_field() -> None:
    deep: object = "deep"
    for _ in range(5_000):
        deep = [deep]
    check = make_check(question("a"))
    record = {"answers": {"a": deep}, "notes": {"a": deep}, "review": [deep], "assessment": {"date": deep}}
    result = scoring.assess(check, record)
    assert {p["answer"] for p in result["problems"]} == {scoring.NOT_SHOWN}
    assert len(result["problems"]) == 4


def test_a_long_bad_value_is_shown_cut() -> None:
    result = scoring.assess(make_check(question("a")), {"answers": {"a": "z" * 5000}})
    assert result["problems"][0]["answer"] == "z" * scoring.MAX_SHOWN + "…"


# --- Comparison ---------------------------------------------------------------------------------


def test_the_comparison_rescores_the_newest_saved_assessment_with_the_same_engine() -> None:
    check = make_check(
        question("a"), question("b"), question("c", area="two"), question("d", area="two"), question("e", area="two")
    )
    before = {"a": "no", "b": "partly", "c": "yes", "d": "no", "e": "no"}
    now = {"a": "yes", "b": "partly", "c": "no", "d": "na"}
    history = [
        {"saved": "2026-10-01T08:00:00.000Z", "answers": {}},
        {"saved": "2026-11-01T10:00:00.000Z", "answers": before},
    ]
    result = scoring.assess(check, {"answers": now, "history": history})
    assert result["comparison"] == {
        "saved": "2026-11-01T10:00:00.000Z",
        "score_before": scoring.score(check, before)["score"],
        "score_after": result["score"],
        "areas": [
            {"id": "one", "title": "One", "before": 25.0, "after": 75.0},
            {"id": "two", "title": "Two", "before": 33.3, "after": 0.0},
        ],
        # a is met now and d not applicable: done. e is unanswered now: not done, and not new.
        "done": ["a", "d"],
        "new": ["c"],
    }
    html = scoring.report_html(check, result)
    assert "data-result-comparison" in html and "Since the assessment saved on 2026-11-01" in html
    assert "Question a?" in html.split("data-result-comparison")[1]


def test_the_saved_assessments_answers_are_checked_and_their_problems_reported() -> None:
    check = make_check(question("a"))
    history = [{"saved": "2026-11-01T10:00:00Z", "answers": {"a": "maybe", "gone": "yes"}}]
    result = scoring.assess(check, {"answers": {"a": "yes"}, "history": history})
    assert [(p["field"], p["question"], p["message"]) for p in result["problems"]] == [
        ("history", "a", "in the assessment saved 2026-11-01T10:00:00Z: not an option of this question; ignored"),
        ("history", "gone", "in the assessment saved 2026-11-01T10:00:00Z: no such question in this check; ignored"),
    ]
    assert result["comparison"]["score_before"] is None


# --- Compiled areas' check links ----------------------------------------------------------------


def test_areas_carry_their_check_url_into_the_result() -> None:
    check = make_check(question("a"), question("b", area="two"))
    check["areas"][0]["check_url"] = "../one-check/"
    check["areas"][1]["check_url"] = None
    result = scoring.score(check, {})
    assert [area["check_url"] for area in result["areas"]] == ["../one-check/", None]


# --- The browser's entry point ------------------------------------------------------------------


def test_browser_score_takes_a_record_or_a_bare_answers_mapping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scoring, "_LOADED", {})
    check = make_check(question("a"), question("b"))
    scoring.browser_load(json.dumps(check))
    record = {"answers": {"a": "yes"}, "notes": {"a": "<b>ok</b>"}, "assessment": {"assessor": "Li"}}
    scored = scoring.browser_score("demo", json.dumps(record))
    result = scoring.assess(check, record)
    assert scored == {"result": result, "html": scoring.report_html(check, result)}
    bare = scoring.browser_score("demo", json.dumps({"a": "yes"}))["result"]
    assert bare == scoring.score(check, {"a": "yes"}) and bare["problems"] == []
    assert BANDS[0]["label"] in scoring.browser_score("demo", '{"a": "yes", "b": "yes"}')["html"]
