"""``python -m generator score``: one answers file, or a CSV batch with bad rows reported. Run
in-process on the fixture checks of tests/fixtures/projects/selfchecks/, whose golden results are
in tests/golden/scoring/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SCHEMA
from projects import FIXTURE_PROJECTS

from generator import compile_check, load_corpus, scoring
from generator.cli import main

PROJECT = FIXTURE_PROJECTS / "selfchecks"
ANSWERS = PROJECT / "answers"
GOLDEN = Path(__file__).parent / "golden" / "scoring"


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """``python -m generator --schema schema/ ARGS`` in the fixture project's folder (its content
    is the default ``content``): exit code, standard output, standard error."""
    monkeypatch.chdir(PROJECT)

    def score(*args: str) -> tuple[int, str, str]:
        code = main(["--schema", str(SCHEMA), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return score


def golden_check(check_id: str) -> dict:
    corpus = load_corpus(PROJECT / "content", SCHEMA, PROJECT)
    return compile_check(corpus, corpus.checks[check_id])


def golden_result(check_id: str, profile: str) -> dict:
    return json.loads((GOLDEN / check_id / f"{profile}.json").read_text(encoding="utf-8"))


def test_score_prints_the_engine_result_bytes(run) -> None:
    code, out, err = run("score", "alpha-check", str(ANSWERS / "alpha-check" / "mixed.json"))
    assert code == 0, err
    assert out == scoring.dumps(golden_result("alpha-check", "mixed")) + "\n"


def test_score_accepts_the_sites_export_file_and_refuses_another_checks(run, tmp_path: Path) -> None:
    answers = json.loads((ANSWERS / "alpha-check" / "mixed.json").read_text(encoding="utf-8"))
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"check": "alpha-check", "version": 1, "answers": answers}), encoding="utf-8")
    code, out, _ = run("score", "alpha-check", str(export))
    assert code == 0
    assert out == scoring.dumps(golden_result("alpha-check", "mixed")) + "\n"
    code, out, err = run("score", "beta-check", str(export))
    assert code == 2 and out == ""
    assert "these answers are for check 'alpha-check', not 'beta-check'" in err


def test_score_reads_todays_export_file_unchanged(run, tmp_path: Path) -> None:
    """A file as Export answers writes it before records: {check, version, exported, answers}."""
    today = tmp_path / "alpha-check-answers.json"
    today.write_bytes(
        b'{"check":"alpha-check","version":1,"exported":"2026-11-22T09:30:00.000Z","answers":'
        b'{"alpha-records":"yes","alpha-training":"partly","alpha-suppliers":"partly",'
        b'"alpha-supplier-contracts":"no","alpha-audit":"yes"}}'
    )
    code, out, err = run("score", "alpha-check", str(today))
    assert code == 0, err
    assert out == scoring.dumps(golden_result("alpha-check", "mixed")) + "\n"
    assert json.loads(out)["problems"] == []


def test_score_passes_the_whole_record_to_the_engine_with_the_browsers_bytes(
    run, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = ANSWERS / "alpha-check" / "record.json"
    code, out, err = run("score", "alpha-check", str(file))
    assert code == 0, err
    assert out == scoring.dumps(golden_result("alpha-check", "record")) + "\n"
    result = json.loads(out)
    assert result["notes"] and result["review"] and result["assessment"] and result["comparison"]
    monkeypatch.setattr(scoring, "_LOADED", {})
    scoring.browser_load(scoring.dumps(golden_check("alpha-check")))
    browser = scoring.browser_score("alpha-check", file.read_text(encoding="utf-8"))["result"]
    assert scoring.dumps(browser) + "\n" == out


def test_score_reports_unknown_check_and_bad_json(run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    code, _, err = run("score", "no-such-check", str(bad))
    assert code == 2
    assert "unknown check 'no-such-check'; known: alpha-check, beta-check, export-check, quick-check" in err
    code, out, err = run("score", "alpha-check", str(bad))
    assert code == 2 and out == "" and str(bad) in err


def test_score_needs_exactly_one_of_a_file_or_a_batch(run, tmp_path: Path) -> None:
    code, _, err = run("score", "alpha-check")
    assert code == 2 and "give either ANSWERS.json or --batch ANSWERS.csv" in err


def test_batch_scores_good_rows_and_reports_bad_ones_by_row_number(run, tmp_path: Path) -> None:
    best = json.loads((ANSWERS / "quick-check" / "all-best.json").read_text(encoding="utf-8"))
    worst = json.loads((ANSWERS / "quick-check" / "all-worst.json").read_text(encoding="utf-8"))
    columns = list(best)
    lines = ["enterprise," + ",".join(columns)]
    lines.append("Firm A," + ",".join(best[c] for c in columns))
    lines.append("Firm B," + ",".join(worst[c] for c in columns))
    lines.append("Firm C,too,few")
    lines.append("Firm D," + ",".join(["perhaps"] + [best[c] for c in columns[1:]]))
    lines.append("Firm E," + ",".join([""] * len(columns)))
    table = tmp_path / "answers.csv"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run("score", "quick-check", "--batch", str(table))
    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(row["row"], row["enterprise"]) for row in rows] == [(2, "Firm A"), (3, "Firm B"), (6, "Firm E")]
    _, single, _ = run("score", "quick-check", str(ANSWERS / "quick-check" / "all-best.json"))
    assert json.loads(single) == rows[0]["result"] == golden_result("quick-check", "all-best")
    assert rows[1]["result"] == golden_result("quick-check", "all-worst")
    assert rows[2]["result"]["status"] == "incomplete" and rows[2]["result"]["score"] is None
    errors = err.splitlines()
    assert errors[0] == f"{table}: row 4: 3 cells, the header has {len(columns) + 1}; row skipped"
    assert errors[1].startswith(f"{table}: row 5: {columns[0]}='perhaps': not an option of this question")
    code, out, _ = run(
        "score", "quick-check", "--batch", str(table), "--format", "csv", "--output", str(tmp_path / "out.csv")
    )
    assert code == 1 and out == ""
    written = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert written[0] == "row,enterprise,status,score,level,answered,applicable,red_line_failed"
    assert written[1].startswith("2,Firm A,complete,100.0,")
    assert written[2] == "3,Firm B,complete,0.0,high,4,4,true"


def test_batch_with_an_unknown_column_stops_before_scoring(run, tmp_path: Path) -> None:
    table = tmp_path / "answers.csv"
    table.write_text("enterprise,quick-nothing\nFirm A,yes\n", encoding="utf-8")
    code, out, err = run("score", "quick-check", "--batch", str(table))
    assert code == 2 and out == ""
    assert "row 1: unknown question ids in the header: quick-nothing" in err


def test_score_writes_the_report_in_the_language_asked_for(run, tmp_path: Path) -> None:
    answers = str(ANSWERS / "export-check" / "mixed.json")
    english, chinese = tmp_path / "en.html", tmp_path / "zh.html"
    code, out, err = run("score", "export-check", answers, "--report", str(english))
    assert code == 0, err
    assert out == scoring.dumps(golden_result("export-check", "mixed")) + "\n"
    golden_html = (GOLDEN / "export-check" / "mixed.html").read_text(encoding="utf-8").replace("\n", "")
    assert english.read_text(encoding="utf-8") == golden_html, "the report the check page shows"
    code, out_zh, err = run("score", "export-check", answers, "--language", "zh", "--report", str(chinese))
    assert code == 0, err
    assert out_zh == out, "no problem to word: the same result in both languages"
    report = chinese.read_text(encoding="utf-8")
    assert "得分 <strong data-result-score>30.8</strong> / 100" in report and "企业基本情况（1）" in report
    assert "Score" not in report and "Your answer" not in report
    code, _, err = run("score", "export-check", answers, "--language", "xx")
    assert code == 2 and "no interface texts for language 'xx'" in err


def test_what_cannot_be_used_is_said_in_the_language_asked_for(run) -> None:
    answers = str(ANSWERS / "export-check" / "answers-off-scale.json")
    code, out, err = run("score", "export-check", answers, "--language", "zh")
    assert code == 0, err
    messages = [problem["message"] for problem in json.loads(out)["problems"]]
    assert messages == ["不是这个问题的选项，已忽略"] * 2
    english = golden_result("export-check", "answers-off-scale")
    assert [problem["message"] for problem in english["problems"]] == ["not an option of this question; ignored"] * 2
