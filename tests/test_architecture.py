"""The layers the architecture page describes, held by tests: no import cycle in the generator,
every content type a frozen dataclass in the model, one feature per schema, and every runtime
address defined once (templates get them from the plugin)."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
from pathlib import Path

from conftest import ROOT, SCHEMA

from generator import FEATURES, model, urls
from generator.feature import Feature, content_types
from generator.schemas import SchemaSet

GENERATOR = ROOT / "generator"


def imports_of(file: Path) -> set[str]:
    """The generator modules a module imports, wherever the import is (TYPE_CHECKING included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[1] for alias in node.names if alias.name.startswith("generator."))
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {file.stem: file for file in GENERATOR.glob("*.py")}
    return {name: imports_of(file) & set(modules) for name, file in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle, found by depth-first search (each reported from where it was entered)."""
    found: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                found.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return found


def test_the_generator_has_no_import_cycle() -> None:
    graph = import_graph()
    assert graph["feature"] and graph["check_pages"], "the graph must see relative imports"
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c", "a"]]


def test_the_bottom_layers_import_nothing_above_them() -> None:
    graph = import_graph()
    assert graph["model"] == set()
    assert graph["urls"] == set()
    assert graph["scoring"] == set(), "the engine ships alone to the browser"
    assert graph["loading"] <= {"diagnostics", "markdown", "model", "schemas", "yamlsource"}
    assert graph["render"] <= {"locale", "markdown", "model", "urls"}
    assert graph["locale"] == set(), "interface texts depend on nothing of the generator"


def test_every_content_type_is_a_frozen_dataclass_of_the_model() -> None:
    classes = [value for value in vars(model).values() if inspect.isclass(value) and value.__module__ == model.__name__]
    assert {"Case", "Check", "Question", "Term", "Redirect", "LibrarySource", "Corpus"} <= {c.__name__ for c in classes}
    for cls in classes:
        assert dataclasses.is_dataclass(cls), cls
        assert cls.__dataclass_params__.frozen, f"{cls.__name__} must be frozen"
    defined_elsewhere = [
        f"{file.name}: {node.name}"
        for file in GENERATOR.glob("*.py")
        if file.stem != "model"
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and node.name in {c.__name__ for c in classes}
    ]
    assert defined_elsewhere == []


def test_each_content_schema_is_loaded_by_exactly_one_feature() -> None:
    assert set(content_types(FEATURES)) == set(SchemaSet(SCHEMA).names())
    assert len({feature.name for feature in FEATURES}) == len(FEATURES)


def test_two_features_cannot_claim_one_schema() -> None:
    def load(source, draft, loading) -> None:
        return None

    try:
        content_types([Feature("a", content_types={"x.schema.json": load}), Feature("b", {"x.schema.json": load})])
    except ValueError as error:
        assert "x.schema.json" in str(error)
    else:
        raise AssertionError("a schema claimed twice must be refused")


def test_templates_take_runtime_addresses_from_the_plugin() -> None:
    runtime = urls.selfcheck_runtime(snapshot=True)
    templates = [file for file in (ROOT / "site_overrides").rglob("*.html")]
    assert templates
    for file in templates:
        text = file.read_text(encoding="utf-8")
        for address in runtime.values():
            assert address not in text, f"{file.name} names {address}; use selfcheck_runtime from the plugin"
    main = (ROOT / "site_overrides" / "main.html").read_text(encoding="utf-8")
    assert re.search(r"selfcheck_runtime\.worker", main)


def test_page_addresses_are_defined_only_in_urls() -> None:
    """No feature module spells a page address of its own (``"cases/…md"`` literals live in urls.py)."""
    literal = re.compile(r"""["'](?:[a-z-]+/)*[a-z-]+\.md["']""")
    offenders = [
        f"{file.name}: {match.group(0)}"
        for file in GENERATOR.glob("*.py")
        if file.stem != "urls"
        for match in literal.finditer(file.read_text(encoding="utf-8"))
    ]
    assert offenders == []
