"""Throw-away projects for tests that change content and build: a copy of the real project, or the
small fixture project under ``tests/fixtures/projects/`` (no self-checks, so no Pyodide runtime)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT

PROJECT_PARTS = ("mkdocs.yml", "content", "schema", "docs", "site_overrides")
FIXTURE_PROJECTS = ROOT / "tests" / "fixtures" / "projects"
SHARED_PARTS = ("schema", "site_overrides")
"""What a fixture project takes from the repository instead of keeping its own copy."""


def copy_project(target: Path) -> Path:
    """A copy of everything a build reads, so a test can change content without touching the repository."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_PARTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target


def fixture_project(target: Path, name: str = "minimal") -> Path:
    """A copy of the fixture project ``name`` with the repository's schemas and theme overrides beside it."""
    shutil.copytree(FIXTURE_PROJECTS / name, target)
    for part in SHARED_PARTS:
        shutil.copytree(ROOT / part, target / part)
    return target


def edit(file: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a project's file, which must hold it."""
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_content(project: Path, relative: str, file: Path) -> Path:
    """Copy a fixture content file into the project, pointing its schema line at the project's schemas."""
    destination = project / "content" / relative
    destination.parent.mkdir(parents=True, exist_ok=True)
    text = file.read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    depth = "../" * (len(Path(relative).parts))
    schema = first.rsplit("/", 1)[1]
    destination.write_text(f"# yaml-language-server: $schema={depth}schema/{schema}\n{rest}", encoding="utf-8")
    return destination
