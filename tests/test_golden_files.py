"""The golden-file helper: --update-golden rewrites what tests produce and deletes what none produces."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_files import Golden, pretty_json, prune


def test_check_passes_on_equal_text_and_fails_with_a_diff_otherwise(tmp_path: Path) -> None:
    golden = tmp_path / "a" / "result.json"
    golden.parent.mkdir()
    golden.write_text('{\n  "score": 50.0\n}\n', encoding="utf-8")
    Golden(update=False).check(golden, '{\n  "score": 50.0\n}\n')
    with pytest.raises(AssertionError) as failed:
        Golden(update=False).check(golden, '{\n  "score": 75.0\n}\n')
    assert '-  "score": 50.0' in str(failed.value) and '+  "score": 75.0' in str(failed.value)
    assert golden.read_text(encoding="utf-8") == '{\n  "score": 50.0\n}\n', "no update without --update-golden"


def test_a_missing_golden_file_fails_unless_updating(tmp_path: Path) -> None:
    golden = tmp_path / "new" / "deeper" / "result.json"
    with pytest.raises(AssertionError, match="missing; run pytest --update-golden"):
        Golden(update=False).check(golden, "text\n")
    assert not golden.exists()
    Golden(update=True).check(golden, "text\n")
    assert golden.read_text(encoding="utf-8") == "text\n"


def test_update_rewrites_a_changed_file_and_leaves_an_unchanged_one_alone(tmp_path: Path) -> None:
    changed, unchanged = tmp_path / "changed.md", tmp_path / "unchanged.md"
    changed.write_text("old\n", encoding="utf-8")
    unchanged.write_text("same\n", encoding="utf-8")
    before = unchanged.stat().st_mtime_ns
    Golden(update=True).check(changed, "new\n")
    Golden(update=True).check(unchanged, "same\n")
    assert changed.read_text(encoding="utf-8") == "new\n"
    assert unchanged.stat().st_mtime_ns == before


def test_prune_reports_stale_files_and_deletes_them_only_when_updating(tmp_path: Path) -> None:
    root = tmp_path / "golden"
    kept = [root / "check-a" / "all-best.json", root / "check-a" / "mixed.json"]
    stale = [root / "check-a" / "retired-profile.json", root / "retired-check" / "all-best.json"]
    for path in kept + stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}\n", encoding="utf-8")
    assert prune(root, kept, update=False) == sorted(stale)
    assert all(path.exists() for path in kept + stale), "reporting deletes nothing"
    assert prune(root, kept, update=True) == []
    assert all(path.exists() for path in kept)
    assert not any(path.exists() for path in stale)
    assert not (root / "retired-check").exists(), "a folder left empty goes too"
    assert root.is_dir()


def test_prune_only_looks_at_files_matching_its_pattern(tmp_path: Path) -> None:
    root = tmp_path / "pages"
    content = root / "case" / "content" / "guideline.yaml"
    expected = root / "case" / "expected" / "index.md"
    stale = root / "case" / "expected" / "gone.md"
    for path in (content, expected, stale):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n", encoding="utf-8")
    assert prune(root, [expected], update=True, pattern="*/expected/**/*.md") == []
    assert content.exists() and expected.exists() and not stale.exists()


def test_pretty_json_is_indented_sorted_and_ends_with_a_newline() -> None:
    assert pretty_json({"b": [1], "a": "é"}) == '{\n  "a": "é",\n  "b": [\n    1\n  ]\n}\n'
