"""Clause references on case pages read as the official text is numbered (part, section,
sentence), with the clause id only in the link."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from generator import FEATURES
from generator.cases import case_page
from generator.feature import blocks
from generator.render import Site, clause_reference


def test_a_clause_is_named_by_part_section_and_sentence(corpus) -> None:
    assert clause_reference(corpus, "labour-2") == "Part 2, section (1), sentence 2"
    assert clause_reference(corpus, "overall-2") == "Part 1, sentence 2"
    assert clause_reference(corpus, "preamble-1").startswith("Preamble")


def test_every_clause_has_a_reference_without_its_id(corpus) -> None:
    for clause_id in corpus.clauses:
        reference = clause_reference(corpus, clause_id)
        assert reference and clause_id not in reference, (clause_id, reference)


def test_case_pages_show_references_and_link_by_id(corpus) -> None:
    site = Site(corpus, blocks(FEATURES))
    for case in corpus.cases.values():
        soup = BeautifulSoup(case_page(site, case).markdown, "html.parser")
        links = soup.select(".case-meta a.clause-ref")
        assert [link["href"].split("#")[1] for link in links] == list(case.clauses), case.id
        for link, clause_id in zip(links, case.clauses, strict=True):
            assert link.get_text() == clause_reference(corpus, clause_id)
            assert not re.search(r"\b[a-z]+-\d+\b", link.get_text()), (case.id, link.get_text())
        in_context = [link.get_text() for link in soup.select(".case-clause__ref a")]
        assert in_context == [f"{clause_reference(corpus, clause_id)}, in context" for clause_id in case.clauses]
