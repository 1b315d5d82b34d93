"""Page building stays linear as cases and checks multiply: lookups come from indexes built once
per corpus, and a case page links a bounded number of checks. ``benchmarks/build_scale.py``
measures the whole build."""

from __future__ import annotations

from dataclasses import replace

from bs4 import BeautifulSoup
from conftest import CONTENT, SCHEMA

from generator.cases import (
    case_page,
    cases_citing_clause,
    cases_for_question,
    cases_of_area,
    ordered_cases,
)
from generator.checks import CHECKS_PER_CASE_AREA
from generator.corpus import load_corpus


def corpus():
    return load_corpus(CONTENT, SCHEMA)


def test_case_lookups_match_a_scan_of_every_case() -> None:
    real = corpus()
    every = ordered_cases(real)
    assert every
    for clause_id in real.clauses:
        assert list(cases_citing_clause(real, clause_id)) == [case for case in every if clause_id in case.clauses]
    for question_id in real.questions:
        assert list(cases_for_question(real, question_id)) == [case for case in every if question_id in case.questions]
    for area_id in real.areas:
        assert list(cases_of_area(real, area_id)) == [case for case in every if area_id in case.areas]


def test_lookups_follow_cases_added_after_the_first_lookup() -> None:
    real = corpus()
    case = next(iter(real.cases.values()))
    clause_id = case.clauses[0]
    before = cases_citing_clause(real, clause_id)
    real.cases["copy-of-a-case"] = replace(case, id="copy-of-a-case")
    assert [found.id for found in cases_citing_clause(real, clause_id)].count("copy-of-a-case") == 1
    assert len(cases_citing_clause(real, clause_id)) == len(before) + 1


def test_a_case_page_links_a_few_checks_per_area_then_the_area_list() -> None:
    real = corpus()
    labour = real.checks["labour-check"]
    for number in range(CHECKS_PER_CASE_AREA + 1):
        real.checks[f"labour-check-{number}"] = replace(labour, id=f"labour-check-{number}", questions=())
    case = next(case for case in real.cases.values() if case.areas == ("labour",))
    soup = BeautifulSoup(case_page(real, case).markdown, "html.parser")
    links = [(link["href"], link.get_text()) for link in soup.select(".case-self-checks a")][len(case.questions) :]
    assert [href for href, _ in links[:CHECKS_PER_CASE_AREA]] == [
        "../../checks/labour-check/",
        "../../checks/labour-check-0/",
        "../../checks/labour-check-1/",
    ]
    assert links[CHECKS_PER_CASE_AREA:] == [
        (
            "../../areas/labour/#self-check",
            f"All {CHECKS_PER_CASE_AREA + 2} self-checks on {real.areas['labour'].title}",
        )
    ]


def test_a_case_page_lists_every_check_of_its_area_within_the_limit() -> None:
    real = corpus()
    case = next(case for case in real.cases.values() if case.areas == ("labour",))
    soup = BeautifulSoup(case_page(real, case).markdown, "html.parser")
    links = [link["href"] for link in soup.select(".case-self-checks a")][len(case.questions) :]
    assert links == ["../../checks/labour-check/"]
