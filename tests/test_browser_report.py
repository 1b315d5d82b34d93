"""The engine's report as Chromium lays it out on a 390 px phone, with the site's stylesheets: the
health check's per-area chart keeps its words at 12 px or more (an SVG chart 700 units wide
scaled them to about 6 px) and nothing in the report is wider than the screen.

The report is put into the built health-check page by the test, with the page's own self-check
scripts off, so what is measured is the engine's HTML and the report's CSS, whatever the page
does around it; axe-core then checks it on screen and in print."""

from __future__ import annotations

import pytest
from answer_profiles import shipped_check, shipped_profile

from generator import scoring

pytestmark = [pytest.mark.browser, pytest.mark.build]

PHONE = {"width": 390, "height": 844}
TEXT = ".check-bar__label, .check-bar__value, .check-chart figcaption, [data-area-check], .check-report__summary p"


def health_report() -> str:
    check = shipped_check("health-check")
    answers = shipped_profile("health-check", "mixed")
    history = [{"saved": "2026-11-01T10:00:00.000Z", "answers": shipped_profile("health-check", "all-worst")}]
    record = {
        "answers": answers,
        "notes": {check["questions"][0]["id"]: "A long note " * 40},
        "review": [check["questions"][1]["id"]],
        "assessment": {"organisation": "Example Workshop Ltd", "assessor": "Li Wei", "date": "2026-12-01"},
        "history": history,
    }
    return scoring.report_html(check, scoring.assess(check, record))


def test_the_health_checks_chart_and_report_read_on_a_phone(browser, site_url: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "checks/health-check/")
        page.eval_on_selector("[data-result-body]", "(body, html) => { body.innerHTML = html; }", health_report())
        sizes = page.eval_on_selector_all(
            TEXT,
            """elements => elements.map(element => ({
                text: element.textContent.slice(0, 40),
                size: parseFloat(getComputedStyle(element).fontSize),
                right: element.getBoundingClientRect().right,
            }))""",
        )
        labels = [item for item in sizes if item["text"]]
        assert len(labels) > 30, labels
        small = [item for item in labels if item["size"] < 12]
        assert small == [], small
        wide = [item for item in labels if item["right"] > PHONE["width"]]
        assert wide == [], wide
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        bars = page.eval_on_selector_all(
            ".check-bar__bar", "bars => bars.map(bar => bar.getBoundingClientRect().width)"
        )
        assert len(bars) == 10 and min(bars) > 200, "each bar spans the row on a phone"
    finally:
        context.close()


@pytest.mark.parametrize("media", ["screen", "print"])
def test_the_report_has_no_serious_accessibility_violations(browser, site_url: str, media: str) -> None:
    """axe-core on the health-check page holding a full report: chart, area links, actions,
    answers with notes and review marks, the comparison."""
    from test_browser_library import axe_violations

    context = browser.new_context()
    try:
        page = context.new_page()
        # axe needs scripts; the page's own self-check scripts stay out, so nothing replaces the report.
        page.route("**/assets/javascripts/selfcheck*.js", lambda route: route.abort())
        page.emulate_media(media=media)
        page.goto(site_url + "checks/health-check/")
        page.eval_on_selector("[data-result-body]", "(body, html) => { body.innerHTML = html; }", health_report())
        assert page.locator("[data-result-comparison]").count() == 1
        assert axe_violations(page) == []
    finally:
        context.close()
