"""Reference pages generated from the sources of truth, so they cannot drift from them.

``content_reference`` documents every content type from the JSON Schemas in ``schema/``;
``plugin_options_reference`` documents the MkDocs plugin's options from the typed config class in
``generator/plugin.py``. Both return Markdown for MkDocs (with the ``tables`` and ``attr_list``
extensions) and are pure: they read files and return text, nothing else. Schema text is data, not
markup, so everything taken from a schema or a docstring is escaped before it reaches the page.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from . import urls
from .render import Page

__all__ = ["content_reference", "plugin_options_reference"]

SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)")
"""The first line of every content file, naming its schema (also read by editors such as VS Code)."""

EXAMPLE_LINES = 60
"""An example longer than this is cut: the reader needs its shape, and the file itself is linked."""

# Characters Python-Markdown (and its tables and attr_list extensions) would read as markup.
# `<`, `>` and `&` become entities instead: a backslash does not escape `<` in Python-Markdown.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-!|])")


# --------------------------------------------------------------------------- escaping


def _text(value: object, strip: bool = True) -> str:
    """Schema text as literal Markdown text on one line: never markup, never a table separator."""
    text = re.sub(r"\s+", " ", str(value))
    text = text.strip() if strip else text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    # "1. " at the start of a paragraph would start a list.
    return re.sub(r"^(\d+)\.", r"\1\\.", text)


def _code(value: object) -> str:
    """A literal value (pattern, enum value, default, path) as an inline code span.

    A code span shows its content verbatim, so only the fence needs care: it is one backtick longer
    than the longest run of backticks inside. Python-Markdown's tables extension does not split a row
    on a ``|`` inside a code span.
    """
    text = " ".join(value.split()) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _anchor(*parts: str) -> str:
    """An HTML id made only of lowercase letters, digits and hyphens (safe in ``{#...}``)."""
    return re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-") or "section"


# --------------------------------------------------------------------------- schemas


@dataclass
class _Schema:
    """One schema file, with where its sections are on the page."""

    path: Path
    data: dict[str, Any]

    @property
    def stem(self) -> str:
        return self.path.name.removesuffix(".json").removesuffix(".schema")

    @property
    def base(self) -> str:
        return str(self.data.get("$id") or self.path.name)

    @property
    def is_definitions(self) -> bool:
        """A file of shared building blocks (only ``$defs``), not a content type of its own."""
        return "properties" not in self.data and "type" not in self.data and "items" not in self.data

    @property
    def title(self) -> str:
        return str(self.data.get("title") or self.path.name)


@dataclass
class _Target:
    """What a ``$ref`` points at: the schema file, the JSON pointer inside it, and the node."""

    schema: _Schema
    pointer: str
    node: dict[str, Any]


@dataclass
class _Row:
    path: str
    type: str
    required: str
    details: str


@dataclass
class _Catalogue:
    """Every schema of the folder, found by file name and by ``$id``, and the anchor of each definition."""

    schemas: list[_Schema]
    by_id: dict[str, _Schema] = field(default_factory=dict)
    by_name: dict[str, _Schema] = field(default_factory=dict)
    anchors: dict[tuple[str, str], str] = field(default_factory=dict)
    used_at: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    recording: bool = True
    """While the main tables are walked, note where each definition's properties are listed."""

    def __post_init__(self) -> None:
        taken: set[str] = set()
        for schema in self.schemas:
            self.by_id[schema.base] = schema
            self.by_name[schema.path.name] = schema
            for pointer in [""] + [f"/$defs/{name}" for name in schema.data.get("$defs", {})]:
                anchor = _anchor(schema.stem, pointer.removeprefix("/$defs/")) if pointer else _anchor(schema.stem)
                while anchor in taken:
                    anchor += "-1"
                taken.add(anchor)
                self.anchors[(schema.path.name, pointer)] = anchor

    def resolve(self, schema: _Schema, ref: str) -> _Target | None:
        """The node a ``$ref`` names, relative to the ``$id`` of the schema it appears in."""
        uri, _, fragment = ref.partition("#")
        if uri:
            absolute = urljoin(schema.base, uri)
            target = self.by_id.get(absolute) or self.by_name.get(Path(uri).name)
        else:
            target = schema
        if target is None:
            return None
        node: Any = target.data
        for token in [part for part in fragment.split("/") if part]:
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return _Target(target, fragment, node) if isinstance(node, dict) else None

    def link(self, target: _Target) -> str:
        """A Markdown link to the section documenting ``target`` (plain text if it has none)."""
        anchor = self.anchors.get((target.schema.path.name, target.pointer))
        title = target.node.get("title") or target.pointer.rsplit("/", 1)[-1] or target.schema.title
        if anchor is None:
            return _code(f"{target.schema.path.name}#{target.pointer}")
        return f"[{_text(title)}](#{anchor})"

    def flatten(self, schema: _Schema, node: dict[str, Any], seen: tuple[str, ...] = ()) -> tuple[_Schema, dict]:
        """``node`` with its ``$ref`` chain merged in (its own keywords win) and the schema the result lives in."""
        ref = node.get("$ref")
        if not isinstance(ref, str) or ref in seen:
            return schema, node
        target = self.resolve(schema, ref)
        if target is None:
            return schema, node
        inner_schema, inner = self.flatten(target.schema, target.node, (*seen, ref))
        merged = {**inner, **{key: value for key, value in node.items() if key != "$ref"}}
        return inner_schema, merged


def _load_schemas(schema_dir: Path) -> list[_Schema]:
    return [
        _Schema(path, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(schema_dir.glob("*.schema.json"))
    ]


def _schemas_used(content_dir: Path) -> dict[str, list[Path]]:
    """Schema file name → the content files naming it in their first line, in path order."""
    used: dict[str, list[Path]] = {}
    for path in sorted(p for p in content_dir.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file()):
        with path.open(encoding="utf-8", errors="replace") as file:
            match = SCHEMA_LINE.match(file.readline())
        if match:
            used.setdefault(Path(match.group(1)).name, []).append(path)
    return used


# --------------------------------------------------------------------------- describing one node


def _type_of(catalogue: _Catalogue, schema: _Schema, node: dict[str, Any], depth: int = 0) -> str:
    """A short type such as ``string``, ``array of object`` or ``map of string``."""
    if depth > 8:  # a schema that contains itself
        return "any"
    schema, node = catalogue.flatten(schema, node)
    kind = node.get("type")
    if isinstance(kind, list):
        kind = " or ".join(str(item) for item in kind)
    if kind is None and "const" in node:
        kind = _json_type(node["const"])
    if kind is None and isinstance(node.get("enum"), list) and node["enum"]:
        kind = " or ".join(dict.fromkeys(_json_type(value) for value in node["enum"]))
    if kind is None and "properties" in node:
        kind = "object"
    if kind is None:
        branches = node.get("oneOf") or node.get("anyOf")
        if isinstance(branches, list) and all(isinstance(b, dict) and set(b) - {"required"} for b in branches):
            kind = " or ".join(dict.fromkeys(_type_of(catalogue, schema, branch, depth + 1) for branch in branches))
    kind = str(kind or "any")
    if kind == "array" and isinstance(node.get("items"), dict):
        return f"array of {_type_of(catalogue, schema, node['items'], depth + 1)}"
    extra = node.get("additionalProperties")
    if kind == "object" and "properties" not in node and isinstance(extra, dict):
        return f"map of {_type_of(catalogue, schema, extra, depth + 1)}"
    return kind


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if value is None:
        return "null"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "any")


def _constraints(catalogue: _Catalogue, schema: _Schema, node: dict[str, Any]) -> list[str]:
    """Allowed values and limits of a (flattened) node, as sentences."""
    out: list[str] = []
    if isinstance(node.get("enum"), list):
        out.append("One of: " + ", ".join(_code(value) for value in node["enum"]) + ".")
    if "const" in node:
        out.append(f"Always {_code(node['const'])}.")
    if "pattern" in node:
        out.append(f"Pattern: {_code(node['pattern'])}.")
    if "format" in node:
        out.append(f"Format: {_code(node['format'])}.")
    out += _range(node, "minLength", "maxLength", "character")
    for key, words in (
        ("minimum", "At least {}."),
        ("exclusiveMinimum", "Greater than {}."),
        ("maximum", "At most {}."),
        ("exclusiveMaximum", "Less than {}."),
        ("multipleOf", "A multiple of {}."),
    ):
        if key in node:
            out.append(words.format(_text(node[key])))
    out += _range(node, "minItems", "maxItems", "item")
    if node.get("uniqueItems") is True:
        out.append("No duplicates.")
    out += _range(node, "minProperties", "maxProperties", "key")
    names = node.get("propertyNames")
    if isinstance(names, dict):
        out.append("Keys: " + _describe_inline(catalogue, schema, names) + ".")
    extra = node.get("additionalProperties")
    if isinstance(extra, dict) and "properties" not in node:
        out.append("Values: " + _describe_inline(catalogue, schema, extra) + ".")
    out.extend(_rules(node))
    if "default" in node:
        out.append(f"Default: {_code(node['default'])}.")
    return out


def _range(node: dict[str, Any], low_key: str, high_key: str, noun: str) -> list[str]:
    """A count limit in words: "2 to 60 characters.", "At least 1 item.", "At most 3 keys."."""
    low, high = node.get(low_key), node.get(high_key)

    def counted(number: object) -> str:
        return f"{_text(number)} {noun}" + ("" if number == 1 else "s")

    if low is not None and high is not None:
        return [f"{_text(low)} to {counted(high)}."]
    if low is not None:
        return [f"At least {counted(low)}."]
    if high is not None:
        return [f"At most {counted(high)}."]
    return []


def _describe_inline(catalogue: _Catalogue, schema: _Schema, node: dict[str, Any]) -> str:
    """A short description of a nested schema: its definition's link if it has one, else its type and limits."""
    ref = node.get("$ref")
    target = catalogue.resolve(schema, ref) if isinstance(ref, str) else None
    if target is not None:
        return catalogue.link(target)
    flat_schema, flat = catalogue.flatten(schema, node)
    limits = " ".join(_constraints(catalogue, flat_schema, flat))
    return _type_of(catalogue, schema, node) + (f" ({limits})" if limits else "")


def _rules(node: dict[str, Any]) -> list[str]:
    """Rules across properties: "at least one of", and "if this then that" requirements."""
    out: list[str] = []
    for key, words in (("anyOf", "Needs at least one of"), ("oneOf", "Needs exactly one of")):
        branches = node.get(key)
        if isinstance(branches, list) and branches and all(set(b) == {"required"} for b in branches):
            options = [" and ".join(_code(name) for name in b["required"]) for b in branches]
            out.append(f"{words}: " + ", ".join(options) + ".")
    condition = _condition(node)
    then = node.get("then")
    if condition and isinstance(then, dict) and then.get("required"):
        needed = ", ".join(_code(name) for name in then["required"])
        reason = f" ({_text(then['description'])})" if then.get("description") else ""
        out.append(f"When {condition}, also required: {needed}{reason}.")
    return out


def _condition(node: dict[str, Any]) -> str:
    """The ``if`` of a node in words, e.g. "`kind` is `reported`" (empty when it is not that simple)."""
    test = node.get("if")
    if not isinstance(test, dict) or not isinstance(test.get("properties"), dict):
        return ""
    parts = []
    for name, rule in test["properties"].items():
        if isinstance(rule, dict) and "const" in rule:
            parts.append(f"{_code(name)} is {_code(rule['const'])}")
        elif isinstance(rule, dict) and isinstance(rule.get("enum"), list):
            parts.append(f"{_code(name)} is one of " + ", ".join(_code(value) for value in rule["enum"]))
        else:
            return ""
    return " and ".join(parts)


def _conditional_requirements(node: dict[str, Any]) -> dict[str, str]:
    """Property name → the condition under which ``if``/``then`` makes it required."""
    condition = _condition(node)
    then = node.get("then")
    if not condition or not isinstance(then, dict):
        return {}
    return {name: f"when {condition}" for name in then.get("required", [])}


# --------------------------------------------------------------------------- property tables


def _properties(catalogue: _Catalogue, schema: _Schema, node: dict[str, Any]) -> Iterator[tuple[str, dict, bool]]:
    """(name, property schema, required) of an object, including those of its allOf/anyOf/oneOf branches."""
    _, flat = catalogue.flatten(schema, node)
    required = set(flat.get("required", []))
    seen: set[str] = set()
    for name, prop in (flat.get("properties") or {}).items():
        seen.add(name)
        yield name, prop, name in required
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in flat.get(key) or []:
            if not isinstance(branch, dict):
                continue
            branch_schema, branch_flat = catalogue.flatten(schema, branch)
            for name, prop, needed in _properties(catalogue, branch_schema, branch_flat):
                if name not in seen:
                    seen.add(name)
                    yield name, prop, needed and key == "allOf"


def _rows(
    catalogue: _Catalogue, schema: _Schema, node: dict[str, Any], prefix: str, stack: tuple[str, ...] = ()
) -> Iterator[_Row]:
    """One row per property, then the properties of nested objects and arrays of objects under a dotted path."""
    schema, flat = catalogue.flatten(schema, node)
    conditional = _conditional_requirements(flat)
    for name, prop, required in _properties(catalogue, schema, flat):
        path = f"{prefix}{name}"
        if not isinstance(prop, dict):
            yield _Row(path, "any", "yes" if required else "no", "")
            continue
        needed = "yes" if required else conditional.get(name, "no")
        yield _Row(path, _type_of(catalogue, schema, prop), needed, _details(catalogue, schema, prop))
        yield from _nested_rows(catalogue, schema, prop, path, stack)


def _nested_rows(
    catalogue: _Catalogue, schema: _Schema, prop: dict[str, Any], path: str, stack: tuple[str, ...]
) -> Iterator[_Row]:
    """Descend into an object, the items of an array (``path[]``) or the values of a map (``path.<key>``)."""
    ref = prop.get("$ref")
    if isinstance(ref, str):
        target = catalogue.resolve(schema, ref)
        if target is None:
            return
        key = f"{target.schema.path.name}#{target.pointer}"
        if key in stack:  # a recursive definition: its properties are already listed above
            return
        if catalogue.recording:
            catalogue.used_at.setdefault((target.schema.path.name, target.pointer), []).append(path)
        stack = (*stack, key)
    inner_schema, flat = catalogue.flatten(schema, prop)
    if _is_object_with_properties(catalogue, inner_schema, flat):
        yield from _rows(catalogue, inner_schema, flat, f"{path}.", stack)
    yield from _contained_rows(catalogue, inner_schema, flat, path, stack)


def _contained_rows(
    catalogue: _Catalogue, schema: _Schema, flat: dict[str, Any], path: str, stack: tuple[str, ...]
) -> Iterator[_Row]:
    """The schemas a node contains besides its properties: array items (``[]``, ``[0]``), map values
    (``<key>``) and the extra properties of ``dependentSchemas``."""
    items = flat.get("items")
    if isinstance(items, dict):
        yield from _nested_rows(catalogue, schema, items, f"{path}[]", stack)
    for index, item in enumerate(flat.get("prefixItems") or []):
        if isinstance(item, dict):
            yield from _nested_rows(catalogue, schema, item, f"{path}[{index}]", stack)
    contains = flat.get("contains")
    if isinstance(contains, dict):
        yield from _nested_rows(catalogue, schema, contains, f"{path}[]", stack)
    key_path = f"{path}.<key>" if path else "<key>"
    values = [flat.get("additionalProperties"), *(flat.get("patternProperties") or {}).values()]
    for value in values:
        if isinstance(value, dict):
            yield from _nested_rows(catalogue, schema, value, key_path, stack)
    for dependent in (flat.get("dependentSchemas") or {}).values():
        if isinstance(dependent, dict) and dependent.get("properties"):
            yield from _rows(catalogue, schema, dependent, f"{path}." if path else "", stack)


def _is_object_with_properties(catalogue: _Catalogue, schema: _Schema, flat: dict[str, Any]) -> bool:
    return any(True for _ in _properties(catalogue, schema, flat))


def _details(catalogue: _Catalogue, schema: _Schema, prop: dict[str, Any]) -> str:
    """Title, description, allowed values, default and a link to the definition used."""
    flat_schema, flat = catalogue.flatten(schema, prop)
    parts = []
    if flat.get("title"):
        parts.append(f"**{_text(flat['title'])}.**")
    if flat.get("description"):
        parts.append(_text(flat["description"]))
    constraints = _constraints(catalogue, flat_schema, flat)
    items = flat.get("items")
    if isinstance(items, dict):
        item_schema, item_flat = catalogue.flatten(flat_schema, items)
        item_limits = _constraints(catalogue, item_schema, item_flat)
        if item_limits:
            constraints.append("Each item: " + " ".join(item_limits))
    parts.extend(constraints)
    links = []
    for candidate in (prop, items if isinstance(items, dict) else None):
        ref = candidate.get("$ref") if isinstance(candidate, dict) else None
        target = catalogue.resolve(flat_schema if candidate is items else schema, ref) if isinstance(ref, str) else None
        if target is not None:
            links.append(catalogue.link(target))
    if links:
        parts.append("See " + " and ".join(dict.fromkeys(links)) + ".")
    return " ".join(parts)


def _table(rows: list[_Row]) -> list[str]:
    lines = ["| Property | Type | Required | Details |", "| --- | --- | --- | --- |"]
    for row in rows:
        lines.append(f"| {_code(row.path)} | {_text(row.type)} | {row.required} | {row.details} |")
    return lines


# --------------------------------------------------------------------------- sections


def _root_rows(catalogue: _Catalogue, schema: _Schema) -> list[_Row]:
    data = schema.data
    return [*_rows(catalogue, schema, data, ""), *_contained_rows(catalogue, schema, data, "", ())]


def _content_type_section(
    catalogue: _Catalogue, schema: _Schema, rows: list[_Row], example: Path | None, content_dir: Path | None
) -> list[str]:
    anchor = catalogue.anchors[(schema.path.name, "")]
    data = schema.data
    lines = [f"## {_text(schema.title)} {{#{anchor}}}", ""]
    if data.get("description"):
        lines += [_text(data["description"]), ""]
    identifier = f", `$id` {_code(data['$id'])}" if data.get("$id") else ""
    lines += [f"Schema file: {_code(f'{schema.path.parent.name}/{schema.path.name}')}{identifier}.", ""]
    if rows:
        lines += [f"### Properties {{#{anchor}-properties}}", ""]
        if data.get("additionalProperties") is False:
            lines += ["No other keys are allowed.", ""]
        lines += [*_table(rows), ""]
    rules = _rules(data)
    if rules:
        lines += [f"### Rules {{#{anchor}-rules}}", ""] + [f"- {rule}" for rule in rules] + [""]
    definitions = data.get("$defs") or {}
    if definitions:
        lines += [f"### Definitions in this file {{#{anchor}-definitions}}", ""]
        for name, node in definitions.items():
            lines += _definition(catalogue, schema, name, node, level="####")
    if example is not None and content_dir is not None:
        lines += _example(example, content_dir, anchor)
    return lines


def _definition(catalogue: _Catalogue, schema: _Schema, name: str, node: Any, level: str) -> list[str]:
    """One ``$defs`` entry: what it is, its limits, and its properties (or where they are listed)."""
    pointer = f"/$defs/{name}"
    anchor = catalogue.anchors[(schema.path.name, pointer)]
    if not isinstance(node, dict):
        return [f"{level} {_text(name)} {{#{anchor}}}", ""]
    title = node.get("title") or name
    lines = [f"{level} {_text(title)} {{#{anchor}}}", ""]
    facts = [
        f"Referred to as {_code(schema.path.name + '#' + pointer)}; type {_text(_type_of(catalogue, schema, node))}."
    ]
    if node.get("description"):
        facts.insert(0, _text(node["description"]))
    flat_schema, flat = catalogue.flatten(schema, node)
    facts += _constraints(catalogue, flat_schema, flat)
    ref = node.get("$ref")
    target = catalogue.resolve(schema, ref) if isinstance(ref, str) else None
    if target is not None:
        facts.append(f"Based on {catalogue.link(target)}.")
    lines += [" ".join(facts), ""]
    stack = (f"{schema.path.name}#{pointer}",)
    rows = [*_rows(catalogue, flat_schema, flat, "", stack), *_contained_rows(catalogue, flat_schema, flat, "", stack)]
    used = catalogue.used_at.get((schema.path.name, pointer), [])
    if rows:
        if used:
            lines += ["Its properties are listed above, under " + ", ".join(_code(path) for path in used) + ".", ""]
        else:
            lines += [*_table(rows), ""]
    return lines


def _definitions_section(catalogue: _Catalogue, schema: _Schema) -> list[str]:
    anchor = catalogue.anchors[(schema.path.name, "")]
    lines = [f"## {_text(schema.title)} {{#{anchor}}}", ""]
    if schema.data.get("description"):
        lines += [_text(schema.data["description"]), ""]
    lines += [f"Schema file: {_code(f'{schema.path.parent.name}/{schema.path.name}')}.", ""]
    for name, node in (schema.data.get("$defs") or {}).items():
        lines += _definition(catalogue, schema, name, node, level="###")
    return lines


def _example(path: Path, content_dir: Path, anchor: str) -> list[str]:
    """The first real file of the type, verbatim.

    An indented code block, not a fenced one: it needs no Markdown extension and no fence can be closed
    early by backticks in the file.
    """
    text = path.read_text(encoding="utf-8", errors="replace").rstrip("\n").splitlines()
    shown = [f"    {line}".rstrip() for line in text[:EXAMPLE_LINES]]
    name = f"{content_dir.name}/{path.relative_to(content_dir).as_posix()}"
    extent = f", its first {EXAMPLE_LINES} of {len(text)} lines:" if len(text) > EXAMPLE_LINES else ":"
    return [f"### Example {{#{anchor}-example}}", "", _code(name) + extent, "", *shown, ""]


def content_reference(schema_dir: Path, content_dir: Path | None = None) -> str:
    """The "Content reference" page: every content type of ``schema_dir`` and all its properties.

    Generated rather than written so that editors read exactly what ``validate`` enforces. With
    ``content_dir``, each type gets its first real file as an example, and schemas that no content
    file names are listed apart (they describe data the generator makes, or kinds without content yet).
    """
    catalogue = _Catalogue(_load_schemas(schema_dir))
    used = _schemas_used(content_dir) if content_dir is not None else {}
    content_types = [schema for schema in catalogue.schemas if not schema.is_definitions]
    shared = [schema for schema in catalogue.schemas if schema.is_definitions]
    if content_dir is not None:
        others = [schema for schema in content_types if schema.path.name not in used]
        content_types = [schema for schema in content_types if schema.path.name in used]
    else:
        others = []
    # Walk every table first, so each definition knows where its properties are listed.
    rows = {schema.path.name: _root_rows(catalogue, schema) for schema in content_types + others}
    catalogue.recording = False

    lines = [
        "# Content reference",
        "",
        "Generated at build time from the JSON Schemas in `schema/` (draft 2020-12); do not edit this page, "
        "edit the schemas. Each content file names its schema in its first line, "
        "`# yaml-language-server: $schema=<relative path to the schema>`, and `python -m generator validate` "
        "checks it against that schema. Properties of nested objects are listed under a dotted path; "
        "`[]` stands for every item of an array and `<key>` for every key of a map.",
        "",
    ]
    if content_types:
        links = [f"[{_text(schema.title)}](#{catalogue.anchors[(schema.path.name, '')]})" for schema in content_types]
        lines += ["Content types: " + ", ".join(links) + ".", ""]
    for schema in content_types:
        example = (used.get(schema.path.name) or [None])[0]
        lines += _content_type_section(catalogue, schema, rows[schema.path.name], example, content_dir)
    if others:
        lines += [
            "## Other schemas {#other-schemas}",
            "",
            "No file in the content folder names these schemas in its first line: either there is no content "
            "of that kind yet, or the schema describes data the generator makes itself.",
            "",
        ]
        for schema in others:
            section = _content_type_section(catalogue, schema, rows[schema.path.name], None, None)
            lines += ["#" + line if line.startswith("#") else line for line in section]
    for schema in shared:
        lines += _definitions_section(catalogue, schema)
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- plugin options


@dataclass
class _Option:
    name: str
    kind: str
    default: str
    doc: str


_OPTION_TYPES = {
    "str": "string",
    "bool": "boolean",
    "int": "integer",
    "float": "number",
    "list": "list",
    "dict": "mapping",
}


def _option_kind(call: ast.Call) -> str:
    """A reader's name for a ``config_options`` type: ``Dir(exists=True)`` → "folder (must exist)"."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
    must_exist = isinstance(keywords.get("exists"), ast.Constant) and keywords["exists"].value is True
    if name in {"Dir", "File", "FilesystemObject"}:
        noun = {"Dir": "folder", "File": "file"}.get(name, "path")
        return f"{noun} (must exist)" if must_exist else noun
    if name in {"Type", "ListOfItems"} and call.args:
        inner = call.args[0]
        if isinstance(inner, ast.Name) and inner.id in _OPTION_TYPES:
            words = _OPTION_TYPES[inner.id]
            return words if name == "Type" else f"list of {words}"
        if isinstance(inner, ast.Call):
            return f"list of {_option_kind(inner)}" if name == "ListOfItems" else _option_kind(inner)
    if name in {"Optional", "Deprecated"} and call.args and isinstance(call.args[0], ast.Call):
        return f"{_option_kind(call.args[0])}, optional"
    if name == "Choice" and call.args:
        try:
            choices = ast.literal_eval(call.args[0])
        except ValueError:
            choices = None
        if isinstance(choices, list | tuple):
            return "one of " + ", ".join(json.dumps(choice, ensure_ascii=False) for choice in choices)
    return {"URL": "web address", "Theme": "theme", "Choice": "choice"}.get(name, name or "value")


def _option_default(call: ast.Call) -> str:
    """The default as it would be written in mkdocs.yml (YAML: ``true``, ``""``, ``null``)."""
    for keyword in call.keywords:
        if keyword.arg == "default":
            try:
                return json.dumps(ast.literal_eval(keyword.value), ensure_ascii=False)
            except ValueError:
                return ast.unparse(keyword.value)
    return ""


def _config_options(source: str, class_name: str) -> list[_Option]:
    """``name = config_options.X(..., default=...)`` followed by its docstring, in class order.

    Attribute docstrings exist only in the source (Python drops them at run time), hence ``ast``.
    """
    tree = ast.parse(source)
    classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef) and node.name == class_name]
    if not classes:
        raise ValueError(f"class {class_name} not found")
    body = classes[0].body
    options = []
    for index, statement in enumerate(body):
        target, value = None, None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        if not isinstance(target, ast.Name) or not isinstance(value, ast.Call):
            continue
        following = body[index + 1] if index + 1 < len(body) else None
        doc = ""
        if (
            isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            doc = inspect.cleandoc(following.value.value)
        options.append(_Option(target.id, _option_kind(value), _option_default(value), doc))
    return options


def _docstring(text: str) -> str:
    """A docstring as Markdown text: ``literal`` becomes code, everything else is escaped."""
    pieces = re.split(r"``(.+?)``", " ".join(text.split()))
    return "".join(
        _code(piece) if index % 2 else _text(piece, strip=False) for index, piece in enumerate(pieces)
    ).strip()


def plugin_options_reference(
    plugin_source: Path, class_name: str = "GuidelinePluginConfig", plugin_name: str = "sme-guideline"
) -> str:
    """The "Plugin options" page: every option of the plugin's typed config, its type, default and docstring.

    Read from the source with ``ast`` so an option added to the class appears here without further work.
    """
    options = _config_options(plugin_source.read_text(encoding="utf-8"), class_name)
    lines = [
        "# Plugin options",
        "",
        f"Generated at build time from `{class_name}` in `generator/{plugin_source.name}`; do not edit this "
        f"page, edit the option's docstring there. Options are set under the plugin's name in `mkdocs.yml`; "
        f"paths are relative to `mkdocs.yml`.",
        "",
        "    plugins:",
        f"      - {plugin_name}:",
        *[f"          {option.name}: {option.default or '...'}" for option in options],
        "",
        "| Option | Type | Default | Description |",
        "| --- | --- | --- | --- |",
    ]
    for option in options:
        default = _code(option.default) if option.default else "(required)"
        lines.append(f"| {_code(option.name)} | {_text(option.kind)} | {default} | {_docstring(option.doc)} |")
    return "\n".join(lines).rstrip("\n") + "\n"


MANUAL = "manual"
"""The folder of ``docs/`` that holds the manual."""


def reference_pages(docs_dir: Path, schema_dir: Path, content_dir: Path | None, plugin_source: Path) -> list[Page]:
    """The generated references, published inside the manual when the docs folder has one
    (``docs/manual/``): a site without the manual (another guideline's) gets neither."""
    if not (docs_dir / MANUAL).is_dir():
        return []
    return [
        Page(urls.CONTENT_REFERENCE, "Content reference", content_reference(schema_dir, content_dir)),
        Page(urls.PLUGIN_OPTIONS_REFERENCE, "Plugin options", plugin_options_reference(plugin_source)),
    ]
