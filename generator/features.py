"""The site's features, in one explicit list: its order is the navigation order, and the order
of the blocks features add to each other's pages (area pages, case pages, clauses, home).

To add a feature, write its module (content types, cross-checks, pages) and add its entry here.
"""

from __future__ import annotations

from . import (
    authoring,
    campaigns,
    cases,
    check_pages,
    checks,
    glossary,
    guideline,
    library,
    plan_page,
    redirects,
    score_cli,
    search,
)
from .feature import Feature

GUIDELINE = Feature(
    "guideline",
    content_types={"document.schema.json": guideline.load_document, "area.schema.json": guideline.load_area},
    cross_checks=(guideline.check_documents, guideline.check_areas),
    pages=(guideline.guideline_pages,),
    content_folders={"document.schema.json": "library", "area.schema.json": "areas"},
)

# Campaigns belong to the cases: named lists of cases, shown by the case index
# (?set=<id>) and printed as QR sheets after the case pages.
CASES = Feature(
    "cases",
    content_types={"case.schema.json": cases.load_case, "campaign.schema.json": campaigns.load_campaign},
    cross_checks=(cases.check_cases, campaigns.check_campaigns),
    pages=(cases.case_pages, campaigns.campaign_pages),
    files=(cases.share_card_files,),
    area_sections=(cases.area_cases,),
    clause_extras=(cases.clause_cases,),
    home_cards=(cases.home_card,),
    content_folders={"case.schema.json": "cases", "campaign.schema.json": "campaigns"},
)

SELF_CHECKS = Feature(
    "self-checks",
    content_types={
        "scale.schema.json": checks.load_scale,
        "bands.schema.json": checks.load_bands,
        "check.schema.json": checks.load_check,
    },
    cross_checks=(checks.check_checks, plan_page.check_reserved_ids),
    pages=(plan_page.self_check_pages,),
    files=(plan_page.check_files,),
    area_sections=(check_pages.area_self_check,),
    case_sections=(check_pages.case_self_checks,),
    home_cards=(check_pages.home_card,),
    commands=(score_cli.add_score_command,),
    content_folders={"scale.schema.json": "scales", "bands.schema.json": "bands", "check.schema.json": "checks"},
)

LIBRARY = Feature(
    "policy library",
    content_types={"source.schema.json": library.load_source, "event.schema.json": library.load_event},
    cross_checks=(library.check_library,),
    pages=(library.library_pages,),
    area_sections=(library.related_policy,),
    home_cards=(library.library_way_in,),
    content_folders={"source.schema.json": "library", "event.schema.json": "library"},
)

GLOSSARY = Feature(
    "glossary",
    content_types={"term.schema.json": glossary.load_term},
    cross_checks=(glossary.check_terms,),
    pages=(glossary.glossary_pages,),
    home_cards=(glossary.glossary_way_in,),
    text_markers=(glossary.mark_terms,),
    content_folders={"term.schema.json": "glossary"},
)

REDIRECTS = Feature(
    "redirects",
    content_types={"redirect.schema.json": redirects.load_redirects},
    cross_checks=(redirects.check_redirects,),
    commands=(redirects.register_urls_command,),
)

# Search synonyms: a content type only; the plugin applies them to the search index.
SEARCH = Feature("search", content_types={"synonyms.schema.json": search.load_synonyms})

# Authoring aids: the `new` and `explain` commands, and the check that no skeleton placeholder
# is left in content. No pages.
AUTHORING = Feature(
    "authoring",
    cross_checks=(authoring.check_placeholders,),
    commands=(authoring.add_new_command, authoring.add_explain_command),
)

FEATURES: tuple[Feature, ...] = (GUIDELINE, CASES, SELF_CHECKS, LIBRARY, GLOSSARY, REDIRECTS, SEARCH, AUTHORING)
"""Every feature of the site, in navigation order."""
