"""Load the content directory into a validated :class:`Corpus`, or report every problem at once."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from . import markdown
from .diagnostics import ContentError, Problem
from .model import Area, Clause, Document, DocumentSource, Part, Section, frozen_mapping
from .schemas import SchemaSet
from .yamlsource import Path_, Source, read_source

T = TypeVar("T")

if TYPE_CHECKING:
    from .cases import Case
    from .checks import Bands, Check, Question, Scale
    from .glossary import Term
    from .library import LibrarySource, PolicyEvent
    from .redirects import Redirect


@dataclass
class Corpus:
    """Every content item, indexed by id. Built only from content that passed validation."""

    documents: dict[str, Document] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)
    clauses: dict[str, Clause] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    checks: dict[str, Check] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    """Every self-check question by its (globally unique) id, for references from other content."""
    scales: dict[str, Scale] = field(default_factory=dict)
    bands: dict[str, Bands] = field(default_factory=dict)
    library_sources: dict[str, LibrarySource] = field(default_factory=dict)
    """Briefings, analyses and news reports of the policy library (see :mod:`generator.library`)."""
    events: dict[str, PolicyEvent] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    """Glossary terms (see :mod:`generator.glossary`)."""
    cases: dict[str, Case] = field(default_factory=dict)
    redirects: dict[str, Redirect] = field(default_factory=dict)
    """Moved addresses, by old site path."""

    @property
    def guideline(self) -> Document:
        return next(document for document in self.documents.values() if document.role == "guideline")

    _areas_by_section: dict[str, Area] = field(default_factory=dict, init=False, repr=False, compare=False)
    _indexed_areas: int = field(default=-1, init=False, repr=False, compare=False)

    def area_of_section(self, section_id: str) -> Area | None:
        """Looked up in an index (rebuilt when areas were added), so page building stays linear."""
        if self._indexed_areas != len(self.areas):
            self._areas_by_section = {}
            for area in self.areas.values():
                self._areas_by_section.setdefault(area.section_id, area)
            self._indexed_areas = len(self.areas)
        return self._areas_by_section.get(section_id)

    _derived: dict[str, tuple[int, object]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def derived(self, name: str, size: int, build: Callable[[], T]) -> T:
        """A lookup built from the items on first use and kept while their count stays ``size``.

        Pages ask for the cases of each question and clause, and the checks of each case's areas;
        scanning and sorting every item on each call made the build grow as n²."""
        kept = self._derived.get(name)
        if kept is None or kept[0] != size:
            kept = (size, build())
            self._derived[name] = kept
        return kept[1]

    def ordered_areas(self) -> list[Area]:
        """Areas in the order their sections appear in the guideline."""
        order = {section.id: position for position, section in enumerate(self.guideline.sections())}
        return sorted(self.areas.values(), key=lambda area: order[area.section_id])


@dataclass
class Loading:
    """What loading collects on the way: problems, and where each id was defined."""

    problems: list[Problem] = field(default_factory=list)
    defined: dict[str, tuple[Source, Path_]] = field(default_factory=dict)
    unverified: set[str] = field(default_factory=set)
    """Ids declared in files that failed their schema: those files are not loaded, and their own
    problem is the one to fix, so references to these ids are not reported as unknown too."""

    def define(self, source: Source, parts: Path_, identifier: str) -> None:
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

    def expect(self, found: bool, source: Source, parts: Path_, message: str) -> None:
        if not found:
            self.problems.append(source.problem(parts, message))

    def refer(self, identifier: str, known: Container[str], source: Source, parts: Path_, message: str) -> None:
        """A reference must name a known item, or one of a file that already failed its schema."""
        self.expect(identifier in known or identifier in self.unverified, source, parts, message)


ContentType = Callable[[Source, Corpus, Loading], None]
"""Adds one validated file's items to the corpus and registers their ids."""

CrossCheck = Callable[[Corpus, Loading], None]
"""Runs after every file is loaded: checks references between items."""

CONTENT_TYPES: dict[str, ContentType] = {}
CROSS_CHECKS: list[CrossCheck] = []


def content_type(schema: str) -> Callable[[ContentType], ContentType]:
    def register(build: ContentType) -> ContentType:
        CONTENT_TYPES[schema] = build
        return build

    return register


def cross_check(check: CrossCheck) -> CrossCheck:
    CROSS_CHECKS.append(check)
    return check


def content_files(content_dir: Path) -> Iterator[Path]:
    yield from sorted(path for path in content_dir.rglob("*") if path.suffix in {".yaml", ".yml"})


def load_corpus(content_dir: Path, schema_dir: Path, display_root: Path | None = None) -> Corpus:
    """Read, validate and cross-check every content file; raise :class:`ContentError` listing all problems."""
    schemas = SchemaSet(schema_dir)
    corpus = Corpus()
    loading = Loading()
    root = display_root or content_dir.parent
    files = list(content_files(content_dir))
    if not files:
        raise ContentError([Problem(str(content_dir), 1, 1, "$", "no content files (*.yaml) found")])
    sources = []
    for file in files:
        display = _display_path(file, root)
        source = read_source(file, display)
        if isinstance(source, Problem):
            loading.problems.append(source)
            continue
        schema_problems = schemas.check(source)
        if schema_problems:
            loading.problems.extend(schema_problems)
            loading.unverified.update(declared_ids(source.data))
            continue
        if source.schema not in CONTENT_TYPES:
            loading.problems.append(
                source.problem((), f"schema {source.schema!r} has no content type in the generator")
            )
            continue
        sources.append(source)
    for source in sources:
        CONTENT_TYPES[source.schema](source, corpus, loading)
    for check in CROSS_CHECKS:
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


def _display_path(file: Path, root: Path) -> str:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def check_markdown_links(text: str, source: Source, parts: Path_, corpus: Corpus, loading: Loading) -> None:
    """Every ``clause:`` link in a formatted text field must name a published clause."""
    for clause_id in markdown.clause_links(text):
        loading.refer(clause_id, corpus.clauses, source, parts, f"link to unknown clause {clause_id!r}")


def where(loading: Loading, identifier: str) -> tuple[Source, Path_]:
    return loading.defined[identifier]


@content_type("document.schema.json")
def load_document(source: Source, corpus: Corpus, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    parts = []
    for part_index, part in enumerate(data["parts"]):
        part_path: Path_ = ("parts", part_index)
        loading.define(source, (*part_path, "id"), part["id"])

        def clauses(
            entries: list[dict], path: Path_, section_id: str | None, part_id: str = part["id"]
        ) -> tuple[Clause, ...]:
            built = []
            for index, entry in enumerate(entries):
                clause = Clause(entry["id"], entry["text"], data["id"], part_id, section_id)
                loading.define(source, (*path, index, "id"), clause.id)
                corpus.clauses[clause.id] = clause
                built.append(clause)
            return tuple(built)

        sections = []
        for section_index, section in enumerate(part.get("sections", [])):
            section_path: Path_ = (*part_path, "sections", section_index)
            loading.define(source, (*section_path, "id"), section["id"])
            built_section = Section(
                section["id"],
                section.get("label"),
                section.get("heading"),
                clauses(section["clauses"], (*section_path, "clauses"), section["id"]),
            )
            corpus.sections[built_section.id] = built_section
            sections.append(built_section)
        parts.append(
            Part(
                part["id"],
                part.get("label"),
                part.get("heading"),
                clauses(part.get("clauses", []), (*part_path, "clauses"), None),
                tuple(sections),
            )
        )
    origin = data.get("source")
    document = Document(
        id=data["id"],
        role=data["role"],
        title=data["title"],
        short_title=data.get("short_title", data["title"]),
        document_number=data["document_number"],
        issued=data["issued"],
        issuers=tuple(data["issuers"]),
        date_line=data.get("date_line"),
        addressees=data.get("addressees"),
        source=DocumentSource(**origin) if origin else None,
        goal_clause=data.get("goal_clause"),
        parts=tuple(parts),
        issuing_body_count=data.get("issuing_body_count"),
        kind=data.get("kind"),
        areas=tuple(data.get("areas", ())),
    )
    count = document.issuing_body_count
    loading.expect(
        count is None or count == len(document.issuers),
        source,
        ("issuing_body_count",),
        f"says {count} issuing bodies but issuers lists {len(document.issuers)}",
    )
    corpus.documents[document.id] = document


@content_type("area.schema.json")
def load_area(source: Source, corpus: Corpus, loading: Loading) -> None:
    data = source.data
    loading.define(source, ("id",), data["id"])
    corpus.areas[data["id"]] = Area(
        id=data["id"],
        section_id=data["section"],
        title=data["title"],
        summary=data["summary"],
        explanation=data["explanation"],
        clause_notes=frozen_mapping(data.get("clause_notes")),
    )


@cross_check
def check_documents(corpus: Corpus, loading: Loading) -> None:
    guidelines = [document for document in corpus.documents.values() if document.role == "guideline"]
    if len(guidelines) != 1:
        message = f"the content needs exactly one document with role 'guideline', found {len(guidelines)}"
        if guidelines:
            source, _ = where(loading, guidelines[1].id)
            loading.problems.append(source.problem(("role",), message))
        else:
            loading.problems.append(Problem("content", 1, 1, "$", message))
        return
    guideline = guidelines[0]
    if guideline.goal_clause:
        source, _ = where(loading, guideline.id)
        loading.expect(
            corpus.clauses.get(guideline.goal_clause, None) is not None
            and corpus.clauses[guideline.goal_clause].document_id == guideline.id,
            source,
            ("goal_clause",),
            f"goal_clause {guideline.goal_clause!r} is not a clause of this document",
        )


@cross_check
def check_areas(corpus: Corpus, loading: Loading) -> None:
    if not any(document.role == "guideline" for document in corpus.documents.values()):
        return
    guideline = corpus.guideline
    guideline_sections = {section.id for section in guideline.sections()}
    claimed: dict[str, str] = {}
    for area in corpus.areas.values():
        source, _ = where(loading, area.id)
        if area.section_id not in guideline_sections:
            loading.problems.append(
                source.problem(
                    ("section",), f"section {area.section_id!r} is not a section of the guideline {guideline.id!r}"
                )
            )
            continue
        if area.section_id in claimed:
            loading.problems.append(
                source.problem(
                    ("section",), f"section {area.section_id!r} already belongs to area {claimed[area.section_id]!r}"
                )
            )
        claimed[area.section_id] = area.id
        own = {clause.id for clause in corpus.sections[area.section_id].clauses}
        for clause_id, note in area.clause_notes.items():
            loading.expect(
                clause_id in own,
                source,
                ("clause_notes", clause_id),
                f"clause {clause_id!r} is not one of this area's clauses ({', '.join(sorted(own))})",
            )
            check_markdown_links(note, source, ("clause_notes", clause_id), corpus, loading)
        check_markdown_links(area.explanation, source, ("explanation",), corpus, loading)
