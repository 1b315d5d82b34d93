"""Golden answer profiles per check: the engine's results are committed, and real Pyodide under
Node must give the same bytes as CPython. Refresh with ``pytest --update-golden``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, SCHEMA

from generator import compile_check, load_corpus, scoring
from generator.pyodide_runtime import prepare_runtime
from generator.runtime import runtime_cache
from generator.urls import SNAPSHOT as SNAPSHOT_URI

GOLDEN = Path(__file__).parent / "golden" / "scoring"
CORPUS = load_corpus(CONTENT, SCHEMA)
COMPILED = {check_id: compile_check(CORPUS, check) for check_id, check in sorted(CORPUS.checks.items())}


def _scored(question: dict) -> list[dict]:
    return sorted(
        (option for option in question["options"] if not option["not_applicable"]), key=lambda o: -o["points"]
    )


def _na(question: dict) -> str | None:
    return next((option["id"] for option in question["options"] if option["not_applicable"]), None)


def profiles(check: dict) -> dict[str, dict]:
    """The answer profiles of the issue, made from the check's own questions and scale."""
    questions = check["questions"]
    best = {q["id"]: _scored(q)[0]["id"] for q in questions}
    worst = {q["id"]: _scored(q)[-1]["id"] for q in questions}
    mixed = {q["id"]: _scored(q)[index % len(_scored(q))]["id"] for index, q in enumerate(questions)}
    mostly_na = {q["id"]: _na(q) or worst[q["id"]] for q in questions}
    mostly_na[questions[0]["id"]] = best[questions[0]["id"]]
    mostly_na[questions[1]["id"]] = worst[questions[1]["id"]]
    red_line = dict(best)
    first_red = next(q for q in questions if q["red_line"])
    red_line[first_red["id"]] = _scored(first_red)[1]["id"]
    half = len(questions) // 2
    incomplete = {q["id"]: (best if index % 2 else worst)[q["id"]] for index, q in enumerate(questions[:half])}
    stale = {**best, "retired-question": best[questions[0]["id"]], questions[-1]["id"]: "not-an-option"}
    return {
        "all-best": best,
        "all-worst": worst,
        "mixed": mixed,
        "mostly-na": mostly_na,
        "red-line": red_line,
        "incomplete": incomplete,
        "stale-answers": stale,
    }


CASES = [(check_id, name) for check_id, check in COMPILED.items() for name in profiles(check)]


def _files(check_id: str, name: str) -> tuple[Path, Path]:
    folder = GOLDEN / check_id
    return folder / f"{name}.answers.json", folder / f"{name}.result.json"


@pytest.mark.parametrize(("check_id", "name"), CASES, ids=[f"{c}/{n}" for c, n in CASES])
def test_golden_profile(check_id: str, name: str, update_golden: bool) -> None:
    answers_file, result_file = _files(check_id, name)
    if update_golden:
        answers_file.parent.mkdir(parents=True, exist_ok=True)
        answers_file.write_text(json.dumps(profiles(COMPILED[check_id])[name], indent=2, sort_keys=True) + "\n")
    assert answers_file.exists(), f"{answers_file} missing; run pytest --update-golden"
    answers = json.loads(answers_file.read_text(encoding="utf-8"))
    produced = scoring.dumps(scoring.score(COMPILED[check_id], answers)) + "\n"
    if update_golden:
        result_file.write_text(produced, encoding="utf-8")
    assert result_file.read_text(encoding="utf-8") == produced


def test_profiles_cover_what_the_issue_asks() -> None:
    for check_id in COMPILED:
        results = {
            name: json.loads(_files(check_id, name)[1].read_text(encoding="utf-8"))
            for name in profiles(COMPILED[check_id])
        }
        assert results["all-best"]["score"] == 100.0 and results["all-best"]["recommendations"] == []
        assert results["all-worst"]["score"] == 0.0
        assert results["red-line"]["red_line_failed"] and results["red-line"]["level"] == results["all-worst"]["level"]
        assert results["incomplete"]["status"] == "incomplete"
        assert results["mostly-na"]["progress"]["applicable"] < results["all-best"]["progress"]["applicable"]
        assert {problem["question"] for problem in results["stale-answers"]["problems"]} >= {"retired-question"}


def test_no_stale_golden_files() -> None:
    expected = {path for case in CASES for path in _files(*case)}
    assert set(GOLDEN.rglob("*.json")) <= expected


@pytest.mark.parametrize("start", ["boot", "snapshot"])
def test_pyodide_under_node_gives_the_same_bytes_as_cpython(start: str, tmp_path: Path) -> None:
    """Booted as the npm package ships, and restored from the site's memory snapshot: the
    canonical result bytes and the report HTML, and the worker's entry points giving the same."""
    node = shutil.which("node")
    assert node, "Node.js is needed for this test (Debian package 'nodejs')"
    assert (ROOT / "node_modules/pyodide/pyodide.mjs").exists(), "run 'npm ci' first"
    cases = []
    expected = {}
    for check_id, name in CASES:
        answers_file, _ = _files(check_id, name)
        check_json = scoring.dumps(COMPILED[check_id])
        answers_json = answers_file.read_text(encoding="utf-8")
        cases.append({"name": f"{check_id}/{name}", "check_id": check_id, "check": check_json, "answers": answers_json})
        result = scoring.score(COMPILED[check_id], json.loads(answers_json))
        expected[f"{check_id}/{name}"] = (scoring.dumps(result), scoring.report_html(COMPILED[check_id], result))
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
    assert produced.pop("loaded") == {check_id: check_id for check_id in COMPILED}
    assert produced.keys() == expected.keys()
    for key, (result, html) in expected.items():
        assert produced[key]["canonical"] == result, key
        assert produced[key]["html"] == html, key
        # The worker's structured result (None as null here) is the same result, and its report the same HTML.
        assert produced[key]["browser"] == {"result": json.loads(result), "html": html}, key
