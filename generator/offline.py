"""The service worker that keeps the site usable offline after one visit.

The build writes :data:`urls.SERVICE_WORKER` at the site root from the template
``service_worker.js`` beside this module, filling in what it must know of this very build: which
files are the *shell* (theme and site scripts, styles, images: kept as soon as it installs),
which are the self-check *runtime* (the worker, ``selfcheck.js``, the engine and Pyodide: kept
once a check has run, with the snapshot or the standard library, whichever Python started
from), and three ids: the shell's and the runtime's, each a hash of their files, and the
build's, a hash of every file of the site. The caches are named after them, so a deployment
that changes anything writes a different service worker, which browsers install in place of
the old one; its caches replace the old ones, and a cache whose files did not change (the 25 MB
runtime, usually) is kept as it is. Nothing here imports MkDocs.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import urls

TEMPLATE = Path(__file__).with_name("service_worker.js")
PLACEHOLDER = "/* SITE */ null"
TEXTS_PLACEHOLDER = "/* TEXTS */ {}"
"""Where the template takes this build's data (a JSON object); ``null`` retires the worker."""
PRECOMPRESSED = (".br", ".gz")
"""Copies for servers to send instead of the file; a browser never asks for them by name."""


def _uri(site_dir: Path, path: Path) -> str:
    return path.relative_to(site_dir).as_posix()


def site_files(site_dir: Path) -> list[str]:
    """Every file of the built site a browser may ask for (site-relative): not the service worker
    itself, nor hidden files (the build's marker and policy file, which servers do not serve)."""
    return sorted(
        uri
        for uri in (_uri(site_dir, path) for path in site_dir.rglob("*") if path.is_file())
        if uri != urls.SERVICE_WORKER and not any(part.startswith(".") for part in uri.split("/"))
    )


def _copies(uris: set[str]) -> set[str]:
    """The ``.br``/``.gz`` copies of other files."""
    return {uri for uri in uris if uri.endswith(PRECOMPRESSED) and uri.rsplit(".", 1)[0] in uris}


def runtime_files(site_dir: Path) -> dict[str, list[str]]:
    """The self-check runtime as shipped: ``files`` every check needs, then ``snapshot`` (Python
    restored from the memory snapshot) or ``boot`` (started from the standard library)."""
    shipped = set(site_files(site_dir))
    pyodide = sorted(uri for uri in shipped - _copies(shipped) if uri.startswith(urls.PYODIDE_DIR))
    if not pyodide:
        return {"files": [], "snapshot": [], "boot": []}
    addresses = urls.selfcheck_runtime(snapshot=True)
    snapshot = [uri for uri in (urls.SNAPSHOT, urls.SNAPSHOT_READER) if uri in shipped]
    boot = [uri for uri in (urls.PYODIDE_DIR + urls.STDLIB_FILE,) if uri in shipped]
    scripts = [addresses[name] for name in ("worker", "script", "engine") if addresses[name] in shipped]
    files = scripts + [uri for uri in pyodide if uri not in snapshot + boot]
    return {"files": files, "snapshot": snapshot, "boot": boot}


def search_support_files(site_dir: Path) -> list[str]:
    """The language support the theme's search worker loads for the languages its index names
    (Material's rule: the stemmer support, ``lunr.<lang>`` but for English, ``lunr.multi`` for
    more than one language, ``tinyseg`` for Japanese, ``wordcut`` for Hindi and Thai)."""
    index = site_dir / urls.SEARCH_INDEX
    if not index.is_file():
        return []
    languages = json.loads(index.read_text(encoding="utf-8")).get("config", {}).get("lang", [])
    base = urls.SEARCH_SUPPORT
    files = []
    for language in languages:
        files += [base + "tinyseg.js"] if language == "ja" else []
        files += [base + "wordcut.js"] if language in ("hi", "th") else []
        files += [f"{base}min/lunr.{language}.min.js"] if language != "en" else []
    files += [base + "min/lunr.multi.min.js"] if len(languages) > 1 else []
    files = [base + "min/lunr.stemmer.support.min.js", *files] if files else []
    return [uri for uri in dict.fromkeys(files) if (site_dir / uri).is_file()]


def shell_files(site_dir: Path) -> list[str]:
    """The theme's and the site's scripts, styles and images, but the self-check runtime, source
    maps and the search language support the site does not use."""
    shipped = site_files(site_dir)
    left_out = {uri for group in runtime_files(site_dir).values() for uri in group} | _copies(set(shipped))
    search = search_support_files(site_dir)
    return [
        uri
        for uri in shipped
        if uri.startswith(urls.OFFLINE_SHELL)
        and (not uri.startswith(urls.SEARCH_SUPPORT) or uri in search)
        and not uri.endswith(".map")
        and uri not in left_out
    ]


def page_files(site_dir: Path) -> list[str]:
    """Files every page fetches, kept with the pages of this build (:data:`urls.OFFLINE_PAGES`)."""
    return [uri for uri in urls.OFFLINE_PAGES if (site_dir / uri).is_file()]


def _file_hashes(site_dir: Path, uris: list[str]) -> dict[str, str]:
    hashes = {}
    for uri in uris:
        digest = hashlib.sha256()
        with (site_dir / uri).open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        hashes[uri] = digest.hexdigest()
    return hashes


def _id(hashes: dict[str, str], uris: list[str]) -> str:
    """16 hex digits naming exactly these files with exactly these contents."""
    digest = hashlib.sha256()
    for uri in sorted(uris):
        digest.update(f"{uri}\0{hashes[uri]}\n".encode())
    return digest.hexdigest()[:16]


def site_data(site_dir: Path) -> dict:
    """What the service worker must know of this build (it is written into the template)."""
    every = site_files(site_dir)
    hashes = _file_hashes(site_dir, every)
    shell = shell_files(site_dir)
    runtime = runtime_files(site_dir)
    return {
        "build": _id(hashes, every),
        "pages": page_files(site_dir),
        "shell": {"id": _id(hashes, shell), "files": shell},
        "runtime": {"id": _id(hashes, [uri for group in runtime.values() for uri in group]), **runtime},
    }


def service_worker(site_data: dict | None, texts: dict[str, str] | None = None) -> str:
    """The service worker's source for a build's :func:`site_data`; ``None`` gives one that
    removes its caches and unregisters itself (for a site that no longer ships one). ``texts``:
    the offline page's words in the site's language, and its ``lang`` (English without)."""
    template = TEMPLATE.read_text(encoding="utf-8")
    for placeholder in (PLACEHOLDER, TEXTS_PLACEHOLDER):
        if template.count(placeholder) != 1:
            raise ValueError(f"{TEMPLATE.name} must hold {placeholder!r} exactly once")
    data = json.dumps(site_data, sort_keys=True, ensure_ascii=True) if site_data is not None else "null"
    words = json.dumps(texts or {}, sort_keys=True, ensure_ascii=True)
    return template.replace(PLACEHOLDER, data).replace(TEXTS_PLACEHOLDER, words)


def write_service_worker(site_dir: Path, enabled: bool = True, texts: dict[str, str] | None = None) -> Path:
    """Write :data:`urls.SERVICE_WORKER` into a built site (after every other file is final)."""
    target = site_dir / urls.SERVICE_WORKER
    target.write_text(service_worker(site_data(site_dir) if enabled else None, texts), encoding="utf-8")
    return target
