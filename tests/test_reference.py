"""The generated reference pages: complete against their sources, escaped, and valid for a --strict build.

The pages are rendered with Python-Markdown and the extensions of mkdocs.yml, and checked as HTML, so a
property that is missing, mangled by escaping or split across table cells fails here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup, Tag
from conftest import CONTENT, ROOT, SCHEMA

from generator.reference import content_reference, plugin_options_reference

FIXTURES = Path(__file__).parent / "fixtures" / "reference"
EXTENSIONS = ["tables", "attr_list", "toc", "abbr", "admonition"]
ATTACK = "<img src=x onerror=alert(1)>"


def render(page: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(page, extensions=EXTENSIONS), "html.parser")


def words(text: str) -> str:
    return " ".join(text.split())


def schema_properties(node: object) -> Iterator[tuple[str, dict]]:
    """(name, property schema) of every property declared anywhere in a schema, walked from the raw JSON
    (not through $ref), skipping the conditions of if/then/else and not."""
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            yield name, prop
            yield from schema_properties(prop)
        for key, value in node.items():
            if key in {"properties", "if", "then", "else", "not"}:
                continue
            if key == "$defs" and isinstance(value, dict):
                for definition in value.values():
                    yield from schema_properties(definition)
            elif isinstance(value, dict | list):
                yield from schema_properties(value)
    elif isinstance(node, list):
        for item in node:
            yield from schema_properties(item)


def section(soup: BeautifulSoup, anchor: str) -> list[Tag]:
    """The elements under the heading with this id, up to the next heading of the same or a higher level."""
    heading = soup.find(id=anchor)
    assert heading is not None and heading.name in {"h2", "h3"}, f"no section #{anchor}"
    level = int(heading.name[1])
    elements = []
    for sibling in heading.find_next_siblings():
        if sibling.name in {f"h{n}" for n in range(1, level + 1)}:
            break
        elements.append(sibling)
    return elements


def property_rows(elements: list[Tag]) -> list[list[str]]:
    """Each table row under a section as its cells' text: [path, type, required, details]."""
    rows = []
    for element in elements:
        if element.name == "table":
            for row in element.select("tbody tr"):
                rows.append([words(cell.get_text()) for cell in row.find_all("td")])
    return rows


def assert_anchors_resolve(soup: BeautifulSoup) -> None:
    ids = {element["id"] for element in soup.find_all(id=True)}
    for link in soup.find_all("a", href=True):
        if link["href"].startswith("#"):
            assert link["href"][1:] in ids, f"link to a missing section: {link['href']}"


def assert_no_injected_markup(soup: BeautifulSoup) -> None:
    allowed = {"h1", "h2", "h3", "h4", "h5", "p", "a", "code", "strong", "table", "thead", "tbody", "tr", "th", "td"}
    allowed |= {"ul", "li", "pre", "div", "span"}
    for element in soup.find_all(True):
        assert element.name in allowed, f"unexpected element <{element.name}>"
        for attribute in element.attrs:
            assert not attribute.lower().startswith("on"), f"event handler on <{element.name}>"
        assert not element.get("href", "").lower().startswith("javascript:")


# --------------------------------------------------------------------------- the real schemas


@pytest.fixture(scope="module")
def real_reference() -> str:
    return content_reference(SCHEMA, CONTENT)


def assert_every_property_documented(soup: BeautifulSoup, schema_dir: Path) -> int:
    """Walk each schema file independently and find every property in its section's tables."""
    checked = 0
    for path in sorted(schema_dir.glob("*.schema.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        stem = path.name.removesuffix(".schema.json")
        elements = section(soup, stem)
        assert words(soup.find(id=stem).get_text()) == words(data.get("title", path.name))
        text = words(" ".join(element.get_text(" ") for element in elements))
        if data.get("description"):
            assert words(data["description"]) in text, f"{path.name}: description missing"
        rows = property_rows(elements)
        for name, prop in schema_properties(data):
            matching = [row for row in rows if row[0].rsplit(".", 1)[-1].removesuffix("[]") == name]
            assert matching, f"{path.name}: property {name} not documented"
            if "description" in prop:
                assert any(words(prop["description"]) in row[3] for row in matching), (
                    f"{path.name}: description of {name} missing"
                )
            checked += 1
        for name, definition in (data.get("$defs") or {}).items():
            if isinstance(definition, dict) and definition.get("description"):
                assert words(definition["description"]) in text, f"{path.name}: definition {name} missing"
    return checked


def test_every_property_of_every_schema_is_documented(real_reference: str) -> None:
    assert list(SCHEMA.glob("*.schema.json"))
    assert assert_every_property_documented(render(real_reference), SCHEMA) > 50


def test_nested_paths_requirements_and_links(real_reference: str) -> None:
    soup = render(real_reference)
    document = {row[0]: row for row in property_rows(section(soup, "document"))}
    assert document["parts[].sections[].clauses[].id"][2] == "yes"
    assert document["parts[].heading"][2] == "no"
    assert "One of: guideline, library." in document["role"][3]
    case = {row[0]: row for row in property_rows(section(soup, "case"))}
    assert case["source"][2] == "when kind is reported"
    assert "See Identifier." in case["id"][3]
    assert_anchors_resolve(soup)
    assert_no_injected_markup(soup)


def test_examples_are_real_files(real_reference: str) -> None:
    soup = render(real_reference)
    example = soup.find(id="case-example")
    assert example is not None
    first_case = sorted((CONTENT / "cases").glob("*.yaml"))[0]
    code = example.find_next("pre").get_text()
    assert code.splitlines()[:3] == first_case.read_text(encoding="utf-8").splitlines()[:3]
    assert "Example" not in content_reference(SCHEMA)  # no content folder, no examples


# --------------------------------------------------------------------------- generic behaviour (fixture schemas)


@pytest.fixture(scope="module")
def fixture_soup() -> BeautifulSoup:
    return render(content_reference(FIXTURES / "schema", FIXTURES / "content"))


def test_adversarial_schema_text_is_escaped(fixture_soup: BeautifulSoup) -> None:
    assert_no_injected_markup(fixture_soup)
    assert fixture_soup.find("img") is None and fixture_soup.find("b") is None
    rows = {row[0]: row for row in property_rows(section(fixture_soup, "widget"))}
    caption = rows["caption"]
    assert len(caption) == 4, "a | in the description split the row"
    assert ATTACK in caption[3]
    assert "| not a cell & not an entity &lt; `code` ``double``" in caption[3]
    assert 'Caption {: onclick="alert(1)" }.' in caption[3]
    assert "Pattern: ^(a|b)`x`$." in caption[3]
    assert "Default: a`x`." in caption[3]
    note = words(" ".join(element.get_text(" ") for element in section(fixture_soup, "common")))
    assert "Note <b>bold</b>" in note
    assert "a | pipe and a `tick` and *stars* and [a link](javascript:alert(1)) stay text" in note


def test_fixture_structure(fixture_soup: BeautifulSoup) -> None:
    rows = {row[0]: row for row in property_rows(section(fixture_soup, "widget"))}
    assert rows["parts[].pieces[].ref"][1] == "string"
    assert "See Reference." in rows["parts[].pieces[].ref"][3]
    assert rows["labels"][1] == "map of object"
    assert rows["labels.<key>.text"][2] == "yes"
    assert rows["tree.children"][1] == "array of object"  # the recursive definition stops there
    assert rows["size"][3].endswith("At least 1. At most 10. Default: 3.")
    assert "Always true." in rows["enabled"][3]
    assert rows["sponsor"][2] == "when kind is fancy"
    assert "Needs at least one of: pieces, note." in rows["parts"][3]
    assert any(row[0] == "orphan" for row in property_rows(section(fixture_soup, "widget")))
    assert fixture_soup.find(id="other-schemas") is not None and fixture_soup.find(id="gadget").name == "h3"
    example = fixture_soup.find(id="widget-example").find_next("pre").get_text()
    assert "id: first-widget" in example and "``` three backticks" in example and "id: second-widget" not in example
    gadget = {row[0]: row for row in property_rows(section(fixture_soup, "gadget"))}
    assert {"pair[0].left", "pair[1].right", "<key>.vendor"} <= set(gadget)
    assert_anchors_resolve(fixture_soup)


def test_every_fixture_property_is_documented(fixture_soup: BeautifulSoup) -> None:
    assert assert_every_property_documented(fixture_soup, FIXTURES / "schema") >= 20


# --------------------------------------------------------------------------- plugin options


def option_rows(page: str) -> dict[str, list[str]]:
    soup = render(page)
    assert_no_injected_markup(soup)
    rows = {}
    for row in soup.select("table tbody tr"):
        cells = [words(cell.get_text()) for cell in row.find_all("td")]
        assert len(cells) == 4, cells
        rows[cells[0]] = cells
    return rows


def test_every_plugin_option_is_documented_with_its_default() -> None:
    from generator.plugin import GuidelinePluginConfig

    rows = option_rows(plugin_options_reference(ROOT / "generator" / "plugin.py"))
    options = dict(GuidelinePluginConfig._schema)
    assert options
    assert set(rows) == set(options)
    for name, option in options.items():
        assert rows[name][2] == json.dumps(option.default, ensure_ascii=False), name
        assert rows[name][3], f"{name} has no docstring"


def test_an_option_added_later_is_documented(tmp_path: Path) -> None:
    source = (ROOT / "generator" / "plugin.py").read_text(encoding="utf-8")
    marker = "class GuidelinePluginConfig(Config):\n"
    assert marker in source
    added = (
        "    answer_limit = config_options.Type(int, default=64)\n"
        f'    """Largest answers file, in KB; {ATTACK} | ``literal|pipe`` and *not emphasis*."""\n'
        "    theme_dir = config_options.Optional(config_options.Dir(exists=True))\n"
    )
    plugin = tmp_path / "plugin.py"
    plugin.write_text(source.replace(marker, marker + added), encoding="utf-8")
    page = plugin_options_reference(plugin)
    rows = option_rows(page)
    assert rows["answer_limit"][1:3] == ["integer", "64"]
    assert rows["answer_limit"][3] == f"Largest answers file, in KB; {ATTACK} | literal|pipe and *not emphasis*."
    assert rows["theme_dir"][1:3] == ["folder (must exist), optional", "(required)"]
    assert "          answer_limit: 64" in page


# --------------------------------------------------------------------------- MkDocs


def test_pages_build_with_mkdocs_strict(tmp_path: Path) -> None:
    """Both pages in a minimal MkDocs site with this project's Markdown extensions; warnings fail it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    docs = tmp_path / "docs"
    (docs / "reference").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\n[content](reference/content.md)\n", encoding="utf-8")
    (docs / "reference" / "content.md").write_text(content_reference(SCHEMA, CONTENT), encoding="utf-8")
    (docs / "reference" / "fixture.md").write_text(
        content_reference(FIXTURES / "schema", FIXTURES / "content"), encoding="utf-8"
    )
    (docs / "reference" / "plugin-options.md").write_text(
        plugin_options_reference(ROOT / "generator" / "plugin.py"), encoding="utf-8"
    )
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        "site_name: Reference\n"
        "theme: {name: mkdocs}\n"
        "validation: {links: {anchors: warn}}\n"
        "markdown_extensions: [attr_list, abbr, tables, admonition, {toc: {permalink: true}}]\n",
        encoding="utf-8",
    )
    config = load_config(str(config_file), strict=True, site_dir=str(tmp_path / "site"))
    build(config)
    assert (tmp_path / "site" / "reference" / "content" / "index.html").is_file()
