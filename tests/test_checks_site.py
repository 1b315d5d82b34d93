"""Self-check pages in the built site, as HTML without JavaScript: the DOM contract, search
exclusion, the runtime shipped once, and no Pyodide on pages without a check."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from generator import check_pages, compile_check, guideline, scoring, urls
from generator.locale import load_locale
from generator.runtime import runtime_files

ENGLISH = load_locale("en")

pytestmark = pytest.mark.build


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_each_check_page_follows_the_dom_contract(built_site: Path, corpus) -> None:
    for check in corpus.checks.values():
        soup = soup_of(built_site, f"checks/{check.id}")
        forms = soup.select("form[data-check]")
        assert [form["data-check"] for form in forms] == [check.id]
        form = forms[0]
        assert form["data-check-state"] == "idle"
        groups = {}
        for radio in form.select("input[type=radio]"):
            groups.setdefault(radio["name"], []).append(radio["value"])
        compiled = compile_check(corpus, check)
        assert list(groups) == [question.id for question in check.questions]
        assert groups == {
            question["id"]: [option["id"] for option in question["options"]] for question in compiled["questions"]
        }, "each question's radios are the options it accepts"
        for question in check.questions:
            item = form.select_one(f'li[data-question="{question.id}"]')
            assert question.text in item.select_one("legend").get_text()
            assert [link.get_text() for link in item.select(".check-question__clauses a")] == list(question.clauses)


def test_the_embedded_compiled_check_is_the_one_the_cli_scores(built_site: Path, corpus) -> None:
    check = corpus.checks["labour-check"]
    data = soup_of(built_site, "checks/labour-check").select_one("form[data-check] [data-check-data]")
    assert json.loads(data["data-check-data"]) == compile_check(corpus, check)


def test_answer_options_are_excluded_from_search(built_site: Path, corpus) -> None:
    soup = soup_of(built_site, "checks/labour-check")
    assert soup.select(".check-options") and all(
        options.has_attr("data-search-exclude") for options in soup.select(".check-options")
    )
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    check_docs = [doc for doc in index["docs"] if doc["location"].startswith("checks/labour-check/")]
    text = " ".join(doc["text"] for doc in check_docs)
    assert check_docs
    labels = " ".join(option.label for option in corpus.scales["standard"].options)
    assert labels in soup.select_one(".check-options").get_text(" ", strip=True)
    assert labels not in " ".join(text.split()) and "Partly" not in text
    assert "advice_html" not in text
    title = " ".join(doc["title"] for doc in index["docs"])
    assert corpus.checks["labour-check"].title in title


def test_advice_and_clause_links_resolve_to_published_clauses(built_site: Path, corpus) -> None:
    compiled = compile_check(corpus, corpus.checks["health-check"])
    guideline = soup_of(built_site, "guideline")
    for question in compiled["questions"]:
        for clause in question["clauses"]:
            target = (built_site / "checks" / "health-check" / clause["url"].split("#")[0]).resolve()
            assert target == (built_site / "guideline").resolve()
            assert guideline.select_one(f"#{clause['id']}") is not None


def test_runtime_and_engine_are_shipped_once(built_site: Path) -> None:
    for uri, source in runtime_files(ROOT / "node_modules" / "pyodide").items():
        assert (built_site / uri).read_bytes() == source.read_bytes()
    assert (built_site / "assets/selfcheck/scoring.py").read_text(encoding="utf-8") == Path(scoring.__file__).read_text(
        encoding="utf-8"
    )
    wasm = [path for path in built_site.rglob("*.wasm")]
    assert [path.relative_to(built_site).as_posix() for path in wasm] == ["assets/pyodide/pyodide.asm.wasm"]


def test_pages_without_a_check_do_not_reference_the_runtime(built_site: Path) -> None:
    for path in ("", "guideline", "areas/labour", "checks"):
        html = (built_site / path / "index.html").read_text(encoding="utf-8")
        for address in (urls.PYODIDE_DIR, urls.WORKER, urls.ENGINE, "pyodide.mjs"):
            assert address not in html, (path, address)


def test_area_pages_home_and_nav_lead_to_the_checks(built_site: Path, corpus) -> None:
    labour = soup_of(built_site, "areas/labour")
    section = labour.select_one("#self-check")
    assert section is not None
    assert labour.select_one('.area-checks a[href="../../checks/labour-check/"]')
    home = soup_of(built_site, "")
    assert home.select_one('.way-in[href="checks/"]')
    index = soup_of(built_site, "checks")
    links = [link["href"] for link in index.select(".check-list a")]
    assert links[0] == "health-check/" and len(links) == len(corpus.checks)
    nav = [link.get_text(" ", strip=True) for link in home.select(".md-nav--primary .md-nav__link")]
    assert any("Self-checks" in text for text in nav)


def test_follow_up_questions_say_when_to_answer_them(built_site: Path) -> None:
    soup = soup_of(built_site, "checks/governance-check")
    item = soup.select_one('li[data-question="governance-guarantee-register"]')
    assert item["data-show-if"] == "governance-guarantees"
    condition = item.select_one(".check-question__condition")
    assert "Only if you answered Yes or Partly or No to question 7" in condition.get_text()
    assert condition.select_one("a")["href"] == "#governance-guarantees"


def test_case_pages_lead_to_the_checks_of_their_areas(built_site: Path, corpus) -> None:
    case = next(case for case in corpus.cases.values() if "labour" in case.areas)
    soup = soup_of(built_site, f"cases/{case.id}")
    links = [link["href"] for link in soup.select(".case-self-checks a")]
    assert "../../checks/labour-check/" in links
    labour = soup_of(built_site, "checks/labour-check")
    data = json.loads(labour.select_one("[data-check-data]")["data-check-data"])
    linked = {item["url"] for question in data["questions"] for item in question["cases"]}
    assert linked and all(
        (built_site / "checks/labour-check" / url / "index.html").resolve().exists() for url in linked
    )


def test_where_to_start_names_a_check_the_content_has(corpus) -> None:
    """The self-checks index and the empty plan say which check to take first, from the checks
    there are: never a cross-area check the content does not have."""
    across = [check for check in corpus.ordered_checks if check.area is None]
    assert check_pages.where_to_start(corpus, ENGLISH) == (
        f"Start with “{across[0].title}”, then take the check of each area that shows gaps."
    )
    only_areas = dataclasses.replace(corpus, checks={c.id: c for c in corpus.checks.values() if c.area is not None})
    first = check_pages.where_to_start(only_areas, ENGLISH)
    assert first == "Start with the check of the area that matters most to your business."
    only_across = dataclasses.replace(corpus, checks={check.id: check for check in across[:1]})
    assert check_pages.where_to_start(only_across, ENGLISH) == f"Start with “{across[0].title}”."


def test_one_issuer_is_named_and_several_are_counted() -> None:
    assert guideline.issued_by(("Office of the Fixture",)) == "Office of the Fixture"
    assert guideline.issued_by(("A Ministry", "B Commission")) == "2 departments, led by the A Ministry"
