"""The site's navigation: generated pages grouped by their section, then the hand-written pages
(``docs/``) as a tree of their folders. Plain data in the shape of MkDocs' ``nav`` setting."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence

from . import urls
from .render import Page

NAV_SECTION_LIMIT = 60
"""A navigation section with more pages than this lists only its index page. Every page renders
the whole sidebar, so a section of n pages costs n² in build time and output (a 1,000-page
section makes each page ~330 KB); its index page lists them all anyway."""


def site_nav(
    pages: Sequence[Page], extra: Sequence[tuple[str, str]] = (), links: Mapping[str, Sequence[str]] | None = None
) -> list:
    """MkDocs ``nav`` for the generated pages, grouped by ``nav_section`` in first-seen order,
    followed by ``extra`` (title, src_uri) pages written by hand, nested by :func:`folder_nav`."""
    nav: list = []
    groups: dict[str, list] = {}
    sizes: dict[str, int] = {}
    indexed: set[str] = set()
    for page in pages:
        if page.nav_section is not None:
            sizes[page.nav_section] = sizes.get(page.nav_section, 0) + 1
            if urls.is_index(page.src_uri):
                indexed.add(page.nav_section)
    for page in pages:
        if (
            page.nav_section in indexed
            and sizes[page.nav_section] > NAV_SECTION_LIMIT
            and not urls.is_index(page.src_uri)
        ):
            continue
        if page.nav_section is None:
            nav.append({page.title: page.src_uri})
            continue
        if page.nav_section not in groups:
            groups[page.nav_section] = []
            nav.append({page.nav_section: groups[page.nav_section]})
        groups[page.nav_section].append(page.src_uri if urls.is_index(page.src_uri) else {page.title: page.src_uri})
    nav.extend(folder_nav(extra, links))
    return nav


def folder_nav(entries: Sequence[tuple[str, str]], links: Mapping[str, Sequence[str]] | None = None) -> list:
    """Hand-written pages (title, src_uri) as nested sections, one per folder. A folder's
    ``index.md`` comes first and names its section (``navigation.indexes`` makes it the section's
    page); a folder without one is named after the folder. Within a folder, pages and sub-folders
    follow the order in which the folder's index page links to them (``links``: folder → the
    src_uris its index links to, in order), then the rest by name."""
    links = links or {}
    top: list = []
    sections: dict[str, list] = {"": top}
    titles = {posixpath.dirname(src): title for title, src in entries if urls.is_index(src)}
    for title, src in sorted(entries, key=lambda entry: _position(entry[1], links)):
        folder = posixpath.dirname(src)
        items = _section(folder, sections, titles)
        items.append(src if urls.is_index(src) and folder else {title: src})
    return top


def _position(src: str, links: Mapping[str, Sequence[str]]) -> tuple:
    """Sort key: the rank of each folder on the way down, then of the page in its folder."""
    parts = src.split("/")
    key = []
    for depth in range(len(parts)):
        folder = "/".join(parts[:depth])
        child = "/".join(parts[: depth + 1])
        if depth == len(parts) - 1:
            key.append((-1, "") if urls.is_index(src) else _rank(folder, child, links, page=True))
        else:
            key.append(_rank(folder, child, links, page=False))
    return tuple(key)


def _rank(folder: str, child: str, links: Mapping[str, Sequence[str]], page: bool) -> tuple[int, str]:
    for index, target in enumerate(links.get(folder, ())):
        if (page and target == child) or (not page and target.startswith(child + "/")):
            return index, child
    return len(links.get(folder, ())), child


def _section(folder: str, sections: dict[str, list], titles: dict[str, str]) -> list:
    if folder not in sections:
        parent = _section(posixpath.dirname(folder), sections, titles)
        sections[folder] = []
        name = titles.get(folder) or posixpath.basename(folder).replace("-", " ").capitalize()
        parent.append({name: sections[folder]})
    return sections[folder]
