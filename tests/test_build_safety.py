"""A build replaces only what it may: never the project, its content, schemas or docs, never a
folder of other files; a killed build's staging folder is cleaned up by the next one; and the
site is swapped in one step, so it is never missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from generator import sitebuild
from generator.cli import main
from generator.sitebuild import MARKER, UnsafeTarget, check_target, remove_stale_staging, swap_in


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


@pytest.mark.parametrize("site_dir", ["content", ".", "docs", "schema", "content/areas", ".."])
def test_build_refuses_a_site_folder_that_holds_the_project(
    site_dir: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(ROOT)
    before = tree(ROOT / "content")
    assert main(["build", "--site-dir", site_dir]) == 1
    error = capsys.readouterr().err
    assert error.startswith("build refused: ")
    assert "nothing was changed" in error
    assert tree(ROOT / "content") == before


def test_a_folder_of_other_files_is_refused_and_an_empty_or_previous_build_is_not(tmp_path: Path) -> None:
    protected = {"the project": tmp_path / "project"}
    others = tmp_path / "photos"
    others.mkdir()
    (others / "holiday.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(UnsafeTarget, match="not empty and is not a previous build"):
        check_target(others, protected)
    check_target(tmp_path / "new", protected)
    empty = tmp_path / "empty"
    empty.mkdir()
    check_target(empty, protected)
    built = tmp_path / "built"
    built.mkdir()
    (built / "index.html").write_text("x")
    (built / MARKER).write_text("x")
    check_target(built, protected)
    file = tmp_path / "file"
    file.write_text("x")
    with pytest.raises(UnsafeTarget, match="not a folder"):
        check_target(file, protected)


def test_stale_staging_folders_are_removed_but_a_running_build_keeps_its_own(tmp_path: Path) -> None:
    target = tmp_path / "site"
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(finished.stdout)
    killed = tmp_path / f".site-building-{dead_pid}-abc"
    (killed / "assets").mkdir(parents=True)
    (killed / "assets" / "big.bin").write_bytes(b"0" * 1024)
    unnamed = tmp_path / ".site-building-xyz"
    unnamed.mkdir()
    running = tmp_path / f".site-building-{os.getppid()}-def"
    running.mkdir()
    other = tmp_path / ".other-building-1-x"
    other.mkdir()
    removed = remove_stale_staging(target)
    assert sorted(removed) == sorted([killed, unnamed])
    assert not killed.exists() and not unnamed.exists()
    assert running.exists() and other.exists()


def test_the_swap_exchanges_the_folders_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old")
    staging = tmp_path / ".site-building-1-x"
    staging.mkdir()
    (staging / "new.html").write_text("new")
    assert sitebuild.exchange(staging, target), "renameat2(RENAME_EXCHANGE) is available on Linux"
    assert (target / "new.html").exists() and (staging / "old.html").exists()
    sitebuild.exchange(staging, target)
    swap_in(staging, target)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]
    assert (target / "new.html").read_text() == "new"


def test_the_swap_falls_back_to_two_renames_where_exchange_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sitebuild, "exchange", lambda first, second: False)
    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old")
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "new.html").write_text("new")
    swap_in(staging, target)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]
    assert [path.name for path in target.iterdir()] == ["new.html"]


def test_the_staging_folder_gets_the_mode_mkdir_would_give(tmp_path: Path) -> None:
    """``mkdtemp`` makes a 0700 folder, which a web server running as its own user cannot read."""
    import tempfile

    staging = Path(tempfile.mkdtemp(dir=tmp_path))
    umask = os.umask(0o022)
    try:
        sitebuild.readable_by_others(staging)
    finally:
        os.umask(umask)
    assert staging.stat().st_mode & 0o777 == 0o755
