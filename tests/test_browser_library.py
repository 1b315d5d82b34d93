"""The library, glossary and reading aids in real headless Chromium: Chinese search, the
easy-reading toggle, glossary tooltips, the footer fields, and axe-core accessibility checks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import ROOT, Visit, serve
from test_browser_offline import wait_until_active

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHINESE_DOCS = ROOT / "tests" / "fixtures" / "chinese-site" / "docs"
SMALL_CONTENT = ROOT / "tests" / "fixtures" / "projects" / "minimal" / "content"
PAGE_TYPES = {
    "home": "",
    "guideline": "guideline/",
    "area": "areas/international/",
    "library document": "library/miit-notice-2020/",
    "source": "library/scio-briefing-2020/",
    "library index": "library/",
    "timeline": "library/timeline/",
    "glossary": "glossary/",
    "about": "about/",
    "self-check index": "checks/",
    "self-check": "checks/health-check/",
    "case index": "cases/",
    "case": "cases/unsigned-contracts/",
}
SITE_OWNER = "Example Compliance Association"
ICP_NUMBER = "京ICP备00000000号-1"

pytestmark = [pytest.mark.browser, pytest.mark.build]


@pytest.fixture(scope="module")
def fixture_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The project's own mkdocs.yml (theme, search and plugin settings) built with a Chinese test page
    as its docs, the small fixture project's content (no self-checks, so no runtime to copy), and the
    footer fields set."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = tmp_path_factory.mktemp("chinese-site") / "site"
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(CHINESE_DOCS), site_dir=str(site), strict=True)
    plugin_config = config.plugins["sme-guideline"].config
    plugin_config["content_dir"] = str(SMALL_CONTENT)
    plugin_config["site_owner"] = SITE_OWNER
    plugin_config["icp_number"] = ICP_NUMBER
    # A different site from the published one: its pages are not held to the published-URL manifest.
    plugin_config["url_manifest"] = str(site.parent / "no-manifest.txt")
    build(config)
    server, url = serve(site)
    yield url
    server.shutdown()
    server.server_close()


def search(page, words: str) -> list[str]:
    """Type ``words`` into the search box once the search index is ready; the result links."""
    page.wait_for_load_state("networkidle")
    page.locator("label.md-search__icon, input.md-search__input").first.click()
    page.locator(".md-search-result__meta", has_text="Type to start searching").wait_for(timeout=15000)
    box = page.locator("input.md-search__input")
    box.press_sequentially(words, delay=60)
    # Characters typed through an input method arrive without key events; the key that ends
    # the composition is what Material's search listens for, so press one as a reader would.
    box.press("End")
    page.locator(".md-search-result__item a").first.wait_for(timeout=15000)
    return page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")


@pytest.mark.parametrize("words", ["出口管制", "合规", "数据安全"])
def test_searching_a_chinese_term_finds_its_page(browser, fixture_site_url: str, words: str) -> None:
    page = browser.new_page()
    page.goto(fixture_site_url)
    hrefs = search(page, words)
    assert any("zh-sample/" in href for href in hrefs), hrefs
    page.close()


def test_chinese_headings_get_readable_anchors(browser, fixture_site_url: str) -> None:
    page = browser.new_page()
    page.goto(fixture_site_url + "zh-sample/")
    ids = page.locator("article h2").evaluate_all("headings => headings.map(h => h.id)")
    assert ids == ["出口管制", "数据安全"]
    page.goto(fixture_site_url + "zh-sample/#数据安全")
    assert page.locator("h2#数据安全").is_visible()
    page.close()


def test_footer_shows_the_configured_owner_and_icp_number(browser, fixture_site_url: str) -> None:
    page = browser.new_page()
    page.goto(fixture_site_url)
    footer = page.locator(".site-registration")
    assert SITE_OWNER in footer.inner_text()
    icp = footer.locator("a", has_text=ICP_NUMBER)
    assert icp.get_attribute("href") == "https://beian.miit.gov.cn/"
    page.close()


def test_easy_reading_is_keyboard_operable_and_persists_across_reload(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + "guideline/")
    toggle = page.locator("[data-easy-reading-toggle]")
    assert toggle.get_attribute("aria-pressed") == "false"
    size_before = page.locator(".clause__text").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    line_before = page.locator(".clause__text").first.evaluate("p => parseFloat(getComputedStyle(p).lineHeight)")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-easy-reading-toggle')"):
            break
    else:
        pytest.fail("the easy-reading toggle cannot be reached with the Tab key")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    page.reload()
    assert page.evaluate("document.documentElement.classList.contains('easy-reading')")
    assert page.locator("[data-easy-reading-toggle]").get_attribute("aria-pressed") == "true"
    size_after = page.locator(".clause__text").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    line_after = page.locator(".clause__text").first.evaluate("p => parseFloat(getComputedStyle(p).lineHeight)")
    assert size_after >= size_before * 1.2
    assert line_after / size_after > line_before / size_before
    page.locator("[data-easy-reading-toggle]").focus()
    page.keyboard.press("Space")
    page.reload()
    assert not page.evaluate("document.documentElement.classList.contains('easy-reading')")
    assert visit.console_errors == []
    assert visit.foreign_requests() == []


def test_easy_reading_survives_instant_navigation_without_a_second_toggle(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url)
    page.locator("[data-easy-reading-toggle]").click()
    page.locator(".ways-in a.way-in", has_text="Policy library").click()
    page.wait_for_url("**/library/")
    assert page.locator("[data-easy-reading-toggle]").count() == 1
    assert page.evaluate("document.documentElement.classList.contains('easy-reading')")


def test_glossary_tooltip_appears_on_hover_and_on_keyboard_focus(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + "areas/international/")
    term = page.locator('abbr.term[data-term="export-control"]')
    term.hover()
    tooltip = page.locator(".md-tooltip2, .md-tooltip").filter(has_text="Rules that restrict")
    tooltip.first.wait_for(state="visible", timeout=5000)
    page.mouse.move(0, 0)
    page.goto(site_url + "glossary/")
    page.goto(site_url + "areas/international/")
    for _ in range(300):  # every navigation link comes first; the limit only stops a runaway loop
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.term === 'export-control'"):
            break
    else:
        pytest.fail("the marked term cannot be reached with the Tab key")
    tooltip.first.wait_for(state="visible", timeout=5000)


def axe_violations(page) -> list[dict]:
    # Colours are measured once the theme's colour transitions (after a change of scheme or of
    # media) have ended: mid-transition, a colour is neither the old one nor the new one.
    page.wait_for_function("() => document.getAnimations().every(animation => animation.playState !== 'running')")
    # Evaluated through DevTools, not added as a <script>: the site's Content-Security-Policy
    # (rightly) refuses inline scripts it did not write.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            // A rule is as serious as the most serious of its checks that fail: a rule whose every
            // check is at most "moderate" can never fail this test, so it is not run (a quarter to
            // a third of axe's time here). Read from axe's own metadata, so an upgrade that raises
            // a check's impact brings its rule back.
            const harmless = new Set(["minor", "moderate"]);
            const impact = (check) => axe._audit.data.checks[check.id ?? check]?.impact;
            const off = {};
            for (const rule of axe._audit.rules) {
                const checks = [...rule.any, ...rule.all, ...rule.none];
                if (checks.length && checks.every((check) => harmless.has(impact(check)))) {
                    off[rule.id] = {enabled: false};
                }
            }
            const result = await axe.run(document, {resultTypes: ["violations"], rules: off});
            return result.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )
    return [violation for violation in result if violation["impact"] in ("serious", "critical")]


MODES = ("light", "dark", "easy-reading")


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_no_serious_or_critical_accessibility_violations(
    visit_with_service_worker: Visit, site_url: str, page_type: str
) -> None:
    """Each page type in each mode, switched as a reader switches it: a first visit in light mode,
    then the theme's palette toggle (dark), then the toggle back and the easy-reading toggle. (A
    first visit already in dark mode, from the system's preference, is checked on the self-check
    and plan pages, whose results are drawn by script.) The site's service worker is at work, as
    on a reader's first visit: it installs from every page type with no error."""
    visit = visit_with_service_worker
    page = visit.page
    page.emulate_media(color_scheme="light")
    page.goto(site_url + PAGE_TYPES[page_type])
    page.wait_for_load_state("networkidle")
    found: dict[str, list] = {}
    for mode in MODES:
        if mode == "dark":
            switch_palette(page, "slate")
        elif mode == "easy-reading":
            switch_palette(page, "default")
            page.locator("[data-easy-reading-toggle]").click()
        assert page.evaluate("document.documentElement.classList.contains('easy-reading')") == (
            mode == "easy-reading"
        ), mode
        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert scheme == ("slate" if mode == "dark" else "default"), mode
        found[mode] = axe_violations(page)
    assert found == {mode: [] for mode in MODES}
    wait_until_active(page)
    assert visit.foreign_requests() == []
    assert visit.console_errors == []


def switch_palette(page, scheme: str) -> None:
    """Click the theme's palette toggle (the one shown is the way to the other scheme) until the
    page is in ``scheme`` and the toggle's tooltip, which the pointer left on it brings up after a
    delay, is fully shown: half faded in, its colours are neither (axe found one that way)."""
    page.locator("[data-md-component=palette] label:visible").click()
    page.wait_for_function("scheme => document.body.getAttribute('data-md-color-scheme') === scheme", arg=scheme)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.md-tooltip')].some(tip => getComputedStyle(tip).opacity === '1')"
    )


def test_no_serious_or_critical_violations_in_a_scored_self_check(visit: Visit, site_url: str) -> None:
    """The result panel (score, level, chart, action list) appears only after answering."""
    page = visit.page
    page.goto(site_url + "checks/health-check/")
    page.wait_for_selector('form[data-check-state="ready"]', timeout=60_000)
    names = page.eval_on_selector_all(
        "form[data-check] input[type=radio]", "inputs => [...new Set(inputs.map(input => input.name))]"
    )
    for index, name in enumerate(names):
        page.locator(f'input[name="{name}"][value="{"no" if index % 3 else "yes"}"]').check()
    page.wait_for_function("() => (document.querySelector('[data-result-level]')?.textContent || '').trim() !== ''")
    assert axe_violations(page) == []
    assert visit.foreign_requests() == []


def test_no_serious_or_critical_violations_after_instant_navigation(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url)
    page.locator(".ways-in a.way-in", has_text="Glossary").click()
    page.wait_for_url("**/glossary/")
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []


@pytest.mark.parametrize("easy_reading", [False, True], ids=["default", "easy-reading"])
def test_library_pages_fit_a_phone_screen(phone: Visit, site_url: str, easy_reading: bool) -> None:
    page = phone.page
    if easy_reading:
        page.add_init_script("localStorage.setItem('sme-easy-reading', 'on')")
    for path in (
        "library/",
        "library/timeline/",
        "library/miit-notice-2020/",
        "library/scio-briefing-2020/",
        "glossary/",
    ):
        page.goto(site_url + path)
        assert page.locator("[data-easy-reading-toggle]").is_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, path
