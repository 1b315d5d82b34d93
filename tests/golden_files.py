"""Golden files: produced text is compared with a committed file; with ``pytest --update-golden``
the file is rewritten instead, and :func:`prune` deletes the files no test produces any more.

A test names every file it produces (:meth:`Golden.check`); each golden folder has one test that
knows the complete set of files its tests produce (from their parametrization, so it holds for any
subset of tests run) and calls :func:`prune`."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from pathlib import Path


def pretty_json(value: object) -> str:
    """Golden JSON: indented, keys sorted, UTF-8 as is, a final newline; a diff shows what changed."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Golden:
    def __init__(self, update: bool) -> None:
        self.update = update

    def check(self, path: Path, produced: str) -> None:
        """Assert ``path`` holds ``produced``; when updating, write it first (only if it changed)."""
        if self.update and (not path.exists() or path.read_text(encoding="utf-8") != produced):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(produced, encoding="utf-8")
        assert path.exists(), f"{path} is missing; run pytest --update-golden and review the new file"
        expected = path.read_text(encoding="utf-8")
        if expected != produced:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    produced.splitlines(keepends=True),
                    f"{path} (golden)",
                    "produced",
                    n=2,
                )
            )
            raise AssertionError(f"{path} differs from the output; run pytest --update-golden if intended:\n{diff}")


def prune(root: Path, produced: Iterable[Path], update: bool, pattern: str = "**/*") -> list[Path]:
    """Golden files under ``root`` (matching ``pattern``) that no test produces. When updating they are
    deleted, with the folders they leave empty, and the list is empty; otherwise they are returned."""
    keep = {path.resolve() for path in produced}
    stale = sorted(path for path in root.glob(pattern) if path.is_file() and path.resolve() not in keep)
    if not update:
        return stale
    for path in stale:
        path.unlink()
        folder = path.parent
        while folder != root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return []
