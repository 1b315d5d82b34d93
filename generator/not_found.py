"""What the 404 page offers a reader who followed a broken or mistyped link: the ways into the
site, and the cases, so that a mistyped case address (a QR code copied by hand, a link cut short)
can be matched to the nearest case ids in the browser (``not-found.js``)."""

from __future__ import annotations

from dataclasses import dataclass

from . import urls
from .locale import Locale
from .model import Corpus


@dataclass(frozen=True)
class WayIn:
    title: str
    path: str
    """Relative to the site's root, as the theme's ``url`` filter takes it."""


def ways_in(corpus: Corpus, locale: Locale) -> list[WayIn]:
    """The site's main sections that this content has, in reading order, named in the site's language."""
    ways = [WayIn(locale("notfound.home"), ""), WayIn(corpus.guideline.title, urls.page_url(urls.GUIDELINE))]
    if corpus.cases:
        ways.append(WayIn(locale("notfound.cases"), urls.page_url(urls.CASES_INDEX)))
    if corpus.checks:
        ways.append(WayIn(locale("notfound.checks"), urls.page_url(urls.CHECKS_INDEX)))
    return ways


def case_list(corpus: Corpus) -> list[dict[str, str]]:
    """Every case's id, title and address (relative to the site's root), for the nearest-id hint."""
    return [
        {"id": case.id, "title": case.title, "path": urls.page_url(urls.case_src(case.id))}
        for case in corpus.cases.values()
    ]
