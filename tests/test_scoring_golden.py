"""Golden results of the scoring engine on the fixture checks in tests/fixtures/projects/selfchecks/:
each hand-written answer profile in its ``answers/<check>/<profile>.json`` (bare answers, today's
export file, or a full record with notes, review flags, the assessment and history) has the
engine's result in ``tests/golden/scoring/<check>/<profile>.json``, pretty-printed for review, and
its report in ``<profile>.html``, one block element a line. Refresh after an intended
change with ``pytest --update-golden`` (which also deletes results no profile produces) and review
the diff. The shipped checks are held to the same rules by assertion, and real Pyodide under Node
must give the same bytes as CPython for both."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from answer_profiles import PROFILE_NAMES, profiles
from conftest import ROOT, SCHEMA
from golden_files import pretty_json, prune
from projects import FIXTURE_PROJECTS

from generator import compile_check, load_corpus, scoring
from generator.locale import Locale, load_locale
from generator.pyodide_runtime import prepare_runtime
from generator.runtime import runtime_cache
from generator.urls import SNAPSHOT as SNAPSHOT_URI

GOLDEN = Path(__file__).parent / "golden" / "scoring"
SELFCHECKS = FIXTURE_PROJECTS / "selfchecks"
ANSWERS = SELFCHECKS / "answers"
PROFILES = sorted((path.parent.name, path.stem) for path in ANSWERS.glob("*/*.json"))


@pytest.fixture(scope="module")
def fixture_checks() -> dict[str, dict]:
    corpus = load_corpus(SELFCHECKS / "content", SCHEMA, SELFCHECKS)
    return {check_id: compile_check(corpus, check) for check_id, check in corpus.checks.items()}


def record_of(check_id: str, profile: str) -> object:
    """The profile's file as the CLI and the browser read it (a bare answers mapping as a record)."""
    return scoring.as_record(json.loads((ANSWERS / check_id / f"{profile}.json").read_text(encoding="utf-8")))


def result_file(check_id: str, profile: str) -> Path:
    return GOLDEN / check_id / f"{profile}.json"


def report_file(check_id: str, profile: str) -> Path:
    return GOLDEN / check_id / f"{profile}.html"


def readable_html(html: str) -> str:
    """The report with a line break after each block element, so its golden diff reads."""
    return re.sub(r"(</(?:p|li|h3|h4|dl|ul|ol|section|figcaption|figure|table|tr|div)>)", "\\1\n", html)


def expected(check_id: str, profile: str) -> dict:
    return json.loads(result_file(check_id, profile).read_text(encoding="utf-8"))


def fixture_checks_uncached(locale: Locale | None = None) -> dict[str, dict]:
    corpus = load_corpus(SELFCHECKS / "content", SCHEMA, SELFCHECKS)
    return {check_id: compile_check(corpus, check, locale) for check_id, check in corpus.checks.items()}


def fixture_question(check_id: str, question_id: str) -> dict:
    corpus = load_corpus(SELFCHECKS / "content", SCHEMA, SELFCHECKS)
    compiled = compile_check(corpus, corpus.checks[check_id])
    return next(question for question in compiled["questions"] if question["id"] == question_id)


def test_every_fixture_check_has_answer_profiles(fixture_checks: dict[str, dict]) -> None:
    assert sorted({check_id for check_id, _ in PROFILES}) == sorted(fixture_checks)


@pytest.mark.parametrize(("check_id", "profile"), PROFILES, ids=[f"{c}/{p}" for c, p in PROFILES])
def test_golden_result(check_id: str, profile: str, fixture_checks: dict[str, dict], golden) -> None:
    check = fixture_checks[check_id]
    result = scoring.assess(check, record_of(check_id, profile))
    golden.check(result_file(check_id, profile), pretty_json(result))
    golden.check(report_file(check_id, profile), readable_html(scoring.report_html(check, result)))


def test_no_stale_golden_results(update_golden: bool) -> None:
    produced = [file(check_id, profile) for check_id, profile in PROFILES for file in (result_file, report_file)]
    assert prune(GOLDEN, produced, update_golden) == [], "run pytest --update-golden to delete them"


def test_the_goldens_show_the_rules_their_profiles_are_named_for() -> None:
    """What a reviewer should see in the golden files, asserted so a wrong refresh cannot slip in."""
    best = expected("alpha-check", "all-best")
    assert (best["score"], best["level"], best["recommendations"], best["status"]) == (100.0, "low", [], "complete")
    worst = expected("alpha-check", "all-worst")
    assert worst["score"] == 0.0 and worst["red_line_failed"] and worst["level"] == "high"
    assert worst["hidden"] == ["alpha-supplier-contracts"], "a follow-up to 'no' is hidden, its answer ignored"
    mixed = expected("alpha-check", "mixed")
    # (3×2 + 2×1 + 1×1 + 2×0 + 0.5×2) / (8.5×2) = 10/17 = 58.82… → 58.8; then weight × shortfall
    assert (mixed["score"], mixed["level"]) == (58.8, "medium")
    assert [(r["question"], r["priority"]) for r in mixed["recommendations"]] == [
        ("alpha-supplier-contracts", 4.0),
        ("alpha-training", 2.0),
        ("alpha-suppliers", 1.0),
    ]
    not_applicable = expected("alpha-check", "not-applicable")
    assert not_applicable["hidden"] == ["alpha-supplier-contracts"]
    assert not_applicable["progress"] == {"answered": 3, "applicable": 3}
    assert not_applicable["score"] == 90.9  # (3×2 + 2×2 + 0.5×0) / (5.5×2)
    red_line = expected("alpha-check", "red-line")
    assert red_line["score"] > 80 and red_line["level"] == "high" and red_line["red_line_failed"]
    assert red_line["recommendations"][0]["red_line"] is True
    assert red_line["recommendations"][0]["cases"] == [
        {"title": "A workshop without alpha records", "url": "../../cases/no-alpha-records/"}
    ], "a recommendation links the case that names its question"
    incomplete = expected("alpha-check", "incomplete")
    assert incomplete["status"] == "incomplete" and incomplete["unanswered"] == ["alpha-suppliers", "alpha-audit"]
    assert incomplete["score"] == 60.0, "provisional: 6 of 10 points over the answered questions"
    assert incomplete["level"] is None and incomplete["areas"][0]["level"] is None, "no level until complete"
    na_red_line = expected("alpha-check", "red-line-na")
    assert [(p["question"], p["answer"]) for p in na_red_line["problems"]] == [("alpha-records", "na")]
    assert na_red_line["unanswered"] == ["alpha-records"] and na_red_line["level"] is None
    assert not any(option["id"] == "na" for option in fixture_question("alpha-check", "alpha-records")["options"])
    assert expected("alpha-check", "todays-export") == expected("alpha-check", "mixed"), "today's file scores as before"
    record = expected("alpha-check", "record")
    assert record["problems"] == [] and record["assessment"]["organisation"] == "Alpha Workshop Ltd"
    assert {item["question"]: item["status"] for item in record["items"]} == {
        "alpha-records": "met",
        "alpha-training": "not_met",
        "alpha-suppliers": "met",
        "alpha-supplier-contracts": "partly",
        "alpha-audit": "met",
    }
    assert record["review"] == ["alpha-supplier-contracts"]
    comparison = record["comparison"]
    assert comparison["saved"] == "2026-11-01T10:00:00.000Z", "the newest saved assessment"
    assert (comparison["done"], comparison["new"]) == (["alpha-records", "alpha-audit"], ["alpha-training"])
    nothing = expected("alpha-check", "nothing-answered")
    assert (nothing["score"], nothing["level"], nothing["status"]) == (None, None, "incomplete")
    stale = expected("alpha-check", "stale-answers")
    assert [(p["question"], p["answer"]) for p in stale["problems"]] == [
        ("alpha-audit", "sometimes"),
        ("alpha-training", '["yes"]'),
        ("retired-question", "yes"),
    ]
    assert expected("beta-check", "band-edge")["score"] == 50.0
    assert expected("beta-check", "band-edge")["level"] == "medium", "a band's min is inclusive"
    assert expected("beta-check", "mixed")["score"] == 83.3  # 5/6, rounded half up
    no_na = expected("beta-check", "no-na-option")
    assert no_na["problems"][0]["question"] == "beta-register" and no_na["status"] == "incomplete"
    across = expected("quick-check", "red-line-in-one-area")
    assert {area["id"]: area["level"] for area in across["areas"]} == {"alpha": "high", "beta": "low"}
    assert across["level"] == "high"
    mostly_na = expected("quick-check", "mostly-na")
    assert {area["id"]: area["score"] for area in mostly_na["areas"]} == {"alpha": 100.0, "beta": 0.0}
    one_area = expected("quick-check", "one-area-only")
    assert {area["id"]: area["score"] for area in one_area["areas"]} == {"alpha": None, "beta": 83.3}
    assert [area["check_url"] for area in one_area["areas"]] == ["../alpha-check/", "../beta-check/"]
    history = expected("quick-check", "record-with-history")["comparison"]
    assert [(area["before"], area["after"]) for area in history["areas"]] == [(16.7, 83.3), (100.0, 66.7)]
    # The topic check: a gate on its own Yes/No scale, a question on another scale than the check's,
    # show_if with all / any / not, clauses of both areas and of none, no area named anywhere.
    topic = fixture_checks_uncached()["export-check"]
    assert [(q["id"], q["area"], q["scored"]) for q in topic["questions"]] == [
        ("export-sells-abroad", "alpha", False),
        ("export-alpha-plan", "alpha", True),
        ("export-beta-permit", "beta", True),
        ("export-beta-records", "beta", True),
        ("export-general", "alpha", True),
    ], "each question scores in the area of its first clause that has one"
    assert [option["id"] for option in topic["questions"][0]["options"]] == ["yes", "no"]
    assert [option["id"] for option in topic["questions"][2]["options"]] == ["yes", "no"]
    at_home = expected("export-check", "sells-at-home")
    assert at_home["hidden"] == ["export-alpha-plan", "export-beta-permit", "export-beta-records"]
    assert (at_home["score"], at_home["progress"]) == (100.0, {"answered": 2, "applicable": 2})
    assert at_home["items"][0]["status"] == "answered", "a gate's answer is neither good nor bad"
    assert at_home["recommendations"] == []
    best = expected("export-check", "all-best")
    assert best["hidden"] == ["export-beta-records"], "any: neither condition holds"
    assert (best["score"], best["level"]) == (100.0, "low"), "the gate is not in the score"
    mixed = expected("export-check", "mixed")
    # (2×1 + 3×0 + 2×0 + 1×2) / ((2 + 2 + 2 + 1)… over best points: 2×2 + 3×1 + 2×2 + 1×2 = 13) = 4/13
    assert (mixed["score"], mixed["red_line_failed"], mixed["level"]) == (30.8, True, "high")
    assert [r["question"] for r in mixed["recommendations"]] == [
        "export-beta-records",
        "export-beta-permit",
        "export-alpha-plan",
    ], "never the gate"
    not_na = expected("export-check", "plan-not-applicable")
    assert not_na["hidden"] == ["export-beta-permit", "export-beta-records"], "not: the plan answered N/A"
    assert [(p["question"], p["answer"]) for p in not_na["problems"]] == []
    gate_open = expected("export-check", "gate-unanswered")
    assert gate_open["status"] == "incomplete" and gate_open["unanswered"] == ["export-sells-abroad"]
    assert gate_open["progress"] == {"answered": 1, "applicable": 2}, "a shown gate is a question to answer"
    off_scale = expected("export-check", "answers-off-scale")
    assert [(p["question"], p["answer"]) for p in off_scale["problems"]] == [
        ("export-beta-permit", "partly"),
        ("export-sells-abroad", "partly"),
    ], "Partly is not an option of a Yes/No question"


def test_every_shipped_check_follows_the_rules_on_its_own_profiles(corpus) -> None:
    """Every check of the real content compiles, and its generated profiles score as they should."""
    assert corpus.checks
    for check_id, check in sorted(corpus.checks.items()):
        compiled = compile_check(corpus, check)
        results = {name: scoring.score(compiled, answers) for name, answers in profiles(compiled).items()}
        assert list(results) == list(PROFILE_NAMES)
        assert results["all-best"]["score"] == 100.0 and results["all-best"]["recommendations"] == [], check_id
        assert results["all-best"]["status"] == "complete" and results["all-best"]["problems"] == [], check_id
        assert results["all-worst"]["score"] == 0.0, check_id
        assert results["red-line"]["red_line_failed"], check_id
        assert results["red-line"]["level"] == results["all-worst"]["level"], check_id
        assert results["incomplete"]["status"] == "incomplete", check_id
        assert results["mostly-na"]["progress"]["applicable"] < results["all-best"]["progress"]["applicable"]
        assert {problem["question"] for problem in results["stale-answers"]["problems"]} >= {"retired-question"}


@pytest.mark.browser  # Pyodide under Node
@pytest.mark.parametrize("start", ["boot", "snapshot"])
def test_pyodide_under_node_gives_the_same_bytes_as_cpython(
    start: str, tmp_path: Path, fixture_checks: dict[str, dict], corpus
) -> None:
    """Booted as the npm package ships, and restored from the site's memory snapshot; the fixture
    profiles (records among them) and the generated profiles of every shipped check: the canonical
    result bytes and the report HTML, and the worker's entry points giving the same."""
    node = shutil.which("node")
    assert node, "Node.js is needed for this test (Debian package 'nodejs')"
    assert (ROOT / "node_modules/pyodide/pyodide.mjs").exists(), "run 'npm ci' first"
    jobs = {
        f"fixture/{check_id}/{profile}": (fixture_checks[check_id], record_of(check_id, profile))
        for check_id, profile in PROFILES
    }
    for check_id, check in sorted(corpus.checks.items()):
        compiled = compile_check(corpus, check)
        for name, answers in profiles(compiled).items():
            jobs[f"shipped/{check_id}/{name}"] = (compiled, {"answers": answers})
    # The report in Chinese: the texts travel in the compiled check, and the browser's bytes match.
    chinese = {**fixture_checks_uncached(load_locale("zh"))["export-check"], "id": "zh-export-check"}
    for profile in ("mixed", "answers-off-scale"):
        jobs[f"zh/export-check/{profile}"] = (chinese, record_of("export-check", profile))
    # Today's worker sends the bare answers: still read as a record.
    jobs["bare/alpha-check/mixed"] = (fixture_checks["alpha-check"], record_of("alpha-check", "mixed")["answers"])
    cases = []
    expected = {}
    for name, (check, record) in jobs.items():
        if not name.startswith("shipped/"):
            # The worker keeps loaded checks by id: fixture checks get ids of their own.
            check = {**check, "id": f"fixture-{check['id']}"}
        check_json, record_json = scoring.dumps(check), json.dumps(record, indent=2, sort_keys=True)
        cases.append({"name": name, "check_id": check["id"], "check": check_json, "record": record_json})
        result = scoring.assess(check, scoring.as_record(record))
        expected[name] = (scoring.dumps(result), scoring.report_html(check, result))
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"cases": cases}), encoding="utf-8")
    command = [node, str(ROOT / "tests/node/score.mjs"), str(job)]
    if start == "snapshot":
        pyodide = ROOT / "node_modules" / "pyodide"
        files = prepare_runtime(pyodide, runtime_cache(pyodide), engine=Path(scoring.__file__))
        command.append(str(files[SNAPSHOT_URI]))
    run = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stderr
    produced = json.loads(run.stdout)
    assert produced.pop("sys.version").startswith("3.14"), "expected Pyodide's Python 3.14"
    if start == "snapshot":
        assert produced.pop("same engine") is True
        assert produced.pop("other engine") is False
        assert produced.pop("import after restore") == "ModuleNotFoundError", "no stdlib behind a restored snapshot"
    assert produced.pop("loaded") == {case["check_id"]: case["check_id"] for case in cases}
    assert produced.keys() == expected.keys()
    for key, (result, html) in expected.items():
        assert produced[key]["canonical"] == result, key
        assert produced[key]["html"] == html, key
        # The worker's structured result (None as null here) is the same result, and its report the same HTML.
        assert produced[key]["browser"] == {"result": json.loads(result), "html": html}, key
