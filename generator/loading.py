"""Read the content folder into a frozen :class:`~generator.model.Corpus`, or report every problem at once.

Loading runs in three steps: every file is parsed and checked against its schema; each valid
file is handed to the *content type* registered for its schema, which adds its items to a
:class:`CorpusDraft`; the draft is frozen and every *cross-check* looks at references between
items. Which content types and cross-checks exist is given by the caller (the feature list),
so nothing here knows about cases, checks or any other feature.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from . import markdown
from .diagnostics import ContentError, Problem
from .model import Corpus
from .schemas import schema_set
from .yamlsource import KeyPath, Source, read_source


class CorpusDraft:
    """The corpus while files are being read: an open dict for each collection of :class:`Corpus`
    (made from its fields, so the two never drift apart)."""

    def __init__(self) -> None:
        for item in fields(Corpus):
            setattr(self, item.name, {})

    def freeze(self) -> Corpus:
        return Corpus(**{item.name: getattr(self, item.name) for item in fields(Corpus)})


@dataclass
class Loading:
    """What loading collects on the way: problems, and where each id was defined."""

    problems: list[Problem] = field(default_factory=list)
    defined: dict[str, tuple[Source, KeyPath]] = field(default_factory=dict)
    unverified: set[str] = field(default_factory=set)
    """Ids declared in files that failed their schema: those files are not loaded, and their own
    problem is the one to fix, so references to these ids are not reported as unknown too."""
    finishing: list[Callable[[CorpusDraft], None]] = field(default_factory=list)
    """Steps a content type leaves until every file is read (e.g. a value taken from another
    file's items); they run, in order, just before the draft is frozen."""

    def define(self, source: Source, parts: KeyPath, identifier: str) -> None:
        if identifier in self.defined:
            first, first_parts = self.defined[identifier]
            line, _ = first.locate(first_parts)
            self.problems.append(
                source.problem(
                    parts,
                    f"id {identifier!r} is already used at {first.path}:{line}; ids must be unique across the content",
                )
            )
        else:
            self.defined[identifier] = (source, parts)

    def place(self, identifier: str) -> tuple[Source, KeyPath]:
        """The file and key path where an id was defined, for a cross-check's message."""
        return self.defined[identifier]

    def expect(self, found: bool, source: Source, parts: KeyPath, message: str) -> None:
        if not found:
            self.problems.append(source.problem(parts, message))

    def refer(self, identifier: str, known: Container[str], source: Source, parts: KeyPath, message: str) -> None:
        """A reference must name a known item, or one of a file that already failed its schema."""
        self.expect(identifier in known or identifier in self.unverified, source, parts, message)

    def check_links(self, text: str, source: Source, parts: KeyPath, corpus: Corpus) -> None:
        """Every ``clause:`` link in a formatted text field must name a published clause."""
        for clause_id in markdown.clause_links(text):
            self.refer(clause_id, corpus.clauses, source, parts, f"link to unknown clause {clause_id!r}")


ContentType = Callable[[Source, CorpusDraft, Loading], None]
"""Adds one validated file's items to the draft and registers their ids."""

CrossCheck = Callable[[Corpus, Loading], None]
"""Runs after every file is loaded: checks references between items."""


CONTENT_SUFFIXES = (".yaml", ".yml")


def find_content_files(content_dir: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    """Every content file under ``content_dir``, in name order, and a problem for each path named
    like one that cannot be read as one: not a regular file (a folder, a FIFO or a device would
    hang or fail), a broken or looping symbolic link, a link leading out of the content folder,
    or an upper-case suffix that would otherwise be skipped without a word."""
    files: list[Path] = []
    problems: list[Problem] = []
    inside = content_dir.resolve()
    for folder, folders, names in os.walk(content_dir):
        folders.sort()
        for name in sorted([*names, *folders]):
            suffix = os.path.splitext(name)[1]
            if suffix.lower() not in CONTENT_SUFFIXES:
                continue
            path = Path(folder) / name
            problem = _unreadable(path, suffix, inside)
            if problem:
                problems.append(Problem(display_path(path, root), 1, 1, "$", problem))
            else:
                files.append(path)
    return sorted(files), problems


def _unreadable(path: Path, suffix: str, inside: Path) -> str | None:
    if suffix not in CONTENT_SUFFIXES:
        return f"the name ends in {suffix!r}; content files end in lower-case .yaml or .yml"
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except RuntimeError:
            return "a symbolic link that loops; point it at a file or remove it"
        except OSError as error:
            if error.errno == errno.ELOOP:
                return "a symbolic link that loops; point it at a file or remove it"
            return "a broken symbolic link: its target does not exist"
        if target != inside and inside not in target.parents:
            return "a symbolic link to a file outside the content folder; copy the file in instead"
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if stat.S_ISDIR(mode):
        return "a folder named like a content file; rename it"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, socket or device); content files are plain text files"
    return None


def read_corpus(
    content_dir: Path,
    schema_dir: Path,
    content_types: Mapping[str, ContentType],
    cross_checks: Sequence[CrossCheck],
    display_root: Path | None = None,
) -> Corpus:
    """Read, validate and cross-check every content file; raise :class:`ContentError` listing all problems."""
    schemas = schema_set(schema_dir)
    draft = CorpusDraft()
    loading = Loading()
    root = display_root or content_dir.parent
    files, unreadable = find_content_files(content_dir, root)
    if not files and not unreadable:
        raise ContentError([Problem(safe_text(str(content_dir)), 1, 1, "$", "no content files (*.yaml) found")])
    loading.problems.extend(unreadable)
    sources = []
    for file in files:
        source = read_source(file, display_path(file, root))
        if isinstance(source, Problem):
            loading.problems.append(source)
            continue
        schema_problems = schemas.check(source)
        if schema_problems:
            loading.problems.extend(schema_problems)
            loading.unverified.update(declared_ids(source.data))
            continue
        if source.schema not in content_types:
            loading.problems.append(
                source.problem((), f"schema {source.schema!r} has no content type in the generator")
            )
            continue
        sources.append((source, file))
    for source, file in sources:
        content_types[source.schema](source, draft, loading)
        relative = file.relative_to(content_dir).as_posix()
        draft.files.update((identifier, relative) for identifier in declared_ids(source.data))
    for finish in loading.finishing:
        finish(draft)
    corpus = draft.freeze()
    for check in cross_checks:
        check(corpus, loading)
    if loading.problems:
        raise ContentError(loading.problems)
    return corpus


def declared_ids(data: object) -> Iterator[str]:
    """Every string under an ``id`` key, at any depth: what a file declares, whatever its type."""
    if isinstance(data, dict):
        if isinstance(data.get("id"), str):
            yield data["id"]
        for value in data.values():
            yield from declared_ids(value)
    elif isinstance(data, list):
        for value in data:
            yield from declared_ids(value)


def display_path(file: Path, root: Path) -> str:
    """The file as an editor finds it (relative to the project), safe to print on one line."""
    try:
        shown = file.parent.resolve().joinpath(file.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = file.as_posix()
    return safe_text(shown)


def safe_text(text: str) -> str:
    """Control characters (terminal escapes, newlines) written as escapes, so a file name can
    neither change the terminal nor split a problem line."""
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)
