"""What the browser stores or is handed can be damaged or hostile: saved answers nested thousands
deep, values that are not option ids, objects that cannot even be turned into text. Each is
refused with a message in ``[data-check-message]``, nothing saved is lost, and the check still
scores once answered."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from conftest import Visit, hold_the_runtime
from test_browser_checks import READY, answer, checked, saved, wait_for_result

pytestmark = [pytest.mark.browser, pytest.mark.build]

CHECK = "labour-check"
KEY = f"selfcheck:{CHECK}:v1"


def nested(depth: int, inner: str = '"yes"') -> str:
    return '{"x":' * depth + inner + "}" * depth


SAVED = {
    "answers nested thousands deep": '{"check":"labour-check","version":1,"answers":' + nested(5000) + "}",
    "an answer nested thousands deep": (
        '{"check":"labour-check","version":1,"answers":{"labour-staff-rules":' + nested(5000) + "}}"
    ),
    "an answer that is no text": '{"check":"labour-check","version":1,"answers":{"labour-staff-rules":{"toString":1}}}',
    "answers that are a list": '{"check":"labour-check","version":1,"answers":["yes"]}',
    "damaged text": '{"check":"labour-check","answers":{"labour-staff',
    "too much text": json.dumps({"check": CHECK, "version": 1, "answers": {}, "padding": "x" * 300_000}),
}


def wait_for_message(page, text: str) -> str:
    message = page.locator("[data-check-message]")
    message.filter(has_text=text).wait_for(timeout=5000)
    return message.inner_text()


@pytest.mark.parametrize("case", SAVED)
def test_saved_answers_that_cannot_be_used_are_refused_kept_and_the_check_still_scores(
    visit: Visit, site_url: str, case: str
) -> None:
    page = visit.page
    page.goto(site_url)  # the same origin's storage, without starting Python for nothing
    raw = SAVED[case]
    page.evaluate("([key, raw]) => localStorage.setItem(key, raw)", [KEY, raw])
    page.goto(site_url + f"checks/{CHECK}/")
    text = wait_for_message(page, "could not be used")
    assert "kept in this browser" in text
    assert saved(page, CHECK) == raw, "left exactly as it was"
    assert checked(page) == {}
    page.wait_for_selector('form[data-check-state="ready"]', timeout=READY)
    answer(page, {"labour-written-contracts": "yes"})
    wait_for_result(page, "incomplete")
    # The empty form's own result is incomplete too: wait for the one that counts the answer.
    page.wait_for_selector('[data-result-status]:has-text("1 of 10")', timeout=READY)
    assert page.inner_text("[data-result-score]") not in ("", "–")
    assert json.loads(saved(page, CHECK))["answers"] == {"labour-written-contracts": "yes"}
    assert page.evaluate("key => localStorage.getItem(key)", KEY + ":unreadable") == raw, "copied aside, not lost"
    assert visit.console_errors == []


def test_clear_keeps_a_copy_of_saved_answers_that_could_not_be_used(visit: Visit, site_url: str) -> None:
    page = visit.page
    hold_the_runtime(page)
    page.goto(site_url)
    raw = SAVED["answers nested thousands deep"]
    page.evaluate("([key, raw]) => localStorage.setItem(key, raw)", [KEY, raw])
    page.goto(site_url + f"checks/{CHECK}/")
    wait_for_message(page, "could not be used")
    page.click("button[data-action=clear]")
    assert saved(page, CHECK) is None
    assert page.evaluate("key => localStorage.getItem(key)", KEY + ":unreadable") == raw


IMPORTS = {
    "an answer that is no text": (
        {"check": CHECK, "version": 1, "answers": {"labour-staff-rules": {"toString": 1}}},
        "not one of the options (an object)",
    ),
    "a check id that is no text": (
        {"check": {"toString": 1, "valueOf": 1}, "version": 1, "answers": {"labour-staff-rules": "yes"}},
        "not for this check",
    ),
    "an answer nested thousands deep": (None, "not one of the options (an object)"),
    "answers nested thousands deep": (None, "does not have (x)"),
    "an answer that is a list": ({"check": CHECK, "answers": {"labour-staff-rules": ["yes"]}}, "(a list)"),
}


def import_text(case: str) -> str:
    data, _ = IMPORTS[case]
    if case == "an answer nested thousands deep":
        return '{"check":"labour-check","version":1,"answers":{"labour-staff-rules":' + nested(3000) + "}}"
    if case == "answers nested thousands deep":
        return '{"check":"labour-check","version":1,"answers":' + nested(3000) + "}"
    return json.dumps(data)


def test_imports_whose_values_cannot_be_used_are_refused_with_a_message(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + f"checks/{CHECK}/")
    answers = {"labour-staff-rules": "partly", "labour-written-contracts": "yes"}
    answer(page, answers)
    wait_for_result(page, "incomplete")
    before = saved(page, CHECK)
    file_input = page.locator("input[data-action=import]")
    for case, (_, reason) in IMPORTS.items():
        page.evaluate("document.querySelector('[data-check-message]').textContent = ''")
        text = import_text(case)
        file_input.set_input_files(files=[{"name": "a.json", "mimeType": "application/json", "buffer": text.encode()}])
        message = wait_for_message(page, "Import refused")
        assert reason in message and "not changed" in message, (case, message)
        assert saved(page, CHECK) == before, case
        assert checked(page) == answers, case
    answer(page, {"labour-pay-on-time": "no"})
    page.locator("[data-result-status]").filter(has_text="3 of ").wait_for(timeout=READY)
    assert visit.console_errors == []


def test_a_share_link_with_a_value_that_is_no_text_is_refused(visit: Visit, site_url: str) -> None:
    page = visit.page
    link = quote(json.dumps({"labour-staff-rules": {"toString": 1}}))
    page.goto(site_url + f"checks/{CHECK}/#answers={link}")
    assert "The shared link was not used" in wait_for_message(page, "not one of the options (an object)")
    assert checked(page) == {}
    answer(page, {"labour-staff-rules": "yes"})
    wait_for_result(page, "incomplete")
    assert visit.console_errors == []
