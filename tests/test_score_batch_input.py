"""Hostile batch and answers input for ``score``: spreadsheet formulas neutralised in the output,
quoted newlines kept in their cell, malformed files refused with a clear line and the documented
exit status, never a traceback."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import ROOT

from generator.cli import main


@pytest.fixture
def score(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    monkeypatch.chdir(ROOT)

    def run(*args: str) -> tuple[int, str, str]:
        status = main(["score", *args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def write(tmp_path: Path, text: str, name: str = "batch.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return str(path)


def test_cells_that_start_like_formulas_are_written_as_text(score, tmp_path: Path) -> None:
    names = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "  =1+1", "\tTab", "Plain Ltd"]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["enterprise", "ip-registration"], *([name, "yes"] for name in names)])
    status, out, err = score("ip-check", "--batch", write(tmp_path, buffer.getvalue()), "--format", "csv")
    assert status == 0, err
    cells = [row[1] for row in csv.reader(io.StringIO(out))][1:]
    # Cells are trimmed first, so a formula behind spaces is caught and a leading tab is gone.
    assert cells == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "'=1+1", "Tab", "Plain Ltd"]


def test_every_formula_start_of_the_owasp_rule_is_neutralised() -> None:
    from generator.score_cli import spreadsheet_safe

    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert spreadsheet_safe(f"{start}x") == f"'{start}x"
    assert spreadsheet_safe("Plain") == "Plain"
    assert spreadsheet_safe(3) == 3


def test_quoted_newlines_and_line_separators_stay_in_their_cell(score, tmp_path: Path) -> None:
    text = 'enterprise,ip-registration\r\n"Two\nlines",yes\r\n"Para\u2028sep\x0cfeed",no\r\n'
    status, out, err = score("ip-check", "--batch", write(tmp_path, text))
    assert status == 0, err
    results = [json.loads(line) for line in out.split("\n") if line]
    assert [(item["row"], item["enterprise"]) for item in results] == [(2, "Two\nlines"), (3, "Para\u2028sep\x0cfeed")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("enterprise,ip-registration,ip-registration\r\nA,yes,yes\r\n", "row 1: columns named twice: ip-registration"),
        ("enterprise,,ip-registration\r\nA,,yes\r\n", "row 1: column 2 has no name"),
        ('enterprise,ip-registration\r\n"Unterminated,yes\r\n', "line 2: unexpected end of data"),
        ("enterprise,ip-registration\r\n" + "A" * 20_000 + ",yes\r\n", "a cell is longer than 10,000 characters"),
        ("", "empty file"),
    ],
)
def test_malformed_batch_files_are_refused_with_one_line(score, tmp_path: Path, text: str, message: str) -> None:
    status, out, err = score("ip-check", "--batch", write(tmp_path, text))
    assert status == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_batch_that_is_not_utf8_is_refused(score, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("enterprise,ip-registration\r\nCaf\xe9,yes\r\n".encode("latin-1"))
    status, _, err = score("ip-check", "--batch", str(path))
    assert status == 2 and "not UTF-8" in err


def test_an_unwritable_output_is_refused(score, tmp_path: Path) -> None:
    batch = write(tmp_path, "enterprise,ip-registration\r\nA,yes\r\n")
    status, _, err = score("ip-check", "--batch", batch, "--output", str(tmp_path / "missing" / "out.csv"))
    assert status == 2 and "out.csv" in err


def test_answers_with_a_byte_order_mark_are_accepted(score, tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text("\ufeff" + json.dumps({"ip-registration": "yes"}), encoding="utf-8")
    status, out, err = score("ip-check", str(path))
    assert status == 0, err
    assert json.loads(out)["progress"]["answered"] == 1


@pytest.mark.parametrize("text", ["[]", '"yes"', "42", "null", "[" * 5000 + "]" * 5000])
def test_answers_that_are_not_an_object_exit_non_zero(score, tmp_path: Path, text: str) -> None:
    status, out, err = score("ip-check", write(tmp_path, text, "answers.json"))
    assert status == 2
    assert out == "" and "Traceback" not in err
