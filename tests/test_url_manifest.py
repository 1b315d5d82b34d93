"""Published addresses never break: removing a page fails the build unless a redirect is declared,
and the redirect page works on a plain static host. Built from the small fixture project, whose
manifest lists its seven pages; one test lists the real site's addresses."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, ROOT, serve
from projects import fixture_project

from generator.cli import main
from generator.redirects import read_manifest
from generator.sitebuild import build_site

pytestmark = pytest.mark.build

REDIRECT = """\
# yaml-language-server: $schema=../schema/redirect.schema.json
redirects:
  - from: /cases/unsigned-contracts/
    to: {to}
    reason: Renamed to say what the case is about.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return fixture_project(tmp_path / "project")


def rename_case(project: Path, old: str, new: str) -> None:
    old_file = project / "content" / "cases" / f"{old}.yaml"
    text = old_file.read_text(encoding="utf-8").replace(f"id: {old}\n", f"id: {new}\n")
    (project / "content" / "cases" / f"{new}.yaml").write_text(text, encoding="utf-8")
    old_file.unlink()


def build_errors(project: Path, caplog: pytest.LogCaptureFixture) -> str:
    with caplog.at_level(logging.ERROR), pytest.raises(BaseException) as raised:
        build_site(project / "mkdocs.yml", project / "site")
    assert "Aborted" in str(raised.value)
    return "\n".join(record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR)


def test_removing_a_published_case_without_redirect_fails_the_build(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rename_case(project, "unsigned-contracts", "no-written-contracts")
    errors = build_errors(project, caplog)
    assert "published addresses would disappear:\n  /cases/unsigned-contracts/\n" in errors
    assert "content/redirects.yaml" in errors
    assert not (project / "site").exists()


@pytest.mark.browser
def test_a_declared_redirect_keeps_the_old_address_working(project: Path, browser) -> None:
    rename_case(project, "unsigned-contracts", "no-written-contracts")
    (project / "content" / "redirects.yaml").write_text(
        REDIRECT.format(to="/cases/no-written-contracts/"), encoding="utf-8"
    )
    site = build_site(project / "mkdocs.yml", project / "site")
    html = (site / "cases" / "unsigned-contracts" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=../no-written-contracts/"
    assert soup.find("link", rel="canonical")["href"] == "https://compliance.example.org/cases/no-written-contracts/"
    assert soup.find("a")["href"] == "../no-written-contracts/"
    assert (site / "cases" / "no-written-contracts" / "index.html").exists()
    server, url = serve(site)
    try:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(url + "cases/unsigned-contracts/")
        page.wait_for_url(url + "cases/no-written-contracts/")
        assert page.locator("h1").inner_text().startswith("A furniture workshop")
        context.close()
    finally:
        server.shutdown()
        server.server_close()


def test_a_redirect_to_a_missing_page_fails_the_build(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    rename_case(project, "unsigned-contracts", "no-written-contracts")
    (project / "content" / "redirects.yaml").write_text(REDIRECT.format(to="/cases/typo/"), encoding="utf-8")
    errors = build_errors(project, caplog)
    assert "redirect from /cases/unsigned-contracts/ points to /cases/typo/, which is not a page of the site" in errors


def test_a_redirect_may_not_hide_a_live_page(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    (project / "content" / "redirects.yaml").write_text(REDIRECT.format(to="/cases/"), encoding="utf-8")
    errors = build_errors(project, caplog)
    assert "redirect from /cases/unsigned-contracts/ would hide the page that lives there" in errors


def test_urls_command_appends_new_addresses_and_never_removes(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(project)
    manifest = project / "content" / "published-urls.txt"
    kept = [address for address in read_manifest(manifest) if address != "/cases/unsigned-contracts/"]
    assert any("#" in address for address in kept), "the fixture's manifest lists its clause anchors too"
    manifest.write_text("# shortened for the test\n/old/page/\n" + "".join(f"{a}\n" for a in kept), "utf-8")
    assert main(["urls"]) == 1
    out = capsys.readouterr()
    assert "new /cases/unsigned-contracts/" in out.out
    assert "1 new address; run with --update" in out.out
    assert "published addresses would disappear:\n  /old/page/" in out.err
    assert main(["urls", "--update"]) == 1
    lines = manifest.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["# shortened for the test", "/old/page/"]
    assert lines[-1] == "/cases/unsigned-contracts/"
    assert main(["urls", "--update"]) == 1
    assert manifest.read_text(encoding="utf-8").splitlines() == lines


def test_urls_command_lists_the_real_site(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["urls"]) == 0
    listed = [line.strip() for line in capsys.readouterr().out.splitlines()]
    assert sorted(listed) == sorted(read_manifest(CONTENT / "published-urls.txt"))


def test_build_command_says_which_address_would_disappear(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    rename_case(project, "unsigned-contracts", "no-written-contracts")
    monkeypatch.chdir(project)
    assert main(["build"]) == 1
    error = capsys.readouterr().err
    assert "build failed: published addresses would disappear:\n  /cases/unsigned-contracts/\n" in error
    assert not (project / "site").exists()


def test_redirect_chains_are_refused(project: Path) -> None:
    from generator import load_corpus
    from generator.diagnostics import ContentError

    (project / "content" / "redirects.yaml").write_text(
        "# yaml-language-server: $schema=../schema/redirect.schema.json\n"
        "redirects:\n"
        "  - from: /cases/first-name/\n"
        "    to: /cases/second-name/\n"
        "  - from: /cases/second-name/\n"
        "    to: /cases/unsigned-contracts/\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as raised:
        load_corpus(project / "content", project / "schema", project)
    assert [str(problem) for problem in raised.value.problems] == [
        "content/redirects.yaml:4:9: $.redirects[0].to: '/cases/second-name/' is itself redirected; "
        "point straight at the final page"
    ]


def test_another_content_folder_has_its_own_manifest_and_a_new_one_starts_with_none(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """Another guideline built with this configuration (``--content``): the project's manifest,
    which lists a case this folder does not have, belongs to the project's own content folder and
    does not block it; the new folder has no manifest and builds."""
    other = tmp_path / "another-guideline"
    shutil.copytree(project / "content", other)
    (other / "published-urls.txt").unlink()
    old = other / "cases" / "unsigned-contracts.yaml"
    (other / "cases" / "verbal-agreements.yaml").write_text(
        old.read_text(encoding="utf-8").replace("id: unsigned-contracts\n", "id: verbal-agreements\n"), encoding="utf-8"
    )
    old.unlink()
    monkeypatch.chdir(project)
    site = tmp_path / "another-site"
    assert main(["--content", str(other), "build", "--site-dir", str(site)]) == 0, capsys.readouterr().err
    assert (site / "cases" / "verbal-agreements" / "index.html").is_file()
    assert not (site / "cases" / "unsigned-contracts").exists()
    assert not (other / "published-urls.txt").exists(), "a build never writes the manifest"
    assert main(["build", "--site-dir", str(tmp_path / "project-site")]) == 0, "the project's own folder still builds"
