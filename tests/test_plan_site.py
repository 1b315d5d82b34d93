"""My plan and the published compiled checks in the built site, as HTML without JavaScript: each
``checks/<id>/check.json`` is its page's ``data-check-data``, the plan page lists every check with
addresses that resolve, sits in the navigation right after the checks index, and embeds no
inline script. Its behaviour in a browser is in test_browser_plan.py."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import SCHEMA
from projects import FIXTURE_PROJECTS

from generator import compile_check, load_corpus, scoring, urls
from generator.diagnostics import ContentError
from generator.plan_page import self_check_pages
from generator.render import Site


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.build
def test_every_check_json_is_its_pages_embedded_check(built_site: Path, corpus) -> None:
    published = sorted(path.relative_to(built_site).as_posix() for path in built_site.glob("checks/*/check.json"))
    assert published == sorted(urls.check_json(check_id) for check_id in corpus.checks)
    for check in corpus.checks.values():
        text = (built_site / urls.check_json(check.id)).read_text(encoding="utf-8")
        embedded = soup_of(built_site, f"checks/{check.id}").select_one("[data-check-data]")["data-check-data"]
        assert text == embedded, check.id
        assert text == scoring.dumps(compile_check(corpus, check))


@pytest.mark.build
def test_the_plan_page_lists_every_check_with_addresses_that_resolve(built_site: Path, corpus) -> None:
    soup = soup_of(built_site, "checks/plan")
    root = soup.select_one("[data-plan]")
    assert root["data-plan-state"] == "idle"
    listed = json.loads(root["data-plan-checks"])
    assert [item["id"] for item in listed] == [check.id for check in corpus.ordered_checks]
    for item in listed:
        check = corpus.checks[item["id"]]
        assert (item["version"], item["title"]) == (check.version, check.title)
        assert (built_site / "checks/plan" / item["url"] / "index.html").resolve().is_file()
        assert (built_site / "checks/plan" / item["json"]).resolve() == (built_site / urls.check_json(check.id))
    for name, address in urls.selfcheck_runtime(snapshot=True).items():
        assert (built_site / "checks/plan" / root[f"data-check-{name}"]).resolve() == (built_site / address).resolve()
    assert root.select_one("[data-plan-nojs]") and root.select_one("[data-plan-empty]").has_attr("hidden")
    assert root.select_one("[data-plan-tools]").has_attr("hidden")
    article = soup.select_one("article")
    assert article.select("script") == [], "no inline script in the content (CSP, instant navigation)"
    assert [link["href"] for link in soup.select(".plan-all-checks a")] == [item["url"] for item in listed]
    assert soup.select_one('link[href$="assets/stylesheets/plan.css"]'), "the plan's styles, on its page only"
    assert not soup_of(built_site, "checks").select_one('link[href$="plan.css"]')


@pytest.mark.build
def test_my_plan_follows_the_checks_index_in_the_navigation(built_site: Path) -> None:
    home = soup_of(built_site, "")
    links = [link["href"] for link in home.select(".md-nav--primary .md-nav__link[href]")]
    checks = [href for href in links if href.startswith("checks/")]
    assert checks[:3] == ["checks/", "checks/plan/", "checks/health-check/"]
    titles = [link.get_text(" ", strip=True) for link in home.select('.md-nav--primary a[href="checks/plan/"]')]
    assert titles == ["My plan"]


def test_a_check_may_not_take_the_plans_address(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_PROJECTS / "selfchecks" / "content", content)
    check = content / "checks" / "quick-check.yaml"
    check.write_text(check.read_text(encoding="utf-8").replace("id: quick-check", "id: plan", 1), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_corpus(content, SCHEMA)
    assert "id 'plan' is reserved for a page of the self-checks" in raised.value.report()


def test_my_plan_comes_right_after_the_checks_index_and_only_with_checks(corpus) -> None:
    pages = [page.src_uri for page in self_check_pages(Site(corpus))]
    assert pages[:3] == [urls.CHECKS_INDEX, urls.CHECKS_PLAN, urls.check_src("health-check")]
    assert self_check_pages(Site(replace(corpus, checks={}))) == []
