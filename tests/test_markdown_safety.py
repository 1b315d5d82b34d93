"""Content text is rendered with raw HTML off: no payload in content can run or load anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from projects import fixture_project

from generator.markdown import render

PAYLOADS = (Path(__file__).parent / "fixtures" / "markdown-payloads.txt").read_text(encoding="utf-8").splitlines()
ACTIVE_TAGS = {"script", "iframe", "img", "svg", "style", "object", "embed", "form", "base", "meta", "link", "math"}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "#", "../", "./")


def assert_inert(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name not in ACTIVE_TAGS, html
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), html
            if attribute in {"href", "src", "action"}:
                target = "".join(str(value).split()).lower()
                assert target.startswith(SAFE_SCHEMES) or ":" not in target.split("/")[0], html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_renders_inert(payload: str) -> None:
    assert_inert(render(payload, lambda clause_id: f"../guideline/#{clause_id}"))


@pytest.mark.build
def test_payloads_in_content_reach_the_built_page_as_text(tmp_path: Path) -> None:
    from generator.sitebuild import build_site

    project = fixture_project(tmp_path / "project")
    area = project / "content" / "areas" / "labour.yaml"
    text = area.read_text(encoding="utf-8")
    block = "\n".join(f"  {payload}\n" for payload in PAYLOADS)
    area.write_text(text.replace("explanation: |\n", f"explanation: |\n{block}\n", 1), encoding="utf-8")
    site = build_site(project / "mkdocs.yml", tmp_path / "site")
    page = BeautifulSoup((site / "areas" / "labour" / "index.html").read_text(encoding="utf-8"), "html.parser")
    explanation = page.select_one(".explanation")
    assert_inert(str(explanation))
    assert "<script>alert(1)</script>" in explanation.get_text()
