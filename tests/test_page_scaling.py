"""Page building stays linear as cases and checks multiply: lookups come from indexes built once
per corpus, a case page links a bounded number of checks, and a check page's embedded data is
not inflated by escaping. ``benchmarks/build_scale.py`` measures the whole build."""

from __future__ import annotations

import json
from dataclasses import fields, replace

from bs4 import BeautifulSoup
from test_markdown_safety import PAYLOADS

from generator import Corpus
from generator.cases import (
    case_page,
    cases_citing_clause,
    cases_for_question,
    cases_of_area,
    ordered_cases,
)
from generator.checks import CHECKS_PER_CASE_AREA, check_page, compile_check


def own_copy(corpus: Corpus) -> Corpus:
    """The session's corpus with dictionaries of its own, for a test that adds cases or checks: the
    items are immutable and shared, the indexes (``derived``) start empty."""
    return Corpus(**{field.name: dict(getattr(corpus, field.name)) for field in fields(Corpus) if field.init})


def test_case_lookups_match_a_scan_of_every_case(corpus) -> None:
    real = corpus
    every = ordered_cases(real)
    assert every
    for clause_id in real.clauses:
        assert list(cases_citing_clause(real, clause_id)) == [case for case in every if clause_id in case.clauses]
    for question_id in real.questions:
        assert list(cases_for_question(real, question_id)) == [case for case in every if question_id in case.questions]
    for area_id in real.areas:
        assert list(cases_of_area(real, area_id)) == [case for case in every if area_id in case.areas]


def test_lookups_follow_cases_added_after_the_first_lookup(corpus) -> None:
    real = own_copy(corpus)
    case = next(iter(real.cases.values()))
    clause_id = case.clauses[0]
    before = cases_citing_clause(real, clause_id)
    real.cases["copy-of-a-case"] = replace(case, id="copy-of-a-case")
    assert [found.id for found in cases_citing_clause(real, clause_id)].count("copy-of-a-case") == 1
    assert len(cases_citing_clause(real, clause_id)) == len(before) + 1


def test_a_case_page_links_a_few_checks_per_area_then_the_area_list(corpus) -> None:
    real = own_copy(corpus)
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


def test_a_case_page_lists_every_check_of_its_area_within_the_limit(corpus) -> None:
    real = corpus
    case = next(case for case in real.cases.values() if case.areas == ("labour",))
    soup = BeautifulSoup(case_page(real, case).markdown, "html.parser")
    links = [link["href"] for link in soup.select(".case-self-checks a")][len(case.questions) :]
    assert links == ["../../checks/labour-check/"]


def test_the_embedded_check_is_single_quoted_and_survives_hostile_text(corpus) -> None:
    real = corpus
    check = real.checks["labour-check"]
    texts = [*PAYLOADS, 'it\'s "quoted" & <b>bold</b>', "' onmouseover='alert(1)", "&quot;&#x27;"]
    questions = tuple(
        replace(question, id=f"{question.id}-{n}", text=texts[n % len(texts)], advice=texts[(n + 1) % len(texts)])
        for n, question in enumerate(check.questions * 8)
    )
    hostile = replace(check, questions=questions)
    markdown = check_page(real, hostile).markdown
    holders = BeautifulSoup(markdown, "html.parser").select("[data-check-data]")
    assert len(holders) == 1
    assert set(holders[0].attrs) == {"class", "hidden", "data-check-data"}
    assert json.loads(holders[0]["data-check-data"]) == compile_check(real, hostile)
    assert "data-check-data='" in markdown
    assert "&quot;" not in markdown.split("data-check-data='", 1)[1].split("'", 1)[0]
