"""The content model: every content type as a frozen dataclass, and the frozen :class:`Corpus`.

This is the bottom layer. It imports nothing from the generator, so loaders, cross-checks,
page builders and the command line all build on it and none of them on each other. The
corpus's lookups (areas by section, cases by clause, checks by area …) are built once, on
first use, from items that can no longer change, so no index can go stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType


def frozen_mapping(mapping: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


# --- official documents and areas ---------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    """One verbatim sentence or obligation of an official document."""

    id: str
    text: str
    document_id: str
    part_id: str
    section_id: str | None
    former_ids: tuple[str, ...] = ()
    """Ids the clause had before a rename; each stays a working anchor on its page."""


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
    official_url: str | None = None
    """The official source's address: shown as a plain link, never loaded."""
    address: str | None = None
    """The guideline's page address (``guideline`` → ``/guideline/``); ``None`` for library documents."""
    nav_title: str | None = None
    """The guideline page's title in the navigation; ``None``: the short title."""
    description: str | None = None
    """What the site is, in one sentence: the share preview of pages with no description of
    their own (the site's ``site_description``); ``None``: ``mkdocs.yml``'s."""
    language: str | None = None
    """The language the content is written in (guideline only); ``None``: the interface's."""
    areas_title: str | None = None
    """The heading of the key areas' index; ``None``: the interface text."""
    areas_nav_title: str | None = None
    """The key areas' section in the navigation; ``None``: the interface text."""
    wording: Mapping[str, str | Mapping[str, str]] = field(default_factory=frozen_mapping)
    """Interface texts this guideline words its own way (``"guideline.goal_title": "The 2030 goal"``),
    laid over the site's texts; the keys and placeholders are those of the locale files."""

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
    section_ids: tuple[str, ...]
    """The guideline sections holding the area's official clauses, in the area file's order;
    empty for an area that covers a whole part (:attr:`part_id`)."""
    title: str
    summary: str
    explanation: str
    clause_notes: Mapping[str, str] = field(default_factory=frozen_mapping)
    part_id: str | None = None
    """The guideline part the area covers whole, when it names a part instead of sections."""

    @property
    def section_id(self) -> str | None:
        """The area's first section: where a single link to "the area in the guideline" leads."""
        return self.section_ids[0] if self.section_ids else None


# --- self-checks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    points: float | None
    not_applicable: bool


@dataclass(frozen=True)
class Scale:
    """The answer options of a check's questions."""

    id: str
    title: str
    options: tuple[Option, ...]

    @property
    def best(self) -> float:
        return max(option.points for option in self.options if option.points is not None)


@dataclass(frozen=True)
class Band:
    level: str
    label: str
    min: float
    max: float
    summary: str


@dataclass(frozen=True)
class Bands:
    """Score thresholds → risk level, covering 0–100 exactly once."""

    id: str
    title: str
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class ShowIf:
    """The simplest condition: an earlier question (shown) was answered with one of ``answer_in``."""

    question: str
    answer_in: tuple[str, ...]


@dataclass(frozen=True)
class AllOf:
    """Holds when every one of its conditions holds."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """Holds when at least one of its conditions holds."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """Holds when its condition does not (an unanswered or hidden question's answer is in no list)."""

    condition: Condition


Condition = ShowIf | AllOf | AnyOf | Not
"""A question's ``show_if``: one answer condition, or all / any / not of several, nested."""


def condition_parts(condition: Condition) -> tuple[str, tuple[Condition, ...]]:
    """The condition's YAML key (``all``, ``any``, ``not``; ``""`` for an answer condition) and
    the conditions inside it, so walks over a condition need not know every form."""
    if isinstance(condition, AllOf):
        return "all", condition.conditions
    if isinstance(condition, AnyOf):
        return "any", condition.conditions
    if isinstance(condition, Not):
        return "not", (condition.condition,)
    return "", ()


def answer_conditions(condition: Condition, negated: bool = False) -> Iterator[tuple[ShowIf, bool]]:
    """Every answer condition inside ``condition``, with whether an odd number of ``not`` wraps it."""
    key, inner = condition_parts(condition)
    if isinstance(condition, ShowIf):
        yield condition, negated
    for part in inner:
        yield from answer_conditions(part, negated != (key == "not"))


@dataclass(frozen=True)
class Question:
    """One question of a check; ``area`` is the check's area, the question's own, or (in a check
    without an area) the area of the first clause it cites that belongs to one."""

    id: str
    check_id: str
    area: str
    text: str
    help: str | None
    clauses: tuple[str, ...]
    weight: float
    red_line: bool
    show_if: Condition | None
    advice: str
    own_area: bool
    """True when the content names the area on the question."""
    not_applicable: bool = True
    """False when the content says ``not_applicable: false``: the scale's not-applicable options
    are not offered, so a red line cannot be stepped around."""
    scale: str | None = None
    """The question's own answer scale (a scale id), overriding the check's; None: the check's."""
    scored: bool = True
    """False for a gate question ("Do you export?"): answered and steering ``show_if`` of later
    questions, never in the score, recommendations or red lines."""

    def options(self, scale: Scale) -> tuple[Option, ...]:
        """The options of ``scale`` (this question's scale) it accepts, in the scale's order."""
        return tuple(option for option in scale.options if self.not_applicable or not option.not_applicable)


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    area: str | None
    version: int
    intro: str
    scale: str
    bands: str
    questions: tuple[Question, ...]

    def areas(self) -> tuple[str, ...]:
        """The areas its questions cover, each once, in question order."""
        return tuple(dict.fromkeys(question.area for question in self.questions))

    def scale_of(self, question: Question) -> str:
        """The id of the scale ``question`` is answered on: its own, else the check's."""
        return question.scale or self.scale


# --- cases --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseSource:
    """Where a reported case was published."""

    publisher: str
    title: str
    date: str
    url: str


@dataclass(frozen=True)
class Case:
    """One case: an SME scenario explaining the clauses it cites."""

    id: str
    kind: str
    title: str
    lesson: str
    areas: tuple[str, ...]
    clauses: tuple[str, ...]
    keywords: tuple[str, ...]
    facts: str
    what_went_wrong: str
    rule: str
    consequences: str
    actions: tuple[str, ...]
    questions: tuple[str, ...] = ()
    source: CaseSource | None = None


CASE_FORMATTED_FIELDS = ("facts", "what_went_wrong", "rule", "consequences")
"""The case fields written as formatted text (Markdown subset with ``clause:`` links)."""


@dataclass(frozen=True)
class Campaign:
    """A named list of cases for one publicity campaign, in the campaign's order."""

    id: str
    title: str
    description: str
    """Formatted text (the Markdown subset with ``clause:`` links)."""
    cases: tuple[str, ...]
    date: str | None = None


# --- policy library and glossary ----------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One key fact or figure of a source, with the passage that states it."""

    id: str
    statement: str
    quote: str
    figure: float | None = None
    unit: str | None = None
    qualifier: str | None = None


@dataclass(frozen=True)
class LibrarySource:
    """Background that is not an official document, summarised in our words with attribution."""

    id: str
    kind: str
    title: str
    short_title: str
    publisher: str
    date: str
    attribution: str
    summary: str
    facts: tuple[Fact, ...]
    date_note: str | None = None
    speakers: tuple[str, ...] = ()
    url: str | None = None
    areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyEvent:
    """A dated step in SME policy without a document of its own, as one source states it."""

    id: str
    date: str
    title: str
    stated_in: str
    quote: str
    description: str | None = None
    areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    """A term readers may not know, with our plain definition."""

    id: str
    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    source_clause: str | None = None

    def names(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class Redirect:
    """An old address and the page that replaces it."""

    old: str
    new: str
    reason: str | None = None


@dataclass(frozen=True)
class SynonymGroup:
    """Words the site search treats as one (spelling variants such as labour and labor)."""

    words: tuple[str, ...]


# --- the corpus ---------------------------------------------------------------------------------


def date_key(date: str) -> tuple[int, int, int]:
    """Sort key for a possibly partial date: a year or month alone sorts after the dated days
    within it, since the event happened at some unknown point of that period."""
    pieces = [int(piece) for piece in date.split("-")]
    year, month, day = (pieces + [13, 32])[:3] if len(pieces) == 1 else (pieces + [32])[:3]
    return year, month, day


@dataclass(frozen=True, eq=False)
class Corpus:
    """Every content item, by id. Built once from validated content and never changed after."""

    documents: Mapping[str, Document] = field(default_factory=frozen_mapping)
    areas: Mapping[str, Area] = field(default_factory=frozen_mapping)
    clauses: Mapping[str, Clause] = field(default_factory=frozen_mapping)
    sections: Mapping[str, Section] = field(default_factory=frozen_mapping)
    checks: Mapping[str, Check] = field(default_factory=frozen_mapping)
    questions: Mapping[str, Question] = field(default_factory=frozen_mapping)
    """Every self-check question by its (globally unique) id, for references from other content."""
    scales: Mapping[str, Scale] = field(default_factory=frozen_mapping)
    bands: Mapping[str, Bands] = field(default_factory=frozen_mapping)
    library_sources: Mapping[str, LibrarySource] = field(default_factory=frozen_mapping)
    """Briefings, analyses and news reports of the policy library."""
    events: Mapping[str, PolicyEvent] = field(default_factory=frozen_mapping)
    terms: Mapping[str, Term] = field(default_factory=frozen_mapping)
    cases: Mapping[str, Case] = field(default_factory=frozen_mapping)
    campaigns: Mapping[str, Campaign] = field(default_factory=frozen_mapping)
    """Named lists of cases for publicity campaigns (``/cases/?set=<id>``)."""
    redirects: Mapping[str, Redirect] = field(default_factory=frozen_mapping)
    """Moved addresses, by old site path."""
    synonyms: Mapping[str, SynonymGroup] = field(default_factory=frozen_mapping)
    """Search synonym groups, by their first word."""
    files: Mapping[str, str] = field(default_factory=frozen_mapping)
    """The content file (``/``-separated, relative to the content folder) each id was written in,
    nested ids (clauses, questions) included: what a page shows the change date of."""

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, frozen_mapping(value))

    # Lookups: built on first use, kept for the life of the corpus. Pages ask for the cases of
    # each question and clause and the checks of each case's areas; scanning every item on each
    # call made the build grow as n².

    @cached_property
    def guideline(self) -> Document:
        found = guideline_of(self.documents.values())
        if found is None:
            raise LookupError("the content has no document with role 'guideline'")
        return found

    @cached_property
    def ordered_areas(self) -> tuple[Area, ...]:
        """Areas in the order their first clause appears in the guideline."""
        order = {clause.id: position for position, clause in enumerate(self.guideline.clauses())}
        return tuple(
            sorted(
                self.areas.values(),
                key=lambda area: min(
                    (order.get(clause.id, len(order)) for clause in self.area_clauses(area)), default=0
                ),
            )
        )

    def area_clauses(self, area: Area) -> tuple[Clause, ...]:
        """The official clauses of an area: its part's own clauses and those of its sections."""
        return clauses_of_area(area, self.documents.values(), self.sections)

    @cached_property
    def _areas_by_clause(self) -> Mapping[str, Area]:
        return frozen_mapping(areas_by_clause(self.areas.values(), self.documents.values(), self.sections))

    def area_of_clause(self, clause_id: str) -> Area | None:
        """The area whose part or sections hold a clause, if any (the first such area)."""
        return self._areas_by_clause.get(clause_id)

    @cached_property
    def _areas_by_section(self) -> Mapping[str, Area]:
        index: dict[str, Area] = {}
        for area in self.areas.values():
            for section_id in area.section_ids:
                index.setdefault(section_id, area)
            for part in self.guideline.parts if area.part_id is not None else ():
                if part.id == area.part_id:
                    index.setdefault(part.id, area)
                    for section in part.sections:
                        index.setdefault(section.id, area)
        return frozen_mapping(index)

    def area_of_section(self, section_id: str) -> Area | None:
        """The area a guideline section (or a part, by its id) belongs to, if any."""
        return self._areas_by_section.get(section_id)

    @cached_property
    def _area_order(self) -> Mapping[str, int]:
        return frozen_mapping({area.id: index for index, area in enumerate(self.ordered_areas)})

    @cached_property
    def ordered_checks(self) -> tuple[Check, ...]:
        """Checks across areas first (those covering the most areas, such as a health check, before
        topic checks), then one per area in guideline order."""
        order = self._area_order
        return tuple(
            sorted(
                self.checks.values(),
                key=lambda check: (
                    check.area is not None,
                    -len(check.areas()) if check.area is None else 0,
                    order.get(check.area or "", -1),
                ),
            )
        )

    @cached_property
    def _checks_by_area(self) -> Mapping[str, tuple[Check, ...]]:
        index: dict[str, list[Check]] = {}
        for check in self.ordered_checks:
            if check.area is not None:
                index.setdefault(check.area, []).append(check)
        return frozen_mapping({area: tuple(checks) for area, checks in index.items()})

    def checks_of_area(self, area_id: str) -> tuple[Check, ...]:
        """The checks made for one area, in :attr:`ordered_checks` order."""
        return self._checks_by_area.get(area_id, ())

    @cached_property
    def ordered_cases(self) -> tuple[Case, ...]:
        """Cases grouped by their first area, in the guideline's order of areas, then by title."""
        order = self._area_order
        return tuple(sorted(self.cases.values(), key=lambda case: (order[case.areas[0]], case.title.casefold())))

    @cached_property
    def _case_indexes(self) -> tuple[Mapping[str, tuple[Case, ...]], ...]:
        by_clause: dict[str, list[Case]] = {}
        by_question: dict[str, list[Case]] = {}
        by_area: dict[str, list[Case]] = {}
        for case in self.ordered_cases:
            for index, keys in ((by_clause, case.clauses), (by_question, case.questions), (by_area, case.areas)):
                for key in dict.fromkeys(keys):
                    index.setdefault(key, []).append(case)
        return tuple(
            frozen_mapping({key: tuple(cases) for key, cases in index.items()})
            for index in (by_clause, by_question, by_area)
        )

    def cases_citing_clause(self, clause_id: str) -> tuple[Case, ...]:
        """The cases that explain this clause, in :attr:`ordered_cases` order."""
        return self._case_indexes[0].get(clause_id, ())

    def cases_for_question(self, question_id: str) -> tuple[Case, ...]:
        """The cases that name this self-check question."""
        return self._case_indexes[1].get(question_id, ())

    def cases_of_area(self, area_id: str) -> tuple[Case, ...]:
        return self._case_indexes[2].get(area_id, ())

    @cached_property
    def ordered_campaigns(self) -> tuple[Campaign, ...]:
        """Dated campaigns newest first, then undated ones; by title within a date."""
        by_title = sorted(self.campaigns.values(), key=lambda campaign: (campaign.title.casefold(), campaign.id))
        return tuple(sorted(by_title, key=lambda campaign: campaign.date or "", reverse=True))

    def cases_of_campaign(self, campaign: Campaign) -> tuple[Case, ...]:
        """The campaign's cases, in the campaign's order."""
        return tuple(self.cases[case_id] for case_id in campaign.cases)

    def check_for_case(self, case: Case) -> Check | None:
        """The one self-check to offer a reader of this case (the handout's second QR code): the
        check of the first question the case names, else the first check made for one of its areas
        (in the case's order), else the first check across areas that covers one of them."""
        for question_id in case.questions:
            if question_id in self.questions:
                return self.checks[self.questions[question_id].check_id]
        for area_id in case.areas:
            checks = self.checks_of_area(area_id)
            if checks:
                return checks[0]
        return next((check for check in self.ordered_checks if set(check.areas()) & set(case.areas)), None)

    @cached_property
    def library_documents(self) -> tuple[Document, ...]:
        """Official documents other than the guideline, oldest first."""
        return tuple(
            sorted(
                (document for document in self.documents.values() if document.role == "library"),
                key=lambda document: date_key(document.issued),
            )
        )

    @cached_property
    def ordered_sources(self) -> tuple[LibrarySource, ...]:
        return tuple(sorted(self.library_sources.values(), key=lambda item: (date_key(item.date), item.id)))


def clauses_of_area(area: Area, documents: Iterable[Document], sections: Mapping[str, Section]) -> tuple[Clause, ...]:
    """An area's clauses from plain collections, so loading can ask before the corpus is frozen."""
    clauses: list[Clause] = []
    if area.part_id is not None:
        guideline = guideline_of(documents)
        part = next((part for part in guideline.parts if part.id == area.part_id), None) if guideline else None
        clauses.extend(part.all_clauses() if part else ())
    for section_id in area.section_ids:
        section = sections.get(section_id)
        clauses.extend(section.clauses if section else ())
    return tuple(clauses)


def areas_by_clause(
    areas: Iterable[Area], documents: Iterable[Document], sections: Mapping[str, Section]
) -> dict[str, Area]:
    """Clause id → the first area holding it."""
    documents = tuple(documents)
    index: dict[str, Area] = {}
    for area in areas:
        for clause in clauses_of_area(area, documents, sections):
            index.setdefault(clause.id, area)
    return index


def guideline_of(documents: Iterable[Document]) -> Document | None:
    """The guideline among ``documents`` (content is validated to hold exactly one; a partial
    corpus, as some tests and loading before the cross-checks see, may hold none)."""
    return next((document for document in documents if document.role == "guideline"), None)
