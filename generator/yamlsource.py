"""Read one YAML content file into plain data plus a map from JSON paths to line and column.

ruamel.yaml keeps the position of every key and item, which is what lets every later
error (schema or cross-reference) point at the exact line an editor has to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError, MaxDepthExceededError
from ruamel.yaml.constructor import ConstructorError, DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent

from .diagnostics import Problem, json_path

SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(?P<schema>\S+)\s*$")

KeyPath = tuple[str | int, ...]
"""Keys and list indexes from the top of a content file down to one value."""


MAX_FILE_BYTES = 1_000_000
"""Largest content file read (the longest real one is about 60 KB)."""
MAX_DEPTH = 40
"""Deepest nesting of mappings and lists a content file may have (real content needs about 8)."""


class ContentComposer(Composer):
    """Refuses aliases (``*name``): content needs none, and a few of them can expand a small
    file into gigabytes (an "alias bomb")."""

    def compose_node(self, parent: object, index: object) -> object:
        if self.parser.check_event(AliasEvent):
            event = self.parser.get_event()
            raise ComposerError(
                None,
                None,
                f"aliases (*{event.anchor}) are not allowed in content files; write the value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


class ContentConstructor(RoundTripConstructor):
    """Leaves dates as text, so the schema's ``format: date`` judges them instead of a crash,
    and refuses tags that would make anything but text, numbers, true/false, lists and mappings."""

    def refuse_tag(self, node: object) -> None:
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        raise ConstructorError(None, None, f"the tag {tag} is not allowed in content files; remove it", node.start_mark)


ContentConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda constructor, node: constructor.construct_scalar(node)
)
for _tag in ("tag:yaml.org,2002:binary", "tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs", "tag:yaml.org,2002:set"):
    ContentConstructor.add_constructor(_tag, ContentConstructor.refuse_tag)
ContentConstructor.add_constructor(None, ContentConstructor.refuse_tag)


@dataclass(frozen=True, eq=False)
class Source:
    """A parsed content file: its data, the schema it names, and where each value sits.

    Compared by identity: parsing is cached, so one file's bytes give one ``Source``, which
    lets the schema check remember its verdict per source."""

    path: str
    schema: str
    data: object
    positions: dict[KeyPath, tuple[int, int]] = field(repr=False)

    def locate(self, parts: KeyPath) -> tuple[int, int]:
        """Line and column of the value at ``parts``, or of its nearest parent that has one."""
        while parts not in self.positions and parts:
            parts = parts[:-1]
        return self.positions.get(parts, (1, 1))

    def problem(self, parts: KeyPath, message: str) -> Problem:
        line, column = self.locate(parts)
        return Problem(self.path, line, column, json_path(parts), message)


def read_source(file: Path, display_path: str) -> Source | Problem:
    """Parse one content file, or say in one problem why it cannot be read.

    Parsing with positions is most of the time a load takes, and ``build`` validates before
    MkDocs loads the same files again (so do ``serve``'s rebuilds, and tests that copy the
    content to edit one file): a file whose bytes and display path were seen before is parsed
    once per process. Callers must not change the returned data."""
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        limit = f"content files may be at most {MAX_FILE_BYTES:,} bytes"
        return Problem(display_path, 1, 1, "$", f"the file is {size:,} bytes; {limit}")
    return _parse(file.read_bytes(), display_path)


@lru_cache(maxsize=4096)
def _parse(raw: bytes, display_path: str) -> Source | Problem:

    def fail(message: str, line: int = 1, column: int = 1) -> Problem:
        return Problem(display_path, line, column, "$", message)

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return fail(f"the file is not UTF-8 text (byte {error.start}); save it as UTF-8", line)
    if not text.strip():
        return fail("the file is empty")
    first_line = text.lstrip("\ufeff").splitlines()[0]
    header = SCHEMA_LINE.match(first_line)
    if header is None:
        return fail(
            "the first line must name the file's schema, e.g. "
            "'# yaml-language-server: $schema=../schema/area.schema.json'"
        )
    yaml = YAML(typ="rt")
    yaml.Constructor = ContentConstructor
    yaml.Composer = ContentComposer
    yaml.max_depth = MAX_DEPTH
    yaml.allow_duplicate_keys = False
    try:
        document = yaml.load(text)
    except DuplicateKeyError as error:
        mark = error.problem_mark
        key = re.search(r'found duplicate key "([^"]*)"', str(error))
        name = key.group(1) if key else "a key"
        return fail(f"duplicate key {name!r}: each key may appear only once", mark.line + 1, mark.column + 1)
    except MaxDepthExceededError as error:
        mark = error.problem_mark
        return fail(f"nested more than {MAX_DEPTH} levels deep; content needs far fewer", mark.line + 1, 1)
    except RecursionError:
        return fail(f"nested too deeply to read (content may nest at most {MAX_DEPTH} levels)")
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = error.problem or error.context or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return fail(f"invalid YAML: {reason}", line, column)
    except ValueError as error:
        return fail(f"invalid YAML value: {error}")
    if document is None:
        return fail("the file holds no content, only comments")
    start = getattr(document, "lc", None)
    positions: dict[KeyPath, tuple[int, int]] = {(): (start.line + 1, start.col + 1) if start else (1, 1)}
    data = _plain(document, (), positions)
    return Source(display_path, Path(header["schema"]).name, data, positions)


def _plain(node: object, parts: KeyPath, positions: dict[KeyPath, tuple[int, int]]) -> object:
    """Convert ruamel's round-trip nodes to plain Python values, recording each child's position."""
    if isinstance(node, CommentedMap):
        plain = {}
        for key, value in node.items():
            child = (*parts, str(key))
            line, column = node.lc.value(key) if _is_scalar(value) else node.lc.key(key)
            positions[child] = (line + 1, column + 1)
            plain[str(key)] = _plain(value, child, positions)
        return plain
    if isinstance(node, CommentedSeq):
        plain_list = []
        for index, value in enumerate(node):
            child = (*parts, index)
            line, column = node.lc.item(index)
            positions[child] = (line + 1, column + 1)
            plain_list.append(_plain(value, child, positions))
        return plain_list
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def _is_scalar(value: object) -> bool:
    return not isinstance(value, (CommentedMap, CommentedSeq))
