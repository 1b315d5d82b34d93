"""The JSON Schemas in ``schema/`` are the content contract; this module applies them.

Errors follow check-jsonschema: all of them at once, each located in the YAML file,
with the best match for ``anyOf``/``oneOf`` rather than a dump of the alternatives.
"""

from __future__ import annotations

import json
import weakref
from functools import cached_property, lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from .diagnostics import Problem
from .yamlsource import Source

TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys to values",
    "null": "nothing",
}


class SchemaSet:
    """Every schema file of a directory, checked against the metaschema and linked by ``$ref``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._verdicts: weakref.WeakKeyDictionary[Source, list[Problem]] = weakref.WeakKeyDictionary()

    @cached_property
    def _schemas(self) -> dict[str, dict]:
        schemas = {}
        for file in sorted(self.directory.glob("*.schema.json")):
            schema = json.loads(file.read_text(encoding="utf-8"))
            Draft202012Validator.check_schema(schema)
            schemas[file.name] = schema
        return schemas

    @cached_property
    def _registry(self) -> Registry:
        resources = [(schema["$id"], Resource.from_contents(schema)) for schema in self._schemas.values()]
        return Registry().with_resources(resources)

    def names(self) -> list[str]:
        """The content schemas (those describing a whole file), not the shared definitions."""
        return [name for name, schema in self._schemas.items() if "properties" in schema]

    def validator(self, name: str) -> Draft202012Validator:
        return Draft202012Validator(self._schemas[name], registry=self._registry, format_checker=FormatChecker())

    def check(self, source: Source) -> list[Problem]:
        """All schema problems of one parsed file, each pointing at its line.

        Remembered per source (parsing gives one ``Source`` per file's bytes), since validating
        is most of a warm load and ``build`` and ``serve`` load unchanged files again."""
        if source not in self._verdicts:
            self._verdicts[source] = self._check(source)
        return list(self._verdicts[source])

    def _check(self, source: Source) -> list[Problem]:
        if source.schema not in self.names():
            known = ", ".join(self.names())
            return [source.problem((), f"unknown schema {source.schema!r} in the first line; known: {known}")]
        problems = []
        for error in self.validator(source.schema).iter_errors(source.data):
            alternatives = {sub.validator for sub in error.context}
            if error.validator == "anyOf" and alternatives == {"required"}:
                keys = " or ".join(repr(sub.validator_value[0]) for sub in error.context)
                problems.append(source.problem(tuple(error.absolute_path), f"needs the key {keys}"))
                continue
            if error.context:
                error = best_match(error.context)
            problems.append(_problem(source, error))
        return problems


def schema_set(directory: Path) -> SchemaSet:
    """The schemas of ``directory``, shared while its files are unchanged (same names, sizes
    and modification times): checking them against the metaschema takes half a second."""
    stats = ((file.name, file.stat()) for file in sorted(directory.glob("*.json")))
    files = tuple((name, stat.st_mtime_ns, stat.st_size) for name, stat in stats)
    return _schema_set(directory.resolve(), files)


@lru_cache(maxsize=8)
def _schema_set(directory: Path, files: tuple[tuple[str, int, int], ...]) -> SchemaSet:
    return SchemaSet(directory)


def _problem(source: Source, error: ValidationError) -> Problem:
    parts = tuple(error.absolute_path)
    validator = error.validator
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        unknown = sorted(key for key in error.instance if key not in allowed)
        if unknown:
            key = unknown[0]
            hint = ", ".join(sorted(allowed))
            return source.problem((*parts, key), f"unknown key {key!r} (allowed here: {hint})")
    if validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        # jsonschema reports each missing key as its own error, naming it first in the message
        key = next((name for name in missing if error.message.startswith(repr(name))), missing[0])
        reason = error.schema.get("description") if "then" in error.relative_schema_path else None
        return source.problem(parts, f"missing required key {key!r}" + (f" ({reason})" if reason else ""))
    if validator == "type":
        expected = error.validator_value
        wanted = " or ".join(
            TYPE_NAMES.get(name, name) for name in ([expected] if isinstance(expected, str) else expected)
        )
        return source.problem(parts, f"expected {wanted}, found {_describe(error.instance)}")
    if validator == "pattern" and isinstance(error.instance, str) and not error.instance.strip():
        return source.problem(parts, "must not be blank")
    if validator == "pattern":
        title = error.schema.get("title", "value")
        return source.problem(
            parts,
            f"{error.instance!r} is not a valid {title.lower()}: {error.schema.get('description', '')}".rstrip(": "),
        )
    if validator == "enum":
        options = ", ".join(repr(option) for option in error.validator_value)
        return source.problem(parts, f"{error.instance!r} is not one of {options}")
    if validator == "const":
        value = error.validator_value
        return source.problem(parts, f"must be {json.dumps(value) if isinstance(value, bool) else repr(value)}")
    if validator == "minItems":
        return source.problem(
            parts, f"needs at least {error.validator_value} item{'s' if error.validator_value != 1 else ''}"
        )
    if validator == "uniqueItems":
        return source.problem(parts, f"lists {_first_repeat(error.instance)!r} more than once")
    if validator == "maxItems":
        return source.problem(parts, f"allows at most {error.validator_value} items")
    if validator == "minLength" and error.validator_value == 1:
        return source.problem(parts, "must not be empty")
    if validator in {"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"}:
        words = {
            "minimum": "at least",
            "exclusiveMinimum": "greater than",
            "maximum": "at most",
            "exclusiveMaximum": "less than",
        }[validator]
        return source.problem(parts, f"must be {words} {error.validator_value}, found {error.instance!r}")
    if validator == "format":
        return source.problem(parts, f"{error.instance!r} is not a valid {error.validator_value}")
    return source.problem(parts, error.message)


def _first_repeat(items: list) -> object:
    seen: list = []
    for item in items:
        if item in seen:
            return item
        seen.append(item)
    return None


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"
