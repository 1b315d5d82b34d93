"""The check page as issue 11 asks for it, in real headless Chromium: a shared link never replaces
saved answers without consent, import, clear and use-shared each leave one undo, progress stays in
view on a phone, focus is visible and tap targets are large, the wording says things once, a
failed engine can be retried without a reload, follow-ups do not jump, notes, review marks, the
assessment and saved assessments travel with the answers, the report prints cleanly, and a
keyboard alone completes a check."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import Visit, hold_the_runtime
from test_browser_checks import (
    READY,
    RECORD_WORKER_MESSAGES,
    answer,
    checked,
    golden,
    saved,
    sent_to_worker,
    wait_for_result,
)

pytestmark = [pytest.mark.browser, pytest.mark.build]


CHECK = "labour-check"
PAGE = f"checks/{CHECK}/"
MINE = {"labour-staff-rules": "yes", "labour-written-contracts": "partly"}
THEIRS = {"labour-staff-rules": "no", "labour-pay-on-time": "yes", "labour-training": "partly"}


def record(page) -> dict:
    return json.loads(saved(page, CHECK))


def share_link(site_url: str, answers: dict) -> str:
    return site_url + PAGE + "#answers=" + quote(json.dumps(answers))


def open_fresh(page, url: str) -> None:
    """Load ``url`` as a new document (a hash change alone would not reload the page)."""
    page.goto("about:blank")
    page.goto(url)


def fill_the_rest(page) -> dict:
    """A note, a review mark, the assessment's fields and one saved assessment: what must survive."""
    page.fill('textarea[data-note="labour-staff-rules"]', "Rules posted in the canteen; ask Li Wei.")
    page.check('input[data-review="labour-written-contracts"]')
    page.fill('input[data-assessment="organisation"]', "Example Workshop Ltd")
    page.fill('input[data-assessment="assessor"]', "Zhang San")
    page.fill('input[data-assessment="date"]', "2026-11-30")
    page.click('button[data-action="save-assessment"]')
    page.locator("[data-check-message]").filter(has_text="assessment is saved").wait_for(timeout=5000)
    kept = record(page)
    assert kept["notes"] == {"labour-staff-rules": "Rules posted in the canteen; ask Li Wei."}
    assert kept["review"] == ["labour-written-contracts"]
    assert kept["assessment"] == {"organisation": "Example Workshop Ltd", "assessor": "Zhang San", "date": "2026-11-30"}
    assert [entry["answers"] for entry in kept["history"]] == [kept["answers"]]
    return {name: kept[name] for name in ("notes", "review", "assessment", "history")}


def assert_kept(page, rest: dict) -> None:
    kept = record(page)
    assert {name: kept.get(name) for name in rest} == rest, "notes, review marks, assessment and history survive"
    assert page.input_value('textarea[data-note="labour-staff-rules"]') == rest["notes"]["labour-staff-rules"]
    assert page.input_value('input[data-assessment="organisation"]') == "Example Workshop Ltd"


# 1. Shared links ask before replacing anything; import, clear and use-shared can be undone.


def test_a_shared_link_asks_before_replacing_saved_answers(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + PAGE)
    answer(page, MINE)
    rest = fill_the_rest(page)
    before = saved(page, CHECK)

    open_fresh(page, share_link(site_url, THEIRS))
    choice = page.locator("[data-check-choice]")
    choice.wait_for(state="visible", timeout=5000)
    assert checked(page) == MINE, "the form still shows the saved answers"
    assert saved(page, CHECK) == before, "nothing is replaced before a choice"
    assert "differ on 4" in choice.inner_text()
    assert choice.locator('button[data-action="keep-mine"]').is_visible()
    page.reload()  # the link stays until the reader chooses, so a reload asks again
    choice.wait_for(state="visible", timeout=5000)
    page.click('button[data-action="keep-mine"]')
    assert choice.is_hidden()
    assert saved(page, CHECK) == before and checked(page) == MINE
    assert page.evaluate("location.hash") == ""

    open_fresh(page, share_link(site_url, THEIRS))
    page.click('button[data-action="use-shared"]')
    assert checked(page) == THEIRS
    assert record(page)["answers"] == THEIRS
    assert_kept(page, rest)
    undo = page.locator('button[data-action="undo"]')
    assert undo.is_visible()
    undo.click()
    assert checked(page) == MINE and record(page)["answers"] == MINE
    assert_kept(page, rest)
    assert undo.is_hidden(), "one level of undo"
    wait_for_result(page, "incomplete")
    assert visit.console_errors == []


def test_an_empty_shared_link_wipes_nothing(visit: Visit, site_url: str) -> None:
    page = visit.page
    hold_the_runtime(page)
    page.goto(site_url + PAGE)
    answer(page, MINE)
    before = saved(page, CHECK)
    open_fresh(page, site_url + PAGE + "#answers={}")
    page.locator("[data-check-message]").filter(has_text="holds no answers").wait_for(timeout=5000)
    assert checked(page) == MINE and saved(page, CHECK) == before
    assert page.locator("[data-check-choice]").is_hidden()


def test_the_same_answers_in_a_link_need_no_choice(visit: Visit, site_url: str) -> None:
    page = visit.page
    hold_the_runtime(page)
    page.goto(site_url + PAGE)
    answer(page, MINE)
    open_fresh(page, share_link(site_url, MINE))
    page.locator("[data-check-message]").filter(has_text="restored from the shared link").wait_for(timeout=5000)
    assert page.locator("[data-check-choice]").is_hidden()
    assert checked(page) == MINE


def test_import_and_clear_each_leave_one_undo_and_keep_notes(visit: Visit, site_url: str) -> None:
    page = visit.page
    hold_the_runtime(page)
    page.goto(site_url + PAGE)
    answer(page, MINE)
    rest = fill_the_rest(page)
    undo = page.locator('button[data-action="undo"]')
    assert undo.is_hidden()

    today = {"check": CHECK, "version": 1, "exported": "2026-11-22T09:30:00.000Z", "answers": THEIRS}
    page.locator("input[data-action=import]").set_input_files(
        files=[{"name": "old.json", "mimeType": "application/json", "buffer": json.dumps(today).encode()}]
    )
    page.locator("[data-check-message]").filter(has_text="Imported 3 answers").wait_for(timeout=5000)
    assert checked(page) == THEIRS
    assert_kept(page, rest)  # a file in today's format holds answers only: the rest is kept
    undo.click()
    assert checked(page) == MINE and record(page)["answers"] == MINE
    assert_kept(page, rest)

    page.click('button[data-action="clear"]')
    assert checked(page) == {} and record(page)["answers"] == {}
    assert_kept(page, rest)
    assert "Undo" in undo.inner_text()
    undo.click()
    assert checked(page) == MINE and record(page)["answers"] == MINE
    assert undo.is_hidden()
    assert visit.console_errors == []


# 2. Progress next to the questions, in view on a phone.


def test_progress_stays_in_view_on_a_phone_while_answering(phone: Visit, site_url: str) -> None:
    page = phone.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + PAGE)
    progress = page.locator("[data-check-progress]")
    page.wait_for_selector('form[data-check-state="ready"]', timeout=READY)
    answers = golden(CHECK, "mixed")
    for count, (question, option) in enumerate(answers.items(), start=1):
        page.locator(f'input[name="{question}"][value="{option}"]').check()
        progress.filter(has_text=f"{count} of 10 answered").wait_for(timeout=5000)
        seen = page.evaluate(
            """() => {
                const line = document.querySelector("[data-check-progress]");
                const box = line.getBoundingClientRect();
                const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
                return box.top >= 0 && box.bottom <= innerHeight && line.contains(top);
            }"""
        )
        assert seen, f"the progress line is out of view (or covered) after answer {count}"
    assert page.evaluate("scrollY") > 500, "the page scrolled: the line stayed in view while it did"


def test_before_the_engine_answers_progress_counts_the_answers_given(visit: Visit, site_url: str) -> None:
    page = visit.page
    held = []
    page.route("**/assets/pyodide/pyodide.asm.wasm", lambda route: held.append(route))
    page.goto(site_url + PAGE, wait_until="domcontentloaded")
    page.wait_for_selector('form[data-check-state="loading"]')
    answer(page, {"labour-staff-rules": "partly", "labour-training": "yes"})
    assert page.inner_text("[data-check-progress]") == "2 answered"
    for _ in range(300):
        if held:
            break
        page.wait_for_timeout(100)
    held[0].continue_()
    page.locator("[data-check-progress]").filter(has_text="2 of 10 answered").wait_for(timeout=READY)


def test_the_report_shows_progress_and_no_level_until_complete(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + PAGE)
    answers = golden(CHECK, "all-best")
    first = next(iter(answers))
    answer(page, {first: answers[first]})
    page.locator("[data-result-progress]").filter(has_text="1 of 10").wait_for(timeout=READY)
    assert page.get_attribute("[data-result-status]", "data-result-status") == "incomplete"
    assert page.inner_text("[data-result-level]").strip() == ""
    answer(page, answers)
    wait_for_result(page, "complete")
    page.locator("[data-result-progress]").filter(has_text="10 of 10").wait_for(timeout=5000)
    level = page.locator("[data-result-level]")
    assert level.inner_text().strip() and level.get_attribute("data-level") not in level.inner_text()
    assert page.inner_text("[data-check-progress]") == "10 of 10 answered"


# 3. Focus and tap targets.


def tab_to(page, selector: str, limit: int = 300) -> None:
    for _ in range(limit):
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


YELLOW = "rgb(255, 221, 0)"


def test_radios_have_a_strong_focus_ring_and_large_tap_targets(visit: Visit, site_url: str) -> None:
    page = visit.page
    hold_the_runtime(page)
    page.goto(site_url + PAGE)
    page.wait_for_selector("form[data-check-wired]")
    tab_to(page, "form[data-check] input[type=radio]")
    style = page.evaluate(
        """() => {
            const input = document.activeElement, label = input.closest("label");
            const s = getComputedStyle(input);
            return {outline: [s.outlineStyle, parseFloat(s.outlineWidth)], shadow: s.boxShadow,
                    label: getComputedStyle(label).backgroundColor};
        }"""
    )
    assert style["outline"][0] == "solid" and style["outline"][1] >= 2, style
    assert YELLOW in style["shadow"] and style["label"] == YELLOW, style
    for viewport in ({"width": 1280, "height": 800}, {"width": 390, "height": 844}):
        page.set_viewport_size(viewport)
        boxes = page.locator(".check-option, .check-review").evaluate_all(
            "labels => labels.map(label => { const b = label.getBoundingClientRect(); return [b.width, b.height]; })"
        )
        assert boxes and all(width >= 44 and height >= 44 for width, height in boxes), (viewport, min(boxes))


# 5. Wording.


RECORD_LOADING_TEXTS = """
window.loadingTexts = [];
new MutationObserver(() => {
    document.querySelectorAll(".check-result__loading").forEach((note) => window.loadingTexts.push(note.textContent));
}).observe(document, {subtree: true, childList: true, characterData: true});"""


def test_the_loading_text_says_things_once_and_the_noscript_note_goes(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.add_init_script(RECORD_LOADING_TEXTS)
    page.goto(site_url + PAGE)
    wait_for_result(page, "incomplete")
    texts = page.evaluate("window.loadingTexts")
    assert texts, "the loading text was never seen"
    for text in set(texts):
        sentences = [part.strip() for part in re.split(r"[.:;…]", text) if part.strip()]
        assert text.lower().count("scoring engine") <= 1 and len(sentences) == len(set(sentences)), text
    assert page.locator(".check-noscript").is_hidden(), "scoring works: the 'needs JavaScript' note is gone"


# 6. Engine failure: a plain message and Try again.


def test_a_runtime_that_cannot_be_downloaded_can_be_retried_without_a_reload(visit: Visit, site_url: str) -> None:
    page = visit.page
    workers = []
    page.on("worker", lambda worker: "selfcheck-worker" in worker.url and workers.append(worker.url))
    page.route("**/assets/pyodide/**", lambda route: route.abort())
    page.goto(site_url + PAGE)
    page.evaluate("window.sameDocument = true")
    page.wait_for_selector('form[data-check-state="error"]', timeout=READY)
    message = page.inner_text("[data-result-body]")
    assert "could not be downloaded" in message and "connection" in message, message
    assert "WebAssembly" not in message and "up-to-date browser" not in message, "the network is not the browser's"
    assert "answers are still saved" in message
    retry = page.locator("[data-check-retry]")
    assert retry.is_visible()
    answer(page, {"labour-written-contracts": "no"})
    assert record(page)["answers"] == {"labour-written-contracts": "no"}, "answers keep saving meanwhile"
    page.unroute("**/assets/pyodide/**")
    retry.click()
    wait_for_result(page, "incomplete")
    page.locator("[data-check-progress]").filter(has_text="1 of 10 answered").wait_for(timeout=5000)
    assert retry.is_hidden()
    assert page.evaluate("window.sameDocument") is True, "no reload"
    assert len(workers) == 2, "a new worker from the same address"
    assert workers[0] == workers[1]


def test_a_browser_without_webassembly_is_told_so(visit: Visit, site_url: str) -> None:
    page = visit.page

    def without_webassembly(route) -> None:
        original = route.fetch().text()
        route.fulfill(body="self.WebAssembly = undefined;\n" + original, content_type="text/javascript")

    page.route("**/selfcheck-worker.js", without_webassembly)
    page.goto(site_url + PAGE)
    page.wait_for_selector('form[data-check-state="error"]', timeout=READY)
    message = page.inner_text("[data-result-body]")
    assert "no WebAssembly" in message and "connection" not in message, message


def test_before_any_failure_there_is_no_try_again(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + PAGE)
    wait_for_result(page, "incomplete")
    assert page.locator("[data-check-retry]").is_hidden()


# 7. Follow-ups do not jump.

FOLLOW_UP_CHECK = "international-check"
ROOT = "international-exports"


def follow_ups_shown(page) -> list[bool]:
    return page.locator(f'[data-show-if="{ROOT}"]').evaluate_all(
        "items => items.map(item => getComputedStyle(item).display !== 'none')"
    )


@pytest.mark.parametrize(
    ("saved_answers", "shown"),
    [(None, False), ({"international-market-rules": "yes"}, False), ({ROOT: "yes"}, True)],
    ids=["nothing saved", "other answers saved", "the condition holds"],
)
def test_follow_ups_are_hidden_from_the_first_paint(
    visit: Visit, site_url: str, saved_answers: dict | None, shown: bool
) -> None:
    """selfcheck.js is blocked, so what shows is the page's first paint: the head script's work."""
    page = visit.page
    hold_the_runtime(page)
    page.goto(site_url + f"checks/{FOLLOW_UP_CHECK}/")
    if saved_answers:
        page.evaluate(
            "([key, value]) => localStorage.setItem(key, value)",
            [
                f"selfcheck:{FOLLOW_UP_CHECK}:v2",
                json.dumps({"check": FOLLOW_UP_CHECK, "version": 2, "answers": saved_answers}),
            ],
        )
    page.route("**/selfcheck.js", lambda route: route.abort())
    page.goto("about:blank")
    page.goto(site_url + f"checks/{FOLLOW_UP_CHECK}/")
    assert page.locator("form[data-check-wired]").count() == 0
    assert follow_ups_shown(page) == [shown] * 3
    page.unroute("**/selfcheck.js")
    page.reload()
    page.wait_for_selector("form[data-check-wired]")
    assert follow_ups_shown(page) == [shown] * 3, "the script agrees with the first paint"


def test_without_javascript_every_follow_up_shows(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + f"checks/{FOLLOW_UP_CHECK}/")
        assert follow_ups_shown(page) == [True, True, True]
        assert page.locator("textarea[data-note]").first.is_visible()
        assert page.locator('input[data-assessment="organisation"]').is_visible()
    finally:
        context.close()


# Notes, review marks, the assessment and history: saved, exported, imported, scored.


def test_notes_marks_and_the_assessment_are_saved_exported_imported_and_scored(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.add_init_script(RECORD_WORKER_MESSAGES)
    page.goto(site_url + PAGE)
    wait_for_result(page, "incomplete")
    answer(page, MINE)
    rest = fill_the_rest(page)
    long_note = "x" * 2500
    page.fill('textarea[data-note="labour-training"]', long_note)
    assert len(record(page)["notes"]["labour-training"]) == 2000, "a note is at most 2000 characters"
    page.fill('textarea[data-note="labour-training"]', "")
    assert "labour-training" not in record(page)["notes"]
    page.wait_for_function(
        "() => window.sentToWorker.filter(m => m.type === 'score').at(-1).record.notes?.['labour-staff-rules']",
        timeout=5000,
    )
    last = [message for message in sent_to_worker(page)["score"]][-1]
    assert set(last) == {"type", "seq", "check", "record"}
    assert {name: last["record"].get(name) for name in rest} == rest
    assert last["record"]["answers"] == MINE

    page.reload()
    assert_kept(page, rest)
    assert page.is_checked('input[data-review="labour-written-contracts"]')
    with page.expect_download() as download:
        page.click("button[data-action=export]")
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert list(exported)[:4] == ["check", "version", "exported", "answers"]
    assert {name: exported[name] for name in rest} == rest and exported["answers"] == MINE

    page.evaluate(f"localStorage.removeItem('selfcheck:{CHECK}:v1')")
    page.reload()
    assert page.input_value('textarea[data-note="labour-staff-rules"]') == ""
    page.locator("input[data-action=import]").set_input_files(
        files=[{"name": "mine.json", "mimeType": "application/json", "buffer": json.dumps(exported).encode()}]
    )
    page.locator("[data-check-message]").filter(has_text="Imported 2 answers").wait_for(timeout=5000)
    assert_kept(page, rest)
    assert checked(page) == MINE
    assert visit.console_errors == []


def test_imports_with_bad_notes_or_history_are_refused(visit: Visit, site_url: str) -> None:
    page = visit.page
    hold_the_runtime(page)
    page.goto(site_url + PAGE)
    answer(page, MINE)
    before = saved(page, CHECK)
    base = {"check": CHECK, "version": 1, "answers": THEIRS}
    refusals = [
        ({**base, "notes": {"labour-staff-rules": "x" * 2001}}, "at most 2000"),
        ({**base, "notes": {"made-up": "a note"}}, "does not have (made-up)"),
        ({**base, "review": "labour-staff-rules"}, "not a list"),
        ({**base, "assessment": {"date": "yesterday"}}, "not a date"),
        ({**base, "history": [{"saved": "2026-01-01", "answers": {"labour-staff-rules": "sometimes"}}]}, "not one of"),
    ]
    for data, reason in refusals:
        page.locator("input[data-action=import]").set_input_files(
            files=[{"name": "bad.json", "mimeType": "application/json", "buffer": json.dumps(data).encode()}]
        )
        message = page.locator("[data-check-message]")
        message.filter(has_text=reason).wait_for(timeout=5000)
        assert "Import refused" in message.inner_text()
        assert saved(page, CHECK) == before and checked(page) == MINE


def test_saved_values_of_today_still_load(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + PAGE)
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [f"selfcheck:{CHECK}:v1", json.dumps({"check": CHECK, "version": 1, "answers": MINE})],
    )
    page.reload()
    assert checked(page) == MINE
    wait_for_result(page, "incomplete")
    assert page.inner_text("[data-check-message]") == ""


def test_saving_an_assessment_keeps_the_last_twenty(visit: Visit, site_url: str) -> None:
    page = visit.page
    hold_the_runtime(page)
    page.goto(site_url + PAGE)
    page.click('button[data-action="save-assessment"]')
    assert "Nothing to save" in page.inner_text("[data-check-message]")
    answer(page, MINE)
    for _ in range(21):
        page.click('button[data-action="save-assessment"]')
    kept = record(page)["history"]
    assert len(kept) == 20 and all(entry["answers"] == MINE for entry in kept)
    assert "20 of at most 20 kept" in page.inner_text("[data-check-message]")
    assert kept == sorted(kept, key=lambda entry: entry["saved"]), "oldest first"


# Print.


def test_the_printed_report_has_the_assessment_and_no_tools_empty_notes_or_addresses(
    visit: Visit, site_url: str
) -> None:
    page = visit.page
    page.goto(site_url + PAGE)
    answer(page, golden(CHECK, "mixed"))
    fill_the_rest(page)
    wait_for_result(page, "complete")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    for hidden in ("[data-check-tools]", "[data-check-progress]"):
        assert page.locator(hidden).is_hidden(), hidden
    if page.locator(".check-questions").is_visible():
        assert page.locator('label:has(textarea[data-note="labour-training"])').is_hidden(), "an empty note"
        assert page.locator('textarea[data-note="labour-staff-rules"]').is_visible(), "a written note"
        assert page.locator('label:has(input[data-review="labour-staff-rules"])').is_hidden(), "an unmarked question"
        assert page.locator('label:has(input[data-review="labour-written-contracts"])').is_visible()
    else:  # the report lists every answer with its note (engine version 2) and replaces the questions
        assert page.locator("[data-result-body] [data-item]").first.is_visible()
        assert "Rules posted in the canteen" in page.inner_text("[data-result-body]"), "a written note"
    for field in ("organisation", "assessor", "date"):
        assert page.locator(f'input[data-assessment="{field}"]').is_visible(), field
    host = re.match(r"https?://([^/]+)/", site_url).group(1)
    printed = page.evaluate(
        """() => [document.body.innerText, ...[...document.querySelectorAll("a[href]")]
                  .filter(a => a.checkVisibility()).map(a => getComputedStyle(a, "::after").content)]"""
    )
    assert not [text for text in printed if host in text or "localhost" in text or "127.0.0.1" in text]


def printed_pages(page) -> list[str]:
    """The page printed to an A4 PDF, as the text of each page."""
    from pypdf import PdfReader

    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    return [sheet.extract_text() for sheet in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]


def test_the_printed_report_puts_the_assessment_and_the_score_on_page_one(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + PAGE)
    answers = golden(CHECK, "mixed")
    answer(page, answers)
    page.fill('input[data-assessment="organisation"]', "Example Workshop Ltd")
    wait_for_result(page, "complete")
    score = page.inner_text("[data-result-score]")
    first = printed_pages(page)[0]
    assert "Example Workshop Ltd" in first and score in first, first
    assert "Assessor" not in first, "an empty field is left off"
    assert "printed on the report" not in first


def test_a_check_of_ten_questions_prints_on_at_most_three_pages(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + PAGE)
    answer(page, golden(CHECK, "mixed"))
    fill_the_rest(page)
    wait_for_result(page, "complete")
    pages = printed_pages(page)
    assert len(pages) <= 3, len(pages)
    assert "Rules posted in the canteen" in "".join(pages), "the notes are printed"


def test_the_choice_box_does_not_print(visit: Visit, site_url: str) -> None:
    page = visit.page
    hold_the_runtime(page)
    page.goto(site_url + PAGE)
    answer(page, MINE)
    open_fresh(page, share_link(site_url, THEIRS))
    page.locator("[data-check-choice]").wait_for(state="visible", timeout=5000)
    page.emulate_media(media="print")
    assert page.locator("[data-check-choice]").is_hidden()


# Keyboard only.


STUB_PRINT = "window.printed = 0; window.print = () => { window.printed += 1; };"


def test_a_keyboard_alone_answers_every_question_saves_exports_and_prints(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.add_init_script(STUB_PRINT)
    page.goto(site_url + PAGE)
    wait_for_result(page, "incomplete")
    questions = page.locator("li[data-question]").evaluate_all("items => items.map(item => item.dataset.question)")
    for _ in range(600):
        name = page.evaluate(
            "document.activeElement.matches('form[data-check] input[type=radio]') ? document.activeElement.name : null"
        )
        if name and name not in checked(page):
            # Space picks the focused option; on every other question an arrow picks the next one.
            page.keyboard.press("ArrowDown" if len(checked(page)) % 2 else "Space")
        if set(checked(page)) == set(questions):
            break
        page.keyboard.press("Tab")
    assert set(checked(page)) == set(questions)
    wait_for_result(page, "complete")
    assert record(page)["answers"] == checked(page)
    for _ in range(600):
        if page.evaluate("document.activeElement.matches('button[data-action=\"save-assessment\"]')"):
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert len(record(page)["history"]) == 1
    for _ in range(10):
        if page.evaluate("document.activeElement.matches('button[data-action=\"export\"]')"):
            break
        page.keyboard.press("Shift+Tab")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["answers"] == checked(page)
    tab_to(page, 'button[data-action="print"]', limit=10)
    page.keyboard.press("Enter")
    assert page.evaluate("window.printed") == 1
    assert visit.console_errors == []


# Accessibility of the new parts.


def test_the_choice_box_and_a_failed_engine_have_no_serious_accessibility_violations(
    visit: Visit, site_url: str
) -> None:
    from test_browser_library import axe_violations

    page = visit.page
    page.goto(site_url + PAGE)
    answer(page, MINE)
    page.route("**/assets/pyodide/**", lambda route: route.abort())
    open_fresh(page, share_link(site_url, THEIRS))
    page.locator("[data-check-choice]").wait_for(state="visible", timeout=5000)
    page.wait_for_selector('form[data-check-state="error"]', timeout=READY)
    assert axe_violations(page) == []


def republished(page, site_url: str, version: int) -> None:
    """Serve the check page as if its check had been republished as ``version`` (questions kept),
    as an editor raising ``version`` would."""

    def handle(route) -> None:
        response = route.fetch()
        html = response.text()
        changed = html.replace('"version":1}\'', f'"version":{version}}}\'').replace(
            f"selfcheck:{CHECK}:v1", f"selfcheck:{CHECK}:v{version}"
        )
        assert changed.count(f'"version":{version}') == 1, "the page's compiled check names its version once"
        route.fulfill(response=response, body=changed)

    page.route(site_url + PAGE, handle)


def test_answers_to_an_earlier_version_are_offered_never_carried_over_unasked(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + PAGE)
    earlier = {**MINE, "labour-removed-question": "yes", "labour-pay-on-time": "no-such-option"}
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [f"selfcheck:{CHECK}:v1", json.dumps({"check": CHECK, "version": 1, "answers": earlier})],
    )
    republished(page, site_url, 3)
    open_fresh(page, site_url + PAGE)
    offer = page.locator("[data-check-earlier]")
    offer.wait_for(state="visible", timeout=5000)
    assert "2 of your answers to version 1 still match" in offer.inner_text()
    assert checked(page) == {}, "nothing is carried over before the reader says so"
    assert page.evaluate(f"localStorage.getItem('selfcheck:{CHECK}:v3')") is None

    page.click('button[data-action="start-afresh"]')
    assert offer.is_hidden() and checked(page) == {}
    assert "not used" in page.inner_text("[data-check-message]")

    open_fresh(page, site_url + PAGE)  # still nothing saved for version 3: offered again
    offer.wait_for(state="visible", timeout=5000)
    page.click('button[data-action="use-earlier"]')
    assert checked(page) == MINE, "only answers whose question and option still exist"
    now = json.loads(page.evaluate(f"localStorage.getItem('selfcheck:{CHECK}:v3')"))
    assert now["version"] == 3 and now["answers"] == MINE
    assert json.loads(saved(page, CHECK))["answers"] == earlier, "the earlier record is left as it was"
    wait_for_result(page, "incomplete")
    page.click('button[data-action="undo"]')
    assert checked(page) == {}

    answer(page, {"labour-staff-rules": "no"})  # answering afresh settles it, and then nothing is offered
    open_fresh(page, site_url + PAGE)
    page.wait_for_selector('form[data-check-state="ready"]', timeout=READY)
    assert offer.is_hidden() and checked(page) == {"labour-staff-rules": "no"}
    assert visit.console_errors == []


def test_an_earlier_version_with_no_matching_answer_is_only_mentioned(visit: Visit, site_url: str) -> None:
    page = visit.page
    hold_the_runtime(page)
    page.goto(site_url + PAGE)
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [f"selfcheck:{CHECK}:v2", json.dumps({"check": CHECK, "version": 2, "answers": {"gone": "yes"}})],
    )
    republished(page, site_url, 4)
    open_fresh(page, site_url + PAGE)
    page.locator("[data-check-message]").filter(has_text="none of them matches").wait_for(timeout=5000)
    assert page.locator("[data-check-earlier]").is_hidden() and checked(page) == {}
