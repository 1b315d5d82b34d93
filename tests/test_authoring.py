"""The editors' aids: ``new`` (a skeleton of any content type that validation refuses until every
placeholder is written) and ``explain`` (how an item is used), on the fictional fixture pack."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import SCHEMA
from projects import FIXTURE_PROJECTS

from generator import FEATURES, cli
from generator.authoring import content_type_names
from generator.schemas import schema_set
from generator.yamlsource import read_source

PACK_CONTENT = FIXTURE_PROJECTS / "fictional" / "content"
PROBLEM = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):\d+: ")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the pack's content, to add files to."""
    return Path(shutil.copytree(PACK_CONTENT, tmp_path / "content"))


def run(capsys: pytest.CaptureFixture[str], content: Path, *argv: str) -> tuple[int, str, str]:
    status = cli.main(["--content", str(content), "--schema", str(SCHEMA), *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def item_types() -> list[str]:
    """Every content type whose files are items with ids (from the features, not a list here)."""
    return sorted(
        name for name, schema in content_type_names(FEATURES).items() if '"id"' in (SCHEMA / schema).read_text()
    )


def test_the_types_come_from_the_features() -> None:
    assert set(content_type_names(FEATURES)) == {
        schema.removesuffix(".schema.json") for feature in FEATURES for schema in feature.content_types
    }
    assert {"case", "area", "check", "term", "document", "scale", "bands"} <= set(item_types())


@pytest.mark.parametrize("type_name", item_types())
def test_new_writes_a_skeleton_that_passes_its_schema_and_fails_validation_at_each_placeholder(
    capsys: pytest.CaptureFixture[str], content: Path, type_name: str
) -> None:
    status, out, _ = run(capsys, content, "new", type_name, f"my-{type_name}")
    assert status == 0
    written = Path(out.split(":")[0].removeprefix("wrote "))
    assert written.name == f"my-{type_name}.yaml" and written.is_file()
    assert written.parent.parent == content or written.parent == content
    text = written.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=") and first.endswith(f"/{type_name}.schema.json")
    assert (written.parent / first.split("=", 1)[1]).resolve() == (SCHEMA / f"{type_name}.schema.json").resolve()
    source = read_source(written, written.as_posix())
    assert schema_set(SCHEMA).check(source) == [], "the skeleton passes its schema"
    assert source.data["id"] == f"my-{type_name}"

    status, _, err = run(capsys, content, "validate")
    assert status == 1
    problems = [PROBLEM.match(line) for line in err.splitlines() if PROBLEM.match(line)]
    assert problems and {match["file"] for match in problems} == {written.as_posix()}, err
    reported = {int(match["line"]) for match in problems}
    placeholders = {
        number for number, line in enumerate(text.splitlines(), 1) if "TODO" in line and not line.startswith("#")
    } | {number for number, line in enumerate(text.splitlines(), 1) if re.search(r"(: |- )todo$", line)}
    assert placeholders and placeholders <= reported, err
    assert "placeholder 'TODO" in err


def test_new_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], content: Path) -> None:
    existing = content / "cases" / "the-cracked-ramp.yaml"
    before = existing.read_text(encoding="utf-8")
    status, _, err = run(capsys, content, "new", "case", "the-cracked-ramp")
    assert status == 1 and "already exists" in err
    assert existing.read_text(encoding="utf-8") == before


def test_new_puts_files_where_their_feature_says(capsys: pytest.CaptureFixture[str], content: Path) -> None:
    for type_name, folder in (("term", "glossary"), ("document", "library"), ("case", "cases")):
        status, out, _ = run(capsys, content, "new", type_name, f"another-{type_name}")
        assert status == 0
        assert out.startswith(f"wrote {content / folder / f'another-{type_name}.yaml'}:")


def test_new_refuses_unknown_types_bad_ids_and_files_without_items(
    capsys: pytest.CaptureFixture[str], content: Path
) -> None:
    status, _, err = run(capsys, content, "new", "cases", "x")
    assert status == 2 and "unknown content type 'cases' (did you mean 'case'?)" in err
    status, _, err = run(capsys, content, "new", "case", "Not An Id")
    assert status == 2 and "is not an id" in err
    status, _, err = run(capsys, content, "new", "redirect", "x")
    assert status == 2 and "not one item with an id" in err
    assert not list(content.rglob("x.yaml"))
    status = cli.main(["--content", str(content), "--schema", str(content / "nowhere"), "new", "case", "x"])
    assert status == 2 and "give the schema folder with --schema" in capsys.readouterr().err


def explain(capsys: pytest.CaptureFixture[str], item: str) -> tuple[int, str, str]:
    return run(capsys, PACK_CONTENT, "explain", item)


def test_explain_a_case(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = explain(capsys, "fog-without-a-lookout")
    assert status == 0
    assert out == (
        "case fog-without-a-lookout: A crossing in fog without a lookout\n"
        f"file: {PACK_CONTENT.as_posix()}/cases/fog-without-a-lookout.yaml\n"
        "pages:\n"
        "  /cases/fog-without-a-lookout/\n"
        "links out:\n"
        "  areas:\n"
        "    crew (/areas/crew/)\n"
        "  clauses:\n"
        "    crew-1 (/ferry-guidance/#crew-1)\n"
        "  questions:\n"
        "    crew-lookout (check crew-check, /checks/crew-check/#crew-lookout)\n"
        "  self-check offered:\n"
        "    crew-check (/checks/crew-check/)\n"
        "links in:\n"
        "  (none)\n"
    )


def test_explain_a_clause(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = explain(capsys, "passengers-1")
    assert status == 0
    assert out == (
        "clause passengers-1: Never carry more passengers than the passenger certificate allows;\n"
        f"file: {PACK_CONTENT.as_posix()}/guideline.yaml\n"
        "pages:\n"
        "  /ferry-guidance/#passengers-1\n"
        "  /areas/passengers/#passengers-1\n"
        "  /cases/one-passenger-too-many/\n"
        "links out:\n"
        "  document:\n"
        "    ferry-guidance (/ferry-guidance/)\n"
        "links in:\n"
        "  areas:\n"
        "    passengers (/areas/passengers/)\n"
        "  areas linking it:\n"
        "    passengers (/areas/passengers/)\n"
        "  questions:\n"
        "    season-certificate (check season-check, /checks/season-check/#season-certificate)\n"
        "  cases:\n"
        "    one-passenger-too-many (/cases/one-passenger-too-many/)\n"
        "  terms:\n"
        "    passenger-certificate (/glossary/#passenger-certificate)\n"
        "  terms marked in it:\n"
        "    passenger-certificate\n"
    )


def test_explain_a_term_shows_where_it_is_marked(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = explain(capsys, "lookout")
    assert status == 0
    assert out.splitlines()[2:] == [
        "pages:",
        "  /glossary/#lookout",
        "links out:",
        "  source clause:",
        "    crew-1 (/ferry-guidance/#crew-1)",
        "links in:",
        "  marked in clauses:",
        "    crew-1 (/ferry-guidance/#crew-1)",
    ]


def test_explain_an_area_and_a_check_across_areas(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = explain(capsys, "crew")
    assert "  checks:\n    crew-check (/checks/crew-check/)\n" in out
    assert "  questions:\n    season-drill (check season-check, /checks/season-check/#season-drill)\n" in out
    assert "  cases:\n    fog-without-a-lookout (/cases/fog-without-a-lookout/)\n" in out
    _, out, _ = explain(capsys, "season-check")
    assert (
        "  areas:\n    crew (/areas/crew/)\n    vessel (/areas/vessel/)\n    passengers (/areas/passengers/)\n" in out
    )
    assert "links in:\n  cases:\n    the-cracked-ramp (/cases/the-cracked-ramp/)\n" in out


def test_explain_a_file_explains_its_item(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = explain(capsys, str(PACK_CONTENT / "library" / "mooring-byelaws.yaml"))
    assert status == 0
    assert out.splitlines()[0] == "document mooring-byelaws: Riverside Harbour Mooring Byelaws (a fictional document)"
    assert "  /library/mooring-byelaws/" in out.splitlines()
    status, out, err = explain(capsys, "content/no-such-file.yaml")
    assert (status, out, err.strip()) == (1, "", "no such file: content/no-such-file.yaml")


def test_explain_an_unknown_id_suggests_the_nearest(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = explain(capsys, "crew-chek")
    assert (status, out) == (1, "")
    assert err.strip() == "no item has the id 'crew-chek' (did you mean 'crew-check'?)"
    status, _, err = explain(capsys, "nothing-like-it")
    assert status == 1 and err.strip() == "no item has the id 'nothing-like-it'"
