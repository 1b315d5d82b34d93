"""The typed, immutable content model every page and the scoring engine's input are built from."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


def frozen_mapping(mapping: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Clause:
    """One verbatim sentence or obligation of an official document."""

    id: str
    text: str
    document_id: str
    part_id: str
    section_id: str | None


@dataclass(frozen=True)
class Section:
    id: str
    label: str | None
    heading: str | None
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Part:
    id: str
    label: str | None
    heading: str | None
    clauses: tuple[Clause, ...]
    sections: tuple[Section, ...]

    def all_clauses(self) -> Iterator[Clause]:
        yield from self.clauses
        for section in self.sections:
            yield from section.clauses


@dataclass(frozen=True)
class DocumentSource:
    publisher: str
    source_line: str | None = None
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Document:
    """An official document, published clause by clause."""

    id: str
    role: str
    title: str
    short_title: str
    document_number: str
    issued: str
    issuers: tuple[str, ...]
    date_line: str | None
    addressees: str | None
    source: DocumentSource | None
    goal_clause: str | None
    parts: tuple[Part, ...]
    issuing_body_count: int | None = None
    kind: str | None = None
    areas: tuple[str, ...] = ()
    """Key areas this (library) document gives background to."""

    def clauses(self) -> Iterator[Clause]:
        for part in self.parts:
            yield from part.all_clauses()

    def sections(self) -> Iterator[Section]:
        for part in self.parts:
            yield from part.sections


@dataclass(frozen=True)
class Area:
    """Our plain-language companion to one key compliance area."""

    id: str
    section_id: str
    title: str
    summary: str
    explanation: str
    clause_notes: Mapping[str, str] = field(default_factory=frozen_mapping)
