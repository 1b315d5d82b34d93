"""Every page says when its content last changed: the day of the last commit of the content files
it presents (a case page its case, an index the whole folder), or a file's modification day where
git cannot say (new, edited since, or no repository)."""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path

import pytest
from conftest import article_of
from projects import fixture_project

from generator import content_dates
from generator.cli import main


def git(folder: Path, *args: str, day: str = "2024-01-02") -> None:
    stamp = f"{day}T12:00:00+00:00"
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
    }
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=environment)


def commit(folder: Path, day: str, *paths: str) -> None:
    git(folder, "add", "--", *(paths or (".",)))
    git(folder, "commit", "-q", "-m", f"change of {day}", day=day)


def touch(path: Path, day: str) -> None:
    stamp = datetime.datetime.fromisoformat(f"{day}T12:00:00+00:00").timestamp()
    os.utime(path, (stamp, stamp))


def test_a_committed_file_dates_from_its_last_commit_and_an_edited_one_from_the_edit(tmp_path: Path) -> None:
    repository = tmp_path / "repository"
    content = repository / "content"
    (content / "cases").mkdir(parents=True)
    git(repository, "init", "-q")
    (content / "guideline.yaml").write_text("a\n")
    (content / "cases" / "first.yaml").write_text("a\n")
    (content / "cases" / "übung.yaml").write_text("a\n")
    commit(repository, "2024-01-02")
    (content / "cases" / "first.yaml").write_text("b\n")
    commit(repository, "2024-03-04")
    (content / "guideline.yaml").write_text("edited, not committed\n")
    touch(content / "guideline.yaml", "2024-05-06")
    (content / "cases" / "new.yaml").write_text("not in git yet\n")
    touch(content / "cases" / "new.yaml", "2024-07-08")

    days = content_dates.file_dates(content)

    assert {path.relative_to(content.resolve()).as_posix(): day.isoformat() for path, day in days.items()} == {
        "guideline.yaml": "2024-05-06",
        "cases/first.yaml": "2024-03-04",
        "cases/übung.yaml": "2024-01-02",
        "cases/new.yaml": "2024-07-08",
    }


def test_outside_a_repository_every_file_dates_from_its_modification(tmp_path: Path) -> None:
    (tmp_path / "case.yaml").write_text("a\n")
    touch(tmp_path / "case.yaml", "2023-02-03")
    assert content_dates.file_dates(tmp_path) == {(tmp_path / "case.yaml").resolve(): datetime.date(2023, 2, 3)}


@pytest.mark.build
def test_each_page_shows_the_day_its_own_content_last_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    project = fixture_project(tmp_path / "project")
    about = project / "docs" / "about.md"
    # A page's front matter cannot set the day (nor put markup in its place).
    about.write_text(about.read_text(encoding="utf-8").replace("---\n", '---\ncontent_changed: "<b>x</b>"\n', 1))
    git(project, "init", "-q")
    commit(project, "2024-01-02")
    case_file = next((project / "content" / "cases").glob("*.yaml"))
    case_file.write_text(case_file.read_text(encoding="utf-8").replace('lesson: "', 'lesson: "Revised. ', 1))
    commit(project, "2024-03-04", "content/cases")
    monkeypatch.chdir(project)
    assert main(["build"]) == 0, capsys.readouterr().err
    site = project / "site"

    def shown(page: str) -> tuple[str, str]:
        line = article_of(site / page / "index.html").select_one("p.page-changed")
        return line.get_text(" ", strip=True), line.time["datetime"]

    assert shown(f"cases/{case_file.stem}") == ("Last changed March 4, 2024", "2024-03-04")
    area = next((project / "content" / "areas").glob("*.yaml")).stem
    assert shown(f"areas/{area}") == ("Last changed January 2, 2024", "2024-01-02")
    assert shown("guideline") == ("Last changed January 2, 2024", "2024-01-02")
    assert shown("cases") == ("Last changed March 4, 2024", "2024-03-04"), "an index: the newest of its folder"
    assert shown("") == ("Last changed March 4, 2024", "2024-03-04")
    assert shown("about") == ("Last changed January 2, 2024", "2024-01-02"), "a hand-written page: its file"
    about_page = article_of(site / "about" / "index.html")
    assert about_page.select_one(".site-about__updated time")["datetime"] == "2024-03-04", "the content's newest day"
    assert about_page.find("b") is None
