"""Page building stays linear as cases and checks multiply: lookups come from indexes built once
per corpus, a case page links a bounded number of checks, and a check page's embedded data is
not inflated by escaping. ``benchmarks/build_scale.py`` measures the whole build."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, replace

import pytest
from bs4 import BeautifulSoup
from test_markdown_safety import PAYLOADS

from generator import FEATURES, compile_check
from generator.cases import case_page
from generator.check_pages import CHECKS_PER_CASE_AREA, check_page
from generator.feature import blocks
from generator.render import Site


def site(corpus) -> Site:
    return Site(corpus, blocks(FEATURES))


def test_case_lookups_match_a_scan_of_every_case(corpus) -> None:
    real = corpus
    every = real.ordered_cases
    assert every
    for clause_id in real.clauses:
        assert list(real.cases_citing_clause(clause_id)) == [case for case in every if clause_id in case.clauses]
    for question_id in real.questions:
        assert list(real.cases_for_question(question_id)) == [case for case in every if question_id in case.questions]
    for area_id in real.areas:
        assert list(real.cases_of_area(area_id)) == [case for case in every if area_id in case.areas]


def test_a_corpus_cannot_change_so_its_lookups_cannot_go_stale(corpus) -> None:
    real = corpus
    case = next(case for case in real.ordered_cases if len(case.clauses) > 1)
    clause_id = case.clauses[0]
    before = real.cases_citing_clause(clause_id)
    assert case in before
    with pytest.raises(TypeError):
        real.cases["copy-of-a-case"] = replace(case, id="copy-of-a-case")
    with pytest.raises(FrozenInstanceError):
        real.cases = {}
    # Replacing an item (same count) makes a new corpus, with lookups of its own.
    edited = replace(case, clauses=case.clauses[1:])
    changed = replace(real, cases={**real.cases, case.id: edited})
    assert edited not in changed.cases_citing_clause(clause_id)
    assert len(changed.cases_citing_clause(clause_id)) == len(before) - 1
    assert real.cases_citing_clause(clause_id) == before
    with pytest.raises(TypeError):
        changed.cases["another"] = case


def test_a_case_page_links_a_few_checks_per_area_then_the_area_list(corpus) -> None:
    real = corpus
    labour = real.checks["labour-check"]
    more = {
        f"labour-check-{n}": replace(labour, id=f"labour-check-{n}", questions=())
        for n in range(CHECKS_PER_CASE_AREA + 1)
    }
    real = replace(real, checks={**real.checks, **more})
    case = next(case for case in real.cases.values() if case.areas == ("labour",))
    soup = BeautifulSoup(case_page(site(real), case).markdown, "html.parser")
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
    soup = BeautifulSoup(case_page(site(real), case).markdown, "html.parser")
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
    markdown = check_page(site(real), hostile).markdown
    holders = BeautifulSoup(markdown, "html.parser").select("[data-check-data]")
    assert len(holders) == 1
    assert set(holders[0].attrs) == {"class", "hidden", "data-check-data"}
    assert json.loads(holders[0]["data-check-data"]) == compile_check(real, hostile)
    assert "data-check-data='" in markdown
    assert "&quot;" not in markdown.split("data-check-data='", 1)[1].split("'", 1)[0]
