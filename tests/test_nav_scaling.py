"""A large navigation section lists only its index page, so build time and page size stay linear."""

from __future__ import annotations

from generator.navigation import NAV_SECTION_LIMIT, folder_nav, site_nav
from generator.render import Page


def section(count: int, with_index: bool = True) -> list[Page]:
    pages = [Page("index.md", "Home", "")]
    if with_index:
        pages.append(Page("cases/index.md", "Cases", "", nav_section="Cases"))
    pages.extend(Page(f"cases/c{n}.md", f"Case {n}", "", nav_section="Cases") for n in range(count))
    return pages


def test_a_section_within_the_limit_lists_every_page() -> None:
    nav = site_nav(section(NAV_SECTION_LIMIT - 1))
    assert nav[0] == {"Home": "index.md"}
    assert nav[1]["Cases"][0] == "cases/index.md"
    assert len(nav[1]["Cases"]) == NAV_SECTION_LIMIT


def test_a_section_over_the_limit_lists_only_its_index_page() -> None:
    nav = site_nav(section(NAV_SECTION_LIMIT + 1), [("About", "about.md")])
    assert nav == [{"Home": "index.md"}, {"Cases": ["cases/index.md"]}, {"About": "about.md"}]


def test_a_large_section_without_an_index_page_keeps_its_pages() -> None:
    nav = site_nav(section(NAV_SECTION_LIMIT + 1, with_index=False))
    assert len(nav[1]["Cases"]) == NAV_SECTION_LIMIT + 1


def test_hand_written_pages_nest_by_folder_with_the_index_first() -> None:
    entries = [
        ("About this site", "about.md"),
        ("Writing content", "manual/editors/writing.md"),
        ("Manual", "manual/index.md"),
        ("Cases", "manual/editors/cases.md"),
        ("For editors", "manual/editors/index.md"),
        ("Content reference", "manual/reference/content.md"),
        ("Glossary of the manual", "manual/glossary.md"),
    ]
    assert folder_nav(entries) == [
        {"About this site": "about.md"},
        {
            "Manual": [
                "manual/index.md",
                {
                    "For editors": [
                        "manual/editors/index.md",
                        {"Cases": "manual/editors/cases.md"},
                        {"Writing content": "manual/editors/writing.md"},
                    ]
                },
                {"Glossary of the manual": "manual/glossary.md"},
                {"Reference": [{"Content reference": "manual/reference/content.md"}]},
            ]
        },
    ]


def test_a_folder_index_orders_its_pages_and_sub_folders_by_its_links() -> None:
    entries = [
        ("Manual", "manual/index.md"),
        ("Deploying", "manual/deployers/index.md"),
        ("Serving", "manual/deployers/serving.md"),
        ("Building", "manual/deployers/building.md"),
        ("Editing", "manual/editors/index.md"),
        ("Unlisted", "manual/zebra.md"),
        ("First", "manual/first.md"),
    ]
    links = {
        "manual": ["manual/editors/index.md", "manual/first.md", "manual/deployers/index.md"],
        "manual/deployers": ["manual/deployers/building.md", "manual/deployers/serving.md"],
    }
    assert folder_nav(entries, links) == [
        {
            "Manual": [
                "manual/index.md",
                {"Editing": ["manual/editors/index.md"]},
                {"First": "manual/first.md"},
                {
                    "Deploying": [
                        "manual/deployers/index.md",
                        {"Building": "manual/deployers/building.md"},
                        {"Serving": "manual/deployers/serving.md"},
                    ]
                },
                {"Unlisted": "manual/zebra.md"},
            ]
        }
    ]
