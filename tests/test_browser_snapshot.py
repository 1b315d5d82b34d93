"""The self-check's memory snapshot in real headless Chromium: check pages restore it instead of
starting Python, score exactly like the CLI, keep useful tracebacks, and fall back to a normal
start whenever the snapshot cannot be used."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, SiteRequestHandler, emulate_3g, serve
from projects import fixture_project
from test_browser_checks import answer, cli, golden, shown, wait_for_result

from generator.urls import SNAPSHOT as SNAPSHOT_URI

pytestmark = [pytest.mark.browser, pytest.mark.build]

CHECK = "labour-check"


@contextmanager
def recording(browser) -> Iterator[tuple[object, list[str], list[str]]]:
    """A fresh context; every request URL (page and worker) and every console message."""
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    console: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    try:
        yield page, requests, console
    finally:
        context.close()


@contextmanager
def served(site: Path) -> Iterator[str]:
    server, url = serve(site)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def tab(browser) -> Iterator[tuple[object, list[str], list[str]]]:
    with recording(browser) as opened:
        yield opened


def scored(
    page, site_url: str, tmp_path: Path, check: str = CHECK, answers: dict | None = None, content: Path = CONTENT
) -> str:
    """Open the check, answer the mixed profile, compare with the CLI; how Python started."""
    page.goto(f"{site_url}checks/{check}/")
    answers = answers or golden(check, "mixed")
    answer(page, answers)
    wait_for_result(page, "complete")
    expected = cli(check, answers, tmp_path, content)
    assert shown(page) == (f"{expected['score']:.1f}", expected["level"])
    return page.get_attribute(f'form[data-check="{check}"]', "data-check-started")


def test_a_check_page_restores_the_snapshot_and_scores_like_the_cli(tab, site_url: str, tmp_path: Path) -> None:
    page, requests, console = tab
    assert scored(page, site_url, tmp_path) == "snapshot"
    assert site_url + SNAPSHOT_URI in requests
    assert not [url for url in requests if url.endswith("python_stdlib.zip")], "a restore needs no stdlib zip"
    assert not [line for line in console if line.startswith(("error", "warning", "pageerror"))]


def test_the_shipped_snapshot_is_gzip_of_a_pyodide_memory_snapshot(built_site: Path) -> None:
    packed = (built_site / SNAPSHOT_URI).read_bytes()
    memory = gzip.decompress(packed)
    assert memory[1:4] == b"snp", "Pyodide's snapshot magic"
    assert len(packed) < 6_000_000 < len(memory)


class GzipEncodingHandler(SiteRequestHandler):
    """Sends the snapshot's ``.gz`` bytes with ``Content-Encoding: gzip``, as nginx's
    ``gzip_static`` or a CDN may: the browser inflates it before the page's script sees it."""

    def do_GET(self) -> None:
        if not self.path.endswith("/" + SNAPSHOT_URI):
            super().do_GET()
            return
        body = Path(self.directory, SNAPSHOT_URI).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_a_snapshot_the_server_already_inflated_is_restored(tab, built_site: Path, tmp_path: Path) -> None:
    """As from a server that sends the .gz file with ``Content-Encoding: gzip``. (A real server,
    not a Playwright route: fulfilling 31 MB through the driver took minutes on 2 CPUs.)"""
    page, requests, console = tab
    server, url = serve(built_site, GzipEncodingHandler)
    try:
        assert scored(page, url, tmp_path) == "snapshot"
    finally:
        server.shutdown()
        server.server_close()
    assert url + SNAPSHOT_URI in requests
    assert not [line for line in console if line.startswith(("error", "warning", "pageerror"))]


def test_a_traceback_through_the_restored_engine_shows_its_source_lines(tab, site_url: str, tmp_path: Path) -> None:
    page, _, _ = tab
    assert scored(page, site_url, tmp_path) == "snapshot"
    error = page.evaluate(
        """() => new Promise((resolve) => {
            const worker = window.selfCheckRuntime.worker;
            worker.addEventListener("message", (event) => {
                if (event.data.seq === -1) resolve(event.data.error);
            });
            // A check with an id but no questions: loads, then fails inside the engine.
            worker.postMessage({ type: "load", check: JSON.stringify({ id: "broken", version: 1 }) });
            worker.postMessage({ type: "score", seq: -1, check: "broken", record: { answers: {} } });
        })"""
    )
    engine = (ROOT / "generator" / "scoring.py").read_text(encoding="utf-8").splitlines()
    frames = [line for line in error.splitlines() if 'File "/home/pyodide/selfcheck/scoring.py", line ' in line]
    assert frames, error
    number = int(frames[-1].split(", line ")[1].split(",")[0])
    assert engine[number - 1].strip() in error, "the frame's source line is shown"
    assert error.rstrip().splitlines()[-1].startswith("KeyError")


def other_build(route) -> None:
    """A gzip file with a snapshot header for another Pyodide build."""
    route.fulfill(body=gzip.compress(b"\0snp" + bytes(range(1, 200)) * 40), content_type="application/octet-stream")


def truncated(route) -> None:
    """The first megabyte of the real snapshot, as from a download cut short."""
    route.fulfill(body=route.fetch().body()[:1_000_000], content_type="application/octet-stream")


def other_engine(route) -> None:
    """The engine as a later deployment might ship it next to an older cached snapshot."""
    source = (ROOT / "generator" / "scoring.py").read_text(encoding="utf-8")
    route.fulfill(body=source + "\n# a later edit\n", content_type="text/x-python")


FALLBACKS = {
    "not downloadable": ("**/" + SNAPSHOT_URI, lambda route: route.abort(), "Failed to fetch"),
    "missing": ("**/" + SNAPSHOT_URI, lambda route: route.fulfill(status=404, body="gone"), "HTTP 404"),
    "not gzip": ("**/" + SNAPSHOT_URI, lambda route: route.fulfill(body=b"x" * 2000), "not gzip"),
    "truncated": ("**/" + SNAPSHOT_URI, lambda route: truncated(route), "cut short"),
    "another Pyodide build": ("**/" + SNAPSHOT_URI, other_build, "Snapshot build id mismatch"),
    "another engine": ("**/assets/selfcheck/scoring.py", other_engine, "another version of the scoring engine"),
}


@pytest.mark.parametrize("failure", FALLBACKS)
def test_a_snapshot_that_cannot_be_used_falls_back_to_starting_python(
    failure: str, tab, site_url: str, tmp_path: Path
) -> None:
    page, requests, console = tab
    pattern, handler, reason = FALLBACKS[failure]
    page.route(pattern, handler)
    assert scored(page, site_url, tmp_path) == "boot"
    warnings = [line for line in console if "without the memory snapshot" in line]
    assert warnings and reason in warnings[0]
    assert site_url + "assets/pyodide/python_stdlib.zip" in requests
    assert not [line for line in console if line.startswith(("error", "pageerror"))]


def test_on_a_slow_network_the_snapshot_is_not_downloaded(browser, built_site: Path, tmp_path: Path) -> None:
    with served(built_site) as url, recording(browser) as (page, requests, _):
        emulate_3g(page)
        page.goto(url)
        assert page.evaluate("navigator.connection.effectiveType") == "3g"
        assert scored(page, url, tmp_path) == "boot"
        assert url + SNAPSHOT_URI not in requests


@pytest.fixture(scope="module")
def project_without_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project with self-checks, built with the plugin option ``selfcheck_snapshot: false``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = fixture_project(tmp_path_factory.mktemp("no-snapshot") / "project", "selfchecks")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"), strict=True)
    config.plugins["sme-guideline"].config["selfcheck_snapshot"] = False
    build(config)
    return project


def test_with_the_snapshot_option_off_no_snapshot_is_shipped_or_requested(
    browser, project_without_snapshot: Path, tmp_path: Path
) -> None:
    site = project_without_snapshot / "site"
    check = "alpha-check"
    assert not (site / SNAPSHOT_URI).exists()
    assert (site / "assets/pyodide/python_stdlib.zip").exists(), "the runtime itself is shipped"
    html = (site / "checks" / check / "index.html").read_text(encoding="utf-8")
    assert "selfcheck-snapshot" not in html and 'data-check-snapshot="' not in html
    answers = json.loads((project_without_snapshot / "answers" / check / "mixed.json").read_text(encoding="utf-8"))
    with served(site) as url, recording(browser) as (page, requests, console):
        assert scored(page, url, tmp_path, check, answers, project_without_snapshot / "content") == "boot"
        assert not [address for address in requests if "snapshot" in address]
        assert not [line for line in console if "snapshot" in line], "no fallback warning: nothing was tried"


RECORD_WORKERS = """window.workersCreated = [];
const NativeWorker = window.Worker;
window.Worker = function (url, options) {
    const worker = new NativeWorker(url, options);
    window.workersCreated.push(String(url).split("/").pop());
    return worker;
};"""


@pytest.mark.parametrize("path", [f"checks/{CHECK}/", "cases/unsigned-contracts/"], ids=["check page", "case page"])
def test_the_search_index_is_built_only_once_the_reader_starts_a_search(tab, site_url: str, path: str) -> None:
    """Material's search worker indexes the whole site on the CPUs the page (and on a check page,
    Python) needs: it is created when the reader first focuses the search box, and search works."""
    page, _, console = tab
    page.add_init_script(RECORD_WORKERS)
    page.goto(site_url + path)
    if path.startswith("checks/"):
        page.wait_for_selector(f'form[data-check="{CHECK}"][data-check-state="ready"]', timeout=60_000)
    page.wait_for_load_state("networkidle")  # the index has arrived and waits in the queue
    assert not [name for name in page.evaluate("window.workersCreated") if name.startswith("search")]
    page.keyboard.press("s")
    page.locator("input.md-search__input").press_sequentially("measurement assurance", delay=40)
    page.locator(".md-search-result__item a").first.wait_for(timeout=15_000)
    assert [name for name in page.evaluate("window.workersCreated") if name.startswith("search")]
    hrefs = page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")
    assert any("areas/quality/" in href or "guideline/" in href for href in hrefs), hrefs
    assert not [line for line in console if line.startswith(("error", "pageerror"))]


def test_a_search_address_builds_the_index_at_once(tab, site_url: str) -> None:
    page, _, _ = tab
    page.add_init_script(RECORD_WORKERS)
    page.goto(site_url + "glossary/?q=contract")
    page.wait_for_function("window.workersCreated.some(name => name.startsWith('search'))", timeout=10_000)


def test_the_runtime_downloads_wait_for_the_pages_first_paint(tab, site_url: str) -> None:
    """The worker starts in <head>, but asks for its megabytes only once the page has painted."""
    page, _, _ = tab
    page.add_init_script(
        """const send = Worker.prototype.postMessage;
        Worker.prototype.postMessage = function (message, ...rest) {
            if (message && message.type === "init") window.initSentAt = performance.now();
            return send.call(this, message, ...rest);
        };"""
    )
    page.goto(f"{site_url}checks/{CHECK}/")
    page.wait_for_selector(f'form[data-check="{CHECK}"][data-check-state="ready"]', timeout=60_000)
    painted = page.evaluate("Math.min(...performance.getEntriesByType('paint').map((entry) => entry.startTime))")
    assert page.evaluate("window.initSentAt") >= painted
