"""The plan across checks (``plan``, ``plan_html``, ``plan_csv``, ``browser_plan`` in the engine),
on small compiled checks built here: figures equal the per-check scorer's, actions are ordered red
lines first then weight × shortfall across checks, and the CSV opens cleanly in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json

import pytest
from test_scoring import make_check, question

from generator import scoring
from generator.locale import load_locale


def two_checks() -> tuple[dict, dict]:
    first = make_check(question("a", weight=3), question("b", weight=1, red_line=True), question("c", weight=2))
    second = make_check(question("x", area="two", weight=5), question("y", area="three", weight=1))
    second["id"], second["title"] = "other", "Other check"
    return first, second


def entries(*pairs: tuple[dict, object]) -> list[dict]:
    return [{"check": check, "record": record} for check, record in pairs]


def test_each_checks_figures_are_the_per_check_scorers() -> None:
    first, second = two_checks()
    answers_1 = {"a": "no", "b": "partly", "c": "yes"}
    answers_2 = {"x": "partly"}
    result = scoring.plan(entries((first, {"answers": answers_1}), (second, {"answers": answers_2})))
    assert [item["check"] for item in result["checks"]] == ["demo", "other"]
    for item, check, answers in zip(result["checks"], (first, second), (answers_1, answers_2), strict=True):
        expected = scoring.score(check, answers)
        assert item["score"] == expected["score"]
        assert item["status"] == expected["status"]
        assert item["progress"] == expected["progress"]
        assert item["red_line_failed"] == expected["red_line_failed"]
        assert item["actions"] == len(expected["recommendations"])
        assert item["url"] == f"../{check['id']}/"
    complete, incomplete = result["checks"]
    assert (complete["level"], complete["label"]) == ("poor", "Poor"), "a failed red line sets the worst level"
    assert incomplete["status"] == "incomplete" and incomplete["level"] is None and incomplete["label"] is None
    areas = {area["id"]: area for area in incomplete["areas"]}
    assert areas["two"]["level"] == "fair", "an area whose questions are all answered has its level"
    assert areas["three"]["level"] is None and areas["three"]["score"] is None
    assert complete["areas"] == [], "a check of one area lists no areas"


def test_actions_across_checks_put_red_lines_first_then_weight_times_shortfall() -> None:
    first, second = two_checks()
    result = scoring.plan(
        entries(
            (first, {"answers": {"a": "no", "b": "partly", "c": "partly"}}),
            (second, {"answers": {"x": "partly", "y": "no"}}),
        )
    )
    order = [(action["check"], action["question"]) for action in result["actions"]]
    # b: red line (1 × 1); a: 3 × 2 = 6; x: 5 × 1 = 5; c: 2 × 1 = 2; y: 1 × 2 = 2 (after c: later check)
    assert order == [("demo", "b"), ("demo", "a"), ("other", "x"), ("demo", "c"), ("other", "y")]
    statuses = {action["question"]: action["status"] for action in result["actions"]}
    assert statuses == {"b": "partly", "a": "not_met", "x": "partly", "c": "partly", "y": "not_met"}
    a = next(action for action in result["actions"] if action["question"] == "a")
    assert a["area_title"] == "One" and a["check_title"] == "Demo" and a["answer_label"] == "No"
    assert a["clauses"] == first["questions"][0]["clauses"]


def test_dates_come_from_the_assessment_then_the_newest_kept_assessment() -> None:
    first, _ = two_checks()
    history = [{"saved": "2026-09-01T10:00:00.000Z", "answers": {}}, {"saved": "2026-10-05T08:00:00Z", "answers": {}}]
    cases = [
        ({"answers": {}, "assessment": {"date": "2026-11-02"}, "history": history}, ("2026-11-02", "assessment")),
        ({"answers": {}, "assessment": {"date": "yesterday"}, "history": history}, ("2026-10-05", "history")),
        ({"answers": {}, "history": [{"saved": 5}, "x"]}, (None, None)),
        ({"check": "demo", "version": 1, "answers": {}}, (None, None)),
    ]
    for record, expected in cases:
        item = scoring.plan(entries((first, record)))["checks"][0]
        assert (item["date"], item["date_source"]) == expected, record
    html = scoring.plan_html(scoring.plan(entries((first, {"answers": {}}))))
    assert "date not recorded" in html


def test_bad_records_and_entries_never_raise() -> None:
    first, second = two_checks()
    result = scoring.plan(
        [
            {"check": first, "record": "not a record"},
            {"check": {"id": "broken"}, "record": {}},
            "junk",
            {"check": second, "record": {"answers": {"x": "sometimes", "ghost": "yes"}}},
            {"check": second, "record": {"answers": {}}},
        ]
    )
    assert [item["check"] for item in result["checks"]] == ["demo", "other"]
    assert result["checks"][0]["problems"] == 1, "answers that are not a mapping are the engine's problem"
    assert result["checks"][1]["problems"] == 2
    assert [problem["message"] for problem in result["problems"]] == [
        "entry 2 holds no compiled check; left out",
        "entry 3 holds no compiled check; left out",
        "this check was given twice; the first is shown",
    ]
    assert scoring.plan("nope")["checks"] == []
    for text in ("{not json", "null", json.dumps({"a": 1}), "[" * 100_000):
        output = scoring.browser_plan(text)
        assert output["plan"]["checks"] == [] and output["plan"]["problems"]
        assert output["csv"].startswith("\ufeff")


def rows_of(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_the_csv_opens_cleanly_in_a_spreadsheet() -> None:
    first, _ = two_checks()
    first["questions"][0]["advice_html"] = (
        "<ul>\n<li>Write &amp; sign <em>contracts</em></li>\n<li>Keep them</li>\n</ul>"
    )
    first["questions"][0]["text"] = "=cmd|' /C calc'!A0"
    record = {
        "answers": {"a": "no", "b": "yes", "c": "partly"},
        "notes": {"a": '+SUM(A1) "quoted"', "c": "line\r\nnext"},
    }
    text = scoring.plan_csv(scoring.plan(entries((first, record))))
    body = text[1:]
    assert body.count("\r\n") == 3 and body.endswith("\r\n"), "CRLF after every row"
    header, *rows = rows_of(text)
    assert header == list(scoring.CSV_HEADINGS), "the check's texts: English here"
    assert header[1:6] == ["Area", "Question", "Clause", "Advice", "Status"]
    by_column = [dict(zip(header, row, strict=True)) for row in rows]
    a, c = by_column
    assert a["Rank"] == "1" and a["Area"] == "One" and a["Status"] == "Not met" and a["Red line"] == "no"
    assert a["Question"] == "'=cmd|' /C calc'!A0", "a formula-like cell is neutralised"
    assert a["Note"] == '\'+SUM(A1) "quoted"'
    assert a["Advice"] == "• Write & sign contracts\n• Keep them", "advice as plain text"
    assert a["Clause"] == "c-1: A <clause> & text"
    assert c["Note"] == "line\nnext" and c["Status"] == "Partly met"


def test_the_rule_for_formula_cells_is_the_engines_and_the_cli_uses_it() -> None:
    from generator import score_cli

    assert score_cli.spreadsheet_safe is scoring.spreadsheet_safe
    for start in scoring.FORMULA_START:
        assert scoring.spreadsheet_safe(f"{start}1") == f"'{start}1"
    assert scoring.spreadsheet_safe("Fine") == "Fine" and scoring.spreadsheet_safe(2) == 2


def test_plan_html_escapes_every_text_and_marks_its_hooks() -> None:
    first, second = two_checks()
    first["title"] = "<b>Demo</b>"
    first["questions"][0]["text"] = "<script>alert(1)</script>"
    record = {"answers": {"a": "no", "b": "yes", "c": "yes"}, "notes": {"a": "<img src=x onerror=alert(1)>"}}
    html = scoring.plan_html(scoring.plan(entries((first, record), (second, {"answers": {}}))))
    assert "<script>" not in html and "<img" not in html and "<b>Demo" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'data-plan-check="demo" data-plan-status="complete"' in html
    assert 'data-plan-check="other" data-plan-status="incomplete"' in html
    assert '<li class="plan-action" data-plan-action="demo:a" data-plan-red-line="false"' in html
    assert '<a class="plan-continue" href="../demo/">Review' in html
    assert '<a class="plan-continue" href="../other/">Continue' in html
    assert "No level until complete" in html
    assert "<p>Fix a.</p>" in html, "the advice is the generator's safe HTML"


@pytest.mark.parametrize(
    ("records", "wording"),
    [
        ([{"answers": {}}], "No actions yet"),
        ([{"answers": {"a": "yes"}}], "Finish the checks in progress"),
        ([{"answers": {"a": "yes", "b": "yes", "c": "na"}}], "every question you answered has the best answer."),
    ],
)
def test_a_plan_without_actions_says_why(records: list, wording: str) -> None:
    first, _ = two_checks()
    html = scoring.plan_html(scoring.plan(entries(*((first, record) for record in records))))
    assert wording in html and "What to do next (0)" in html


def test_an_empty_plan() -> None:
    output = scoring.browser_plan("[]")
    assert output["plan"] == {
        "engine": scoring.ENGINE_VERSION,
        "checks": [],
        "actions": [],
        "problems": [],
        "texts": {},
    }
    assert "No saved self-check answers" in output["html"]
    assert rows_of(output["csv"]) == [list(scoring.CSV_HEADINGS)]


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (
            "<p>One &amp; two</p>\n<p>Three&nbsp;four &#x41;&#66; &bogus; &amp</p>",
            "One & two\nThree four AB &bogus; &amp",
        ),
        ("plain <a href='x'>link</a> text", "plain link text"),
        ("<ol><li>a</li><li></li></ol>", "• a"),
        ("broken <p", "broken"),
    ],
)
def test_plain_text(html: str, text: str) -> None:
    assert scoring.plain_text(html) == text


def test_the_plan_speaks_the_language_of_its_checks_texts() -> None:
    first, _ = two_checks()
    chinese_texts = {
        key: value if isinstance(value, str) else dict(value)
        for key, value in load_locale("zh").namespace("report").items()
    }
    chinese = {**first, "texts": chinese_texts}
    output = scoring.browser_plan(json.dumps(entries((chinese, {"answers": {"a": "no", "b": "partly", "c": "yes"}}))))
    assert "已保存 1 项自查；2 项待办事项，其中 1 项涉及红线。" in output["html"]
    assert "Your checks" not in output["html"] and "您的自查" in output["html"]
    header, *rows = rows_of(output["csv"])
    assert header[:3] == ["序号", "领域", "问题"] and rows[0][6] == "是" and rows[0][5] == "部分做到"
