"""Where every generated page and every self-check runtime file lives: each address defined once.

Page addresses are Markdown source paths (``cases/x.md``); MkDocs serves them at directory
URLs (``cases/x/``). Links between pages are relative, so the site works under any base
path (a sub-folder on a static host). The runtime addresses reach the templates through the
plugin (``on_env``) and the check form's attributes through :mod:`generator.check_pages`.
"""

from __future__ import annotations

import posixpath
from typing import Protocol
from urllib.parse import quote

# --- pages --------------------------------------------------------------------------------------

HOME = "index.md"
GUIDELINE_ADDRESS = "guideline"
"""The guideline's page address when its document names none (``address:``): ``/guideline/``."""
GUIDELINE = GUIDELINE_ADDRESS + ".md"
"""The guideline's page at the default address; pages link to :func:`document_src` of the guideline."""
AREAS_INDEX = "areas/index.md"
CHECKS_INDEX = "checks/index.md"
CHECKS_PLAN = "checks/plan.md"
"""My plan: every check saved in the reader's browser, built there by the engine."""
CHECKS_RESERVED_IDS = frozenset({"index", "plan"})
"""Ids that would collide with the self-checks' own pages under ``/checks/``."""
CASES_INDEX = "cases/index.md"
CASES_RESERVED_IDS = frozenset({"index", "sets"})
"""Ids that would collide with the case library's own pages under ``/cases/`` (the index, and the
folder of the campaigns' QR sheets)."""
CASE_SET_PARAMETER = "set"
"""The case index's query parameter naming a campaign: ``cases/?set=<campaign id>``."""
CAMPAIGNS_RESERVED_IDS = frozenset({"index"})
"""Ids that would not give a campaign's sheet its own address under ``/cases/sets/``."""
LIBRARY_INDEX = "library/index.md"
TIMELINE = "library/timeline.md"
GLOSSARY = "glossary.md"
ABOUT = "about.md"
"""Hand-written (``docs/about.md``); the home page links to it."""
CONTENT_REFERENCE = "manual/reference/content.md"
PLUGIN_OPTIONS_REFERENCE = "manual/reference/plugin-options.md"
LIBRARY_RESERVED_IDS = frozenset({"index", "timeline"})
"""Ids that would collide with the library's own pages under ``/library/``."""
TOP_LEVEL_RESERVED = frozenset(
    {"index", "areas", "cases", "checks", "library", "glossary", "about", "manual", "search", "assets", "404"}
)
"""Top-level addresses the site's own pages and files take; the guideline's ``address`` may be none of them."""


class Addressed(Protocol):
    """What a document's address is made from (a :class:`~generator.model.Document`)."""

    id: str
    role: str
    address: str | None


def guideline_src(address: str | None = None) -> str:
    """The guideline's page: ``<address>.md``, served at ``/<address>/``."""
    return f"{address or GUIDELINE_ADDRESS}.md"


def document_src(document: Addressed) -> str:
    """An official document's page: the guideline at its own address, the others in the library."""
    return guideline_src(document.address) if document.role == "guideline" else f"library/{document.id}.md"


def area_src(area_id: str) -> str:
    return f"areas/{area_id}.md"


def check_src(check_id: str) -> str:
    return f"checks/{check_id}.md"


def check_json(check_id: str) -> str:
    """The compiled check as a file beside its page (``checks/<id>/check.json``), the same JSON as
    the page's ``data-check-data``; the plan page fetches it."""
    return posixpath.join(page_url(check_src(check_id)), "check.json")


def case_src(case_id: str) -> str:
    return f"cases/{case_id}.md"


def campaign_sheet_src(campaign_id: str) -> str:
    """The printable QR sheet of a campaign: ``/cases/sets/<id>/``."""
    return f"cases/sets/{campaign_id}.md"


def campaign_query(campaign_id: str) -> str:
    """The query that filters the case index to one campaign's cases (``?set=<id>``), to append
    to a link to :data:`CASES_INDEX`."""
    return f"?{CASE_SET_PARAMETER}={quote(campaign_id, safe='')}"


def case_share_card(case_id: str) -> str:
    """The case's share card (the ``og:image`` of its page), a PNG beside the page
    (``cases/<id>/share-card.png``)."""
    return posixpath.join(page_url(case_src(case_id)), "share-card.png")


def source_src(source_id: str) -> str:
    return f"library/{source_id}.md"


# --- the self-check runtime ---------------------------------------------------------------------

PYODIDE_DIR = "assets/pyodide/"
"""The pinned Pyodide runtime (precompiled standard library, ``.br``/``.gz`` copies)."""
STDLIB_FILE = "python_stdlib.zip"
"""The standard library, fetched when Python starts without the snapshot."""
SNAPSHOT_FILE = "selfcheck-memory.delta"
SNAPSHOT = PYODIDE_DIR + SNAPSHOT_FILE
"""The memory snapshot of Python with the scoring engine loaded (absent when switched off), as
a delta against a fresh instance's memory; ``.br``/``.gz`` copies beside it."""
SNAPSHOT_READER = PYODIDE_DIR + "snapshot-delta.mjs"
"""The module that reads the delta; the worker finds it beside the snapshot."""
ENGINE = "assets/selfcheck/scoring.py"
"""The scoring engine, shipped as is."""
WORKER = "assets/javascripts/selfcheck-worker.js"
SCRIPT = "assets/javascripts/selfcheck.js"


def selfcheck_runtime(snapshot: bool) -> dict[str, str]:
    """The runtime addresses a check page needs, site-relative; ``snapshot`` is empty when none ships."""
    return {
        "worker": WORKER,
        "script": SCRIPT,
        "runtime": PYODIDE_DIR,
        "engine": ENGINE,
        "snapshot": SNAPSHOT if snapshot else "",
    }


# --- offline use --------------------------------------------------------------------------------

SERVICE_WORKER = "service-worker.js"
"""Written by the build at the site root, so its scope is the whole site with no server header."""
OFFLINE_SCRIPT = "assets/javascripts/offline.js"
"""Registers the service worker; loaded on every page."""
OFFLINE_SHELL = ("assets/javascripts/", "assets/stylesheets/", "assets/images/")
"""Folders of the theme's and the site's scripts, styles and images, kept for offline use as soon
as the service worker installs (the self-check runtime in them is kept once a check has run)."""
SEARCH_SUPPORT = "assets/javascripts/lunr/"
"""The theme's search language support: dozens of files, of which the search loads the few for the
site's languages; only those are kept with the shell."""
SEARCH_INDEX = "search/search_index.json"
"""Written by the theme's search; its ``config.lang`` names the languages the search loads."""
OFFLINE_PAGES = ("sitemap.xml", SEARCH_INDEX)
"""Files of the whole site that every page fetches (instant navigation, search): kept with the pages
when the service worker installs."""


def offline(enabled: bool) -> dict[str, str]:
    """The addresses the templates need for offline use, site-relative; empty when it is off."""
    return {"script": OFFLINE_SCRIPT, "service_worker": SERVICE_WORKER} if enabled else {}


# --- links --------------------------------------------------------------------------------------


def page_url(src_uri: str) -> str:
    """The directory-style URL MkDocs gives a Markdown source path (``areas/ip.md`` → ``areas/ip/``)."""
    stem = src_uri[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def is_index(src_uri: str) -> bool:
    """Whether a page is the index of its folder (``cases/index.md``), which MkDocs serves at the folder."""
    return src_uri == "index.md" or src_uri.endswith("/index.md")


def site_path(src_uri: str) -> str:
    """The site path of a Markdown page source: ``cases/x.md`` → ``/cases/x/``."""
    return "/" + page_url(src_uri)


def absolute(site_url: str, url: str) -> str:
    """The public address of a site-relative ``url`` (``cases/x/``, query allowed) on a site
    published at ``site_url``; what QR codes and printed addresses carry."""
    return site_url.rstrip("/") + "/" + url


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both site-relative, fragment allowed)."""
    target, _, fragment = to_url.partition("#")
    base = "/" + from_url
    path = posixpath.relpath("/" + target, base if base.endswith("/") else posixpath.dirname(base))
    if target.endswith("/") or target == "":
        path = path.rstrip("/") + "/"
    if path == "./" and fragment:
        path = ""
    return path + (f"#{fragment}" if fragment else "")
