"""Generator for the SME compliance guideline site: content → validated corpus → pages."""

from __future__ import annotations

# Importing these registers their content types and pages; the order is the navigation order.
# isort: off
from . import cases  # noqa: F401
from . import library  # noqa: F401
from . import glossary  # noqa: F401
from . import redirects  # noqa: F401

# isort: on
from .corpus import Corpus, load_corpus
from .diagnostics import ContentError, Problem
from .pages import Page, site_pages

__all__ = ["ContentError", "Corpus", "Page", "Problem", "load_corpus", "site_pages"]
