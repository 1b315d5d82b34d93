"""A failed validation or build leaves the previously built site exactly as it was."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def project_copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    for name in ("content", "schema", "docs", "site_overrides"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def run_build(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True, text=True)


def snapshot(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_failed_builds_leave_the_previous_site_untouched(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    first = run_build(project)
    assert first.returncode == 0, first.stderr
    before = snapshot(project / "site")
    assert "guideline/index.html" in before

    area = project / "content" / "areas" / "labour.yaml"
    area.write_text(area.read_text(encoding="utf-8").replace("section:", "sectoin:"), encoding="utf-8")
    invalid = run_build(project)
    assert invalid.returncode == 1
    assert "content/areas/labour.yaml:3:" in invalid.stderr
    assert "existing site was not changed" in invalid.stderr
    assert snapshot(project / "site") == before

    area.write_text(area.read_text(encoding="utf-8").replace("sectoin:", "section:"), encoding="utf-8")
    (project / "docs" / "broken-link.md").write_text("# Broken\n\n[nowhere](missing-page.md)\n", encoding="utf-8")
    strict_failure = run_build(project)
    assert strict_failure.returncode == 1
    assert snapshot(project / "site") == before
    assert not [path for path in project.iterdir() if path.name.startswith(".site-")]


def test_a_good_build_replaces_the_site(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    assert run_build(project).returncode == 0
    (project / "site" / "stale.txt").write_text("left over", encoding="utf-8")
    assert run_build(project).returncode == 0
    assert not (project / "site" / "stale.txt").exists()
    assert (project / "site" / "index.html").exists()
