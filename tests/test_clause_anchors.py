"""Published clause anchors are protected like page addresses: renaming a clause id fails the
manifest check until the old id is kept as a former id, which stays a working anchor."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, SCHEMA

from generator import load_corpus, site_pages
from generator.cli import main
from generator.redirects import anchors_of, clause_anchors, page_anchors, read_manifest, vanished

OLD = "notice-closing-1"
NOTICE = Path("library") / "miit-notice-2020.yaml"


@pytest.fixture
def renamed(tmp_path: Path) -> Path:
    """A copy of the content where one published clause got a new id."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    notice = content / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8").replace(f"id: {OLD}", "id: notice-reporting"), "utf-8")
    return content


def urls(content: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> tuple[int, str]:
    monkeypatch.chdir(ROOT)
    status = main(["--content", str(content), "--schema", str(SCHEMA), "urls", "--docs", str(ROOT / "docs")])
    return status, capsys.readouterr().err


def test_every_clause_permalink_is_in_the_manifest() -> None:
    corpus = load_corpus(CONTENT, SCHEMA)
    listed = set(read_manifest(CONTENT / "published-urls.txt"))
    assert f"/library/miit-notice-2020/#{OLD}" in listed
    assert sorted(set(clause_anchors(corpus)) - listed) == []


def test_renaming_a_published_clause_id_is_refused(renamed, monkeypatch, capsys) -> None:
    status, error = urls(renamed, monkeypatch, capsys)
    assert status == 1
    assert f"/library/miit-notice-2020/#{OLD}" in error
    assert "former_ids" in error


def test_a_former_id_keeps_the_old_anchor_working(renamed, monkeypatch, capsys) -> None:
    notice = renamed / NOTICE
    text = notice.read_text(encoding="utf-8").replace(
        "      - id: notice-reporting\n", f"      - id: notice-reporting\n        former_ids: [{OLD}]\n"
    )
    notice.write_text(text, encoding="utf-8")
    status, error = urls(renamed, monkeypatch, capsys)
    assert status == 0, error
    pages = {page.src_uri: page for page in site_pages(load_corpus(renamed, SCHEMA))}
    markdown = pages["library/miit-notice-2020.md"].markdown
    assert f'<span class="clause__former-id" id="{OLD}"></span>' in markdown.split('id="notice-reporting"')[1][:200]


def test_a_former_id_must_be_unique_across_the_content(renamed) -> None:
    notice = renamed / NOTICE
    text = notice.read_text(encoding="utf-8").replace(
        "      - id: notice-reporting\n", "      - id: notice-reporting\n        former_ids: [labour-2]\n"
    )
    notice.write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match="id 'labour-2' is already used"):
        load_corpus(renamed, SCHEMA)


def test_anchors_follow_a_redirected_page_and_unknown_pages_are_trusted() -> None:
    from generator.model import Redirect

    anchors = {"/new/": {"a"}, "/page/": {"b"}}
    redirects = {"/old/": Redirect("/old/", "/new/")}
    listed = ["/old/#a", "/old/#b", "/page/#b", "/page/#gone", "/docs/#anything", "/missing/#x"]
    served = {"/new/", "/page/", "/docs/"}
    assert vanished(listed, served, redirects, anchors) == ["/old/#b", "/page/#gone", "/missing/#x"]


def test_page_anchors_are_ids_and_heading_attributes() -> None:
    assert page_anchors('## Cases {#cases}\n<div id="x" data-id="no"><span id=\'y\'></span>') == {"cases", "x", "y"}
    assert anchors_of([]) == {}
