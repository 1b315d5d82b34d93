"""The case library as data: precise errors for bad cases (written into the small fixture project's
content) and the real cases' coverage. (The golden pages of a fixture corpus with cases are in
``tests/golden/pages/cases/``.)"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import CASE_IDS, SCHEMA
from projects import FIXTURE_PROJECTS

from generator import load_corpus
from generator.diagnostics import ContentError

VALID_CASE = """\
# yaml-language-server: $schema=../../schema/case.schema.json
id: {id}
kind: illustrative
title: "A workshop that never signed labour contracts"
lesson: "Sign in writing within the first month."
areas: [{areas}]
clauses: [{clauses}]
keywords: [labour contract]
facts: "A workshop hired on a handshake."
what_went_wrong: "No written contracts."
rule: "See the [labour contract system]({link})."
consequences: "Claims and orders to correct."
actions:
  - "Sign a written contract with every employee."
questions: [{questions}]
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the fixture project's content (a guideline with the labour clauses, the labour area)
    without its case."""
    copy = tmp_path / "content"
    shutil.copytree(FIXTURE_PROJECTS / "minimal" / "content", copy, ignore=shutil.ignore_patterns("cases"))
    (copy / "cases").mkdir()
    return copy


def write_case(content: Path, name: str, **fields: str) -> None:
    values = {"id": name, "areas": "labour", "clauses": "labour-2", "link": "clause:labour-2", "questions": ""}
    values.update(fields)
    (content / "cases" / f"{name}.yaml").write_text(VALID_CASE.format(**values), encoding="utf-8")


def problems(content: Path) -> list[str]:
    with pytest.raises(ContentError) as raised:
        load_corpus(content, SCHEMA, content.parent)
    return [str(problem) for problem in raised.value.problems]


def test_a_valid_case_loads(content: Path) -> None:
    write_case(content, "unsigned-contracts")
    corpus = load_corpus(content, SCHEMA, content.parent)
    assert corpus.cases["unsigned-contracts"].clauses == ("labour-2",)


def test_bad_references_are_reported_at_their_line(content: Path) -> None:
    write_case(content, "unknown-area", areas="labour, payroll")
    write_case(content, "dangling-clause", clauses="labour-2, labour-99", link="clause:labour-98")
    write_case(content, "dangling-question", questions="pays-social-insurance")
    assert problems(content) == [
        "content/cases/dangling-clause.yaml:7:21: $.clauses[1]: unknown clause 'labour-99'",
        "content/cases/dangling-clause.yaml:11:7: $.rule: link to unknown clause 'labour-98'",
        "content/cases/dangling-question.yaml:15:13: $.questions[0]: unknown self-check question "
        "'pays-social-insurance'",
        "content/cases/unknown-area.yaml:6:17: $.areas[1]: unknown area 'payroll' (areas: labour)",
    ]


def test_question_references_resolve_once_self_checks_define_them(content: Path) -> None:
    """The self-checks fill ``Corpus.questions``; a case naming a known question then loads."""
    from generator import FEATURES, Feature

    write_case(content, "with-question", questions="pays-social-insurance")

    def add_question(source, draft, loading) -> None:
        draft.questions["pays-social-insurance"] = object()

    # A feature standing in for the self-checks: a check file defines that one question.
    stand_in = Feature("questions", content_types={"check.schema.json": add_question})
    features = [feature for feature in FEATURES if "check.schema.json" not in feature.content_types]
    (content / "checks").mkdir()
    check = FIXTURE_PROJECTS / "selfchecks" / "content" / "checks" / "quick-check.yaml"
    shutil.copy(check, content / "checks" / "quick-check.yaml")
    loaded = load_corpus(content, SCHEMA, content.parent, features=[*features, stand_in])
    assert loaded.cases["with-question"].questions == ("pays-social-insurance",)


def test_duplicate_and_unsafe_ids_are_refused(content: Path) -> None:
    write_case(content, "first-copy", id="labour")
    write_case(content, "second", id="Second Case")
    found = problems(content)
    assert found[0].startswith("content/cases/first-copy.yaml:2:5: $.id: id 'labour' is already used at ")
    assert found[0].endswith("; ids must be unique across the content")
    assert found[1].startswith("content/cases/second.yaml:2:5: $.id: 'Second Case' is not a valid identifier")
    assert len(found) == 2


def test_a_reported_case_needs_its_source(content: Path) -> None:
    write_case(content, "reported")
    path = content / "cases" / "reported.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: illustrative", "kind: reported"), "utf-8")
    assert problems(content) == [
        "content/cases/reported.yaml:2:1: $: missing required key 'source' "
        "(a reported case needs the source it was published in)"
    ]


def test_the_case_files_are_the_cases_the_tests_go_through(corpus) -> None:
    """Tests parametrized over the real cases take their ids from the file names (CASE_IDS)."""
    assert CASE_IDS == sorted(corpus.cases) == list(corpus.cases)


def test_the_library_covers_every_area_with_at_least_two_cases(corpus) -> None:
    assert len(corpus.cases) >= 20
    for area in corpus.areas:
        citing = [case.id for case in corpus.cases.values() if area in case.areas]
        assert len(citing) >= 2, area


def test_cases_cite_official_text_by_reference_only(corpus) -> None:
    """No case copies a clause (or a long stretch of one): the page shows the official text from the
    guideline itself. Quoting a short phrase while explaining it is fine."""
    fragments = {
        clause.id: [clause.text.rstrip(";。."), *(piece.strip() for piece in clause.text.split(";") if len(piece) > 80)]
        for clause in corpus.clauses.values()
    }
    for case in corpus.cases.values():
        text = " ".join([case.facts, case.what_went_wrong, case.rule, case.consequences, *case.actions])
        copied = [(clause_id, piece) for clause_id, pieces in fragments.items() for piece in pieces if piece in text]
        assert copied == [], case.id


def test_illustrative_cases_name_no_article_numbers_or_fine_amounts(corpus) -> None:
    invented = re.compile(r"\bArticle \d+|\d[\d,.]* ?(?:yuan|RMB|CNY)|(?:yuan|RMB|CNY|¥) ?\d", re.IGNORECASE)
    for case in corpus.cases.values():
        if case.kind == "illustrative":
            text = " ".join([case.facts, case.what_went_wrong, case.rule, case.consequences, *case.actions])
            assert invented.findall(text) == [], case.id


def test_every_payload_in_every_case_field_renders_inert(content: Path) -> None:
    """The shared payload corpus in each formatted field and tip of a case page."""
    from dataclasses import replace

    from test_markdown_safety import PAYLOADS, assert_inert

    from generator.cases import case_page
    from generator.feature import blocks
    from generator.features import FEATURES
    from generator.model import CASE_FORMATTED_FIELDS as FORMATTED_FIELDS
    from generator.render import Site

    write_case(content, "unsigned-contracts")
    corpus = load_corpus(content, SCHEMA, content.parent)
    case = corpus.cases["unsigned-contracts"]
    for payload in PAYLOADS:
        hostile = replace(case, actions=(payload, f"Tip: {payload}"), **{name: payload for name in FORMATTED_FIELDS})
        markdown = case_page(Site(corpus, blocks(FEATURES)), hostile).markdown
        assert_inert(markdown.split("\n---\n", 1)[1])


HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def test_every_case_has_a_chinese_keyword(corpus) -> None:
    """A Chinese search of the English site finds every case by the mainland term for its subject."""
    for case in corpus.cases.values():
        assert any(HAN.search(keyword) for keyword in case.keywords), case.id


def test_keywords_in_the_other_script_carry_their_language(content: Path) -> None:
    """A Han keyword on an English site gets ``lang="zh"`` on the case page and in the case index,
    an English one on a Chinese site ``lang="en"``, so a screen reader pronounces each right."""
    from bs4 import BeautifulSoup

    from generator.cases import case_page, cases_index
    from generator.feature import blocks
    from generator.features import FEATURES
    from generator.locale import load_locale
    from generator.render import Site

    write_case(content, "unsigned-contracts")
    path = content / "cases" / "unsigned-contracts.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[labour contract]", "[labour contract, 劳动合同]"), encoding="utf-8")
    corpus = load_corpus(content, SCHEMA, content.parent)
    case = corpus.cases["unsigned-contracts"]
    assert case.keywords == ("labour contract", "劳动合同")
    for language, expected in (("en", [None, "zh"]), ("zh", ["en", None])):
        site = Site(corpus, blocks(FEATURES), locale=load_locale(language))
        for page in (case_page(site, case), cases_index(site)):
            tags = BeautifulSoup(page.markdown, "html.parser").select("span.case-tag")
            assert [tag.get_text() for tag in tags] == list(case.keywords), (language, page.src_uri)
            assert [tag.get("lang") for tag in tags] == expected, (language, page.src_uri)
            assert [tag["class"] for tag in tags] == [["case-tag"], ["case-tag"]]
