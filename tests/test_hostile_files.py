"""Hostile or broken content files give one problem line each (file, line, what is wrong) and
never a crash or a hang, while every other file's problems are still reported."""

from __future__ import annotations

import os
import shutil
import stat

import pytest
from conftest import CONTENT, SCHEMA

from generator import ContentError, load_corpus

HEADER = "# yaml-language-server: $schema=../../schema/term.schema.json\n"


@pytest.fixture(scope="module")
def problems(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    project = tmp_path_factory.mktemp("hostile")
    content = project / "content"
    shutil.copytree(CONTENT, content)
    hostile = content / "glossary"
    (hostile / "bomb.yaml").write_text(
        HEADER + "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
        encoding="utf-8",
    )
    (hostile / "deep.yaml").write_text(HEADER + "id: " + "[" * 300 + "]" * 300 + "\n", encoding="utf-8")
    (hostile / "tag.yaml").write_text(HEADER + 'id: !!python/object/apply:os.system ["true"]\n', encoding="utf-8")
    (hostile / "set.yaml").write_text(HEADER + "id: !!set {a, b}\n", encoding="utf-8")
    (hostile / "huge.yaml").write_text(HEADER + "id: x\n" + "#" * 1_100_000 + "\n", encoding="utf-8")
    (hostile / "broken.yaml").symlink_to(hostile / "nowhere.yaml")
    (hostile / "loop-a.yaml").symlink_to(hostile / "loop-b.yaml")
    (hostile / "loop-b.yaml").symlink_to(hostile / "loop-a.yaml")
    (hostile / "folder.yaml").mkdir()
    os.mkfifo(hostile / "pipe.yaml")
    if os.geteuid() == 0:  # a character device, as root can make one (like /dev/null)
        os.mknod(hostile / "device.yaml", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    outside = project / "outside.yaml"
    shutil.copy(CONTENT / "glossary" / "sme.yaml", outside)
    (hostile / "outside.yaml").symlink_to(outside)
    shutil.copy(CONTENT / "glossary" / "srdi.yaml", hostile / "SHOUTING.YAML")
    (hostile / "esc\x1b[31mred\nline.yaml").write_text(HEADER + "id: [unclosed\n", encoding="utf-8")
    area = content / "areas" / "labour.yaml"
    area.write_text(area.read_text(encoding="utf-8").replace("section:", "sectoin:"), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_corpus(content, SCHEMA, project)
    return [str(problem) for problem in error.value.problems]


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("bomb.yaml:3:8", "aliases (*a) are not allowed in content files"),
        ("deep.yaml:2:1", "nested more than 40 levels deep"),
        ("tag.yaml:2:5", "the tag !!python/object/apply:os.system is not allowed"),
        ("set.yaml:2:5", "the tag !!set is not allowed"),
        ("huge.yaml:1:1", "content files may be at most 1,000,000 bytes"),
        ("broken.yaml:1:1", "a broken symbolic link"),
        ("loop-a.yaml:1:1", "a symbolic link that loops"),
        ("loop-b.yaml:1:1", "a symbolic link that loops"),
        ("folder.yaml:1:1", "a folder named like a content file"),
        ("pipe.yaml:1:1", "not a regular file"),
        pytest.param(
            "device.yaml:1:1",
            "not a regular file",
            marks=pytest.mark.skipif(os.geteuid() != 0, reason="only root can make a device node"),
        ),
        ("outside.yaml:1:1", "a symbolic link to a file outside the content folder"),
        ("SHOUTING.YAML:1:1", "content files end in lower-case .yaml or .yml"),
        ("esc\\x1b[31mred\\nline.yaml:3:1", "invalid YAML"),
    ],
)
def test_each_hostile_file_is_one_problem_line(problems: list[str], file: str, message: str) -> None:
    found = [line for line in problems if line.startswith(f"content/glossary/{file}")]
    assert len(found) == 1, problems
    assert message in found[0]


def test_other_files_problems_are_still_reported_and_no_line_is_split(problems: list[str]) -> None:
    assert any(line.startswith("content/areas/labour.yaml:3:") for line in problems)
    assert all("\n" not in line and "\x1b" not in line for line in problems)
