"""Every schema against example files: valid ones pass, each invalid one fails with exactly
the problems written in the ``.expected`` file beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SCHEMA

from generator.schemas import SchemaSet
from generator.yamlsource import read_source

CASES = Path(__file__).parent / "schema_cases"
SCHEMAS = SchemaSet(SCHEMA)


def problems_of(file: Path) -> list[str]:
    source = read_source(file, file.relative_to(CASES).as_posix())
    if not hasattr(source, "data"):
        return [str(source)]
    return [str(problem) for problem in sorted(SCHEMAS.check(source))]


def cases(kind: str) -> list[Path]:
    return sorted((CASES / kind).glob("*/*.yaml"))


def test_every_content_schema_has_valid_and_invalid_examples() -> None:
    for name in SCHEMAS.names():
        stem = name.removesuffix(".schema.json")
        assert list((CASES / "valid" / stem).glob("*.yaml")), f"no valid example for {name}"
        assert list((CASES / "invalid" / stem).glob("*.yaml")), f"no invalid example for {name}"


@pytest.mark.parametrize("file", cases("valid"), ids=lambda file: file.relative_to(CASES).as_posix())
def test_valid_example_passes(file: Path) -> None:
    assert problems_of(file) == []


@pytest.mark.parametrize("file", cases("invalid"), ids=lambda file: file.relative_to(CASES).as_posix())
def test_invalid_example_fails_with_expected_message(file: Path) -> None:
    expected = file.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert problems_of(file) == [line for line in expected if line.strip()]


def test_every_property_has_a_title_and_a_description() -> None:
    """Editors see these as hover help in their YAML editor."""
    import json

    def properties(node: object, path: str):
        if isinstance(node, dict):
            for name, child in (node.get("properties") or {}).items():
                yield f"{path}.{name}", child
            for key, child in node.items():
                yield from properties(child, f"{path}/{key}")
        elif isinstance(node, list):
            for index, child in enumerate(node):
                yield from properties(child, f"{path}[{index}]")

    for file in sorted(SCHEMA.glob("*.schema.json")):
        schema = json.loads(file.read_text(encoding="utf-8"))
        assert schema.get("$id") and schema.get("title") and schema.get("description"), file.name
        lacking = [
            path for path, child in properties(schema, "") if not (child.get("title") and child.get("description"))
        ]
        assert lacking == [], (file.name, lacking)
