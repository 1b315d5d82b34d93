"""The report the engine renders (issue 11): summary first, progress, a provisional score and no
level while incomplete, no internal ids as text, the right words when there is no action, the
status of every item, clause texts quoted once, notes and review flags, the comparison, the
health check's links to each area's own check by need, a chart whose words are HTML text, and
every content or record text escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from test_scoring import make_check, question

from generator import scoring

INLINE = {"a", "strong", "em", "q", "code"}


class Reader(HTMLParser):
    """The visible text of an HTML fragment, and the elements with a given attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in INLINE:
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE:
            self.text.append(" ")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(html: str) -> Reader:
    reader = Reader()
    reader.feed(html)
    reader.close()
    return reader


def visible(html: str) -> str:
    return " ".join("".join(read(html).text).split())


def with_attribute(html: str, name: str) -> list[dict[str, str | None]]:
    return [attrs for _, attrs in read(html).tags if name in attrs]


def report(check: dict, record: dict) -> str:
    return scoring.report_html(check, scoring.assess(check, record))


def test_the_summary_comes_first_in_the_contracts_order() -> None:
    check = make_check(question("a", red_line=True), question("b"), question("c"), question("d"), question("e"))
    record = {
        "answers": {"a": "yes", "b": "no", "c": "no", "d": "partly", "e": "no"},
        "assessment": {"organisation": "Acme", "assessor": "Li Wei", "date": "2026-12-01"},
    }
    html = report(check, record)
    marks = [
        "data-result-score",
        "data-result-level",
        "data-result-status",
        "Date of the assessment: 2026-12-01",
        "Acme",
        "Top actions",
        "What to do next",
        "Your answers",
    ]
    positions = [html.index(mark) for mark in marks]
    assert positions == sorted(positions)
    summary = html.split("</section>")[0]
    assert summary.count("<li>") == scoring.TOP_ACTIONS and "And 1 more action below." in summary
    assert '<a href="#action-b">' in summary and 'id="action-b"' in html


def test_incomplete_a_provisional_score_the_progress_and_no_level() -> None:
    check = make_check(
        question("a"), question("b"), question("c"), question("d", show_if={"question": "a", "answer_in": ["no"]})
    )
    html = report(check, {"answers": {"a": "yes", "b": "na"}})
    text = visible(html)
    assert "Provisional score 100.0 / 100 (over the questions answered so far)" in text
    assert [a["data-result-progress"] for a in with_attribute(html, "data-result-progress")] == [None]
    assert "1 of 2 applicable questions answered" in text
    (level,) = with_attribute(html, "data-result-level")
    assert level["data-level"] == ""
    assert '<strong data-result-level data-level=""></strong>' in html, "empty while incomplete"
    assert "no level until every applicable question is answered" in text
    assert [a["data-result-status"] for a in with_attribute(html, "data-result-status")] == ["incomplete"]


def test_complete_the_level_is_its_label_with_the_id_only_in_an_attribute() -> None:
    check = make_check(question("a"), question("b"))
    html = report(check, {"answers": {"a": "yes", "b": "no"}})
    assert '<strong data-result-level data-level="fair">Fair</strong>' in html
    text = visible(html)
    assert text.startswith("Score 50.0 / 100 Risk level: Fair Status: complete, 2 of 2 applicable")
    assert "provisional" not in text.lower()
    for leftover in ("( fair )", "(fair)", "not yet known", "()"):
        assert leftover not in text


def test_no_internal_id_is_visible_text() -> None:
    check = make_check(
        question("q-alpha", red_line=True), question("q-beta", area="area-two"), question("q-gamma", area="area-two")
    )
    check["areas"][0]["check_url"] = "../one/"
    check["areas"][1]["check_url"] = "../two/"
    for number, item in enumerate(check["questions"]):
        item["text"] = f"Question number {number}?"
        item["advice_html"] = "<p>Advice.</p>"
    check["areas"][1]["title"] = "Second area"
    history = [{"saved": "2026-11-01T10:00:00Z", "answers": {"q-alpha": "no", "retired": "yes"}}]
    record = {
        "answers": {"q-alpha": "partly", "q-beta": "no", "gone": "yes", "q-gamma": "maybe"},
        "notes": {"q-beta": "n"},
        "review": ["q-gamma"],
        "history": history,
    }
    text = visible(report(check, record))
    for internal in ("q-alpha", "q-beta", "q-gamma", "area-two", "Area-Two", "retired", "gone", "poor", "fair", "good"):
        assert internal not in text, internal
    assert "A question this check does not have: no such question in this check; ignored" in text
    assert "Question number 2?: not an option of this question; ignored" in text, "named by its text"


def test_no_actions_is_worded_for_each_case() -> None:
    check = make_check(question("a"), question("b"))
    wrong = "every answered question has the best answer"
    cases = {
        "Answer the questions to see your score and what to do next.": {},
        "Every question was answered Not applicable, so there is nothing to score": {"a": "na", "b": "na"},
        "No actions so far: every question answered has the best answer. 1 question remains to answer.": {"a": "yes"},
        "No actions: every applicable question has the best answer.": {"a": "yes", "b": "na"},
    }
    for words, answers in cases.items():
        text = visible(report(check, {"answers": answers}))
        assert words in text and wrong not in text, answers
    all_na = visible(report(check, {"answers": {"a": "na", "b": "na"}}))
    assert "no level: no question applies to you" in all_na and "Provisional" not in all_na


def test_every_item_has_its_status_and_the_groups_start_with_what_is_done_well() -> None:
    check = make_check(question("a"), question("b"), question("c"), question("d"), question("e"))
    record = {
        "answers": {"a": "no", "b": "yes", "c": "partly", "d": "na"},
        "notes": {"c": "Due in May"},
        "review": ["e"],
    }
    html = report(check, record)
    items = {attrs["data-item"]: attrs["data-item-status"] for attrs in with_attribute(html, "data-item")}
    assert items == {"a": "not_met", "b": "met", "c": "partly", "d": "not_applicable", "e": "unanswered"}
    text = visible(html)
    headings = ["What you already do well (1)", "Partly in place (1)", "Not in place (1)", "Not applicable to you (1)"]
    positions = [text.index(heading) for heading in [*headings, "Not answered yet (1)"]]
    assert positions == sorted(positions)
    assert "Question c? Your answer: Partly. Note: Due in May" in text
    assert "Question e? Marked for review" in text


def test_each_clause_text_is_quoted_once_across_the_actions() -> None:
    check = make_check(question("a", weight=2), question("b"))
    html = report(check, {"answers": {"a": "no", "b": "no"}})
    assert html.count("A &lt;clause&gt; &amp; text") == 1
    assert "(quoted under action 1)" in visible(html)
    assert [a["data-recommendation"] for a in with_attribute(html, "data-recommendation")] == ["a", "b"]


def test_the_health_check_links_each_areas_own_check_by_need() -> None:
    check = make_check(
        question("a1", area="calm"),
        question("b1", area="lines", red_line=True, weight=1),
        question("b2", area="lines", weight=9),
        question("c1", area="low"),
        question("d1", area="unseen"),
        question("e1", area="own"),
    )
    for area in check["areas"]:
        area["check_url"] = None if area["id"] == "own" else f"../{area['id']}-check/"
    html = report(check, {"answers": {"a1": "yes", "b1": "partly", "b2": "yes", "c1": "no", "e1": "no"}})
    links = with_attribute(html, "data-area-check")
    assert [(a["data-area-check"], a["href"]) for a in links] == [
        ("lines", "../lines-check/"),
        ("low", "../low-check/"),
        ("calm", "../calm-check/"),
        ("unseen", "../unseen-check/"),
    ], "red line first, then the lowest score, areas not answered last; none for an area without its own check"
    text = visible(html)
    assert "Lines self-check (red line failed, score 95.0)" in text
    assert "Unseen self-check (not answered yet)" in text


def test_the_chart_is_html_text_beside_small_bars() -> None:
    check = make_check(question("a1", area="one"), question("b1", area="two"), question("b2", area="two"))
    result = scoring.assess(check, {"answers": {"a1": "yes", "b1": "partly"}})
    chart = scoring.chart_html(check, result)
    assert "<text" not in chart and "viewBox" not in chart, "no SVG text scaled down with the picture"
    text = visible(chart)
    assert "One 100.0 · Good" in text
    assert "Two 50.0 · provisional, no level yet" in text
    assert 'width="50%"' in chart and 'fill="none"' in chart, "an area without a level has an outline only"
    assert 'width="100%" height="0"' not in chart


def test_every_content_and_record_text_is_escaped() -> None:
    attack = '<img src=x onerror="alert(1)">'
    item = question("a")
    item["text"] = attack
    item["clauses"] = [{"id": attack, "text": attack, "url": attack}]
    item["cases"] = [{"title": attack, "url": attack}]
    check = make_check(item, question("b", area="two"))
    check["areas"][0]["title"] = attack
    check["areas"][0]["check_url"] = attack
    check["bands"] = [{**band, "label": attack, "summary": attack} for band in check["bands"]]
    record = {
        "answers": {"a": "no", "b": "yes", attack: attack},
        "notes": {"a": attack},
        "assessment": {"organisation": attack, "assessor": attack, "date": "2026-01-01"},
        "history": [{"saved": "2026-11-01T10:00:00Z", "answers": {"a": "yes"}}],
    }
    html = report(check, record)
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;") >= 10
