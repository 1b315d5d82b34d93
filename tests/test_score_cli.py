"""``python -m generator score``: one answers file, or a CSV batch with bad rows reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

GOLDEN = Path(__file__).parent / "golden" / "scoring"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120
    )


def test_score_prints_the_engine_result_bytes() -> None:
    answers = GOLDEN / "labour-check" / "mixed.answers.json"
    done = run("score", "labour-check", str(answers))
    assert done.returncode == 0, done.stderr
    assert done.stdout == (GOLDEN / "labour-check" / "mixed.result.json").read_text(encoding="utf-8")


def test_score_accepts_the_sites_export_file_and_refuses_another_checks(tmp_path: Path) -> None:
    answers = json.loads((GOLDEN / "labour-check" / "mixed.answers.json").read_text(encoding="utf-8"))
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"check": "labour-check", "version": 1, "answers": answers}), encoding="utf-8")
    done = run("score", "labour-check", str(export))
    assert done.stdout == (GOLDEN / "labour-check" / "mixed.result.json").read_text(encoding="utf-8")
    wrong = run("score", "ip-check", str(export))
    assert wrong.returncode == 2
    assert "these answers are for check 'labour-check', not 'ip-check'" in wrong.stderr


def test_score_reports_unknown_check_and_bad_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    assert "unknown check 'no-such-check'" in run("score", "no-such-check", str(bad)).stderr
    done = run("score", "labour-check", str(bad))
    assert done.returncode == 2 and str(bad) in done.stderr


def test_batch_scores_good_rows_and_reports_bad_ones_by_row_number(tmp_path: Path) -> None:
    best = json.loads((GOLDEN / "ip-check" / "all-best.answers.json").read_text(encoding="utf-8"))
    worst = json.loads((GOLDEN / "ip-check" / "all-worst.answers.json").read_text(encoding="utf-8"))
    columns = list(best)
    lines = ["enterprise," + ",".join(columns)]
    lines.append("Firm A," + ",".join(best[c] for c in columns))
    lines.append("Firm B," + ",".join(worst[c] for c in columns))
    lines.append("Firm C,too,few")
    lines.append("Firm D," + ",".join(["perhaps"] + [best[c] for c in columns[1:]]))
    lines.append("Firm E," + ",".join([""] * len(columns)))
    table = tmp_path / "answers.csv"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run("score", "ip-check", "--batch", str(table))
    assert done.returncode == 1
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(row["row"], row["enterprise"]) for row in rows] == [(2, "Firm A"), (3, "Firm B"), (6, "Firm E")]
    single = run("score", "ip-check", str(GOLDEN / "ip-check" / "all-best.answers.json")).stdout
    assert json.loads(single) == rows[0]["result"]
    assert rows[2]["result"]["status"] == "incomplete" and rows[2]["result"]["score"] is None
    errors = done.stderr.splitlines()
    assert errors[0] == f"{table}: row 4: 3 cells, the header has {len(columns) + 1}; row skipped"
    assert errors[1].startswith(f"{table}: row 5: {columns[0]}='perhaps': not an option of this question")
    as_csv = run("score", "ip-check", "--batch", str(table), "--format", "csv", "--output", str(tmp_path / "out.csv"))
    assert as_csv.returncode == 1
    out = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert out[0] == "row,enterprise,status,score,level,answered,applicable,red_line_failed"
    assert out[1].startswith("2,Firm A,complete,100.0,")


def test_batch_with_an_unknown_column_stops_before_scoring(tmp_path: Path) -> None:
    table = tmp_path / "answers.csv"
    table.write_text("enterprise,ip-nothing\nFirm A,yes\n", encoding="utf-8")
    done = run("score", "ip-check", "--batch", str(table))
    assert done.returncode == 2 and done.stdout == ""
    assert "row 1: unknown question ids in the header: ip-nothing" in done.stderr
