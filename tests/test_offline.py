"""The service worker the build writes: what it keeps (shell, runtime, pages), and ids that change
exactly when the files they name change, so a new deployment installs a new worker whose caches
replace the old ones. Its behaviour in a browser is in test_browser_offline.py."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from generator import offline, urls

FILES = {
    "index.html": "<html>home</html>",
    "checks/labour-check/index.html": "<html>check</html>",
    "sitemap.xml": "<urlset/>",
    "sitemap.xml.gz": "gz",
    urls.SEARCH_INDEX: json.dumps({"config": {"lang": ["en", "zh"]}, "docs": []}),
    "assets/javascripts/bundle.1234.min.js": "bundle",
    "assets/javascripts/bundle.1234.min.js.map": "map",
    "assets/javascripts/workers/search.5678.min.js": "search",
    "assets/javascripts/lunr/min/lunr.stemmer.support.min.js": "stem",
    "assets/javascripts/lunr/min/lunr.zh.min.js": "zh",
    "assets/javascripts/lunr/min/lunr.de.min.js": "de",
    "assets/javascripts/lunr/min/lunr.multi.min.js": "multi",
    "assets/javascripts/lunr/wordcut.js": "wordcut",
    "assets/javascripts/clause-links.js": "links",
    urls.OFFLINE_SCRIPT: "register",
    urls.WORKER: "worker",
    urls.SCRIPT: "selfcheck",
    urls.ENGINE: "engine",
    "assets/stylesheets/site.css": "css",
    "assets/images/favicon.png": "png",
    urls.PYODIDE_DIR + "pyodide.mjs": "mjs",
    urls.PYODIDE_DIR + "pyodide.mjs.br": "br",
    urls.PYODIDE_DIR + "pyodide.mjs.gz": "gz",
    urls.PYODIDE_DIR + "pyodide.asm.wasm": "wasm",
    urls.PYODIDE_DIR + "pyodide.asm.wasm.br": "br",
    urls.PYODIDE_DIR + urls.STDLIB_FILE: "zip",
    urls.PYODIDE_DIR + urls.STDLIB_FILE + ".gz": "gz",
    urls.SNAPSHOT: "snapshot",
    urls.SNAPSHOT + ".br": "br",
    urls.SNAPSHOT_READER: "reader",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    for uri, text in FILES.items():
        (tmp_path / uri).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / uri).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_shell_is_the_themes_and_sites_scripts_styles_and_images(site: Path) -> None:
    assert offline.shell_files(site) == [
        "assets/images/favicon.png",
        "assets/javascripts/bundle.1234.min.js",
        "assets/javascripts/clause-links.js",
        "assets/javascripts/lunr/min/lunr.multi.min.js",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
        "assets/javascripts/lunr/min/lunr.zh.min.js",
        urls.OFFLINE_SCRIPT,
        "assets/javascripts/workers/search.5678.min.js",
        "assets/stylesheets/site.css",
    ], "no source maps, no runtime, only the search languages the index names"


def test_the_runtime_is_what_a_check_needs_then_the_snapshot_or_the_standard_library(site: Path) -> None:
    assert offline.runtime_files(site) == {
        "files": [
            urls.WORKER,
            urls.SCRIPT,
            urls.ENGINE,
            urls.PYODIDE_DIR + "pyodide.asm.wasm",
            urls.PYODIDE_DIR + "pyodide.mjs",
        ],
        "snapshot": [urls.SNAPSHOT, urls.SNAPSHOT_READER],
        "boot": [urls.PYODIDE_DIR + urls.STDLIB_FILE],
    }, "no .br/.gz copies (a browser never asks for them by name, unless the server cannot negotiate)"
    assert offline.page_files(site) == ["sitemap.xml", urls.SEARCH_INDEX]


def test_a_site_without_checks_has_no_runtime_to_keep(site: Path) -> None:
    for uri in FILES:
        if uri.startswith(urls.PYODIDE_DIR):
            (site / uri).unlink()
    assert offline.runtime_files(site) == {"files": [], "snapshot": [], "boot": []}


def ids(site: Path) -> tuple[str, str, str]:
    data = offline.site_data(site)
    return data["build"], data["shell"]["id"], data["runtime"]["id"]


def test_each_id_changes_exactly_when_the_files_it_names_change(site: Path) -> None:
    build, shell, runtime = ids(site)
    assert ids(site) == (build, shell, runtime), "the same files, the same ids"
    offline.write_service_worker(site)
    assert ids(site) == (build, shell, runtime), "the worker itself is not counted"

    (site / "checks/labour-check/index.html").write_text("<html>check, edited</html>", encoding="utf-8")
    changed = ids(site)
    assert changed[0] != build and changed[1:] == (shell, runtime), "a page: only the build"
    build = changed[0]

    (site / "assets/stylesheets/site.css").write_text("css, edited", encoding="utf-8")
    changed = ids(site)
    assert changed[0] != build and changed[1] != shell and changed[2] == runtime, "a stylesheet: build and shell"
    build, shell = changed[:2]

    (site / urls.SNAPSHOT).write_text("another engine's snapshot", encoding="utf-8")
    changed = ids(site)
    assert changed[0] != build and changed[1] == shell and changed[2] != runtime, "the snapshot: build and runtime"

    (site / "new-page.html").write_text("new", encoding="utf-8")
    assert ids(site)[0] != changed[0], "a new file"
    build = ids(site)[0]
    (site / ".generator-build").write_text("marker", encoding="utf-8")
    assert ids(site)[0] == build, "hidden files are not served, so not counted"


def test_the_written_worker_carries_the_builds_data_and_changes_with_it(site: Path) -> None:
    first = offline.write_service_worker(site).read_text(encoding="utf-8")
    assert offline.PLACEHOLDER not in first
    data = json.loads(re.search(r"const SITE = (\{.*\});", first).group(1))
    assert data == offline.site_data(site)
    (site / "index.html").write_text("<html>home, edited</html>", encoding="utf-8")
    second = offline.write_service_worker(site).read_text(encoding="utf-8")
    assert second != first, "browsers see a new worker and install it"
    assert re.sub(r"const SITE = .*;", "", second) == re.sub(r"const SITE = .*;", "", first)


def test_switched_off_the_worker_retires_itself(site: Path) -> None:
    source = offline.write_service_worker(site, enabled=False).read_text(encoding="utf-8")
    assert "const SITE = null;" in source
    assert "self.registration.unregister()" in source


def test_the_worker_deletes_only_its_own_old_caches_and_never_intercepts_other_hosts() -> None:
    """Read from the template, since a test cannot await a service worker's activate event in
    isolation: caches are deleted by name prefix (this site's scope), and requests outside the
    scope are left alone (``pathOf`` is null for another origin or folder)."""
    source = offline.TEMPLATE.read_text(encoding="utf-8")
    assert "const PREFIX = `offline:${SCOPE}:`;" in source
    assert "name.startsWith(PREFIX) && !current.includes(name)" in source
    assert re.search(r"if \(path === null\) return;", source)


def test_the_template_is_valid_javascript_with_the_data_filled_in(site: Path) -> None:
    written = offline.write_service_worker(site)
    subprocess.run(["node", "--check", str(written)], check=True, capture_output=True)


def test_the_worker_and_its_script_are_named_only_in_urls() -> None:
    for address in urls.offline(enabled=True).values():
        for folder in ("site_overrides", "generator"):
            for file in (ROOT / folder).rglob("*"):
                if file.is_file() and file.suffix in (".html", ".py") and file.name != "urls.py":
                    assert address not in file.read_text(encoding="utf-8"), f"{file} names {address}"
    assert urls.offline(enabled=False) == {}


@pytest.mark.build
def test_the_built_site_ships_the_worker_for_its_final_files_and_every_page_registers_it(built_site: Path) -> None:
    source = (built_site / urls.SERVICE_WORKER).read_text(encoding="utf-8")
    data = json.loads(re.search(r"const SITE = (\{.*\});", source).group(1))
    assert data == offline.site_data(built_site), "written after every other file (the policy included) was final"
    assert data["runtime"]["snapshot"] == [urls.SNAPSHOT, urls.SNAPSHOT_READER]
    assert urls.PYODIDE_DIR + "pyodide.asm.wasm" in data["runtime"]["files"]
    pages = sorted(built_site.rglob("*.html"))
    registering = [page for page in pages if 'data-service-worker="' in page.read_text(encoding="utf-8")]
    assert len(registering) == len(pages) - len(redirects(pages))
    check = (built_site / "checks" / "labour-check" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../../assets/javascripts/offline.js" data-service-worker="../../service-worker.js">' in check


def redirects(pages: list[Path]) -> list[Path]:
    return [page for page in pages if 'http-equiv="refresh"' in page.read_text(encoding="utf-8")]
