"""Authoring aids for editors: ``new`` writes the skeleton of a content file, ``explain`` shows how
an item is used across the site.

``new <type> <id>`` knows the types from the features' content types (a schema each), so a
feature that adds a content type gets ``new`` for it with no change here. The skeleton passes its
schema, so an editor's YAML tools help at once, but every value the editor must write is a
placeholder (text containing ``TODO``, a reference ``todo``) and :func:`check_placeholders`
reports each one, at its file and line, until it is replaced: a skeleton can never be published
by accident. Dates are today's, numbers the smallest the schema allows, choices the first offered.

``explain <id or file>`` answers "where does this show, and what points at it?" from the corpus:
the item's file, its pages (addresses from :mod:`generator.urls`) and its links in and out.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import io
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from . import markdown, urls
from .commands import load_or_report
from .feature import Feature, content_types
from .glossary import terms_in
from .loading import Loading, declared_ids, find_content_files, safe_text
from .model import Corpus
from .yamlsource import KeyPath, read_source

SCHEMA_SUFFIX = ".schema.json"
PLACEHOLDER = "TODO"
"""Every text a skeleton leaves for the editor contains it; validation refuses it."""
PLACEHOLDER_ID = "todo"
"""A reference the editor must point at a real item (ids are lower case, so not ``TODO``)."""
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


# --- new ------------------------------------------------------------------------------------------


def content_type_names(features: Sequence[Feature]) -> dict[str, str]:
    """Type name (``case``) → schema file (``case.schema.json``), for every feature's content type."""
    return {schema.removesuffix(SCHEMA_SUFFIX): schema for schema in content_types(features)}


class Skeleton:
    """Placeholder values for a schema: what its required fields need, and nothing more."""

    def __init__(self, schema_dir: Path, schema: str, item_id: str) -> None:
        self.schema_dir = schema_dir
        self.documents: dict[str, dict] = {}
        self.schema = schema
        self.item_id = item_id
        self.nested_ids = 0

    def _document(self, name: str) -> dict:
        if name not in self.documents:
            self.documents[name] = json.loads((self.schema_dir / name).read_text(encoding="utf-8"))
        return self.documents[name]

    def _resolve(self, node: dict, document: str) -> tuple[dict, str]:
        """Follow ``$ref`` (within a schema file or to another one) until a node without one."""
        while "$ref" in node:
            target, _, pointer = node["$ref"].partition("#")
            document = target or document
            found = self._document(document)
            for part in pointer.strip("/").split("/") if pointer.strip("/") else ():
                found = found[part]
            title = node.get("title")
            node = {**found, **({"title": title} if title else {})}
        return node, document

    def value(self) -> dict:
        return self._value(self._document(self.schema), "", (), self.schema)

    def _value(self, node: dict, name: str, path: KeyPath, document: str) -> object:
        ref = node.get("$ref", "")
        node, document = self._resolve(node, document)
        for combined in ("oneOf", "anyOf", "allOf"):
            if combined in node:
                first, document = self._resolve(node[combined][0], document)
                node = {
                    **{key: value for key, value in node.items() if key != combined},
                    **first,
                    "required": [*node.get("required", []), *first.get("required", [])],
                    "properties": {**node.get("properties", {}), **first.get("properties", {})},
                }
        if "if" in node:
            # The skeleton holds required keys only: a condition that needs another key does not
            # hold, so the "else" branch's requirements apply (e.g. a question's weight and advice
            # unless it is a gate question).
            holds = set(node["if"].get("required", [])) <= set(node.get("required", []))
            branch = node.get("then" if holds else "else", {})
            node = {**node, "required": [*node.get("required", []), *branch.get("required", [])]}
        if "const" in node:
            return node["const"]
        if "enum" in node:
            return node["enum"][0]
        kind = node.get("type", "object" if "properties" in node else "string")
        if isinstance(kind, list):
            kind = kind[0]
        if kind == "object":
            required = node.get("required", [])
            properties = node.get("properties", {})
            return {key: self._value(properties.get(key, {}), key, (*path, key), document) for key in required}
        if kind == "array":
            count = max(node.get("minItems", 1), 1)
            # An item is named after its list ("TODO: actions"), not after the type of its values.
            items = {**node.get("items", {}), "title": node.get("title") or name}
            return [self._value(items, name, (*path, index), document) for index in range(count)]
        if kind in ("integer", "number"):
            if "minimum" in node:
                return node["minimum"]
            if "exclusiveMinimum" in node:
                return node["exclusiveMinimum"] + 1
            return 1
        if kind == "boolean":
            return False
        return self._text(node, name, path, ref)

    def _text(self, node: dict, name: str, path: KeyPath, ref: str) -> str:
        if name == "id":
            if len(path) == 1:
                return self.item_id
            self.nested_ids += 1
            return f"{self.item_id}-{self.nested_ids}"
        if ref.endswith(("/id", "/reference")) or node.get("pattern") == ID_PATTERN.pattern:
            return PLACEHOLDER_ID
        if node.get("format") == "date" or "partial_date" in ref or name in ("date", "issued"):
            return datetime.date.today().isoformat()
        if node.get("format") == "uri" or ref.endswith("/url"):
            return f"https://example.invalid/{PLACEHOLDER}"
        title = node.get("title") or name.replace("_", " ")
        return f"{PLACEHOLDER}: {title.lower()}"


def skeleton_text(schema_dir: Path, schema: str, item_id: str, target: Path) -> str:
    """The file ``new`` writes: the schema line (relative to where the file goes), then the
    required fields with their placeholders."""
    data = Skeleton(schema_dir, schema, item_id).value()
    schema_path = os.path.relpath((schema_dir / schema).resolve(), target.parent.resolve())
    buffer = io.StringIO()
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    yaml.dump(data, buffer)
    return (
        f"# yaml-language-server: $schema={Path(schema_path).as_posix()}\n"
        f"# Written by `python -m generator new`: replace every {PLACEHOLDER} and '{PLACEHOLDER_ID}', "
        "then run `python -m generator validate`.\n" + buffer.getvalue()
    )


def folder_for(schema: str, content_dir: Path, type_name: str, features: Sequence[Feature]) -> Path:
    """Where ``new`` puts a file of this schema: the folder its feature names, else the folder most
    files of the schema are in already (the project's own convention), else one named after the type."""
    for feature in features:
        if schema in feature.content_folders:
            return content_dir / feature.content_folders[schema]
    files, _ = find_content_files(content_dir, content_dir) if content_dir.is_dir() else ([], [])
    folders: Counter[Path] = Counter()
    for file in files:
        with file.open(encoding="utf-8", errors="replace") as handle:
            first = handle.readline().rstrip()
        if first.endswith(("/" + schema, "=" + schema)):
            folders[file.parent] += 1
    if folders:
        most = max(folders.values())
        return min(folder for folder, count in folders.items() if count == most)
    return content_dir / type_name


def new_command(args: argparse.Namespace, features: Sequence[Feature]) -> int:
    types = content_type_names(features)
    if args.type not in types:
        print(f"unknown content type {args.type!r}{_did_you_mean(args.type, types)}", file=sys.stderr)
        print(f"content types: {', '.join(sorted(types))}", file=sys.stderr)
        return 2
    schema = types[args.type]
    if not (args.schema / schema).is_file():
        print(f"no schema {schema} in {args.schema}; give the schema folder with --schema", file=sys.stderr)
        return 2
    root = json.loads((args.schema / schema).read_text(encoding="utf-8"))
    if "id" not in root.get("properties", {}):
        print(
            f"a {args.type} file is not one item with an id; edit the existing one "
            f"(see the content reference) instead of making a new one",
            file=sys.stderr,
        )
        return 2
    if not ID_PATTERN.match(args.id):
        print(f"{args.id!r} is not an id: lower-case letters, digits and single hyphens", file=sys.stderr)
        return 2
    target = folder_for(schema, args.content, args.type, features) / f"{args.id}.yaml"
    if target.exists():
        print(f"{target} already exists; nothing was written", file=sys.stderr)
        return 1
    text = skeleton_text(args.schema, schema, args.id, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {target}: replace every {PLACEHOLDER} and '{PLACEHOLDER_ID}', then run validate")
    return 0


def add_new_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "new", help="write the skeleton of a content file (e.g. new case my-case); never overwrites"
    )
    parser.add_argument("type", help="the content type: the name of its schema (case, area, check, term …)")
    parser.add_argument("id", help="the new item's id (lower-case letters, digits and hyphens)")
    parser.set_defaults(run=new_command)


def check_placeholders(corpus: Corpus, loading: Loading) -> None:
    """A value a skeleton left for the editor is an error until it is written."""
    seen = set()
    for source, _ in loading.defined.values():
        if id(source) in seen:
            continue
        seen.add(id(source))
        for parts, value in _strings(source.data, ()):
            if PLACEHOLDER in value or value == PLACEHOLDER_ID:
                loading.problems.append(
                    source.problem(parts, f"placeholder {value!r} left by `new`: write the real value")
                )


def _strings(data: object, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


# --- explain --------------------------------------------------------------------------------------


@dataclass
class Explanation:
    """What ``explain`` prints about one item."""

    kind: str
    id: str
    title: str
    file: str | None
    pages: list[str] = field(default_factory=list)
    out: dict[str, list[str]] = field(default_factory=dict)
    """Links out: what the item names (its areas, clauses, questions …)."""
    into: dict[str, list[str]] = field(default_factory=dict)
    """Links in: what names the item."""

    def lines(self) -> list[str]:
        lines = [f"{self.kind} {self.id}: {self.title}", f"file: {self.file or '(none)'}", "pages:"]
        lines.extend(f"  {page}" for page in self.pages or ["(none)"])
        for heading, groups in (("links out", self.out), ("links in", self.into)):
            lines.append(f"{heading}:")
            shown = {name: items for name, items in groups.items() if items}
            if not shown:
                lines.append("  (none)")
            for name, items in shown.items():
                lines.append(f"  {name}:")
                lines.extend(f"    {item}" for item in items)
        return [safe_text(line) for line in lines]


def _page(src_uri: str, fragment: str = "") -> str:
    return urls.site_path(src_uri) + (f"#{fragment}" if fragment else "")


def _clause_page(corpus: Corpus, clause_id: str) -> str:
    clause = corpus.clauses[clause_id]
    document = corpus.documents[clause.document_id]
    return _page(urls.document_src(document), clause_id)


def _area(corpus: Corpus, area_id: str) -> str:
    return f"{area_id} ({_page(urls.area_src(area_id))})" if area_id in corpus.areas else area_id


def _clause(corpus: Corpus, clause_id: str) -> str:
    return f"{clause_id} ({_clause_page(corpus, clause_id)})" if clause_id in corpus.clauses else clause_id


def _document(corpus: Corpus, document_id: str) -> str:
    return f"{document_id} ({_page(urls.document_src(corpus.documents[document_id]))})"


def _case(case_id: str) -> str:
    return f"{case_id} ({_page(urls.case_src(case_id))})"


def _check(check_id: str) -> str:
    return f"{check_id} ({_page(urls.check_src(check_id))})"


def _question(corpus: Corpus, question_id: str) -> str:
    question = corpus.questions.get(question_id)
    if question is None:
        return question_id
    return f"{question_id} (check {question.check_id}, {_page(urls.check_src(question.check_id), question_id)})"


def _named_by_areas(corpus: Corpus, area_id: str) -> list[str]:
    documents = [document for document in corpus.library_documents if area_id in document.areas]
    sources = [source for source in corpus.ordered_sources if area_id in source.areas]
    events = [event for event in corpus.events.values() if area_id in event.areas]
    return [
        *(f"document {doc.id} ({_page(urls.document_src(doc))})" for doc in documents),
        *(f"source {source.id} ({_page(urls.source_src(source.id))})" for source in sources),
        *(f"event {event.id} ({_page(urls.TIMELINE)})" for event in events),
    ]


def explain_item(corpus: Corpus, item_id: str, content_dir: Path = Path("content")) -> Explanation | None:
    """How the item with this id is used, or ``None`` when no item has it; its file is shown under
    ``content_dir``, as an editor finds it."""
    file = corpus.files.get(item_id)
    file = (content_dir / file).as_posix() if file else None
    if item_id in corpus.clauses:
        clause = corpus.clauses[item_id]
        area = corpus.area_of_clause(item_id)
        pages = [_clause_page(corpus, item_id)]
        if area:
            pages.append(_page(urls.area_src(area.id), item_id))
        pages.extend(_page(urls.case_src(case.id)) for case in corpus.cases_citing_clause(item_id))
        return Explanation(
            "clause",
            item_id,
            clause.text,
            file,
            pages,
            out={"document": [_document(corpus, clause.document_id)]},
            into={
                "areas": [_area(corpus, area.id)] if area else [],
                "areas linking it": [
                    _area(corpus, other.id)
                    for other in corpus.ordered_areas
                    if item_id in markdown.clause_links(other.explanation)
                ],
                "questions": [
                    _question(corpus, question.id)
                    for question in corpus.questions.values()
                    if item_id in question.clauses
                ],
                "cases": [_case(case.id) for case in corpus.cases_citing_clause(item_id)],
                "terms": [
                    f"{term.id} ({_page(urls.GLOSSARY, term.id)})"
                    for term in corpus.terms.values()
                    if term.source_clause == item_id
                ],
                "terms marked in it": terms_in(corpus, clause.text),
            },
        )
    if item_id in corpus.areas:
        area = corpus.areas[item_id]
        guideline_page = urls.document_src(corpus.guideline)
        return Explanation(
            "area",
            item_id,
            area.title,
            file,
            [_page(urls.area_src(item_id))],
            out={
                "section": [f"{section} ({_page(guideline_page, section)})" for section in area.section_ids]
                + ([f"{area.part_id} ({_page(guideline_page, area.part_id)})"] if area.part_id else []),
                "clauses linked": [_clause(corpus, c) for c in dict.fromkeys(markdown.clause_links(area.explanation))],
            },
            into={
                "checks": [_check(check.id) for check in corpus.checks_of_area(item_id)],
                "questions": [
                    _question(corpus, q.id) for q in corpus.questions.values() if q.own_area and q.area == item_id
                ],
                "cases": [_case(case.id) for case in corpus.cases_of_area(item_id)],
                "policy library": _named_by_areas(corpus, item_id),
            },
        )
    if item_id in corpus.checks:
        check = corpus.checks[item_id]
        return Explanation(
            "check",
            item_id,
            check.title,
            file,
            [_page(urls.check_src(item_id))],
            out={
                "areas": [_area(corpus, area) for area in check.areas()],
                "questions": [_question(corpus, question.id) for question in check.questions],
                "scale": [check.scale],
                "bands": [check.bands],
            },
            into={
                "cases": [
                    _case(case.id)
                    for case in corpus.ordered_cases
                    if any(question.id in case.questions for question in check.questions)
                ],
            },
        )
    if item_id in corpus.questions:
        question = corpus.questions[item_id]
        return Explanation(
            "question",
            item_id,
            question.text,
            file,
            [_page(urls.check_src(question.check_id), item_id)],
            out={
                "check": [_check(question.check_id)],
                "area": [_area(corpus, question.area)],
                "clauses": [_clause(corpus, c) for c in question.clauses],
                "shown if": [question.show_if.question] if question.show_if else [],
            },
            into={"cases": [_case(case.id) for case in corpus.cases_for_question(item_id)]},
        )
    if item_id in corpus.cases:
        case = corpus.cases[item_id]
        offered = corpus.check_for_case(case)
        return Explanation(
            "case",
            item_id,
            case.title,
            file,
            [_page(urls.case_src(item_id))],
            out={
                "areas": [_area(corpus, area) for area in case.areas],
                "clauses": [_clause(corpus, c) for c in case.clauses],
                "questions": [_question(corpus, q) for q in case.questions],
                "self-check offered": [_check(offered.id)] if offered else [],
            },
            into={
                "campaigns": [
                    f"{campaign.id} ({_page(urls.campaign_sheet_src(campaign.id))})"
                    for campaign in corpus.ordered_campaigns
                    if item_id in campaign.cases
                ],
            },
        )
    if item_id in corpus.terms:
        term = corpus.terms[item_id]
        marked = [clause.id for clause in corpus.clauses.values() if item_id in terms_in(corpus, clause.text)]
        return Explanation(
            "term",
            item_id,
            term.term,
            file,
            [_page(urls.GLOSSARY, item_id)],
            out={"source clause": [_clause(corpus, term.source_clause)] if term.source_clause else []},
            into={"marked in clauses": [_clause(corpus, clause_id) for clause_id in marked]},
        )
    if item_id in corpus.campaigns:
        campaign = corpus.campaigns[item_id]
        return Explanation(
            "campaign",
            item_id,
            campaign.title,
            file,
            [_page(urls.campaign_sheet_src(item_id)), _page(urls.CASES_INDEX) + urls.campaign_query(item_id)],
            out={"cases": [_case(case_id) for case_id in campaign.cases]},
        )
    if item_id in corpus.documents:
        document = corpus.documents[item_id]
        return Explanation(
            "document",
            item_id,
            document.title,
            file,
            [_page(urls.document_src(document))],
            out={"areas": [_area(corpus, area) for area in document.areas]},
            into={},
        )
    if item_id in corpus.library_sources:
        source = corpus.library_sources[item_id]
        return Explanation(
            "source",
            item_id,
            source.title,
            file,
            [_page(urls.source_src(item_id))],
            out={"areas": [_area(corpus, area) for area in source.areas]},
            into={"events": [event.id for event in corpus.events.values() if event.stated_in == item_id]},
        )
    if item_id in corpus.events:
        event = corpus.events[item_id]
        return Explanation(
            "event",
            item_id,
            event.title,
            file,
            [_page(urls.TIMELINE)],
            out={"stated in": [event.stated_in], "areas": [_area(corpus, area) for area in event.areas]},
        )
    for kind, items, attribute in (("scale", corpus.scales, "scale"), ("bands", corpus.bands, "bands")):
        if item_id in items:
            users = [_check(check.id) for check in corpus.ordered_checks if getattr(check, attribute) == item_id]
            return Explanation(kind, item_id, items[item_id].title, file, [], into={"checks": users})
    return None


def known_ids(corpus: Corpus) -> list[str]:
    collections = (
        *(corpus.clauses, corpus.areas, corpus.checks, corpus.questions, corpus.cases, corpus.terms),
        *(corpus.campaigns, corpus.documents, corpus.library_sources, corpus.events, corpus.scales, corpus.bands),
    )
    return [identifier for collection in collections for identifier in collection]


def _did_you_mean(wanted: str, known: object) -> str:
    nearest = difflib.get_close_matches(wanted, list(known), n=1, cutoff=0.6)
    return f" (did you mean {nearest[0]!r}?)" if nearest else ""


def item_of_file(path: Path) -> str | None:
    """The id a content file declares first (its own), or ``None`` for a file that declares none."""
    source = read_source(path, path.as_posix())
    if not hasattr(source, "data"):
        return None
    return next(declared_ids(source.data), None)


def explain_command(args: argparse.Namespace, features: Sequence[Feature]) -> int:
    corpus = load_or_report(args, features)
    if corpus is None:
        return 1
    wanted = args.item
    path = Path(wanted)
    if wanted.endswith((".yaml", ".yml")):
        if not path.is_file():
            print(f"no such file: {safe_text(args.item)}", file=sys.stderr)
            return 1
        wanted = item_of_file(path) or ""
        if not wanted:
            print(f"{safe_text(args.item)} declares no item with an id", file=sys.stderr)
            return 1
    explanation = explain_item(corpus, wanted, args.content)
    if explanation is None:
        hint = _did_you_mean(wanted, known_ids(corpus))
        print(f"no item has the id {safe_text(wanted)!r}{safe_text(hint)}", file=sys.stderr)
        return 1
    print("\n".join(explanation.lines()))
    return 0


def add_explain_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "explain", help="show how an item is used: its file, its pages, and its links in and out"
    )
    parser.add_argument("item", help="an id (clause, area, check, question, case, term …) or a content file")
    parser.set_defaults(run=explain_command)
