"""`python -m generator validate`: every problem at once, each as file:line:col: $.path: message.
Run in-process (``generator.cli.main``) on a copy of the real content; one test runs it as a
real process."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, SCHEMA
from projects import edit

from generator.cli import main

LINE = re.compile(r"^(?P<file>content/[\w/.-]+\.yaml):(?P<line>\d+):(?P<col>\d+): (?P<path>\$\S*): (?P<message>.+)$")
ARGS = ["--content", "content", "--schema", str(SCHEMA), "validate"]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def run_validate(capsys: pytest.CaptureFixture):
    """``python -m generator --content content --schema SCHEMA validate`` in the current folder."""

    def run(workdir: Path) -> Run:
        assert Path.cwd() == workdir
        code = main(ARGS)
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


def test_real_content_is_valid_as_a_real_process(workdir: Path) -> None:
    """The one test of ``python -m generator`` as its own process: the entry point, exit code, streams."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", *ARGS],
        cwd=workdir,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        r"content is valid: \d+ clauses, 10 areas, \d+ self-checks with \d+ questions, \d+ cases, "
        r"\d+ campaigns?, \d+ glossary terms, \d+ library documents?, \d+ background sources?, \d+ timeline events\n",
        result.stdout,
    )
    assert result.stderr == ""


def test_all_problems_are_reported_at_once_with_file_line_and_path(workdir: Path, run_validate) -> None:
    content = workdir / "content"
    edit(content / "areas" / "labour.yaml", "section: labour-compliance", "section: labour-complience")
    edit(content / "areas" / "ip.yaml", "  ip-1:", "  labour-1:")
    edit(content / "areas" / "data.yaml", "id: data", "id: safety")
    edit(content / "areas" / "quality.yaml", "title: Product and service quality", "titel: Product and service quality")
    (content / "areas" / "broken.yaml").write_text(
        "# yaml-language-server: $schema=../../schema/area.schema.json\nid: broken\n  title: [x\n", encoding="utf-8"
    )
    result = run_validate(workdir)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == f"{len(lines) - 1} problems found."
    problems = [LINE.match(line) for line in lines[:-1]]
    assert all(problems), lines
    by_file = {(match["file"], match["path"]): match["message"] for match in problems}
    assert by_file[("content/areas/quality.yaml", "$.titel")].startswith("unknown key 'titel'")
    assert ("content/areas/broken.yaml", "$") in by_file
    assert "invalid YAML" in by_file[("content/areas/broken.yaml", "$")]
    assert "id 'safety' is already used at content/areas/data.yaml:2" in by_file[("content/areas/safety.yaml", "$.id")]
    assert by_file[("content/areas/labour.yaml", "$.section")].startswith(
        "section 'labour-complience' is not a section"
    )
    assert by_file[("content/areas/ip.yaml", "$.clause_notes.labour-1")].startswith("clause 'labour-1' is not one of")


def test_cross_reference_problems_point_at_the_reference(workdir: Path, run_validate) -> None:
    content = workdir / "content"
    edit(content / "areas" / "labour.yaml", "section: labour-compliance", "section: labour-complience")
    edit(content / "areas" / "ip.yaml", "  ip-1:", "  labour-1:")
    edit(content / "areas" / "safety.yaml", "(clause:safety-", "(clause:safety-99")
    result = run_validate(workdir)
    assert result.returncode == 1
    text = result.stderr
    assert re.search(
        r"^content/areas/labour\.yaml:3:10: \$\.section: section 'labour-complience' is not a section of the guideline",
        text,
        re.M,
    )
    assert re.search(
        r"^content/areas/ip\.yaml:\d+:\d+: \$\.clause_notes\.labour-1: clause 'labour-1' is not one of", text, re.M
    )
    assert re.search(
        r"^content/areas/safety\.yaml:\d+:\d+: \$\.explanation: link to unknown clause 'safety-99", text, re.M
    )


def test_duplicate_clause_id_inside_the_guideline_is_refused(workdir: Path, run_validate) -> None:
    edit(workdir / "content" / "guideline.yaml", "id: labour-2", "id: labour-1")
    result = run_validate(workdir)
    assert result.returncode == 1
    assert re.search(
        r"content/guideline\.yaml:\d+:\d+: \$\.parts\[2\]\.sections\[0\]\.clauses\[1\]\.id: "
        r"id 'labour-1' is already used",
        result.stderr,
    )


def test_a_broken_guideline_is_reported_without_a_crash(workdir: Path, run_validate) -> None:
    edit(workdir / "content" / "guideline.yaml", "role: guideline", "role: guidline")
    result = run_validate(workdir)
    assert result.returncode == 1 and result.stdout == ""
    assert "Traceback" not in result.stderr
    assert re.search(r"^content/guideline\.yaml:3:7: \$\.role: 'guidline' is not one of", result.stderr, re.M)


def test_a_process_that_validated_once_sees_later_edits_to_content_and_schema(
    workdir: Path, capsys: pytest.CaptureFixture
) -> None:
    """Parsing and schema verdicts are remembered within a process (``serve`` rebuilds, tests);
    an edit to a content file or to a schema must still change the verdict."""
    shutil.copytree(SCHEMA, workdir / "schema")
    args = ["--content", "content", "--schema", "schema", "validate"]
    assert main(args) == 0
    area = sorted((workdir / "content" / "areas").glob("*.yaml"))[0]
    edit(area, "\nsummary:", "\nsummary_typo: x\nsummary:")
    capsys.readouterr()
    assert main(args) == 1
    assert "summary_typo" in capsys.readouterr().err
    edit(area, "\nsummary_typo: x\nsummary:", "\nsummary:")
    assert main(args) == 0
    edit(workdir / "schema" / "area.schema.json", '"required": [', '"required": [\n    "newly_required",')
    capsys.readouterr()
    assert main(args) == 1
    assert "newly_required" in capsys.readouterr().err


def test_the_summary_counts_each_kind_of_content_in_the_singular_where_there_is_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    shutil.copytree(ROOT / "tests" / "fixtures" / "projects" / "minimal" / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    assert main(ARGS) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(r"content is valid: \d+ clauses, 1 area, 1 case\n", out), out
