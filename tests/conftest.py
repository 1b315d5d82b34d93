"""Shared fixtures: the real content loaded once per test session, one real build of the site per
session, a local HTTP server for it, headless Chromium (Debian's headless shell) driven by Playwright, and
golden files."""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator import urls

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SCHEMA = ROOT / "schema"
CASE_IDS = sorted(path.stem for path in (CONTENT / "cases").glob("*.yaml"))
"""The real cases' ids from their file names, for parametrizing without loading the content;
``test_cases_content`` checks they are the loaded cases' ids."""
CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium-headless-shell"
"""The browser the tests drive: Debian's ``chromium-headless-shell`` unless ``CHROMIUM`` names
another (``/usr/bin/chromium`` for the full browser). The shell is the same Chromium build without
the desktop browser's layer, the build Playwright itself runs headless; the suite took a fifth less
CPU with it here (see docs/manual/developers/decisions/tests-in-the-headless-shell.md)."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Chromium as a reader runs it, minus what a test machine must not do (sandbox, GPU, QUIC, updates,
sync); the benchmarks launch it with these."""
TEST_V8_FLAGS = os.environ.get("TEST_V8_FLAGS", "--liftoff-only")
TEST_ONLY_ARGS = [f"--js-flags={TEST_V8_FLAGS}"] if TEST_V8_FLAGS else []
"""The tests' browser also compiles WebAssembly with V8's baseline compiler only. Each test starts
Python in a new worker, and a restored snapshot runs too little Python for the optimised code that
V8 compiles in the background to pay for itself: 13–20 % less CPU for the browser test files in
interleaved runs (see docs/manual/developers/decisions/tests-in-the-headless-shell.md). What a
page does does not change, only how fast V8's code runs; the benchmarks keep V8's defaults, and
``TEST_V8_FLAGS= make test`` runs the suite with them too."""


def article_of(html_file: Path):
    """The page's ``<article>`` (the content, without the theme's header, navigation and footer),
    parsed on its own: a tenth of the time of parsing the whole page, which is mostly navigation."""
    from bs4 import BeautifulSoup

    html = html_file.read_text(encoding="utf-8")
    start, end = html.index("<article"), html.index("</article>") + len("</article>")
    return BeautifulSoup(html[start:end], "html.parser").article


def article_text(html_file: Path) -> str:
    """The article's text as a reader sees it: no permalink signs, and inline marks such as
    glossary terms add no spaces."""
    article = article_of(html_file)
    for link in article.select("a.headerlink"):
        link.decompose()
    for mark in article.select("abbr"):
        mark.unwrap()
    article.smooth()
    return " ".join(article.get_text(" ").split())


def pytest_configure(config: pytest.Config) -> None:
    """Test builds make the runtime's .br copies at brotli 9 instead of the shipped 11 (about 90 s
    of CPU for the wasm, the zip and the snapshot, paid on every fresh machine): the bytes on the
    wire differ, never what the browser decodes from them. Set in the environment, so the
    background build of the real site (a subprocess) inherits it too; in a hook, not at import,
    so the benchmarks that import this module build what ships."""
    os.environ.setdefault("SELFCHECK_BROTLI_QUALITY", "9")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files from current output, and delete those no test produces",
    )


MARKED_BY_FIXTURE = {"browser": "browser", "built_site": "build"}
"""A test that uses the fixture (directly or through another, e.g. ``visit``) must carry the marker,
so ``-m "not browser"`` and ``-m "not build"`` never start Chromium or build the real site."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unmarked = [
        f"{item.nodeid}: uses {fixture!r} but is not marked {marker!r}"
        for item in items
        for fixture, marker in MARKED_BY_FIXTURE.items()
        if fixture in getattr(item, "fixturenames", ()) and item.get_closest_marker(marker) is None
    ]
    if unmarked:
        raise pytest.UsageError("tests missing their marker:\n" + "\n".join(unmarked))
    # Modules whose tests need no build of the real site run first (in file order), so that they
    # run while the site builds in the background (see real_site_build_started).
    needs_site = {
        item.module.__name__ for item in items if "built_site" in getattr(item, "fixturenames", ()) and item.module
    }
    items.sort(key=lambda item: getattr(item.module, "__name__", "") in needs_site)


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def golden(update_golden: bool):
    """Compare with (or, with --update-golden, rewrite) a golden file: ``golden.check(path, text)``."""
    from golden_files import Golden

    return Golden(update_golden)


@functools.cache
def real_corpus():
    """The repository's content, loaded on first use and then shared by the whole test process.
    Tests must not change it: a test that adds or replaces items loads its own copy."""
    from generator import load_corpus

    return load_corpus(CONTENT, SCHEMA, ROOT)


@pytest.fixture(scope="session")
def corpus():
    """The real content (see :func:`real_corpus`); fails the session if a test changed it."""
    loaded = real_corpus()
    before = _inventory(loaded)
    yield loaded
    assert _inventory(loaded) == before, "a test changed the shared corpus; load a copy to change"


def _inventory(corpus) -> dict[str, list[str]]:
    return {name: sorted(value) for name, value in vars(corpus).items() if isinstance(value, dict) and name[0] != "_"}


def _real_site_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the run's one build of the real site goes: under pytest-xdist, the run's temporary
    folder above each worker's own, so that the workers share it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    return shared / "real-site"


@pytest.fixture(scope="session", autouse=True)
def real_site_build_started(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """If any selected test reads the real site, its build starts in the background as the run
    begins, in its own process, while the tests that do not need it run (they come first, see
    :func:`pytest_collection_modifyitems`). ``built_site`` waits for it, or builds itself (with a
    proper error) if it failed."""
    if not any("built_site" in getattr(item, "fixturenames", ()) for item in request.session.items):
        yield None
        return
    folder = _real_site_folder(tmp_path_factory)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"background-{os.getpid()}.log").open("w") as log:
        build = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "real_site.py"), str(folder)], stdout=log, stderr=log, cwd=ROOT
        )
    yield build
    build.wait()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per run with --strict from the repository's content (see
    ``real_site.py``)."""
    from real_site import build_once

    return build_once(_real_site_folder(tmp_path_factory))


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site with the MIME types module workers and WebAssembly need."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_encoded(self, body: bytes, encoding: str, content_type: str = "application/octet-stream") -> None:
        """``body`` as it is, labelled ``Content-Encoding: <encoding>`` (the browser decodes it)."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class NegotiatingHandler(SiteRequestHandler):
    """Sends a file's ``.br`` or ``.gz`` copy with ``Content-Encoding`` when the browser accepts
    it, as the shipped nginx and Caddy configurations do."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        accepted = self.headers.get("Accept-Encoding", "")
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
            copy = path.with_name(path.name + suffix)
            if encoding in accepted and path.is_file() and copy.is_file():
                self.send_encoded(copy.read_bytes(), encoding, self.guess_type(str(path)))
                return
        super().do_GET()


class SiteServer(http.server.ThreadingHTTPServer):
    # socketserver listens with a backlog of 5. A page and its service worker open more connections
    # at once than a busy test process accepts, and the kernel counted listen-queue overflows
    # during runs; a connection dropped that way waits for retransmissions. Real servers listen
    # with hundreds (nginx: 511). (The offline test's 30-second reload had another cause: see
    # "Known problem" in docs/manual/developers/runtime.md.)
    request_queue_size = 512

    def handle_error(self, request, client_address) -> None:
        """A browser that drops a request (tests abort some on purpose) is no error of the server's;
        printing its traceback from the server thread only cluttered the test output."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def serve(
    directory: Path, handler_class: type[SiteRequestHandler] = SiteRequestHandler
) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(handler_class, directory=str(directory))
    server = SiteServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Base URL of the built site served over loopback."""
    server, url = serve(built_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's 'chromium-headless-shell' package"
            " (make system-packages), or point CHROMIUM at a Chromium or Chrome binary"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + TEST_ONLY_ARGS
        )
        yield browser
        browser.close()


@dataclass
class Visit:
    """A browser tab plus what it did: every request URL and every console error."""

    page: object
    origin: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [
            url for url in self.requests if not url.startswith(("data:", "blob:")) and origin_of(url) != self.origin
        ]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="session")
def reader_context(browser) -> Iterator[object]:
    """The browser context the ``visit`` tabs share within a test process (see :func:`tab_in`).
    The site's service worker does not run in it: on a first visit it installs only once the page
    has loaded (on a check page, once Python has started) and then copies the shell and the
    runtime into its caches, about half a second of CPU per check page here, in the background of
    a test that asserts nothing about it. Its work is tested where it is the subject
    (``test_browser_offline.py``, the plan offline) and on a first visit to every page type in
    ``visit_with_service_worker`` (the accessibility sweep, the policy test). Tests that route
    (block) requests need this too: a service worker answering from its cache would bypass the
    routes."""
    yield from shared_context(browser, service_workers="block")


def shared_context(browser, **options: object) -> Iterator[object]:
    """A browser context for a whole test process, with its renderer kept (:func:`keep_renderer`)."""
    context = browser.new_context(**options)
    keep_renderer(context)
    yield context
    context.close()


def keep_renderer(context) -> None:
    """Keep a blank tab of the loopback site open in ``context`` for its lifetime, so that every
    test tab opened in it joins that tab's renderer process instead of starting one: a renderer
    start cost about 0.35 s of CPU per tab here, on a 2-CPU machine the largest single cost of a
    short browser test. Chromium groups loopback addresses into one site whatever the port, so the
    one tab serves every server a test starts. The tab's page is answered by Playwright and never
    reaches a server."""
    page = context.new_page()
    page.route(
        _RENDERER_KEEPER, lambda route: route.fulfill(body="<!doctype html><title>-</title>", content_type="text/html")
    )
    page.goto(_RENDERER_KEEPER)


_RENDERER_KEEPER = "http://127.0.0.1:9/"
_BLANK = "<!doctype html><title>-</title>"


def tab_in(context, site_url: str) -> Iterator[Visit]:
    """A new tab in a shared browser context, recording requests and console errors. After the
    test the tab is closed and everything the site left behind is cleared (storage, service
    workers, caches, cookies, permissions), so each test is a first visit; a fresh context per
    test cost about a second of CPU here and tested nothing more. The HTTP cache is kept, as a
    reader's browser keeps it."""
    page = context.new_page()
    record = Visit(page, origin_of(site_url))
    clear_site_data(page, record.origin)  # a page closed by the last test may have written late
    # And from inside the tab's first document of the site, before any of its scripts: a renderer
    # shared with the last test's tab can still hand this one a stale copy of localStorage (a
    # dark palette reached a light-mode test that way, on CI, after both clears above).
    page.add_init_script(_FIRST_DOCUMENT_STARTS_CLEAN % json.dumps(record.origin))
    page.on("request", lambda request: record.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and record.console_errors.append(message.text))
    page.on("pageerror", lambda error: record.console_errors.append(str(error)))
    try:
        yield record
    finally:
        if page.is_closed():  # the test closed its tab: clear from another
            page = context.new_page()
        elif page.url.startswith(record.origin + "/"):
            # Also from the page: the renderer, which the next tab may share, keeps its own copy
            # of the origin's storage that the DevTools call below does not always reach in time.
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        clear_site_data(page, record.origin)
        page.close()
        context.clear_cookies()
        context.clear_permissions()


_FIRST_DOCUMENT_STARTS_CLEAN = """(() => {
  try {
    if (location.origin !== %s || sessionStorage.getItem("tests:tab-started")) return;
    localStorage.clear();
    sessionStorage.setItem("tests:tab-started", "1");
  } catch (error) {}
})();"""


def clear_site_data(page, origin: str) -> None:
    session = page.context.new_cdp_session(page)
    session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
    session.detach()


@pytest.fixture
def visit(reader_context, site_url: str) -> Iterator[Visit]:
    """A first visit to the built site in a new tab (see :func:`tab_in`), the site's service
    worker not running (see :func:`reader_context`)."""
    yield from tab_in(reader_context, site_url)


@pytest.fixture(scope="session")
def reader_context_with_service_worker(browser) -> Iterator[object]:
    """A shared context where the site's service worker registers, installs and keeps what it
    keeps, as on a reader's first visit."""
    yield from shared_context(browser)


@pytest.fixture
def visit_with_service_worker(reader_context_with_service_worker, site_url: str) -> Iterator[Visit]:
    """``visit`` with the site's service worker at work, as a reader's first visit has it."""
    yield from tab_in(reader_context_with_service_worker, site_url)


PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="session")
def phone_context(browser) -> Iterator[object]:
    """The browser context the ``phone`` tabs share: a small phone's screen (360 × 740 CSS pixels,
    mobile viewport rules, touch); no service worker, as in :func:`reader_context`."""
    yield from shared_context(browser, service_workers="block", **PHONE)


@pytest.fixture
def phone(phone_context, site_url: str) -> Iterator[Visit]:
    """``visit`` on a phone (see :func:`phone_context`); a test may set another phone's size."""
    yield from tab_in(phone_context, site_url)


def hold_the_runtime(page) -> None:
    """Leave the self-check worker's script unanswered for the tab's life: the check page stays as
    a reader sees it while Python is still on its way (the first seconds on a slow network), the
    form working and saving without a score. For tests of what the page itself does with answers
    (storage, import, share links, layout), which would otherwise start Python for nothing, about a
    second of CPU per page load here, beside the test; what the engine decides is tested with it."""
    page.route("**/" + urls.WORKER, lambda route: None)


def emulate_3g(page) -> None:
    """Tell the page's renderer its network is 3G the DevTools way: a 300 ms round trip sets
    ``navigator.connection.effectiveType`` to "3g" in the page and its workers on every Chromium
    build (the ``--force-effective-connection-type`` switch is ignored by some). No bandwidth cap,
    so the fallback runtime still downloads quickly."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 300, "downloadThroughput": -1, "uploadThroughput": -1},
    )
