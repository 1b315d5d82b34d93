"""The interface in the site's language: the fixture project with self-checks built with
``theme.language: zh`` shows none of our English interface texts (labels, buttons, notes, the texts
handed to the scripts) on its home, check, plan and 404 pages, and its scripts speak Chinese in
the browser: progress, plurals, numbers and dates."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import SiteRequestHandler, serve
from markupsafe import Markup
from projects import edit, fixture_project
from ruamel.yaml import YAML

from generator.interface_texts import script_texts
from generator.locale import LOCALES_DIR, Locale
from generator.render import html_text

NAMESPACES = ("checks", "plan", "share", "page", "search", "offline", "notfound")
"""The interface texts of the site's templates and scripts (the engine's report is another's)."""
PAGES = {"home": "index.html", "check": "checks/alpha-check/index.html", "plan": "checks/plan/index.html"}
PAGES["404"] = "404.html"
PLACEHOLDER = re.compile(r"\{[^}]*\}")
FORMATTING = re.compile(r"\*+|_+|`+|\[|\]\([^)]*\)")
READY = 120_000


def texts(language: str, namespaces: tuple[str, ...] = NAMESPACES) -> dict[str, list[str]]:
    """Key → its text or plural forms, for these namespaces in ``language``'s shipped files."""
    yaml = YAML(typ="safe", pure=True)
    found: dict[str, list[str]] = {}
    for namespace in namespaces:
        data = yaml.load((LOCALES_DIR / language / f"{namespace}.yaml").read_text(encoding="utf-8"))
        for key, value in data.items():
            found[f"{namespace}.{key}"] = list(value.values()) if isinstance(value, dict) else [value]
    return found


def english_fragments(namespaces: tuple[str, ...] = NAMESPACES) -> set[str]:
    """Every English run of words between placeholders, longer than 3 characters, that the
    Chinese text of the same key does not also hold (HTTP, JSON, WebAssembly, CSV …)."""
    chinese = texts("zh", namespaces)
    fragments = set()
    for key, forms in texts("en", namespaces).items():
        for form in forms:
            for piece in PLACEHOLDER.split(form):
                piece = piece.strip(" .,:;()“”…")
                if len(piece) > 3 and re.search("[A-Za-z]", piece) and not any(piece in zh for zh in chinese[key]):
                    fragments.add(piece)
    return fragments


def content_strings(project: Path) -> list[str]:
    """Every string of the project's content and configuration (English in the fixture), longest
    first: what is left of a page without them is the interface."""
    yaml = YAML(typ="safe", pure=True)
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.add(value.strip())
            # Formatted text shows as the runs between its marks (**alpha**, [a link](…)).
            found.update(piece.strip() for piece in FORMATTING.split(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in (project / "content").rglob("*.yaml"):
        walk(yaml.load(path.read_text(encoding="utf-8")))
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    found.update(re.findall(r"^\s*(?:site_name|site_description|name):\s*(.+)$", config, re.MULTILINE))
    about = (project / "docs" / "about.md").read_text(encoding="utf-8")
    found.update(line.strip().lstrip("#").strip() for line in about.splitlines())
    return sorted((text for text in found if len(text) > 3), key=len, reverse=True)


def others_removed(soup: BeautifulSoup) -> None:
    """Take out what other parts of the generator write, in their own namespaces: the cases'
    section of the navigation, and on the home page every card but the self-checks' (the
    guideline's introduction and cards)."""
    for item in soup.select("li.md-nav__item"):
        if item.select_one('a[href*="cases/"]'):
            item.decompose()
    article = soup.select_one("article")
    if article is not None and article.select_one("a.way-in"):
        ours = [card.extract() for card in article.select('a.way-in[href*="checks/"]')]
        article.clear()
        article.extend(ours)


def interface_text(html: str, content: list[str], whole_page: bool = False) -> str:
    """The words a page shows or announces (text, titles, labels, placeholders, the texts handed
    to its scripts), without scripts' code and without the content's own strings; with
    ``whole_page``, also what other parts of the generator write."""
    soup = BeautifulSoup(html, "html.parser")
    handed = [
        PLACEHOLDER.sub(" ", value)
        for element in soup.select("[data-interface-texts]")
        for entry in json.loads(element["data-interface-texts"]).values()
        for value in (entry.values() if isinstance(entry, dict) else [entry])
    ]
    for element in soup(["script", "style", "svg"]):
        element.decompose()
    if not whole_page:
        others_removed(soup)
    attributes = [
        element[name]
        for name in ("title", "aria-label", "placeholder", "alt")
        for element in soup.select(f"[{name}]")
        if isinstance(element[name], str)
    ]
    text = "\n".join([soup.get_text("\n"), *attributes, *handed])
    for string in content:
        text = text.replace(string, " ")
    return text


@pytest.fixture(scope="module")
def chinese_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project with self-checks, built with ``theme.language: zh``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = fixture_project(tmp_path_factory.mktemp("zh") / "project", "selfchecks")
    config_file = project / "mkdocs.yml"
    edit(config_file, "  language: en\n", "  language: zh\n")
    worded = f"\ngoal_clause: overall-1\nwording:\n  checks.shared_used: {json.dumps(OWN_WORDING)}\n"
    edit(project / "content" / "guideline.yaml", "\ngoal_clause: overall-1\n", worded)
    build(load_config(str(config_file), site_dir=str(project / "site"), strict=True))
    return project


OWN_WORDING = "已改用链接中的答案（本指引的说法）。"
"""A text the fixture's guideline words its own way (``wording``), handed to the check page's scripts."""


@pytest.mark.build
def test_the_guidelines_own_wording_reaches_the_texts_handed_to_scripts(chinese_site: Path) -> None:
    html = (chinese_site / "site" / PAGES["check"]).read_text(encoding="utf-8")
    handed = json.loads(BeautifulSoup(html, "html.parser").select_one("[data-interface-texts]")["data-interface-texts"])
    assert handed["checks.shared_used"] == OWN_WORDING


def test_a_text_with_a_link_escapes_its_words_and_values_but_not_the_link() -> None:
    locale = Locale("en", {"checks.scope": "<b>Clauses</b> on {area} & {other}."})
    link = Markup('<a href="../a/">A &amp; B</a>')
    assert html_text(locale, "checks.scope", area=link, other="<i>x</i>") == (
        '&lt;b&gt;Clauses&lt;/b&gt; on <a href="../a/">A &amp; B</a> &amp; &lt;i&gt;x&lt;/i&gt;.'
    )


def test_the_texts_handed_to_scripts_cannot_leave_their_attribute() -> None:
    """A deployment's own text may hold quotes and markup: they stay data in the single-quoted attribute."""
    locale = Locale("en", {"page.x": "it's <b>", "page.n": {"one": "{count} case", "other": "{count} cases"}})
    attribute = str(script_texts(locale))
    assert "'" not in attribute and "<" not in attribute
    html = f"<div data-interface-texts='{attribute}'></div>"
    handed = json.loads(BeautifulSoup(html, "html.parser").div["data-interface-texts"])
    assert handed == {"page.x": "it's <b>", "page.n": {"one": "{count} case", "other": "{count} cases"}}


def test_the_fragments_include_what_the_pages_show_in_english() -> None:
    """The check below looks for what an English build shows: a label, a button, a script's note."""
    fragments = english_fragments()
    assert {"Export answers", "Your result", "Page not found", "Print plan", "answered"} <= fragments
    assert "HTTP" not in fragments and "WebAssembly" not in fragments, "kept by the Chinese texts too"


@pytest.mark.build
@pytest.mark.parametrize("name", list(PAGES))
def test_a_chinese_build_shows_no_english_interface_text(chinese_site: Path, name: str) -> None:
    html = (chinese_site / "site" / PAGES[name]).read_text(encoding="utf-8")
    assert BeautifulSoup(html, "html.parser").html["lang"] == "zh"
    assert "data-interface-texts" in html, "the scripts get their texts"
    shown = interface_text(html, content_strings(chinese_site))
    left = sorted(fragment for fragment in english_fragments() if fragment in shown)
    assert not left, f"English interface text on the {name} page: {left}"
    assert "自查" in shown


@pytest.mark.build
def test_the_offline_page_of_a_chinese_build_is_chinese(chinese_site: Path) -> None:
    worker = (chinese_site / "site" / "service-worker.js").read_text(encoding="utf-8")
    assert json.dumps("您当前处于离线状态")[1:-1] in worker
    assert '"lang": "zh"' in worker


@pytest.fixture
def chinese_url(chinese_site: Path) -> Iterator[str]:
    server, url = serve(chinese_site / "site", SiteRequestHandler)
    yield url
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_a_chinese_check_page_counts_dates_and_searches_in_chinese(browser, chinese_url: str) -> None:
    """One page load: the progress line once the engine scores, the scripts' plural, number and
    date forms in the page's language, and a search typed through an input method (text without
    key presses) that finds nothing says so in Chinese."""
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        warnings: list[str] = []
        page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
        page.goto(f"{chinese_url}checks/alpha-check/")
        page.locator("[data-check-progress]").filter(has_text="已回答 0 题").wait_for(timeout=READY)
        page.locator(".check-question input[type=radio]").first.check()
        progress = page.locator("[data-check-progress]")
        progress.filter(has_text=re.compile(r"^已回答 1 / \d+ 题$")).wait_for(timeout=READY)
        assert page.locator("[data-result-body]").inner_text().strip(), "the engine's report is shown"
        shown = page.evaluate(
            """() => [
                window.interfaceText("checks.imported", { count: 1234 }),
                window.interfaceText("plan.saved_checks", { count: 1 }),
                window.interfaceText.dateTime(new Date(2025, 2, 7, 9, 30)),
                document.querySelector("button[data-action=export]").textContent,
            ]"""
        )
        assert shown[0] == "已导入 1,234 个答案。点击“撤销”可恢复导入前的内容。"
        assert shown[1] == "1 项已保存的自查", "Chinese has one plural form"
        assert shown[2].startswith("2025年3月7日") and "9:30" in shown[2]
        assert shown[3] == "导出答案"
        assert page.locator(".md-search[role=dialog]").get_attribute("aria-label") == "搜索"
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("alpha")
        page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
        box.press("Control+A")
        page.keyboard.insert_text("鳄鱼")  # as an input method commits it: no keyup
        page.locator(".md-search-result__meta").filter(has_text="没有找到符合条件的结果").wait_for(timeout=30_000)
        assert not [text for text in warnings if "Interface text missing" in text]
    finally:
        context.close()
