"""The whole site under its own Content-Security-Policy in Chromium: pages, search, glossary
tooltips, instant navigation and a self-check reaching a score, with no violation; and the policy
really blocks an inline script the build did not write."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import Visit
from test_browser_checks import READY, enable_instant_navigation

from generator import csp

pytestmark = [pytest.mark.browser, pytest.mark.build]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def test_every_page_carries_the_policy_first_in_its_head(built_site: Path) -> None:
    value = (built_site / csp.POLICY_FILE).read_text(encoding="utf-8").strip()
    assert value.startswith("script-src 'self' 'wasm-unsafe-eval' 'sha256-")
    assert "unsafe-inline" not in value and "unsafe-eval" not in value.replace("wasm-unsafe-eval", "")
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        html = page.read_text(encoding="utf-8")
        head = re.search(r"<head[^>]*>(.*?)</head>", html, re.S)
        if head is None:
            continue
        first = re.match(r"\s*<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]+)\">", head.group(1))
        assert first, page
        assert first.group(1) == value
        for script in csp.inline_scripts(html):
            assert csp.script_hash(script) in value, page


def test_the_site_runs_under_its_policy_with_no_violation(
    visit_with_service_worker: Visit, built_site: Path, site_url: str
) -> None:
    """With the site's service worker at work, as on a reader's first visit."""
    visit = visit_with_service_worker
    page = visit.page
    page.add_init_script(RECORD_VIOLATIONS)
    enable_instant_navigation(page, built_site, site_url)
    page.goto(site_url + "areas/labour/")
    page.locator("abbr.term").first.hover()
    page.goto(site_url + "checks/labour-check/")
    page.locator('input[name="labour-written-contracts"][value="yes"]').check()
    page.wait_for_selector('form[data-check-state="ready"] [data-result-score]', timeout=READY)
    page.locator(".md-nav__link", has_text="Finance and tax self-check").first.click()
    page.wait_for_url(re.compile(r".*/checks/finance-tax-check/"))
    page.locator('form[data-check="finance-tax-check"] input[type=radio]').first.check()
    page.wait_for_selector('form[data-check="finance-tax-check"][data-check-state="ready"]', timeout=READY)
    page.keyboard.press("/")
    page.keyboard.type("contract")
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
    assert violations(page) == []
    assert [error for error in visit.console_errors if "Content Security Policy" in error] == []


def test_an_inline_script_the_build_did_not_write_is_blocked(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(site_url)
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.__injected = true";
        document.body.appendChild(script);
    }"""
    )
    page.wait_for_function("() => window.__violations.length > 0")
    assert page.evaluate("window.__injected === undefined")
    assert any(line.startswith("script-src") for line in violations(page))
