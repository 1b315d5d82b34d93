"""Self-checks in real headless Chromium: scoring in the worker matches the CLI, answers
persist, import refuses bad files, share links restore, and the runtime is reused."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest
from answer_profiles import shipped_profile
from conftest import CONTENT, SCHEMA, Visit, hold_the_runtime

from generator.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.build]

READY = 90_000
"""Milliseconds to wait for the runtime on a cold start."""


def enable_instant_navigation(page, built_site: Path, site_url: str) -> None:
    """Serve the sitemap with this server's address, as a deployment whose ``site_url`` is right
    would: Material's instant navigation only follows links to sitemap addresses, and it keeps
    the sitemap's port, so on a test port it would otherwise load every page in full."""
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    deployed = re.search(r"<loc>(https?://[^/]+/)", sitemap).group(1)
    local = sitemap.replace(deployed, site_url)
    page.route("**/sitemap.xml", lambda route: route.fulfill(body=local, content_type="application/xml"))


def reached(page, path: str) -> None:
    """Wait until the address is ``path``; with ``navigation.tracking`` a busy machine can leave the
    previous page's section anchor (e.g. ``#self-check``) on it, which is not what is under test."""
    page.wait_for_url(re.compile(rf".*/{re.escape(path)}(#[^/]*)?$"))


def golden(check_id: str, name: str) -> dict:
    """An answer profile of a shipped check (see ``answer_profiles``), e.g. ``golden("labour-check", "mixed")``,
    in question-id order as the committed golden answer files had them."""
    return dict(sorted(shipped_profile(check_id, name).items()))


def cli(check_id: str, answers: dict, tmp_path: Path, content: Path = CONTENT) -> dict:
    """What ``python -m generator score CHECK ANSWERS.json`` prints for ``answers`` (run in-process)."""
    file = tmp_path / f"{check_id}-answers.json"
    file.write_text(json.dumps(answers), encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--content", str(content), "--schema", str(SCHEMA), "score", check_id, str(file)])
    assert code == 0
    return json.loads(out.getvalue())


def answer(page, answers: dict) -> None:
    """Click the answers in the page's question order, as a reader would: a follow-up shows only
    once the question it depends on is answered."""
    order = page.locator("form[data-check] li[data-question]").evaluate_all(
        "items => items.map(item => item.dataset.question)"
    )
    for question in sorted(answers, key=lambda question: order.index(question) if question in order else len(order)):
        page.locator(f'input[name="{question}"][value="{answers[question]}"]').check()


def wait_for_result(page, status: str) -> None:
    page.wait_for_selector(f'form[data-check-state="ready"] [data-result-status="{status}"]', timeout=READY)


def shown(page) -> tuple[str, str]:
    """The score and the level id (the level element shows the label; its id is in ``data-level``)."""
    return page.inner_text("[data-result-score]"), page.get_attribute("[data-result-level]", "data-level")


def saved(page, check_id: str) -> str | None:
    return page.evaluate(f"localStorage.getItem('selfcheck:{check_id}:v1')")


def checked(page) -> dict:
    return page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('form[data-check] input[type=radio]:checked')]"
        ".map(input => [input.name, input.value]))"
    )


# The international check has a gate question on its own Yes/No scale and follow-ups it shows.
@pytest.mark.parametrize("check_id", ["labour-check", "health-check", "international-check"])
def test_clicked_answers_score_like_the_cli(visit: Visit, site_url: str, check_id: str, tmp_path: Path) -> None:
    page = visit.page
    answers = golden(check_id, "mixed")
    page.goto(site_url + f"checks/{check_id}/")
    answer(page, answers)
    wait_for_result(page, "complete")
    expected = cli(check_id, answers, tmp_path)
    assert shown(page) == (f"{expected['score']:.1f}", expected["level"])
    recommendations = page.locator("[data-recommendation]").evaluate_all(
        "items => items.map(item => item.dataset.recommendation)"
    )
    assert recommendations == [item["question"] for item in expected["recommendations"]]
    if check_id == "health-check":
        rows = page.locator(".check-chart [data-area]")
        assert rows.count() == len(expected["areas"])
        for area in expected["areas"]:
            row = page.locator(f'.check-chart [data-area="{area["id"]}"]')
            assert f"{area['score']:.1f} · {area['label']}" in row.text_content()
    # one more click updates the score live
    first = next(iter(answers))
    page.locator(f'input[name="{first}"][value="no"]').check()
    changed = {**answers, first: "no"}
    expected = cli(check_id, changed, tmp_path)
    page.wait_for_function(
        "expected => document.querySelector('[data-result-score]').textContent === expected",
        arg=f"{expected['score']:.1f}",
        timeout=5000,
    )
    assert shown(page)[1] == expected["level"]
    assert visit.console_errors == []
    assert visit.foreign_requests() == []


RECORD_WORKER_MESSAGES = """
window.sentToWorker = [];
const send = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message, ...rest) {
    // The self-check's messages have a string type (Material's search worker numbers its own).
    if (message && typeof message.type === "string") window.sentToWorker.push(structuredClone(message));
    return send.call(this, message, ...rest);
};"""
"""Init script: keep a copy of every message the page posts to the self-check worker."""


def sent_to_worker(page) -> dict[str, list[dict]]:
    """The messages the page posted to the worker, by type, in order."""
    sent: dict[str, list[dict]] = {}
    for message in page.evaluate("window.sentToWorker"):
        sent.setdefault(message["type"], []).append(message)
    return sent


def test_the_check_goes_to_the_worker_once_and_each_click_sends_only_the_record(
    visit: Visit, site_url: str, tmp_path: Path
) -> None:
    page = visit.page
    page.add_init_script(RECORD_WORKER_MESSAGES)
    page.goto(site_url + "checks/labour-check/")
    page.wait_for_selector('form[data-check-state="ready"] [data-result-status="incomplete"]', timeout=READY)
    answers = dict(list(golden("labour-check", "mixed").items())[:4])
    for count, (question, option) in enumerate(answers.items(), start=1):
        page.locator(f'input[name="{question}"][value="{option}"]').check()
        page.locator("[data-result-status]").filter(has_text=f"{count} of ").wait_for(timeout=5000)
    sent = sent_to_worker(page)
    assert sorted(sent) == ["init", "load", "score"]
    assert len(sent["init"]) == 1
    assert len(sent["load"]) == 1, "the compiled check is sent once, not with every click"
    compiled = page.get_attribute("[data-check-data]", "data-check-data")
    assert sent["load"][0]["check"] == compiled
    scores = sent["score"]
    assert len(scores) == 1 + len(answers), "one score when the runtime is ready, then one per click"
    assert all(set(message) == {"type", "seq", "check", "record"} for message in scores)
    assert all(message["check"] == "labour-check" for message in scores), "scores name the check by id"
    assert [message["record"] for message in scores] == [
        {"check": "labour-check", "version": 1, "answers": dict(list(answers.items())[:count])}
        for count in range(len(answers) + 1)
    ], "the record travels as a plain object, with only the fields that hold something"
    assert sorted(message["seq"] for message in scores) == [message["seq"] for message in scores]
    expected = cli("labour-check", answers, tmp_path)
    assert shown(page)[0] == f"{expected['score']:.1f}"
    assert visit.console_errors == []


def test_follow_up_questions_hide_and_show_with_the_answer_they_depend_on(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + "checks/international-check/")
    page.wait_for_selector('form[data-check-state="ready"] [data-result-status]', timeout=READY)
    follow_ups = page.locator('[data-show-if="international-exports"]')
    assert follow_ups.count() == 3

    def hidden() -> list[bool]:
        return follow_ups.evaluate_all("items => items.map(item => item.hidden)")

    assert hidden() == [True, True, True], "the gate is unanswered, so its follow-ups are hidden"
    assert "0 of 8" in page.inner_text("[data-result-status]"), "the gate is a question to answer"
    answer(page, {"international-exports": "yes"})
    page.locator("[data-result-status]").filter(has_text="1 of 11").wait_for(timeout=5000)
    assert hidden() == [False, False, False]
    answer(page, {"international-end-user-checks": "no"})
    page.locator("[data-result-status]").filter(has_text="2 of 11").wait_for(timeout=5000)
    assert follow_ups.nth(1).locator('input[value="no"]').is_checked()
    assert page.locator('[data-recommendation="international-exports"]').count() == 0, "a gate is never an action"
    answer(page, {"international-exports": "no"})
    page.locator("[data-result-status]").filter(has_text="1 of 8").wait_for(timeout=5000)
    assert hidden() == [True, True, True], "No hides them again"
    assert page.locator("[data-result-score]").inner_text() == "–", "the gate's answer alone is not scored"
    assert visit.console_errors == []


def test_instant_navigation_between_two_checks_scores_both_with_one_worker(
    visit: Visit, site_url: str, built_site: Path, tmp_path: Path
) -> None:
    page = visit.page
    page.add_init_script(RECORD_WORKER_MESSAGES)
    enable_instant_navigation(page, built_site, site_url)
    workers = []
    page.on("worker", lambda worker: "selfcheck-worker" in worker.url and workers.append(worker.url))
    checks = ("labour-check", "health-check")
    expected = {check_id: cli(check_id, golden(check_id, "mixed"), tmp_path) for check_id in checks}

    def scored_like_the_cli(check_id: str) -> None:
        page.wait_for_selector(
            f'form[data-check="{check_id}"][data-check-state="ready"] [data-result-status="complete"]', timeout=READY
        )
        assert shown(page) == (f"{expected[check_id]['score']:.1f}", expected[check_id]["level"]), check_id

    page.goto(site_url + "checks/labour-check/")
    page.evaluate("window.sameDocument = true")
    answer(page, golden("labour-check", "mixed"))
    scored_like_the_cli("labour-check")
    page.click('a.md-nav__link[href$="health-check/"]')
    reached(page, "checks/health-check/")
    answer(page, golden("health-check", "mixed"))
    scored_like_the_cli("health-check")
    page.click('a.md-nav__link[href$="labour-check/"]')
    reached(page, "checks/labour-check/")
    scored_like_the_cli("labour-check")  # its saved answers, scored again against the check still loaded
    assert page.evaluate("window.sameDocument") is True, "the links were not followed by instant navigation"
    assert workers == [site_url + "assets/javascripts/selfcheck-worker.js"]
    sent = sent_to_worker(page)
    assert len(sent["init"]) == 1
    assert [json.loads(message["check"])["id"] for message in sent["load"]] == list(checks), "each check loaded once"
    assert [message["check"] for message in sent["score"]][-1] == "labour-check"
    assert {message["check"] for message in sent["score"]} == set(checks)
    assert visit.console_errors == []


def test_the_form_is_usable_while_the_runtime_loads(visit: Visit, site_url: str) -> None:
    page = visit.page
    held = []
    page.route("**/assets/pyodide/pyodide.asm.wasm", lambda route: held.append(route))
    page.goto(site_url + "checks/labour-check/", wait_until="domcontentloaded")
    page.wait_for_selector('form[data-check-state="loading"]')
    assert "You can answer meanwhile" in page.inner_text("[data-result-body]")
    page.locator('input[name="labour-staff-rules"][value="partly"]').check()
    assert json.loads(saved(page, "labour-check"))["answers"] == {"labour-staff-rules": "partly"}
    for _ in range(300):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the runtime never asked for its WebAssembly"
    held[0].continue_()
    wait_for_result(page, "incomplete")
    assert "1 of 10" in page.inner_text("[data-result-status]")


def test_answers_come_back_after_reload(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + "checks/labour-check/")
    answers = dict(list(golden("labour-check", "mixed").items())[:4])
    answer(page, answers)
    page.reload()
    assert checked(page) == answers
    wait_for_result(page, "incomplete")
    assert "4 of 10" in page.inner_text("[data-result-status]")


def test_bad_imports_are_refused_and_saved_answers_stay(visit: Visit, site_url: str) -> None:
    page = visit.page
    hold_the_runtime(page)
    page.goto(site_url + "checks/labour-check/")
    answers = dict(list(golden("labour-check", "all-best").items())[:3])
    answer(page, answers)
    before = saved(page, "labour-check")
    other = {"check": "ip-check", "version": 1, "answers": golden("ip-check", "all-best")}
    unknown = {"check": "labour-check", "version": 1, "answers": {"labour-staff-rules": "yes", "made-up": "yes"}}
    bad_option = {"check": "labour-check", "version": 1, "answers": {"labour-staff-rules": "sometimes"}}
    huge = {"check": "labour-check", "version": 1, "answers": {}, "padding": "x" * 300_000}
    refusals = [
        ("other.json", json.dumps(other), "not for this check"),
        ("broken.json", "{this is not json", "not a valid JSON file"),
        ("unknown.json", json.dumps(unknown), "does not have (made-up)"),
        ("option.json", json.dumps(bad_option), "not one of the options"),
        ("huge.json", json.dumps(huge), "too large"),
    ]
    file_input = page.locator("input[data-action=import]")
    for name, text, reason in refusals:
        file_input.set_input_files(files=[{"name": name, "mimeType": "application/json", "buffer": text.encode()}])
        message = page.locator("[data-check-message]")
        message.filter(has_text=reason).wait_for(timeout=5000)
        assert "Import refused" in message.inner_text() and "not changed" in message.inner_text()
        assert saved(page, "labour-check") == before
        assert checked(page) == answers
    with page.expect_download() as download:
        page.click("button[data-action=export]")
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["check"] == "labour-check" and exported["answers"] == answers
    full = {"check": "labour-check", "version": 1, "answers": golden("labour-check", "all-worst")}
    file_input.set_input_files(
        files=[{"name": "good.json", "mimeType": "application/json", "buffer": json.dumps(full).encode()}]
    )
    page.locator("[data-check-message]").filter(has_text="Imported 10 answers").wait_for(timeout=5000)
    assert checked(page) == full["answers"]
    assert json.loads(saved(page, "labour-check"))["answers"] == full["answers"]


def test_share_link_restores_answers_in_a_new_context(browser, visit: Visit, site_url: str) -> None:
    page = visit.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site_url + "checks/health-check/")
    answers = dict(list(golden("health-check", "mixed").items())[:5])
    answer(page, answers)
    page.click("button[data-action=share]")
    url = page.locator("[data-share-url]").input_value()
    assert url.startswith(site_url + "checks/health-check/#answers=")
    fresh = browser.new_context()
    try:
        other = fresh.new_page()
        other.goto(url)
        assert checked(other) == answers
        assert other.evaluate("location.hash") == ""
        wait_for_result(other, "incomplete")
        assert json.loads(other.evaluate("localStorage.getItem('selfcheck:health-check:v1')"))["answers"] == answers
    finally:
        fresh.close()


def test_clear_empties_the_form_and_the_saved_answers(visit: Visit, site_url: str) -> None:
    """Clear asks nothing: it leaves an Undo instead (tested in test_browser_check_page)."""
    page = visit.page
    hold_the_runtime(page)
    page.goto(site_url + "checks/labour-check/")
    answer(page, {"labour-staff-rules": "yes"})
    page.click("button[data-action=clear]")
    assert checked(page) == {}
    assert saved(page, "labour-check") is None, "nothing else was saved, so nothing is kept"


def test_pages_without_a_check_fetch_none_of_the_runtime(visit: Visit, site_url: str) -> None:
    for path in ("", "guideline/", "areas/labour/", "checks/"):
        visit.page.goto(site_url + path)
        visit.page.wait_for_load_state("networkidle")
    assert [url for url in visit.requests if "pyodide" in url or "selfcheck" in url] == []


def test_instant_navigation_away_and_back_reuses_the_worker(visit: Visit, site_url: str, built_site: Path) -> None:
    page = visit.page
    enable_instant_navigation(page, built_site, site_url)
    workers = []
    page.on("worker", lambda worker: "selfcheck-worker" in worker.url and workers.append(worker.url))
    page.goto(site_url + "checks/labour-check/")
    answer(page, {"labour-staff-rules": "yes"})
    wait_for_result(page, "incomplete")
    page.evaluate("window.sameDocument = true")
    page.click(".check-scope a")
    reached(page, "areas/labour/")
    page.wait_for_selector(".area-checks a")
    page.click(".area-checks a")
    reached(page, "checks/labour-check/")
    wait_for_result(page, "incomplete")
    assert checked(page) == {"labour-staff-rules": "yes"}
    page.click('a.md-nav__link[href$="health-check/"]')
    reached(page, "checks/health-check/")
    page.wait_for_selector('form[data-check="health-check"][data-check-state="ready"]', timeout=5000)
    assert page.evaluate("window.sameDocument") is True, "the links were not followed by instant navigation"
    assert workers == [site_url + "assets/javascripts/selfcheck-worker.js"]
    assert visit.console_errors == []


def test_a_check_reached_by_instant_navigation_starts_the_runtime(
    visit: Visit, site_url: str, built_site: Path, tmp_path: Path
) -> None:
    page = visit.page
    enable_instant_navigation(page, built_site, site_url)
    page.goto(site_url + "areas/ip/")
    page.wait_for_load_state("networkidle")
    assert [url for url in visit.requests if "pyodide" in url] == []
    page.evaluate("window.sameDocument = true")
    page.click(".area-checks a")
    reached(page, "checks/ip-check/")
    answers = golden("ip-check", "mixed")
    answer(page, answers)
    wait_for_result(page, "complete")
    assert page.evaluate("window.sameDocument") is True
    expected = cli("ip-check", answers, tmp_path)
    assert shown(page) == (f"{expected['score']:.1f}", expected["level"])
    assert page.get_attribute("form[data-check]", "data-check-started") == "snapshot", "the form names the snapshot"


def test_a_runtime_that_cannot_load_says_so_and_keeps_answers(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.route("**/*.wasm", lambda route: route.abort())
    page.goto(site_url + "checks/labour-check/")
    page.wait_for_selector('form[data-check-state="error"]', timeout=READY)
    message = page.inner_text("[data-result-body]")
    assert "could not be downloaded" in message and "answers are still saved" in message
    answer(page, {"labour-written-contracts": "no"})
    page.reload()
    assert checked(page) == {"labour-written-contracts": "no"}


def test_without_javascript_the_questions_read_answer_and_print(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "checks/labour-check/")
        assert page.locator("form[data-check] li[data-question] fieldset").count() == 10
        assert page.locator(".check-noscript").is_visible()
        assert not page.locator("[data-check-tools]").is_visible()
        page.locator('input[name="labour-staff-rules"][value="no"]').check()
        page.emulate_media(media="print")
        options = page.locator('li[data-question="labour-staff-rules"] .check-option')
        assert options.filter(has=page.locator('input[value="no"]')).is_visible()
        assert not options.filter(has=page.locator('input[value="partly"]')).is_visible()
    finally:
        context.close()


def test_print_shows_the_report_without_the_tools(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + "checks/labour-check/")
    answer(page, golden("labour-check", "mixed"))
    wait_for_result(page, "complete")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert not page.locator("[data-check-tools]").is_visible()
    assert page.locator("[data-print-date]").inner_text().startswith("Report of ")
    assert page.locator("[data-recommendation]").first.is_visible()
    assert page.locator(".check-rec__clauses q").first.is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_check_page_with_a_result_has_no_serious_accessibility_violations(
    visit: Visit, site_url: str, scheme: str
) -> None:
    from test_browser_library import axe_violations

    page = visit.page
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + "checks/health-check/")
    answer(page, golden("health-check", "mixed"))
    wait_for_result(page, "complete")
    page.click("button[data-action=share]")
    assert page.locator(".check-chart").first.is_visible()
    assert axe_violations(page) == []


def test_check_pages_fit_a_phone_screen(phone: Visit, site_url: str) -> None:
    page = phone.page
    for check_id in ("labour-check", "health-check"):
        page.goto(site_url + f"checks/{check_id}/")
        answer(page, golden(check_id, "mixed"))
        wait_for_result(page, "complete")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, check_id
