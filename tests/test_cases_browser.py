"""Case pages in real headless Chromium: the handout prints on one A4 page, the QR code scans
to the page's address, the copy-link button and the index filter work, nothing leaves the origin."""

from __future__ import annotations

import io
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import zxingcpp
from conftest import CASE_IDS, ROOT, Visit, tab_in
from pypdf import PdfReader
from qrcodes import png_to_grey, read_qr

pytestmark = [pytest.mark.browser, pytest.mark.build]

SITE_URL = "https://compliance.example.org/"
SAMPLED_CASES = [CASE_IDS[0], *(pytest.param(case_id, marks=pytest.mark.slow) for case_id in CASE_IDS[1:])]
"""Every case for the per-case sweeps; the first (in file order) runs without ``-m slow`` too."""


def test_case_pages_and_index_load_cleanly_from_this_origin_only(visit: Visit, site_url: str) -> None:
    for path in ("cases/", "cases/unsigned-contracts/", "areas/labour/"):
        visit.page.goto(site_url + path)
        visit.page.wait_for_load_state("networkidle")
    assert visit.console_errors == []
    assert visit.foreign_requests() == []


A4_CONTENT = {"width": 703, "height": 1047}
"""A4 less the handout's page margins (10 mm × 12 mm), in CSS pixels: the print layout's viewport."""
SMALLEST_TEXT = """() => {
  const walker = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT);
  const sizes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.textContent.trim() || !element.getClientRects().length) continue;
    if (getComputedStyle(element).visibility === "hidden") continue;
    sizes.push([parseFloat(getComputedStyle(element).fontSize), node.textContent.trim().slice(0, 40)]);
  }
  return sizes.sort((a, b) => a[0] - b[0])[0];
}"""


@pytest.fixture(scope="module")
def case_tab(reader_context, site_url: str) -> Iterator[Visit]:
    """One tab for the per-case sweep: each case is a plain load of a read-only page, so a new tab
    per case buys nothing. Requests and console errors are recorded afresh for every test (see
    :func:`fresh_case_tab`)."""
    yield from tab_in(reader_context, site_url)


@pytest.fixture
def fresh_case_tab(case_tab: Visit) -> Visit:
    case_tab.requests.clear()
    case_tab.console_errors.clear()
    case_tab.page.emulate_media(media="null")  # no emulation: page.pdf() prints with print styles
    return case_tab


@pytest.mark.parametrize("case_id", SAMPLED_CASES)
def test_every_case_has_a_scannable_qr_code_and_prints_as_a_one_page_a4_handout(
    fresh_case_tab: Visit, site_url: str, case_id: str, corpus
) -> None:
    """In print: one full A4 page, every text at least 10 pt, and two QR codes that scan: the
    case, and the self-check the case leads to. On screen, the share kit's code scans to the case."""
    case = corpus.cases[case_id]
    check = corpus.check_for_case(case)
    page = fresh_case_tab.page
    page.set_viewport_size(A4_CONTENT)
    page.goto(site_url + f"cases/{case.id}/")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1, case.id
    text = " ".join(pdf.pages[0].extract_text().split())
    for part in (case.title, "Lesson:", "What happened", "The rule", "What to do", "SME Compliance Guide"):
        assert part in text, (case.id, part)
    assert "What went wrong" not in text, case.id
    assert "OFFICIAL TEXT CITED" in text.upper(), "the rule is printed with its clause"
    assert check.title in text, case.id
    squeezed = text.replace(" ", "")
    assert f"{SITE_URL}cases/{case.id}/" in squeezed and f"{SITE_URL}checks/{check.id}/" in squeezed, case.id

    page.emulate_media(media="print")
    codes = [found for code in page.locator(".share-kit svg.qr-code").all() for found in read_qr(code.screenshot())]
    assert codes == [f"{SITE_URL}cases/{case.id}/", f"{SITE_URL}checks/{check.id}/"], case.id
    size, sample = page.evaluate(SMALLEST_TEXT)
    assert size >= 10 * 96 / 72 - 0.01, (case.id, size, sample)
    bottom = page.evaluate("document.querySelector('.share-kit').getBoundingClientRect().bottom + window.scrollY")
    assert bottom >= 0.8 * A4_CONTENT["height"], (case.id, "the handout should fill its page", bottom)

    page.emulate_media(media="screen")
    pixels, _, _ = png_to_grey(page.locator(".share-kit__qr:not(.share-kit__qr--check) svg.qr-code").screenshot())
    found = zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [code.text for code in found] == [f"{SITE_URL}cases/{case_id}/"], (case_id, "on screen")
    assert fresh_case_tab.foreign_requests() == []
    assert fresh_case_tab.console_errors == []


def test_downloadable_qr_file_scans_to_the_page_address(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + "cases/unsigned-contracts/")
    file = page.locator(".share-kit a.share-kit__download--svg").get_attribute("href")
    page.set_content('<img id="qr" style="width:300px">')
    page.locator("#qr").evaluate(
        "(image, file) => new Promise(done => { image.onload = done; image.src = file; })", file
    )
    pixels, _, _ = png_to_grey(page.locator("#qr").screenshot())
    found = zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [code.text for code in found] == [f"{SITE_URL}cases/unsigned-contracts/"]


def test_copy_link_button_copies_the_canonical_address(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site_url + "cases/unsigned-contracts/")
    button = page.locator(".share-kit a[data-copy-link]")
    page.locator(".share-kit a[data-copy-wired]").wait_for()
    button.click()
    page.wait_for_function("() => document.querySelector('.share-kit a[data-copy-link]').hasAttribute('data-copied')")
    assert page.evaluate("navigator.clipboard.readText()") == f"{SITE_URL}cases/unsigned-contracts/"
    assert button.get_attribute("data-copied") == "Link copied"
    assert page.url.startswith(site_url + "cases/unsigned-contracts/"), "copying must not follow the link"


def test_campaign_parameters_stay_off_every_address_the_page_hands_out(visit: Visit, site_url: str) -> None:
    """A visitor arriving from a tagged campaign link (``?utm_source=…``, ``?src=poster``) and passing
    the page on hands out the page's own address: the tags of one campaign never travel on."""
    page = visit.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site_url + "cases/unsigned-contracts/?utm_source=wechat&utm_campaign=week&src=poster")
    clean = f"{SITE_URL}cases/unsigned-contracts/"
    assert page.locator('link[rel="canonical"]').get_attribute("href") == clean
    assert page.locator('meta[property="og:url"]').get_attribute("content") == clean
    assert page.locator(".share-kit__url").inner_text() == clean
    assert read_qr(page.locator(".share-kit__qr:not(.share-kit__qr--check) svg.qr-code").screenshot()) == [clean]
    page.locator(".share-kit a[data-copy-wired]").wait_for()
    page.locator(".share-kit a[data-copy-link]").click()
    page.wait_for_function("() => document.querySelector('.share-kit a[data-copy-link]').hasAttribute('data-copied')")
    assert page.evaluate("navigator.clipboard.readText()") == clean


def without_hash(url: str) -> str:
    """A page address without its fragment, which the theme's navigation.tracking keeps in step
    with the section in view (not a navigation)."""
    return url.split("#", 1)[0]


def deny_clipboard(browser, page, origin: str):
    """Refuse the clipboard to ``origin`` in this page's browser context, as an in-app browser
    or a reader's setting does (Chromium grants it to the focused page by default). The override
    lasts as long as the returned DevTools session."""
    context_id = page.context.new_cdp_session(page).send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
    session = browser.new_browser_cdp_session()
    for name in ("clipboard-write", "clipboard-read"):
        permission = {"permission": {"name": name}, "setting": "denied", "origin": origin}
        session.send("Browser.setPermission", {**permission, "browserContextId": context_id})
    return session


SELECTED_FIELD = """() => {
  const field = document.activeElement;
  return field.matches("input[data-copy-field][readonly]") && field.selectionStart === 0
    && field.selectionEnd === field.value.length ? field.value : null;
}"""


def test_copy_link_with_the_clipboard_refused_shows_the_address_selected_and_stays(
    browser, visit: Visit, site_url: str
) -> None:
    page = visit.page
    page.goto(site_url + "cases/unsigned-contracts/")
    session = deny_clipboard(browser, page, visit.origin)
    assert page.evaluate("navigator.permissions.query({name: 'clipboard-write'}).then(r => r.state)") == "denied"
    page.locator(".share-kit a[data-copy-wired]").wait_for()
    page.locator(".share-kit a[data-copy-link]").click()
    page.locator(".share-kit input[data-copy-field]").wait_for()
    assert page.evaluate(SELECTED_FIELD) == f"{SITE_URL}cases/unsigned-contracts/"
    assert without_hash(page.url) == site_url + "cases/unsigned-contracts/", "a refused copy must not navigate"
    page.locator(".share-kit a[data-copy-link]").click()
    assert page.locator("input[data-copy-field]").count() == 1, "a second click reuses the field"
    assert visit.console_errors == []
    session.detach()


def test_a_clause_permalink_without_a_clipboard_api_shows_its_canonical_address(browser, site_url: str) -> None:
    context = browser.new_context()
    context.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined})")
    page = context.new_page()
    page.goto(site_url + "guideline/")
    link = page.locator("div.clause#labour-2 a[data-copy-link]")
    page.locator("div.clause#labour-2 a[data-copy-wired]").wait_for()
    link.click()
    page.locator("div.clause#labour-2 input[data-copy-field]").wait_for()
    assert page.evaluate(SELECTED_FIELD) == f"{SITE_URL}guideline/#labour-2"
    assert without_hash(page.url) == site_url + "guideline/"
    context.close()


def test_on_the_sites_own_host_copy_link_copies_the_address_as_the_reader_sees_it(browser, built_site) -> None:
    """Served as the site's own host (routed, no network) on another port: the copied address keeps
    the reader's port rather than the canonical one."""
    seen = "https://compliance.example.org:8443/"
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=seen.rstrip("/"))

    def from_site(route) -> None:
        path = built_site / urlsplit(route.request.url).path.lstrip("/")
        route.fulfill(path=path / "index.html" if path.is_dir() else path) if path.exists() else route.abort()

    context.route(f"{seen}**", from_site)
    context.route(lambda url: not url.startswith(seen), lambda route: route.abort())
    page = context.new_page()
    page.goto(seen + "cases/unsigned-contracts/")
    page.locator(".share-kit a[data-copy-wired]").wait_for()
    page.locator(".share-kit a[data-copy-link]").click()
    page.wait_for_function("() => document.querySelector('.share-kit a[data-copy-link]').hasAttribute('data-copied')")
    assert page.evaluate("navigator.clipboard.readText()") == f"{seen}cases/unsigned-contracts/"
    assert without_hash(page.url) == f"{seen}cases/unsigned-contracts/"
    context.close()


def test_the_share_button_uses_the_web_share_api_where_the_browser_has_it(browser, site_url: str) -> None:
    context = browser.new_context()
    context.add_init_script("navigator.share = data => { window.sharedWith = data; return Promise.resolve(); };")
    page = context.new_page()
    page.goto(site_url + "cases/unsigned-contracts/")
    button = page.locator(".share-kit button[data-share-link]")
    button.wait_for(state="visible")
    button.click()
    shared = page.wait_for_function("() => window.sharedWith").json_value()
    assert shared == {"title": page.title(), "url": f"{SITE_URL}cases/unsigned-contracts/"}
    assert without_hash(page.url) == site_url + "cases/unsigned-contracts/"
    context.close()


def test_without_the_web_share_api_the_share_button_stays_hidden(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + "cases/unsigned-contracts/")
    page.locator(".share-kit a[data-copy-wired]").wait_for()
    assert page.evaluate("typeof navigator.share") == "undefined", "desktop Linux Chromium has no Web Share"
    assert not page.locator(".share-kit button[data-share-link]").is_visible()


@pytest.mark.parametrize(("width", "hint_shown"), [(360, False), (1280, True)])
def test_the_share_section_has_a_heading_and_hides_the_scan_hint_on_phones(
    browser, site_url: str, width: int, hint_shown: bool
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=width < 600)
    page = context.new_page()
    page.goto(site_url + "cases/unsigned-contracts/")
    assert page.locator(".share-kit h2", has_text="Share this page").is_visible()
    assert page.locator(".share-kit__hint").is_visible() is hint_shown
    assert page.locator(".share-kit svg.qr-code").first.is_visible()
    assert not page.locator(".share-kit__qr--check").is_visible(), "the self-check's code is for the handout"
    context.close()


def visible_cases(page) -> list[str]:
    return sorted(page.locator("li.case-card:visible").evaluate_all("cards => cards.map(c => c.dataset.case)"))


def test_index_filters_by_area_and_keyword(visit: Visit, site_url: str, corpus) -> None:
    page = visit.page
    page.goto(site_url + "cases/")
    count = page.locator("[data-case-count]")
    assert visible_cases(page) == sorted(corpus.cases)
    assert count.inner_text() == f"Showing all {len(corpus.cases)} cases"
    page.select_option("select[name=area]", "safety")
    safety = sorted(case.id for case in corpus.cases.values() if "safety" in case.areas)
    assert visible_cases(page) == safety
    assert count.inner_text() == f"Showing {len(safety)} of {len(corpus.cases)} cases"
    assert page.url.endswith("cases/?area=safety")
    page.select_option("select[name=area]", "")
    page.fill("input[name=q]", "social insurance")
    matching = sorted(
        case.id
        for case in corpus.cases.values()
        if any("social insurance" in text.lower() for text in (*case.keywords, case.title, case.lesson))
        or "social insurance" in ", ".join(corpus.areas[area].title for area in case.areas).lower()
    )
    assert matching and visible_cases(page) == matching
    page.fill("input[name=q]", "no case has this zzz word")
    assert visible_cases(page) == []
    assert page.locator("[data-case-empty]").is_visible()


def test_a_filtered_index_address_can_be_shared(visit: Visit, site_url: str, corpus) -> None:
    visit.page.goto(site_url + "cases/?area=ip")
    assert visit.page.locator("select[name=area]").input_value() == "ip"
    assert visible_cases(visit.page) == sorted(case.id for case in corpus.cases.values() if "ip" in case.areas)


def test_index_without_javascript_lists_every_case(browser, site_url: str, corpus) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "cases/")
    assert not page.locator("form[data-case-filter]").is_visible()
    assert visible_cases(page) == sorted(corpus.cases)
    assert page.locator(".cases-by-area a").count() == len(corpus.areas)
    context.close()


@pytest.mark.parametrize("path", ["cases/", "cases/unsigned-contracts/"])
def test_case_pages_fit_a_phone_screen(phone: Visit, site_url: str, path: str) -> None:
    page = phone.page
    page.goto(site_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_filter_works_after_following_the_home_card(visit: Visit, site_url: str, corpus) -> None:
    """Reached by a link rather than loaded directly, the filter is wired once, through ``document$``.
    (Material only navigates instantly when the host matches ``site_url``, so here it is a page load.)"""
    page = visit.page
    page.goto(site_url)
    page.locator(".ways-in a.way-in", has_text="See cases").click()
    page.wait_for_url(site_url + "cases/")
    page.evaluate("window.document$.next(document)")
    page.locator("form[data-case-filter]").wait_for(state="visible")
    page.select_option("select[name=area]", "ip")
    assert visible_cases(page) == sorted(case.id for case in corpus.cases.values() if "ip" in case.areas)
    assert page.evaluate("document.querySelectorAll('form[data-case-wired]').length") == 1
    assert visit.console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["cases/", "cases/unsigned-contracts/"])
def test_case_pages_have_no_accessibility_violations(visit: Visit, site_url: str, path: str, scheme: str) -> None:
    """axe-core (WCAG 2 A/AA rules) on our markup; the theme's own progress bar is left to the theme."""
    page = visit.page
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    # Evaluated through DevTools: the site's Content-Security-Policy refuses inline scripts it did not write.
    page.evaluate((ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8"))
    violations = page.evaluate(
        """axe.run({exclude: [['.md-progress']]}, {runOnly: ['wcag2a', 'wcag2aa']})
             .then(result => result.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' '))]))"""
    )
    assert violations == []
