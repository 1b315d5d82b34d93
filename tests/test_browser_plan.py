"""My plan (/checks/plan/) in real headless Chromium: it reads the checks saved in this browser and
shows the engine's figures for them (the same as ``scoring`` in CPython on the same records), one
list of actions in the engine's order, a CSV a spreadsheet opens cleanly, an empty state, a page
without JavaScript, a print to PDF, no serious accessibility violation, and it works offline once
loaded."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import Visit
from pypdf import PdfReader
from test_browser_checks import READY, answer, enable_instant_navigation, golden, reached, wait_for_result
from test_browser_csp import RECORD_VIOLATIONS, violations
from test_browser_offline import kept_offline, reload, server_for, stop, wait_until_kept

from generator import compile_check, scoring, urls

pytestmark = [pytest.mark.browser, pytest.mark.build]

PLAN = "checks/plan/"
NOTE = '=HYPERLINK("http://example.invalid","click")'
"""A note that a spreadsheet would run as a formula, were it not neutralised."""


def health_record() -> dict:
    """A health check saved part-way, with an assessment date and a formula-like note on an action."""
    answers = dict(list(golden("health-check", "mixed").items())[:6])
    noted = next(question for question, option in answers.items() if option in ("partly", "no"))
    return {
        "check": "health-check",
        "version": 1,
        "answers": answers,
        "notes": {noted: NOTE},
        "assessment": {"organisation": "Example Ltd", "assessor": "A. Tester", "date": "2026-11-02"},
    }


def save(page, record: dict) -> None:
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [f"selfcheck:{record['check']}:v{record['version']}", json.dumps(record)],
    )


def expected_plan(corpus, records: list[dict]) -> dict:
    """The plan CPython's engine makes of the same records, in the page's order of checks."""
    order = [check.id for check in corpus.ordered_checks]
    entries = [
        {"check": compile_check(corpus, corpus.checks[record["check"]]), "record": record}
        for record in sorted(records, key=lambda record: order.index(record["check"]))
    ]
    return scoring.plan(entries)


def wait_for_plan(page) -> None:
    page.wait_for_selector('[data-plan][data-plan-state="ready"] [data-plan-summary]', timeout=READY)


def saved_two_checks(page, site_url: str, built_site: Path, instant: bool = True) -> list[dict]:
    """Labour check answered on its page, health check saved directly; then My plan, reached by
    instant navigation with the tab's worker (or opened afresh). Returns the records as saved."""
    if instant:
        enable_instant_navigation(page, built_site, site_url)
    page.goto(site_url + "checks/labour-check/")
    answer(page, golden("labour-check", "mixed"))
    wait_for_result(page, "complete")
    save(page, health_record())
    if instant:
        page.evaluate("window.sameDocument = true")
        page.click('a.md-nav__link[href$="plan/"]')
        reached(page, PLAN)
    else:
        page.goto(site_url + PLAN)
    wait_for_plan(page)
    if instant:
        assert page.evaluate("window.sameDocument") is True, "My plan was not reached by instant navigation"
    return [json.loads(page.evaluate("localStorage.getItem('selfcheck:labour-check:v1')")), health_record()]


def test_the_plan_shows_the_engines_figures_and_actions(visit: Visit, site_url: str, built_site: Path, corpus) -> None:
    page = visit.page
    page.add_init_script(RECORD_VIOLATIONS)
    workers = []
    page.on("worker", lambda worker: "selfcheck-worker" in worker.url and workers.append(worker.url))
    records = saved_two_checks(page, site_url, built_site)
    assert workers == [site_url + urls.WORKER], "one worker serves the check page and the plan"
    expected = expected_plan(corpus, records)
    rows = page.locator("tr.plan-check[data-plan-check]")
    assert rows.evaluate_all("rows => rows.map(row => row.dataset.planCheck)") == ["health-check", "labour-check"]
    for item in expected["checks"]:
        row = page.locator(f'tr.plan-check[data-plan-check="{item["check"]}"]')
        assert row.get_attribute("data-plan-status") == item["status"]
        assert row.locator("[data-plan-score]").inner_text() == f"{item['score']:.1f}"
        assert row.locator("[data-plan-level]").get_attribute("data-level") == (item["level"] or "")
        progress = item["progress"]
        assert f"{progress['answered']} of {progress['applicable']}" in row.locator("[data-plan-progress]").inner_text()
        assert row.locator("a.plan-continue").get_attribute("href") == f"../{item['check']}/"
    labour = next(item for item in expected["checks"] if item["check"] == "labour-check")
    health = next(item for item in expected["checks"] if item["check"] == "health-check")
    assert labour["status"] == "complete" and labour["label"]

    def cell(check_id: str, hook: str) -> str:
        return page.locator(f'tr.plan-check[data-plan-check="{check_id}"] [{hook}]').inner_text()

    assert cell("labour-check", "data-plan-level") == labour["label"]
    assert health["status"] == "incomplete"
    assert cell("health-check", "data-plan-level") == "No level until complete"
    assert cell("health-check", "data-plan-date") == "2026-11-02"
    assert cell("labour-check", "data-plan-date") == "date not recorded"
    areas = page.locator('tr.plan-area[data-plan-check="health-check"]')
    assert areas.count() == len(health["areas"]) > 1

    # One list across both checks, in the engine's order: red lines first, then weight × shortfall.
    shown = page.locator("[data-plan-action]").evaluate_all("items => items.map(item => item.dataset.planAction)")
    assert shown == [f"{action['check']}:{action['question']}" for action in expected["actions"]]
    assert {action["check"] for action in expected["actions"]} == {"labour-check", "health-check"}
    red_lines = [action["red_line"] for action in expected["actions"]]
    assert red_lines == sorted(red_lines, reverse=True), "red lines come first"
    for group in (True, False):
        priorities = [action["priority"] for action in expected["actions"] if action["red_line"] is group]
        assert priorities == sorted(priorities, reverse=True)
    flags = page.locator("[data-plan-action]").evaluate_all("items => items.map(item => item.dataset.planRedLine)")
    assert flags == ["true" if flag else "false" for flag in red_lines]
    assert violations(page) == [], "the plan runs under the site's Content-Security-Policy"
    assert visit.console_errors == []
    assert visit.foreign_requests() == []


def test_the_csv_export_opens_cleanly_in_a_spreadsheet(visit: Visit, site_url: str, built_site: Path, corpus) -> None:
    page = visit.page
    records = saved_two_checks(page, site_url, built_site)
    with page.expect_download() as download:
        page.click("button[data-action=plan-csv]")
    assert download.value.suggested_filename.startswith("my-plan-")
    assert download.value.suggested_filename.endswith(".csv")
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "a UTF-8 byte order mark, so spreadsheets read the Chinese right"
    expected = expected_plan(corpus, records)
    assert data == scoring.plan_csv(expected).encode("utf-8"), "the engine's CSV, byte for byte"
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[-1] == "" and not any("\r" in line for line in lines), "rows end with CRLF"
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    assert header[:6] == ["Rank", "Area", "Question", "Clause", "Advice", "Status"]
    assert len(rows) == len(expected["actions"])
    cells = [dict(zip(header, row, strict=True)) for row in rows]
    assert [cell["Question"] for cell in cells] == [action["text"] for action in expected["actions"]]
    assert all("<" not in cell["Advice"] and cell["Advice"] for cell in cells), "advice as plain text"
    assert all(cell["Status"] in ("Partly met", "Not met") for cell in cells)
    noted = [cell for cell in cells if cell["Note"]]
    assert [cell["Note"] for cell in noted] == ["'" + NOTE], "the formula-like note is neutralised"
    assert not any(cell.startswith(scoring.FORMULA_START) for row in rows for cell in row)


def test_with_nothing_saved_the_plan_says_what_to_do(visit: Visit, site_url: str, corpus) -> None:
    page = visit.page
    page.goto(site_url + PLAN)
    page.wait_for_selector('[data-plan][data-plan-state="empty"]')
    empty = page.locator("[data-plan-empty]")
    assert empty.is_visible()
    assert "No saved answers in this browser yet" in empty.inner_text()
    assert "health check" in empty.inner_text()
    assert not page.locator("[data-plan-tools]").is_visible(), "nothing to print or export"
    assert not page.locator("[data-plan-nojs]").count()
    links = page.locator(".plan-all-checks a").evaluate_all("links => links.map(link => link.href)")
    assert links == [f"{site_url}checks/{check.id}/" for check in corpus.ordered_checks]
    assert visit.console_errors == []


def test_the_plan_follows_checks_saved_in_another_tab(visit: Visit, site_url: str) -> None:
    """A reader with My plan open in one tab answers a check in another: the plan shows it,
    without a reload; clearing it there empties the plan here."""
    plan = visit.page
    plan.goto(site_url + PLAN)
    plan.wait_for_selector('[data-plan][data-plan-state="empty"]')
    plan.evaluate("window.sameDocument = true")
    other = plan.context.new_page()
    try:
        other.goto(site_url + "checks/")
        save(other, {"check": "labour-check", "version": 1, "answers": golden("labour-check", "mixed")})
        plan.wait_for_selector('[data-plan-state="ready"] tr[data-plan-check="labour-check"]', timeout=READY)
        assert plan.locator("[data-plan-empty]").is_hidden()
        save(other, health_record())
        plan.wait_for_selector('[data-plan-state="ready"] tr[data-plan-check="health-check"]', timeout=READY)
        assert plan.locator("tr.plan-check[data-plan-check]").count() == 2
        other.evaluate("localStorage.clear()")
        plan.wait_for_selector('[data-plan][data-plan-state="empty"]', timeout=READY)
        assert plan.locator("[data-plan-empty]").is_visible()
        assert not plan.locator("[data-plan-tools]").is_visible()
        assert plan.evaluate("window.sameDocument") is True, "no reload"
    finally:
        other.close()
    assert visit.console_errors == []


@pytest.mark.parametrize("blocked", ["**/assets/pyodide/**", "**/check.json"], ids=["engine", "checks"])
def test_a_plan_that_could_not_be_made_is_made_with_try_again(visit: Visit, site_url: str, blocked: str) -> None:
    """The engine, or the compiled checks, could not be downloaded: the plan says so, offers Try
    again, and, once the network is back, makes the plan without a reload."""
    page = visit.page
    page.goto(site_url + "checks/")
    save(page, {"check": "labour-check", "version": 1, "answers": golden("labour-check", "mixed")})
    page.route(blocked, lambda route: route.abort())
    page.goto(site_url + PLAN)
    page.evaluate("window.sameDocument = true")
    page.wait_for_selector('[data-plan][data-plan-state="error"]', timeout=READY)
    assert "could not be downloaded" in page.inner_text("[data-plan-body]") or "did not start" in page.inner_text(
        "[data-plan-body]"
    )
    retry = page.locator("[data-plan-retry]")
    assert retry.is_visible()
    page.unroute(blocked)
    retry.click()
    wait_for_plan(page)
    assert retry.is_hidden()
    assert page.locator('tr.plan-check[data-plan-check="labour-check"]').count() == 1
    assert page.evaluate("window.sameDocument") is True, "no reload"


def test_before_any_failure_the_plan_has_no_try_again(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + "checks/")
    save(page, {"check": "labour-check", "version": 1, "answers": golden("labour-check", "mixed")})
    page.goto(site_url + PLAN)
    wait_for_plan(page)
    assert page.locator("[data-plan-retry]").is_hidden()


def test_without_javascript_the_plan_page_explains_and_lists_the_checks(browser, site_url: str, corpus) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + PLAN)
        note = page.locator("[data-plan-nojs]")
        assert note.is_visible()
        assert "built in this browser from the answers you saved" in note.inner_text()
        assert not page.locator("[data-plan-empty]").is_visible()
        assert page.locator(".plan-all-checks a").count() == len(corpus.checks)
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_plan_has_no_serious_accessibility_violations(
    visit: Visit, site_url: str, built_site: Path, scheme: str
) -> None:
    from test_browser_library import axe_violations

    page = visit.page
    page.emulate_media(color_scheme=scheme)
    saved_two_checks(page, site_url, built_site, instant=False)
    assert axe_violations(page) == []
    page.emulate_media(color_scheme=scheme, media="print")
    assert axe_violations(page) == [], "printed"


def test_the_plan_prints_with_the_figures_on_page_one(visit: Visit, site_url: str, built_site: Path, corpus) -> None:
    page = visit.page
    records = saved_two_checks(page, site_url, built_site, instant=False)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert not page.locator("[data-plan-tools]").is_visible()
    assert not page.locator(".plan-all-checks").is_visible()
    assert page.locator("[data-plan-print-date]").inner_text().startswith("Plan of ")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    first = " ".join(pdf.pages[0].extract_text().split()).replace("- ", "-")  # words broken at a hyphen
    expected = expected_plan(corpus, records)
    labour = next(item for item in expected["checks"] if item["check"] == "labour-check")
    assert "My plan" in first and "Your checks" in first
    for item in expected["checks"]:
        assert item["title"] in first and f"{item['score']:.1f}" in first, item["check"]
    assert labour["label"] in first
    assert "What to do next" in first, "the top actions start on page one"
    assert "127.0.0.1" not in " ".join(page.extract_text() for page in pdf.pages), "no loopback address printed"


def test_the_plan_works_offline_once_loaded(browser, built_site: Path, corpus) -> None:
    context = browser.new_context()
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        with server_for(built_site) as (server, url):
            page.goto(url + "checks/")
            record = {"check": "labour-check", "version": 1, "answers": golden("labour-check", "mixed")}
            save(page, record)
            page.goto(url + PLAN)
            wait_for_plan(page)
            checks = [urls.check_json(check.id) for check in corpus.ordered_checks]
            wait_until_kept(page, url, [*kept_offline(built_site, PLAN), *checks])
            stop(server)
            context.set_offline(True)
            reload(page)
            assert page.evaluate("navigator.serviceWorker.controller !== null"), "served by the service worker"
            wait_for_plan(page)
            expected = expected_plan(corpus, [record])["checks"][0]
            row = page.locator('tr[data-plan-check="labour-check"]')
            assert row.locator("[data-plan-score]").inner_text() == f"{expected['score']:.1f}"
            # A check saved while offline is in the plan too: every compiled check was kept.
            save(page, {"check": "ip-check", "version": 1, "answers": golden("ip-check", "mixed")})
            reload(page)
            page.wait_for_selector('[data-plan-state="ready"] tr[data-plan-check="ip-check"]', timeout=READY)
        assert errors == []
    finally:
        context.close()


def test_the_plan_fits_a_phone_screen(phone: Visit, site_url: str) -> None:
    page = phone.page
    page.goto(site_url + "checks/")
    save(page, health_record())
    save(page, {"check": "labour-check", "version": 1, "answers": golden("labour-check", "mixed")})
    page.goto(site_url + PLAN)
    wait_for_plan(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    for button in page.locator("[data-plan-tools] button").all():
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, "tap targets of at least 44 × 44 px"
