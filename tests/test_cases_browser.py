"""Case pages in real headless Chromium: the handout prints on one A4 page, the QR code scans
to the page's address, the copy-link button and the index filter work, nothing leaves the origin."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
import zxingcpp
from conftest import CASE_IDS, ROOT, Visit
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.build]

SITE_URL = "https://compliance.example.org/"
SAMPLED_CASES = [CASE_IDS[0], *(pytest.param(case_id, marks=pytest.mark.slow) for case_id in CASE_IDS[1:])]
"""Every case for the per-case sweeps; the first (in file order) runs without ``-m slow`` too."""


def png_to_grey(png: bytes) -> tuple[memoryview, int, int]:
    """Decode a non-interlaced 8-bit RGB(A) PNG (what Chromium screenshots are) to grey pixels for zxing."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], b""
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        data = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = data
        elif kind == b"IDAT":
            chunks.append(data)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    grey = bytearray()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        grey.extend((line[i] * 299 + line[i + 1] * 587 + line[i + 2] * 114) // 1000 for i in range(0, stride, channels))
        previous = line
    return memoryview(bytes(grey)).cast("B", (height, width)), width, height


def test_case_pages_and_index_load_cleanly_from_this_origin_only(visit: Visit, site_url: str) -> None:
    for path in ("cases/", "cases/unsigned-contracts/", "areas/labour/"):
        visit.page.goto(site_url + path)
        visit.page.wait_for_load_state("networkidle")
    assert visit.console_errors == []
    assert visit.foreign_requests() == []


@pytest.mark.parametrize("case_id", SAMPLED_CASES)
def test_every_case_prints_as_a_one_page_a4_handout(visit: Visit, site_url: str, case_id: str, corpus) -> None:
    case = corpus.cases[case_id]
    visit.page.goto(site_url + f"cases/{case.id}/")
    pdf = PdfReader(io.BytesIO(visit.page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1, case.id
    text = " ".join(pdf.pages[0].extract_text().split())
    for part in (case.title, "Lesson:", "What happened", "The rule", "What to do", "SME Compliance Guide"):
        assert part in text, (case.id, part)
    assert "What went wrong" not in text, case.id
    assert f"{SITE_URL}cases/{case.id}/" in text.replace(" ", ""), case.id
    assert visit.foreign_requests() == []


@pytest.mark.parametrize("case_id", SAMPLED_CASES)
def test_each_qr_code_scans_to_its_page_address(visit: Visit, site_url: str, case_id: str) -> None:
    page = visit.page
    page.set_viewport_size({"width": 900, "height": 900})
    page.goto(site_url + f"cases/{case_id}/", wait_until="domcontentloaded")
    pixels, _, _ = png_to_grey(page.locator(".share-kit svg.qr-code").screenshot())
    found = zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [code.text for code in found] == [f"{SITE_URL}cases/{case_id}/"], case_id


def test_downloadable_qr_file_scans_to_the_page_address(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + "cases/unsigned-contracts/")
    file = page.locator(".share-kit a.share-kit__download").get_attribute("href")
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
    page.wait_for_function("document.querySelector('.share-kit a[data-copy-link]').hasAttribute('data-copied')")
    assert page.evaluate("navigator.clipboard.readText()") == f"{SITE_URL}cases/unsigned-contracts/"
    assert button.get_attribute("data-copied") == "Link copied"
    assert page.url.startswith(site_url + "cases/unsigned-contracts/"), "copying must not follow the link"


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
def test_case_pages_fit_a_phone_screen(browser, site_url: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    context.close()


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
