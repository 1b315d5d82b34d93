"""Figures for the case library and share kit: build time, page and QR sizes, and how full the
fullest one-page A4 handout is. Prints figures; asserts nothing (the tests do that).

Run with ``make benchmark`` or ``CHROMIUM=/usr/bin/chromium .venv/bin/python benchmarks/cases.py``.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import serve  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from generator import load_corpus  # noqa: E402
from generator.sitebuild import build_site  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
A4_PRINTABLE_MM = (297 - 2 * 12, 210 - 2 * 14)  # A4 minus the @page margins in site.css (height, width)
PX_PER_MM = 96 / 25.4


def main() -> None:
    corpus = load_corpus(ROOT / "content", ROOT / "schema", ROOT)
    with tempfile.TemporaryDirectory() as temp:
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            site = build_site(ROOT / "mkdocs.yml", Path(temp) / "site")
            timings.append(time.perf_counter() - start)
        pages = {case_id: (site / "cases" / case_id / "index.html").read_text("utf-8") for case_id in corpus.cases}
        sizes = [len(html.encode()) for html in pages.values()]
        qr_sizes = [len(qr_of(html).encode()) for html in pages.values()]
        print(f"cases: {len(corpus.cases)} in {len(corpus.areas)} areas")
        print(f"site build (all pages, --strict): median {statistics.median(timings):.2f} s of {len(timings)}")
        print(f"case page HTML: median {statistics.median(sizes) / 1024:.1f} KiB, max {max(sizes) / 1024:.1f} KiB")
        print(f"inline QR SVG: median {statistics.median(qr_sizes)} bytes, max {max(qr_sizes)} bytes")
        server, url = serve(site)
        try:
            handouts(url, corpus.cases)
        finally:
            server.shutdown()
            server.server_close()


def qr_of(html: str) -> str:
    start = html.index('<svg role="img"')
    return html[start : html.index("</svg>", start) + len("</svg>")]


def handouts(url: str, cases: dict) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        height, width = A4_PRINTABLE_MM
        page = browser.new_page(viewport={"width": round(width * PX_PER_MM), "height": round(height * PX_PER_MM)})
        page.emulate_media(media="print")
        fills, pdf_sizes, pages, seconds = {}, [], [], []
        for case_id in cases:
            page.goto(url + f"cases/{case_id}/")
            start = time.perf_counter()
            pdf = page.pdf(format="A4", print_background=True)
            seconds.append(time.perf_counter() - start)
            pdf_sizes.append(len(pdf))
            pages.append(len(PdfReader(io.BytesIO(pdf)).pages))
            bottom = page.evaluate("document.querySelector('.share-kit').getBoundingClientRect().bottom + scrollY")
            fills[case_id] = bottom / PX_PER_MM / height
        browser.close()
    fullest = max(fills, key=fills.get)
    print(f"A4 handouts: {pages.count(1)} of {len(pages)} print on one page")
    print(
        f"handout fill (layout estimate at 96 dpi): median {statistics.median(fills.values()):.0%}, "
        f"fullest {fills[fullest]:.0%} ({fullest})"
    )
    print(
        f"handout PDF: median {statistics.median(pdf_sizes) / 1024:.0f} KiB, "
        f"print time median {statistics.median(seconds) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
