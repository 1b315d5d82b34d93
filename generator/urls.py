"""Where each generated page lives, and relative links between pages.

Links are relative so the site works under any base path (a sub-folder on a static host).
"""

from __future__ import annotations

import posixpath

HOME = "index.md"
GUIDELINE = "guideline.md"
AREAS_INDEX = "areas/index.md"


def page_url(src_uri: str) -> str:
    """The directory-style URL MkDocs gives a Markdown source path (``areas/ip.md`` → ``areas/ip/``)."""
    stem = src_uri[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


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


def document_src(document_id: str, role: str) -> str:
    return GUIDELINE if role == "guideline" else f"library/{document_id}.md"


def area_src(area_id: str) -> str:
    return f"areas/{area_id}.md"
