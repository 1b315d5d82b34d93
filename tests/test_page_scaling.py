"""Page building stays linear as cases and checks multiply: lookups come from indexes built once
per corpus. ``benchmarks/build_scale.py`` measures the whole build."""

from __future__ import annotations

from dataclasses import replace

from conftest import CONTENT, SCHEMA

from generator.cases import (
    cases_citing_clause,
    cases_for_question,
    cases_of_area,
    ordered_cases,
)
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
