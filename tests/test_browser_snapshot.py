"""The self-check's memory snapshot in real headless Chromium: check pages restore it instead of
starting Python, score exactly like the CLI, keep useful tracebacks, and fall back to a normal
start whenever the snapshot cannot be used."""

from __future__ import annotations

import gzip
import json
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import brotli
import pytest
from conftest import CONTENT, ROOT, NegotiatingHandler, SiteRequestHandler, emulate_3g, serve
from projects import fixture_project
from test_browser_checks import answer, cli, golden, shown, wait_for_result

from generator.urls import SNAPSHOT as SNAPSHOT_URI
from generator.urls import SNAPSHOT_READER

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
    with served_by(site, SiteRequestHandler) as url:
        yield url


@contextmanager
def served_by(site: Path, handler: type[SiteRequestHandler]) -> Iterator[str]:
    server, url = serve(site, handler)
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
    """From a server that cannot negotiate (as the tests' own): the delta comes without
    Content-Encoding, so the worker takes its .gz copy by name instead of 11 MB raw."""
    page, requests, console = tab
    assert scored(page, site_url, tmp_path) == "snapshot"
    assert site_url + SNAPSHOT_URI in requests and site_url + SNAPSHOT_URI + ".gz" in requests
    assert site_url + SNAPSHOT_READER in requests
    assert not [url for url in requests if url.endswith("python_stdlib.zip")], "a restore needs no stdlib zip"
    assert not [line for line in console if line.startswith(("error", "warning", "pageerror"))]


def read_delta(delta: bytes) -> tuple[int, int, bytes]:
    """The delta's full snapshot length, its run count and the Pyodide snapshot header it carries."""
    _, _, full_length, header_length, runs = struct.unpack_from("<5I", delta)
    start = 20 + 8 * runs
    return full_length, runs, delta[start : start + header_length]


def test_the_shipped_snapshot_is_a_delta_of_a_pyodide_memory_snapshot_with_compressed_copies(
    built_site: Path,
) -> None:
    delta = (built_site / SNAPSHOT_URI).read_bytes()
    assert delta[:4] == b"SCD1"
    full_length, runs, header = read_delta(delta)
    assert runs > 0 and len(delta) < full_length / 2, "only the pages that differ from a fresh instance"
    magic, header_length = struct.unpack_from("<2I", header)
    assert header_length == len(header) and b"pyodide" not in header[:4], (magic, header_length)
    assert brotli.decompress((built_site / (SNAPSHOT_URI + ".br")).read_bytes()) == delta
    assert gzip.decompress((built_site / (SNAPSHOT_URI + ".gz")).read_bytes()) == delta
    assert (built_site / (SNAPSHOT_URI + ".br")).stat().st_size < 3_500_000


class GzipByNameHandler(SiteRequestHandler):
    """Never negotiates, and sends ``.gz`` files asked for by name with ``Content-Encoding: gzip``,
    as some servers and CDNs do (the browser then inflates it before the page's script sees it)."""

    def do_GET(self) -> None:
        if not self.path.endswith(".gz"):
            super().do_GET()
            return
        self.send_encoded(Path(self.translate_path(self.path)).read_bytes(), "gzip")


@pytest.mark.parametrize("server", ["negotiates", "sends .gz encoded"])
def test_a_snapshot_the_browser_already_inflated_is_restored(
    server: str, tab, built_site: Path, tmp_path: Path
) -> None:
    """A server that negotiates sends the delta compressed on the wire and once (no .gz by name);
    one that sends the .gz copy with ``Content-Encoding: gzip`` has it inflated by the browser.
    (A real server, not a Playwright route: fulfilling megabytes through the driver is slow.)"""
    page, requests, console = tab
    handler = NegotiatingHandler if server == "negotiates" else GzipByNameHandler
    with served_by(built_site, handler) as url:
        assert scored(page, url, tmp_path) == "snapshot"
    assert url + SNAPSHOT_URI in requests
    assert (url + SNAPSHOT_URI + ".gz" in requests) == (server != "negotiates")
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


def delivering(delta: bytes):
    """A route handler sending ``delta`` for the snapshot, raw or as its .gz copy."""

    def handler(route) -> None:
        gzipped = route.request.url.endswith(".gz")
        body = gzip.compress(delta, mtime=0) if gzipped else delta
        route.fulfill(body=body, content_type="application/octet-stream")

    return handler


def other_build(delta: bytes) -> bytes:
    """The shipped delta's snapshot header with another Pyodide build id, and no pages."""
    full_length, _, header = read_delta(delta)
    forged = bytearray(header)
    forged[16:48] = bytes(32)  # the build id Pyodide compares
    return struct.pack("<5I", *struct.unpack_from("<2I", delta), full_length, len(header), 0) + bytes(forged)


def other_engine(route) -> None:
    """The engine as a later deployment might ship it next to an older cached snapshot."""
    source = (ROOT / "generator" / "scoring.py").read_text(encoding="utf-8")
    route.fulfill(body=source + "\n# a later edit\n", content_type="text/x-python")


SNAPSHOT_AND_COPY = "**/" + SNAPSHOT_URI + "*"
FALLBACKS = {
    "not downloadable": ("**/" + SNAPSHOT_URI, lambda delta: lambda route: route.abort(), "Failed to fetch"),
    "missing": ("**/" + SNAPSHOT_URI, lambda delta: lambda route: route.fulfill(status=404, body="gone"), "HTTP 404"),
    "not a delta": (SNAPSHOT_AND_COPY, lambda delta: delivering(b"x" * 2000), "not in the expected format"),
    "truncated": (SNAPSHOT_AND_COPY, lambda delta: delivering(delta[:1_000_000]), "cut short"),
    "another Pyodide build": (
        SNAPSHOT_AND_COPY,
        lambda delta: delivering(other_build(delta)),
        "Snapshot build id mismatch",
    ),
    "another engine": (
        "**/assets/selfcheck/scoring.py",
        lambda delta: other_engine,
        "another version of the scoring engine",
    ),
}


@pytest.mark.parametrize("failure", FALLBACKS)
def test_a_snapshot_that_cannot_be_used_falls_back_to_starting_python(
    failure: str, tab, site_url: str, built_site: Path, tmp_path: Path
) -> None:
    page, requests, console = tab
    pattern, handler, reason = FALLBACKS[failure]
    page.route(pattern, handler((built_site / SNAPSHOT_URI).read_bytes()))
    assert scored(page, site_url, tmp_path) == "boot"
    warnings = [line for line in console if "without the memory snapshot" in line]
    assert warnings and reason in warnings[0], warnings
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
    Python) needs: it is created, and its index downloaded, when the reader first focuses the
    search box, and search works."""
    page, _, console = tab
    page.add_init_script(RECORD_WORKERS)
    fetched: list[str] = []  # by the page (the service worker may keep the index for offline use)
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(site_url + path)
    if path.startswith("checks/"):
        page.wait_for_selector(f'form[data-check="{CHECK}"][data-check-state="ready"]', timeout=60_000)
    page.wait_for_load_state("networkidle")
    assert not [name for name in page.evaluate("window.workersCreated") if name.startswith("search")]
    assert not [url for url in fetched if "search_index" in url], "nor is the index downloaded"
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
    page.wait_for_function("() => window.workersCreated.some(name => name.startsWith('search'))", timeout=10_000)


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
