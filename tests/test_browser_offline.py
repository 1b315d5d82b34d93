"""Offline use in real headless Chromium: after one visit to a check page, with the server gone
and the browser offline, the check page reloads from the service worker's caches and scores; a
page never opened says it is offline; and a new deployment replaces the old caches, keeping
what the reader had offline."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import emulate_3g, serve
from test_browser_checks import READY, answer, cli, golden, shown, wait_for_result

from generator import offline, urls

pytestmark = [pytest.mark.browser, pytest.mark.build]

CHECK = "labour-check"
CACHED = """async ([base, paths]) => {
    for (const path of paths) {
        if (!(await caches.match(new URL(path, base).href))) return false;
    }
    return true;
}"""


@contextmanager
def server_for(site: Path) -> Iterator[tuple[object, str]]:
    server, url = serve(site)
    try:
        yield server, url
    finally:
        server.shutdown()
        server.server_close()


def stop(server) -> None:
    """The server goes away for good: nothing after this can come from the network."""
    server.shutdown()
    server.server_close()


def kept_offline(site: Path, page_path: str) -> list[str]:
    """Everything a check page needs offline, as the service worker of ``site`` names it."""
    data = offline.site_data(site)
    return [page_path, *data["pages"], *data["shell"]["files"], *data["runtime"]["files"], *data["runtime"]["snapshot"]]


def wait_until_kept(page, url: str, paths: list[str]) -> None:
    page.wait_for_function(CACHED, arg=[url, paths], timeout=READY, polling=250)


SETTLED = """() => navigator.serviceWorker.getRegistration().then((found) =>
    !!found && !found.installing && !found.waiting && found.active?.state === "activated")"""


CONTROLLED = """() => navigator.serviceWorker.getRegistration().then((found) =>
    !!found && !found.installing && !found.waiting && found.active?.state === "activated"
    && navigator.serviceWorker.controller === found.active)"""


def wait_until_settled(page) -> None:
    """The worker that will answer offline is the page's: none left installing or waiting, and
    the active one controls the page, as it does for a reader coming back while online. (A check
    page's own files are kept by messages while the worker may still be installing: with the
    server gone before it has its shell, nothing would answer offline; and Chromium may serve a
    navigation right after activation without the worker.)"""
    page.wait_for_function(SETTLED, timeout=READY, polling=250)
    for _ in range(20):
        if page.evaluate(CONTROLLED):
            return
        reload(page)
        page.wait_for_timeout(250)
    assert page.evaluate(CONTROLLED), "the active service worker controls the page"


def wait_until_active(page) -> str:
    """The scope of the service worker once it is active (it never controls the page it was
    registered from: that one is kept by a message instead)."""
    active = "() => navigator.serviceWorker.getRegistration().then((found) => found?.active?.state === 'activated')"
    page.wait_for_function(active, timeout=READY, polling=250)
    return page.evaluate("navigator.serviceWorker.getRegistration().then((registration) => registration.scope)")


def reload(page) -> None:
    """Reload as a reader does: Playwright's ``page.reload()`` can bypass the service worker. A
    reload that never reaches its load event names the requests still open (one across a new
    deployment did: "Known problem" in docs/manual/developers/runtime.md)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    pending: dict[object, str] = {}
    started = lambda request: pending.__setitem__(request, request.url)  # noqa: E731
    ended = lambda request: pending.pop(request, None)  # noqa: E731
    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    try:
        with page.expect_navigation():
            page.evaluate("location.reload()")
    except PlaywrightTimeout as error:
        raise AssertionError(f"the reload never finished loading; still open: {sorted(pending.values())}") from error
    finally:
        page.remove_listener("request", started)
        page.remove_listener("requestfinished", ended)
        page.remove_listener("requestfailed", ended)


def test_a_check_page_runs_offline_after_one_visit(browser, built_site: Path, tmp_path: Path) -> None:
    context = browser.new_context()
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        with server_for(built_site) as (server, url):
            page.goto(f"{url}checks/{CHECK}/")
            page.wait_for_selector('form[data-check-state="ready"]', timeout=READY)
            wait_until_kept(page, url, kept_offline(built_site, f"checks/{CHECK}/"))
            wait_until_settled(page)
            stop(server)
            context.set_offline(True)
            reload(page)
            assert page.evaluate("navigator.serviceWorker.controller !== null"), "served by the service worker"
            answers = golden(CHECK, "mixed")
            answer(page, answers)
            wait_for_result(page, "complete")
            expected = cli(CHECK, answers, tmp_path)
            assert shown(page) == (f"{expected['score']:.1f}", expected["level"])
            assert page.get_attribute("form[data-check]", "data-check-started") == "snapshot"
            page.keyboard.press("/")
            page.keyboard.type("contract")
            page.wait_for_selector(".md-search-result__item", timeout=30_000)
            page.goto(f"{url}library/")
            assert "You are offline" in page.inner_text("body"), "a page never opened says so"
            page.goto(f"{url}checks/{CHECK}/")
            page.wait_for_selector('form[data-check-state="ready"]', timeout=READY)
        assert errors == []
    finally:
        context.close()


def test_a_check_started_without_the_snapshot_runs_offline_too(browser, built_site: Path, tmp_path: Path) -> None:
    """On 3G Python starts from the standard library; that is what is kept, and offline (where the
    worker tries the snapshot, which costs nothing there) the start falls back to it."""
    context = browser.new_context()
    try:
        page = context.new_page()
        emulate_3g(page)
        with server_for(built_site) as (server, url):
            page.goto(f"{url}checks/{CHECK}/")
            page.wait_for_selector('form[data-check-state="ready"]', timeout=READY)
            assert page.get_attribute("form[data-check]", "data-check-started") == "boot"
            data = offline.site_data(built_site)
            wait_until_kept(page, url, [f"checks/{CHECK}/", *data["runtime"]["files"], *data["runtime"]["boot"]])
            wait_until_settled(page)
            assert not page.evaluate("address => caches.match(address).then(Boolean)", url + urls.SNAPSHOT)
            stop(server)
            page.context.set_offline(True)
            reload(page)
            answers = golden(CHECK, "mixed")
            answer(page, answers)
            wait_for_result(page, "complete")
            expected = cli(CHECK, answers, tmp_path)
            assert shown(page) == (f"{expected['score']:.1f}", expected["level"])
            assert page.get_attribute("form[data-check]", "data-check-started") == "boot"
    finally:
        context.close()


def deploy_copy(built_site: Path, site: Path) -> None:
    """A deployment of ``built_site`` made of links to its files (a changed file is unlinked first)."""
    shutil.copytree(built_site, site, copy_function=os.symlink)


def change(site: Path, uri: str, edit) -> None:
    file = site / uri
    text = file.read_text(encoding="utf-8")
    file.unlink()  # a link into the session's built site: never write through it
    file.write_text(edit(text), encoding="utf-8")


def wait_for_names(page, expected: list[str]) -> None:
    """Until the site's caches are exactly ``expected`` (the worker creates and removes them as it
    installs, activates and keeps what the page asks for)."""
    page.wait_for_function(
        "expected => caches.keys().then((found) => JSON.stringify(found.sort()) === JSON.stringify(expected))",
        arg=expected,
        timeout=READY,
        polling=250,
    )


def expected_names(url: str, data: dict) -> list[str]:
    prefix = f"offline:{url}:"
    return sorted(
        [
            f"{prefix}shell:{data['shell']['id']}",
            f"{prefix}runtime:{data['runtime']['id']}",
            f"{prefix}pages:{data['build']}",
        ]
    )


def test_a_new_deployment_replaces_the_old_caches_and_keeps_what_was_offline(
    browser, built_site: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    deploy_copy(built_site, site)
    (site / urls.SERVICE_WORKER).unlink()
    offline.write_service_worker(site)
    first = offline.site_data(site)
    context = browser.new_context()
    try:
        page = context.new_page()
        with server_for(site) as (server, url):
            page.goto(f"{url}checks/{CHECK}/")
            page.wait_for_selector('form[data-check-state="ready"]', timeout=READY)
            wait_until_kept(page, url, kept_offline(site, f"checks/{CHECK}/"))
            wait_until_settled(page)
            wait_for_names(page, expected_names(url, first))

            # The next deployment: a page and a stylesheet changed, the runtime did not.
            change(
                site,
                f"checks/{CHECK}/index.html",
                lambda html: html.replace("</body>", "<p id=deployed-again></p></body>"),
            )
            change(site, "assets/stylesheets/site.css", lambda css: css + "\n/* deployed again */\n")
            (site / urls.SERVICE_WORKER).unlink()
            offline.write_service_worker(site)
            second = offline.site_data(site)
            assert second["build"] != first["build"] and second["shell"]["id"] != first["shell"]["id"]
            assert second["runtime"]["id"] == first["runtime"]["id"]

            page.evaluate("navigator.serviceWorker.getRegistration().then((registration) => registration.update())")
            wait_for_names(page, expected_names(url, second))
            wait_until_kept(page, url, kept_offline(site, f"checks/{CHECK}/"))
            # The new caches exist before the carried-over page is fetched into them (under load,
            # seconds later): wait for the page kept to be the new one, as a reader coming back would.
            page.wait_for_function(
                "(address) => caches.match(address).then((found) => found ? found.text() : '')"
                ".then((text) => text.includes('deployed-again'))",
                arg=f"{url}checks/{CHECK}/",
                timeout=READY,
                polling=250,
            )
            # The reader comes back in a new tab. Reloading the tab that was open across the swap
            # hung for good in about one run in three (Chromium 156, only while a check page's
            # Python worker lives; the server had answered), which this test does not claim to cover.
            page.close()
            page = context.new_page()
            page.goto(f"{url}checks/{CHECK}/")
            wait_until_settled(page)
            stop(server)
            context.set_offline(True)
            reload(page)
            assert page.locator("#deployed-again").count() == 1, "the page kept is the new deployment's"
            css = page.evaluate("fetch('../../assets/stylesheets/site.css').then((response) => response.text())")
            assert css.endswith("/* deployed again */\n")
            answer(page, {"labour-written-contracts": "yes"})
            wait_for_result(page, "incomplete")
    finally:
        context.close()


def test_only_requests_to_the_site_itself_are_answered_by_the_service_worker(
    browser, built_site: Path, tmp_path: Path
) -> None:
    """The site under a sub-folder (``/guide/``): the worker, registered by a relative address,
    answers for the site, and not for another host, nor for this host outside the folder."""
    host = tmp_path / "host"
    host.mkdir()
    (host / "guide").symlink_to(built_site, target_is_directory=True)
    (host / "elsewhere.txt").write_text("not the site", encoding="utf-8")
    context = browser.new_context()
    try:
        page = context.new_page()
        with server_for(host) as (_, url), server_for(host) as (_, other_host):
            page.goto(f"{url}guide/")
            assert wait_until_active(page) == f"{url}guide/"
            for _ in range(20):  # Chromium serves a navigation right after activation without it
                reload(page)
                if page.evaluate("navigator.serviceWorker.controller !== null"):
                    break
                page.wait_for_timeout(250)
            assert page.evaluate("navigator.serviceWorker.controller !== null")

            def answered_by_the_worker(address: str) -> bool:
                with page.expect_response(address) as response:
                    page.evaluate("address => fetch(address, {mode: 'no-cors'}).then(() => true)", address)
                return response.value.from_service_worker

            assert answered_by_the_worker(f"{url}guide/sitemap.xml")
            assert not answered_by_the_worker(f"{url}elsewhere.txt"), "this host, outside the site"
            assert not answered_by_the_worker(f"{other_host}guide/sitemap.xml"), "another host"
    finally:
        context.close()


def test_on_a_check_page_the_worker_installs_only_once_python_has_started(browser, built_site: Path) -> None:
    """Installing the worker downloads the search index (about 700 kB): on a check page opened
    first it must not compete with the runtime's download. While Python cannot start (its wasm
    held back), nothing registers; once it has started, the worker installs."""
    context = browser.new_context()
    held: list[object] = []
    try:
        page = context.new_page()
        page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
        with server_for(built_site) as (_, url):
            page.goto(f"{url}checks/{CHECK}/")
            page.wait_for_load_state("load")
            page.wait_for_function("() => document.querySelector('form[data-check-state=loading]')")
            page.wait_for_timeout(2000)
            assert page.get_attribute("form[data-check]", "data-check-started") is None
            registered = page.evaluate("navigator.serviceWorker.getRegistration().then(Boolean)")
            assert not registered, "nothing installs while the runtime downloads"
            for route in held:
                route.continue_()
            page.wait_for_selector('form[data-check-state="ready"]', timeout=READY)
            assert wait_until_active(page) == url
    finally:
        context.close()
