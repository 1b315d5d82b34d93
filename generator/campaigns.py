"""Campaigns: named lists of cases for one publicity campaign ("using cases to explain rules").

Each campaign is data (``content/campaigns/*.yaml``): a title, a description and its cases in
the campaign's order. This module loads and cross-checks it and makes what the case index shows
for it (the list of campaigns, and a hidden heading per campaign that the index filter reveals
for ``/cases/?set=<id>``), and each campaign's printable sheet with one QR code per case
(``/cases/sets/<id>/``). The QR codes are drawn at build time from the site's address.
"""

from __future__ import annotations

import difflib
from html import escape

from markupsafe import Markup

from . import siteaddress, urls
from .loading import CorpusDraft, Loading
from .locale import Locale
from .model import Campaign, Corpus
from .qr import qr_svg
from .render import Page, PageContext, Site, front_matter, heading_text, html_text, time_tag
from .yamlsource import Source


def load_campaign(source: Source, draft: CorpusDraft, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    # Where this campaign (not another item sharing its id) was defined, for the cross-check's messages.
    loading.defined[f"campaign:{data['id']}"] = (source, ("id",))
    draft.campaigns[data["id"]] = Campaign(
        id=data["id"],
        title=data["title"],
        description=data["description"],
        cases=tuple(data["cases"]),
        date=data.get("date"),
    )


def unknown_case(case_id: str, corpus: Corpus) -> str:
    """The message for a case id that names no case: the nearest id when there is a likely one,
    never the whole list (a guideline may have hundreds of cases)."""
    nearest = difflib.get_close_matches(case_id, list(corpus.cases), n=1, cutoff=0.75)
    hint = f" (did you mean {nearest[0]!r}?)" if nearest else ": no case has this id"
    return f"unknown case {case_id!r}{hint}"


def check_campaigns(corpus: Corpus, loading: Loading) -> None:
    """Every case a campaign names must exist; so must clause links in its description; and its
    id must give its sheet an address of its own."""
    for campaign in corpus.campaigns.values():
        source, _ = loading.place(f"campaign:{campaign.id}")
        loading.expect(
            campaign.id not in urls.CAMPAIGNS_RESERVED_IDS,
            source,
            ("id",),
            f"id {campaign.id!r} is reserved: the campaign's sheet would not have an address of its own",
        )
        for index, case_id in enumerate(campaign.cases):
            loading.refer(case_id, corpus.cases, source, ("cases", index), unknown_case(case_id, corpus))
        loading.check_links(campaign.description, source, ("description",), corpus)


def count(locale: Locale, number: int) -> str:
    return locale("campaigns.cases", count=number)


def dated(locale: Locale, campaign: Campaign) -> str:
    """``3 cases, from March 7, 2025``: the number of cases, and the campaign's date if it has one."""
    cases = escape(count(locale, len(campaign.cases)))
    if not campaign.date:
        return cases
    return html_text(locale, "campaigns.dated", cases=Markup(cases), date=Markup(time_tag(locale, campaign.date)))


# --- on the case index ----------------------------------------------------------------------------


def index_campaign_list(context: PageContext) -> str:
    """The campaigns, each linked to its QR sheet (an ordinary page, so it works without
    JavaScript) and to the index filtered to its cases; ``""`` when there are none."""
    corpus = context.corpus
    if not corpus.campaigns:
        return ""
    text = context.site.locale
    items = "".join(
        f'<li><a href="{context.link(urls.campaign_sheet_src(campaign.id))}">{escape(campaign.title)}</a> '
        f"({dated(text, campaign)}) · "
        f'<a href="{context.link(urls.CASES_INDEX)}{urls.campaign_query(campaign.id)}">'
        f"{escape(text('campaigns.show_here'))}</a></li>"
        for campaign in corpus.ordered_campaigns
    )
    return (
        f'<nav class="case-sets" aria-label="{escape(text("campaigns.label"))}">'
        f"<p>{escape(text('campaigns.list_heading'))}</p><ul>{items}</ul></nav>\n"
    )


def index_campaign_headings(context: PageContext) -> str:
    """For the index filter: one hidden heading per campaign (its title, description, cases in
    order and a link to its sheet), revealed for ``?set=<id>``, and the notice for an id that
    names no campaign. Everything is escaped here, at build time; the script only shows, hides
    and reorders."""
    text = context.site.locale
    sections = "".join(
        f'<section class="case-set" data-case-set="{campaign.id}" '
        f'data-case-set-cases="{escape(" ".join(campaign.cases))}" aria-labelledby="case-set-{campaign.id}" '
        "data-search-exclude hidden>"
        f'<h2 class="case-set__title" id="case-set-{campaign.id}">{escape(campaign.title)}</h2>'
        f'<div class="case-set__description">{context.formatted(campaign.description)}</div>'
        '<p class="case-set__links">'
        f'<a href="{context.link(urls.campaign_sheet_src(campaign.id))}">{escape(text("campaigns.print_codes"))}</a> · '
        f'<a href="{context.link(urls.CASES_INDEX)}" data-case-set-clear>{escape(text("campaigns.show_all"))}</a>'
        "</p></section>"
        for campaign in context.corpus.ordered_campaigns
    )
    unknown = html_text(text, "campaigns.unknown", name=Markup("<span data-case-set-name></span>"))
    notice = (
        f'<p class="case-set__unknown" data-case-set-unknown role="status" data-search-exclude hidden>{unknown}</p>'
    )
    return sections + notice + "\n"


# --- the printable sheet --------------------------------------------------------------------------


def preview_notice(text: Locale, site_url: str) -> str:
    if not site_url:
        notice = html_text(text, "campaigns.no_address", setting=Markup("<code>site_url</code>"))
        return (
            f'<p class="case-sheet__preview" role="note"><strong>{escape(text("campaigns.no_address_title"))}</strong> '
            f"{notice}</p>\n"
        )
    if siteaddress.is_preview(site_url):
        return (
            f'<p class="case-sheet__preview" role="note"><strong>{escape(text("campaigns.preview_title"))}</strong> '
            f"{escape(text('campaigns.preview', address=site_url), quote=False)}</p>\n"
        )
    return ""


def code(address: str, caption: str, text: Locale) -> str:
    """A QR code with the address it carries printed under it."""
    return (
        f'<figure class="case-sheet__qr">{qr_svg(address, text("share.qr_label", address=address))}'
        f'<figcaption><span class="case-sheet__hint">{escape(caption)}</span> '
        f'<span class="case-sheet__url">{escape(address)}</span></figcaption></figure>'
    )


def sheet_page(site: Site, campaign: Campaign) -> Page:
    src = urls.campaign_sheet_src(campaign.id)
    context = PageContext(site, src)
    text = site.locale
    cases = site.corpus.cases_of_campaign(campaign)
    site_url = site.site_url.strip()
    index_href = context.link(urls.CASES_INDEX) + urls.campaign_query(campaign.id)
    index_address = urls.absolute(site_url, urls.page_url(urls.CASES_INDEX) + urls.campaign_query(campaign.id))
    items = []
    for case in cases:
        address = urls.absolute(site_url, urls.page_url(urls.case_src(case.id)))
        # Title before the code and its address after it: a printed card is never split across
        # pages, so the three are always read (and scanned) together.
        link = f'<a href="{context.link(urls.case_src(case.id))}">{escape(case.title)}</a>'
        items.append(
            f'<li class="case-sheet__item" data-case="{case.id}"><h2 class="case-sheet__title">{link}</h2>'
            f"{code(address, text('campaigns.scan_case'), text) if site_url else ''}"
            f'<p class="case-sheet__lesson">{escape(case.lesson)}</p></li>'
        )
    all_cases = (
        f'<div class="case-sheet__all">{code(index_address, text("campaigns.scan_all", count=len(cases)), text)}</div>'
        if site_url
        else ""
    )
    see_index = f'<a href="{index_href}">{escape(text("campaigns.see_index"))}</a>'
    lines = [
        front_matter({"description": text("campaigns.sheet_description", count=len(cases), title=campaign.title)}),
        f"# {heading_text(campaign.title)}\n",
        f'<p class="case-sheet__kind">{html_text(text, "campaigns.sheet_kind", cases=Markup(dated(text, campaign)))}'
        "</p>\n",
        f'<div class="case-sheet__head"><div class="case-sheet__description">'
        f"{context.formatted(campaign.description)}</div>{all_cases}</div>\n",
        preview_notice(text, site_url),
        f'<p class="case-sheet__screen-only">{html_text(text, "campaigns.print_hint", index=Markup(see_index))}</p>\n',
        f'<ol class="case-sheet" data-case-sheet data-search-exclude>{"".join(items)}</ol>\n',
    ]
    # Dated by the campaign's file and those of its cases, whose titles and lessons it prints.
    about = (campaign.id, *campaign.cases)
    title = text("campaigns.sheet_title", title=campaign.title)
    return Page(src, title, "\n".join(lines), nav_section=text("nav.cases"), about=about)


def campaign_pages(site: Site) -> list[Page]:
    """One printable sheet per campaign, in :attr:`~generator.model.Corpus.ordered_campaigns` order."""
    return [sheet_page(site, campaign) for campaign in site.corpus.ordered_campaigns]
