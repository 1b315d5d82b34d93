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
from .render import Page, PageContext, Site, SiteFile, heading_text


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
    t = site.locale
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
        f"{escape(t('checks.questions', count=len(source.questions)))}</li>"
        for check, source in zip(listed, checks, strict=True)
    )
    e = {key: escape(t(f"plan.{key}")) for key in ("intro", "print", "csv", "nojs", "empty_title", "all_checks")}
    e["retry"] = escape(t("checks.retry"))
    body = (
        "---\nselfcheck: true\nplan: true\n---\n\n"
        f"# {heading_text(t('plan.title'))}\n\n"
        f'<p class="plan-intro">{e["intro"]}</p>\n\n'
        f"<div class=\"plan\" {attribute_text} data-plan-checks='{data}'>"
        '<div class="plan-tools" data-plan-tools hidden>'
        f'<button type="button" class="plan-tool" data-action="plan-print">{e["print"]}</button> '
        f'<button type="button" class="plan-tool" data-action="plan-csv">{e["csv"]}</button>'
        "</div>"
        '<p class="plan-message" data-plan-message role="status"></p>'
        f'<button type="button" class="plan-tool plan-retry" data-plan-retry hidden>{e["retry"]}</button>'
        '<p class="plan-print-date" data-plan-print-date></p>'
        '<div class="plan-body" data-plan-body>'
        f'<p class="plan-nojs" data-plan-nojs>{e["nojs"]}</p></div>'
        '<div class="plan-empty" data-plan-empty hidden>'
        f"<p><strong>{e['empty_title']}</strong> "
        f"{escape(t('plan.empty_text', start=check_pages.where_to_start(site.corpus, t)))}</p></div>"
        "</div>\n\n"
        f"## {heading_text(t('plan.all_checks'))} {{#all-checks .plan-screen-only}}\n\n"
        f'<ul class="check-list plan-all-checks plan-screen-only">{items}</ul>\n'
    )
    return Page(urls.CHECKS_PLAN, t("plan.title"), body, nav_section=t("checks.index_title"))
