"""Golden files: each fixture corpus beside the Markdown pages it must generate. The ``checks`` case
is the content of the fixture project with self-checks (tests/fixtures/projects/selfchecks/), so its
check pages, checks index and area self-check sections are golden too.

Refresh after an intended change with ``pytest --update-golden`` (which also deletes expected pages
no corpus generates any more) and review the diff."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SCHEMA
from golden_files import prune
from projects import FIXTURE_PROJECTS

from generator import load_corpus, site_pages

GOLDEN = Path(__file__).parent / "golden" / "pages"
ELSEWHERE = {"checks": FIXTURE_PROJECTS / "selfchecks" / "content"}
"""Cases whose content lives in a fixture project rather than in ``<case>/content``."""
CASES = sorted({path.parent.name for path in GOLDEN.glob("*/content")} | set(ELSEWHERE))


def content_of(case: str) -> Path:
    return ELSEWHERE.get(case, GOLDEN / case / "content")


def generated(case: str) -> dict[str, str]:
    corpus = load_corpus(content_of(case), SCHEMA)
    return {page.src_uri: page.markdown for page in site_pages(corpus)}


@pytest.mark.parametrize("case", CASES)
def test_generated_pages_match_golden_files(case: str, golden) -> None:
    pages = generated(case)
    expected_dir = GOLDEN / case / "expected"
    for src_uri, markdown in pages.items():
        golden.check(expected_dir / src_uri, markdown)
    listed = sorted(path.relative_to(expected_dir).as_posix() for path in expected_dir.rglob("*.md"))
    assert sorted(pages) == listed or golden.update, "expected pages that are not generated: run --update-golden"


def test_the_checks_case_has_a_page_per_check() -> None:
    assert {"checks/index.md", "checks/alpha-check.md", "checks/beta-check.md", "checks/quick-check.md"} <= set(
        generated("checks")
    )


def test_no_stale_golden_pages(update_golden: bool) -> None:
    produced = [GOLDEN / case / "expected" / src_uri for case in CASES for src_uri in generated(case)]
    assert prune(GOLDEN, produced, update_golden, pattern="*/expected/**/*.md") == []
