"""My plan (``/checks/plan/``): every self-check saved in the reader's browser, in one place.

The page is a frame the browser fills: ``selfcheck.js`` reads the records saved in this browser
(``localStorage["selfcheck:<id>:v<version>"]``), fetches each one's compiled check, published
beside its page as ``checks/<id>/check.json`` (:func:`check_files`), and the engine's
``browser_plan`` makes the plan's HTML and CSV in the worker, with the same scorer as the check
pages. The page lists the checks (id, version, title, page and JSON addresses) in its
``data-plan-checks`` attribute. Without JavaScript it says so and lists the checks; the DOM hooks
are in the manual's check page DOM reference.
"""

from __future__ import annotations

from html import escape

from . import check_pages, scoring, urls
from .compiled_check import compile_check
from .loading import Loading
from .model import Corpus
from .render import Page, PageContext, Site, SiteFile

TITLE = "My plan"


def self_check_pages(site: Site) -> list[Page]:
    """The self-check pages with My plan right after the checks index (it is the checks' summary)."""
    pages = check_pages.check_pages(site)
    if not pages:
        return []
    index, *checks = pages
    if index.src_uri != urls.CHECKS_INDEX:
        raise ValueError(f"the self-check pages must start with their index, not {index.src_uri}")
    return [index, plan_page(site), *checks]


def check_files(site: Site) -> list[SiteFile]:
    """Each compiled check as ``checks/<id>/check.json``: the same text as its page's ``data-check-data``."""
    corpus = site.corpus
    return [
        SiteFile(urls.check_json(check.id), scoring.dumps(compile_check(corpus, check, site.locale)))
        for check in corpus.ordered_checks
    ]


def check_reserved_ids(corpus: Corpus, loading: Loading) -> None:
    """No check may take the address of a page of the self-checks (``/checks/plan/``)."""
    for check in corpus.checks.values():
        source, _ = loading.place(check.id)
        loading.expect(
            check.id not in urls.CHECKS_RESERVED_IDS,
            source,
            ("id",),
            f"id {check.id!r} is reserved for a page of the self-checks",
        )


def plan_page(site: Site) -> Page:
    context = PageContext(site, urls.CHECKS_PLAN)
    checks = site.corpus.ordered_checks
    listed = [
        {
            "id": check.id,
            "version": check.version,
            "title": check.title,
            "url": context.link(urls.check_src(check.id)),
            "json": context.asset(urls.check_json(check.id)),
        }
        for check in checks
    ]
    attributes = {"data-plan": "", "data-plan-state": "idle"}
    # The runtime's addresses, as on a check form, and the checks' list as a single-quoted attribute.
    attribute_text = check_pages.runtime_attributes(context, attributes)
    data = check_pages.json_attribute(listed)
    items = "".join(
        f'<li><a href="{escape(check["url"])}"><strong>{escape(check["title"])}</strong></a><br>'
        f"{len(source.questions)} questions</li>"
        for check, source in zip(listed, checks, strict=True)
    )
    body = (
        "---\nselfcheck: true\nplan: true\n---\n\n"
        f"# {TITLE}\n\n"
        '<p class="plan-intro">Your self-checks in one place: the latest score, level and status of each check '
        "you saved in this browser, then every action across them in one list, most urgent first (red lines, "
        "then what adds most to your score). It is worked out in this browser from your saved answers, by the "
        "same engine as the check pages; nothing is sent anywhere. A self-check is not a certificate of "
        "compliance.</p>\n\n"
        f"<div class=\"plan\" {attribute_text} data-plan-checks='{data}'>"
        '<div class="plan-tools" data-plan-tools hidden>'
        '<button type="button" class="plan-tool" data-action="plan-print">Print plan</button> '
        '<button type="button" class="plan-tool" data-action="plan-csv">Download actions (CSV)</button>'
        "</div>"
        '<p class="plan-message" data-plan-message role="status"></p>'
        '<button type="button" class="plan-tool plan-retry" data-plan-retry hidden>Try again</button>'
        '<p class="plan-print-date" data-plan-print-date></p>'
        '<div class="plan-body" data-plan-body>'
        '<p class="plan-nojs" data-plan-nojs>Your plan is built in this browser from the answers you saved on '
        "each self-check, which needs JavaScript and WebAssembly. Without them, open the checks below: you can "
        "read, answer and print their questions.</p></div>"
        '<div class="plan-empty" data-plan-empty hidden>'
        "<p><strong>No saved answers in this browser yet.</strong> Your plan is made from the self-checks you "
        f"answer here. Take one of the checks below. {escape(check_pages.where_to_start(site.corpus))} "
        "Your answers are saved in this browser as you go; come back to this page to see your scores and one "
        "list of what to do next.</p></div>"
        "</div>\n\n"
        "## All self-checks {#all-checks .plan-screen-only}\n\n"
        f'<ul class="check-list plan-all-checks plan-screen-only">{items}</ul>\n'
    )
    return Page(urls.CHECKS_PLAN, TITLE, body, nav_section="Self-checks")
