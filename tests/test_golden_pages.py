"""Golden files: each fixture corpus beside the Markdown pages it must generate.

Refresh after an intended change with ``pytest --update-golden`` and review the diff."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SCHEMA

from generator import load_corpus, site_pages

GOLDEN = Path(__file__).parent / "golden" / "pages"


@pytest.mark.parametrize("case", sorted(path.name for path in GOLDEN.iterdir() if path.is_dir()))
def test_generated_pages_match_golden_files(case: str, update_golden: bool) -> None:
    corpus = load_corpus(GOLDEN / case / "content", SCHEMA)
    pages = {page.src_uri: page.markdown for page in site_pages(corpus)}
    expected_dir = GOLDEN / case / "expected"
    if update_golden:
        for src_uri, markdown in pages.items():
            target = expected_dir / src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")
    expected = {
        path.relative_to(expected_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in expected_dir.rglob("*.md")
    }
    assert sorted(pages) == sorted(expected)
    for src_uri, markdown in pages.items():
        assert markdown == expected[src_uri], src_uri
