"""Problems found in content, reported the way editors read them: ``file:line:col: $.path: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one content file."""

    file: str
    line: int
    column: int
    json_path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.json_path}: {self.message}"


class ContentError(Exception):
    """Raised when content cannot be turned into a site; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        lines = [str(problem) for problem in self.problems]
        lines.append(f"{count} problem{'s' if count != 1 else ''} found.")
        return "\n".join(lines)


def json_path(parts: tuple[str | int, ...]) -> str:
    """Render a path of keys and indexes as JSONPath, the form jsonschema reports (``$.a[0].b``)."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.replace("_", "a").replace("-", "a").isalnum():
            text += f".{part}"
        else:
            text += f"[{part!r}]"
    return text
