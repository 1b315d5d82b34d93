"""Self-check speed figures in headless Chromium (printed, not asserted).

    .venv/bin/python benchmarks/selfcheck.py [--runs 7] [--json]

Builds the site into a temporary folder, serves it on 127.0.0.1 and measures, in one run:

- cold time from navigation to the first score on a check page (fresh browser context, so an
  empty cache; answers already saved so the first result has a number), restoring the memory
  snapshot, and the same page starting Python without it (a copy without ``data-check-snapshot``),
  against a bare page that only calls ``loadPyodide()`` from the same files (the site's precompiled
  standard library) and against a bare page using the stock npm runtime (issue 6's baseline):
  median of ``--runs`` each, and the ratios; also with Material's search worker blocked, since
  building its index competes for the CPU;
- the same page without the ``<head>`` loader (the worker then starts when the page's end is
  parsed): first score and first contentful paint, against the real page's, to show what the
  early start gains and that it does not delay the page's own first paint;
- bytes each cold check page fetched, raw and as a server sending the ``.br``/``.gz`` copies would;
- warm time to score after instant navigation away from a check page and back (from the click
  on the link, and from the moment the new page's form is in the document);
- answer click → updated score in the page;
- bytes of the Pyodide runtime and engine fetched by pages without a check.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import serve  # noqa: E402
from test_browser_checks import golden  # noqa: E402

from generator import urls  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
CHECK = "labour-check"

BARE_PAGE = """<!doctype html><meta charset="utf-8"><title>bare loadPyodide</title>
<script type="module">
import { loadPyodide } from "RUNTIME/pyodide.mjs";
const pyodide = await loadPyodide({ indexURL: new URL("RUNTIME/", location.href).href });
pyodide.runPython("1 + 1");
window.pyodideReadyAt = performance.now();
</script>"""
RUNTIME_ALONE_PAGE = """<!doctype html><meta charset="utf-8"><title>the check page's runtime alone</title>
<script type="module">
const addresses = ADDRESSES; // site-relative; this page is one folder down
const here = (path) => new URL("../" + path, location.href).href;
const worker = new Worker(here(addresses.worker), { type: "module" });
worker.onmessage = ({ data }) => {
  if (data.type !== "ready") return;
  window.pyodideStarted = data.started;
  window.pyodideReadyAt = performance.now();
};
worker.postMessage({ type: "init", runtime: here(addresses.runtime), engine: here(addresses.engine),
                     snapshot: here(addresses.snapshot) });
</script>"""
"""The site's worker started as a check page starts it, at once, with no page around it: what
Python costs a check page when nothing else competes for the CPU or the network."""
STOCK_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")

RECORDER = """
window.readyAt = [];
window.resultAt = [];
window.formAt = [];
new MutationObserver((records) => {
  for (const record of records) {
    const target = record.target;
    if (record.type === "attributes" && target.dataset && target.dataset.checkState === "ready") {
      window.readyAt.push(performance.now());
    }
    if (record.type === "childList" && target.matches && target.matches("[data-result-body]")) {
      window.resultAt.push(performance.now());
    }
    if (record.type === "childList" && [...record.addedNodes].some((node) => node.querySelector
        && node.querySelector("form[data-check]"))) {
      window.formAt.push(performance.now());
    }
  }
}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-check-state"] });
document.addEventListener("change", () => { window.changeAt = performance.now(); }, true);
document.addEventListener("click", () => { window.clickAt = performance.now(); }, true);
"""


def build(site: Path) -> None:
    from generator.sitebuild import build_site

    build_site(ROOT / "mkdocs.yml", site, strict=True)
    import shutil

    # The same check page at the same depth (so its relative addresses hold), without the snapshot.
    page = (site / "checks" / CHECK / "index.html").read_text(encoding="utf-8")
    (site / "checks" / f"{CHECK}-boot").mkdir()
    (site / "checks" / f"{CHECK}-boot" / "index.html").write_text(
        re.sub(r' data-check-snapshot="[^"]*"', "", page), encoding="utf-8"
    )
    # ... and without the <head> loader: the worker starts only when the page's end is parsed.
    (site / "checks" / f"{CHECK}-late").mkdir()
    (site / "checks" / f"{CHECK}-late" / "index.html").write_text(
        re.sub(r"<script data-check-worker=.*?</script>", "", page, count=1, flags=re.DOTALL), encoding="utf-8"
    )

    (site / "bench" / "stock").mkdir(parents=True)
    for name in STOCK_FILES:
        shutil.copy(ROOT / "node_modules" / "pyodide" / name, site / "bench" / "stock" / name)
    (site / "bench" / "bare.html").write_text(BARE_PAGE.replace("RUNTIME", "../assets/pyodide"), encoding="utf-8")
    (site / "bench" / "bare-stock.html").write_text(BARE_PAGE.replace("RUNTIME", "./stock"), encoding="utf-8")
    addresses = json.dumps(urls.selfcheck_runtime(snapshot=True))
    (site / "bench" / "runtime-alone.html").write_text(
        RUNTIME_ALONE_PAGE.replace("ADDRESSES", addresses), encoding="utf-8"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="cold loads per page (default 7, at least 5)")
    parser.add_argument("--clicks", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    os.chdir(ROOT)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "site"
        build(site)
        server, url = serve(site)
        sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
        deployed = re.search(r"<loc>(https?://[^/]+/)", sitemap).group(1)
        local_sitemap = sitemap.replace(deployed, url)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                figures = measure(browser, url, local_sitemap, args, site)
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    report(figures, args.json)
    return 0


def new_page(browser, url: str, sitemap: str, answers: dict | None = None):
    context = browser.new_context()
    page = context.new_page()
    page.route("**/sitemap.xml", lambda route: route.fulfill(body=sitemap, content_type="application/xml"))
    page.add_init_script(RECORDER)
    if answers is not None:
        saved = json.dumps({"check": CHECK, "version": 1, "answers": answers})
        page.add_init_script(f"localStorage.setItem('selfcheck:{CHECK}:v1', {json.dumps(saved)})")
    return context, page


def wire_bytes(site: Path, urls: list[str], base: str) -> tuple[int, int, int]:
    """Raw, gzip and brotli bytes of the fetched site files: what a server without and with the
    precompressed copies sends (files without a copy count raw; the snapshot is gzip already)."""
    raw = gz = br = 0
    for url in urls:
        file = site / url.removeprefix(base).split("?")[0]
        if not file.is_file():
            continue
        raw += file.stat().st_size
        gz += _copy_or_file(file, ".gz").stat().st_size
        br += _copy_or_file(file, ".br").stat().st_size
    return raw, gz, br


def _copy_or_file(file: Path, suffix: str) -> Path:
    copy = file.with_name(file.name + suffix)
    return copy if copy.is_file() else file


def measure(browser, url: str, sitemap: str, args: argparse.Namespace, site: Path) -> dict:
    answers = golden(CHECK, "mixed")
    runs = max(args.runs, 5)
    bare, stock, check, boot, late, quiet = [], [], [], [], [], []
    paint: dict[str, list[float]] = {"head": [], "late": []}
    check_requests: dict[str, list[str]] = {}
    for _ in range(runs):  # alternate, so all see the same machine load
        for baseline, times in (("bare-stock.html", stock), ("bare.html", bare)):
            context, page = new_page(browser, url, sitemap)
            page.goto(url + "bench/" + baseline)
            page.wait_for_function("() => window.pyodideReadyAt !== undefined", timeout=120_000)
            times.append(page.evaluate("window.pyodideReadyAt"))
            context.close()
        variants = ((CHECK, "snapshot", check), (f"{CHECK}-boot", "boot", boot), (f"{CHECK}-late", "late", late))
        for path, started, times in variants:
            context, page = new_page(browser, url, sitemap, answers)
            requests: list[str] = []
            context.on("request", lambda request, requests=requests: requests.append(request.url))
            page.goto(url + f"checks/{path}/")
            page.wait_for_selector('form[data-check-state="ready"] [data-result-score]', timeout=120_000)
            assert page.inner_text("[data-result-score]") != "–"
            assert page.get_attribute("form[data-check]", "data-check-started") == (
                "snapshot" if started == "late" else started
            )
            times.append(page.evaluate("window.readyAt[0]"))
            if started != "boot":
                paint["late" if started == "late" else "head"].append(
                    page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
                )
            check_requests[started] = requests
            context.close()
        # the same with Material's search worker blocked: how much of the gap is its index build
        context, page = new_page(browser, url, sitemap, answers)
        page.route("**/search/search_index.json", lambda route: route.abort())
        page.route("**/workers/search*.js", lambda route: route.abort())
        page.goto(url + f"checks/{CHECK}/")
        page.wait_for_selector('form[data-check-state="ready"] [data-result-score]', timeout=120_000)
        quiet.append(page.evaluate("window.readyAt[0]"))
        context.close()

    context, page = new_page(browser, url, sitemap, answers)
    page.goto(url + f"checks/{CHECK}/")
    page.wait_for_selector('form[data-check-state="ready"]', timeout=120_000)
    warm, shown = [], []
    for _ in range(runs):
        page.click(".check-scope a")
        page.wait_for_url("**/areas/*/")
        page.wait_for_selector(".area-checks a")
        page.evaluate("window.readyAt = []; window.formAt = []; window.sameDocument = true")
        page.click(".area-checks a")
        page.wait_for_function("() => window.readyAt.length > 0", timeout=10_000)
        assert page.evaluate("window.sameDocument") is True, "instant navigation did not happen"
        warm.append(page.evaluate("window.readyAt[0] - window.clickAt"))
        shown.append(page.evaluate("window.readyAt[0] - window.formAt[0]"))

    clicks = []
    questions = list(answers)
    for index in range(args.clicks):
        question = questions[index % len(questions)]
        current = page.evaluate(f"document.querySelector('input[name=\"{question}\"]:checked')?.value")
        option = "yes" if current == "no" else "no"
        page.evaluate("window.resultAt = []")
        page.locator(f'input[name="{question}"][value="{option}"]').check()
        page.wait_for_function("() => window.resultAt.length > 0", timeout=10_000)
        clicks.append(page.evaluate("window.resultAt[0] - window.changeAt"))
    context.close()

    context, page = new_page(browser, url, sitemap)
    fetched: list[tuple[str, int]] = []
    page.on(
        "response",
        lambda response: (
            fetched.append((response.url, len(response.body())))
            if "/assets/pyodide/" in response.url
            or "/assets/selfcheck/" in response.url
            or "selfcheck.js" in response.url
            or "selfcheck-worker" in response.url
            else None
        ),
    )
    for path in ("", "guideline/", "areas/labour/", "checks/"):
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
    context.close()

    runtime = sum(
        path.stat().st_size
        for path in (ROOT / "node_modules/pyodide").iterdir()
        if path.name in {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"}
    )
    cold_check = statistics.median(check)
    cold_boot = statistics.median(boot)
    cold_bare = statistics.median(bare)
    cold_stock = statistics.median(stock)
    wire = {started: wire_bytes(site, urls, url) for started, urls in check_requests.items() if started != "late"}
    return {
        "runs": runs,
        "cold_first_score_ms": round(cold_check),
        "cold_bare_stock_runtime_ms": round(cold_stock),
        "cold_ratio_to_stock_runtime": round(cold_check / cold_stock, 3),
        "cold_first_score_without_snapshot_ms": round(cold_boot),
        "cold_ratio_without_snapshot_to_stock_runtime": round(cold_boot / cold_stock, 3),
        "cold_first_score_worker_started_after_parsing_ms": round(statistics.median(late)),
        "first_contentful_paint_worker_started_in_head_ms": round(statistics.median(paint["head"])),
        "first_contentful_paint_worker_started_after_parsing_ms": round(statistics.median(paint["late"])),
        "cold_bare_loadpyodide_ms": round(cold_bare),
        "cold_ratio": round(cold_check / cold_bare, 3),
        "cold_page_bytes_raw_gzip_brotli": wire["snapshot"],
        "cold_page_bytes_without_snapshot_raw_gzip_brotli": wire["boot"],
        "cold_first_score_without_material_search_ms": round(statistics.median(quiet)),
        "cold_ratio_without_material_search": round(statistics.median(quiet) / cold_bare, 3),
        "warm_score_after_instant_navigation_ms": round(statistics.median(warm), 1),
        "warm_page_shown_to_score_ms": round(statistics.median(shown), 1),
        "answer_to_score_ms": round(statistics.median(clicks), 1),
        "answer_to_score_max_ms": round(max(clicks), 1),
        "runtime_bytes_on_pages_without_a_check": sum(size for _, size in fetched),
        "runtime_bytes_shipped": runtime,
        "cold_first_score_all_ms": [round(value) for value in check],
        "first_contentful_paint_all_ms": {name: [round(value) for value in values] for name, values in paint.items()},
        "cold_first_score_without_snapshot_all_ms": [round(value) for value in boot],
        "cold_bare_all_ms": [round(value) for value in bare],
        "cold_bare_stock_all_ms": [round(value) for value in stock],
    }


def report(figures: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    goals = {
        "cold_ratio": "check page / bare loadPyodide() of the same files",
        "cold_ratio_to_stock_runtime": "goal <= 0.45 (stock npm runtime)",
        "cold_ratio_without_snapshot_to_stock_runtime": "goal <= 0.45 (stock npm runtime)",
        "warm_score_after_instant_navigation_ms": "goal <= 100",
        "answer_to_score_ms": "goal <= 50",
        "runtime_bytes_on_pages_without_a_check": "goal 0",
    }
    for name, value in figures.items():
        print(f"{name:46} {value}  {goals.get(name, '')}".rstrip())


if __name__ == "__main__":
    sys.exit(main())
