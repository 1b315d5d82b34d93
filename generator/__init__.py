"""Generator for a guideline site: content → validated corpus → pages.

The public surface: load the content of a folder, turn it into pages, and compile a self-check
for the scoring engine. Each takes the feature list, :data:`FEATURES` by default.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import feature as _feature
from .compiled_check import compile_check
from .diagnostics import ContentError, Problem
from .feature import Feature
from .features import FEATURES
from .model import Corpus
from .render import Page


def load_corpus(
    content_dir: Path, schema_dir: Path, display_root: Path | None = None, features: Sequence[Feature] = FEATURES
) -> Corpus:
    """Read, validate and cross-check a content folder; raises :class:`ContentError` listing every problem."""
    return _feature.load_corpus(content_dir, schema_dir, features, display_root)


def site_pages(
    corpus: Corpus, features: Sequence[Feature] = FEATURES, *, selfcheck_snapshot: bool = True, site_url: str = ""
) -> list[Page]:
    """Every generated page of the site, in navigation order; ``site_url`` is the site's public
    address, for the pages that carry absolute addresses (QR codes)."""
    return _feature.site_pages(corpus, features, selfcheck_snapshot=selfcheck_snapshot, site_url=site_url)


__all__ = [
    "FEATURES",
    "ContentError",
    "Corpus",
    "Feature",
    "Page",
    "Problem",
    "compile_check",
    "load_corpus",
    "site_pages",
]
