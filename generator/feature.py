"""A feature, and how a list of them becomes a corpus, pages and navigation.

A feature (the guideline, self-checks, cases, the policy library …) is a value that names what
it contributes: content types, cross-checks, its own pages, blocks on other features' pages and
command-line commands. The core loops over the list it is given, in order, so the order of the
list is the order of the navigation and of blocks on a page, and nothing depends on which
module happened to be imported first. The site's list is :data:`generator.features.FEATURES`;
tests pass their own.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .loading import ContentType, CrossCheck, read_corpus
from .locale import DEFAULT_LANGUAGE, Locale, load_locale
from .model import Corpus, frozen_mapping
from .render import (
    AreaSection,
    Blocks,
    CaseSection,
    ClauseExtra,
    FileSource,
    HomeCard,
    Page,
    PageSource,
    ShareCardMaker,
    Site,
    SiteFile,
    TextMarker,
)

Command = Callable[["argparse._SubParsersAction"], None]
"""Adds one sub-command to the command line; its parser's ``run`` default is called as
``run(args, features) -> exit status``."""


@dataclass(frozen=True)
class Feature:
    """What one feature contributes to the site."""

    name: str
    content_types: Mapping[str, ContentType] = field(default_factory=frozen_mapping)
    """Schema file name → the function that adds a valid file of that schema to the corpus."""
    cross_checks: tuple[CrossCheck, ...] = ()
    pages: tuple[PageSource, ...] = ()
    """The feature's own pages, in navigation order."""
    files: tuple[FileSource, ...] = ()
    """Files the feature publishes that are not pages (e.g. the compiled checks as JSON)."""
    area_sections: tuple[AreaSection, ...] = ()
    case_sections: tuple[CaseSection, ...] = ()
    clause_extras: tuple[ClauseExtra, ...] = ()
    home_cards: tuple[HomeCard, ...] = ()
    text_markers: tuple[TextMarker, ...] = ()
    commands: tuple[Command, ...] = ()
    content_folders: Mapping[str, str] = field(default_factory=frozen_mapping)
    """Schema file name → the folder (under the content folder) where ``new`` writes a new file of
    that type; without one, ``new`` follows where the project keeps such files."""


def content_types(features: Iterable[Feature]) -> dict[str, ContentType]:
    """Every feature's content types; two features claiming one schema is a programming error."""
    merged: dict[str, ContentType] = {}
    for feature in features:
        for schema, load in feature.content_types.items():
            if schema in merged:
                raise ValueError(f"two features load {schema!r}; each schema belongs to one feature")
            merged[schema] = load
    return merged


def blocks(features: Iterable[Feature]) -> Blocks:
    """What the features add to each other's pages, in feature order."""
    features = tuple(features)
    return Blocks(
        area_sections=tuple(block for feature in features for block in feature.area_sections),
        case_sections=tuple(block for feature in features for block in feature.case_sections),
        clause_extras=tuple(block for feature in features for block in feature.clause_extras),
        home_cards=tuple(card for feature in features for card in feature.home_cards),
        text_markers=tuple(marker for feature in features for marker in feature.text_markers),
    )


def load_corpus(
    content_dir: Path, schema_dir: Path, features: Sequence[Feature], display_root: Path | None = None
) -> Corpus:
    """Read and validate the content with the features' content types and cross-checks."""
    checks = tuple(check for feature in features for check in feature.cross_checks)
    return read_corpus(content_dir, schema_dir, content_types(features), checks, display_root)


def site_pages(
    corpus: Corpus,
    features: Sequence[Feature],
    *,
    selfcheck_snapshot: bool = True,
    site_owner: str = "",
    site_url: str = "",
    share_cards: ShareCardMaker | None = None,
    locale: Locale | None = None,
) -> list[Page]:
    """Every generated page, in navigation order."""
    site = Site(
        corpus,
        blocks(features),
        selfcheck_snapshot=selfcheck_snapshot,
        site_owner=site_owner,
        site_url=site_url,
        share_cards=share_cards,
        locale=locale or load_locale(DEFAULT_LANGUAGE),
    )
    return [page for feature in features for source in feature.pages for page in source(site)]


def site_files(
    corpus: Corpus,
    features: Sequence[Feature],
    *,
    selfcheck_snapshot: bool = True,
    share_cards: ShareCardMaker | None = None,
    locale: Locale | None = None,
) -> list[SiteFile]:
    """Every generated file that is not a page, in feature order (text, or bytes such as share cards)."""
    site = Site(
        corpus,
        blocks(features),
        selfcheck_snapshot=selfcheck_snapshot,
        share_cards=share_cards,
        locale=locale or load_locale(DEFAULT_LANGUAGE),
    )
    return [file for feature in features for source in feature.files for file in source(site)]
