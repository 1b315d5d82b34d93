"""Generator for the SME compliance guideline site: content → validated corpus → pages."""

from __future__ import annotations

from . import cases, redirects  # noqa: F401  (registers the content types and pages)
from .corpus import Corpus, load_corpus
from .diagnostics import ContentError, Problem
from .pages import Page, site_pages

__all__ = ["ContentError", "Corpus", "Page", "Problem", "load_corpus", "site_pages"]
