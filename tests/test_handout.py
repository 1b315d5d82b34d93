"""The printed handout's parts that need no browser: which self-check a case leads to (its second
QR code), and the text size chosen for its length."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import ROOT, SCHEMA

from generator import load_corpus
from generator.cases import HANDOUT_SIZES, handout_lines, handout_size
from generator.model import Case, Corpus

SELFCHECKS = ROOT / "tests" / "fixtures" / "projects" / "selfchecks" / "content"
"""Areas alpha and beta, a check of each, and quick-check across both."""


@pytest.fixture(scope="module")
def checks_corpus() -> Corpus:
    return load_corpus(SELFCHECKS, SCHEMA, ROOT)


def case(**changes) -> Case:
    base = Case(
        id="c", kind="illustrative", title="A case", lesson="A lesson.", areas=("alpha",), clauses=(),
        keywords=(), facts="Facts.", what_went_wrong="", rule="Rule.", consequences="", actions=("Act.",),
    )  # fmt: skip
    return dataclasses.replace(base, **changes)


def test_a_case_leads_to_the_check_of_the_first_question_it_names(checks_corpus: Corpus) -> None:
    found = checks_corpus.check_for_case(case(areas=("alpha",), questions=("quick-beta-register", "alpha-records")))
    assert found.id == "quick-check"


def test_without_questions_a_case_leads_to_the_check_of_its_areas_in_its_order(checks_corpus: Corpus) -> None:
    assert checks_corpus.check_for_case(case(areas=("beta", "alpha"))).id == "beta-check"


def test_failing_those_a_case_leads_to_a_check_across_areas_that_covers_one_of_its_areas(checks_corpus) -> None:
    without_alpha = dataclasses.replace(
        checks_corpus, checks={key: value for key, value in checks_corpus.checks.items() if key != "alpha-check"}
    )
    across = [check.id for check in without_alpha.ordered_checks if not check.area and "alpha" in check.areas()]
    assert len(across) >= 2, "the fixture has several checks across areas"
    assert without_alpha.check_for_case(case(areas=("alpha",))).id == across[0]
    assert without_alpha.check_for_case(case(areas=("gamma",))) is None


def test_every_real_case_leads_to_a_check_of_its_own_areas_or_questions(corpus) -> None:
    for item in corpus.cases.values():
        found = corpus.check_for_case(item)
        assert found is not None, item.id
        named = {corpus.questions[question_id].check_id for question_id in item.questions}
        assert found.id in named or found.area in item.areas, item.id


def test_longer_handouts_get_smaller_text_never_below_10_pt(corpus) -> None:
    short = case(facts="Short.", rule="Short.")
    long = case(facts="\n\n".join(["A long paragraph of facts. " * 12] * 8), rule="A rule. " * 80)
    assert handout_size(corpus, short) == HANDOUT_SIZES[0][1]
    assert handout_size(corpus, long) == "10"
    by_length = sorted(corpus.cases.values(), key=lambda item: handout_lines(corpus, item))
    sizes = [float(handout_size(corpus, item)) for item in by_length]
    assert sizes == sorted(sizes, reverse=True)
    assert min(sizes) >= 10
