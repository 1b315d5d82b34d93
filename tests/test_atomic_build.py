"""A failed validation or build leaves the previously built site exactly as it was.
Built from the small fixture project: the swap does not depend on what the content is."""

from __future__ import annotations

from pathlib import Path

import pytest
from projects import fixture_project

from generator.cli import main

pytestmark = pytest.mark.build


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = fixture_project(tmp_path / "project")
    monkeypatch.chdir(project)
    return project


def run_build(capsys: pytest.CaptureFixture) -> tuple[int, str]:
    """``python -m generator build`` in the current folder: its exit code and standard error."""
    code = main(["build"])
    return code, capsys.readouterr().err


def snapshot(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_failed_builds_leave_the_previous_site_untouched(project: Path, capsys: pytest.CaptureFixture) -> None:
    code, errors = run_build(capsys)
    assert code == 0, errors
    before = snapshot(project / "site")
    assert "guideline/index.html" in before

    area = project / "content" / "areas" / "labour.yaml"
    area.write_text(area.read_text(encoding="utf-8").replace("section:", "sectoin:"), encoding="utf-8")
    code, errors = run_build(capsys)
    assert code == 1
    assert "content/areas/labour.yaml:3:" in errors
    assert "existing site was not changed" in errors
    assert snapshot(project / "site") == before

    area.write_text(area.read_text(encoding="utf-8").replace("sectoin:", "section:"), encoding="utf-8")
    (project / "docs" / "broken-link.md").write_text("# Broken\n\n[nowhere](missing-page.md)\n", encoding="utf-8")
    code, errors = run_build(capsys)
    assert code == 1
    assert "the existing site was not changed" in errors
    assert snapshot(project / "site") == before
    assert not [path for path in project.iterdir() if path.name.startswith(".site-")]


def test_a_good_build_replaces_the_site(project: Path, capsys: pytest.CaptureFixture) -> None:
    assert run_build(capsys)[0] == 0
    (project / "site" / "stale.txt").write_text("left over", encoding="utf-8")
    assert run_build(capsys)[0] == 0
    assert not (project / "site" / "stale.txt").exists()
    assert (project / "site" / "index.html").exists()
