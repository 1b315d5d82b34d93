"""When each content file last changed, for the "last changed" line on every page.

A file's day is the day of the last commit that changed it, so a fresh clone or a CI build shows
the same dates as the editor's machine. Where git cannot say (the folder is not in a repository,
git is missing, or the file is new or edited since its last commit) the file's modification
time is used: that is the change a preview build is showing. A shallow clone knows only its
newest commit, so every file there gets that commit's day; publish from a full clone.
"""

from __future__ import annotations

import datetime
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from .model import Corpus
from .render import Page

GIT_TIMEOUT = 60
"""Seconds; a git that hangs (a lock, a network file system) must not hang the build."""


def file_dates(folder: Path) -> dict[Path, datetime.date]:
    """Every regular file under ``folder`` (resolved paths) → the day it last changed."""
    folder = folder.resolve()
    files = [path for path in sorted(folder.rglob("*")) if path.is_file()]
    top = _git(folder, "rev-parse", "--show-toplevel")
    root = Path(top.strip()).resolve() if top is not None else None
    committed = _commit_days(folder, root) if root else {}
    edited = _uncommitted(folder, root) if root else set()
    return {
        path: (committed[path] if path in committed and path not in edited else _modified_day(path)) for path in files
    }


def newest(days: Iterable[datetime.date]) -> datetime.date | None:
    return max(days, default=None)


def day_of_items(
    item_ids: Iterable[str], item_files: Mapping[str, str], content_dir: Path, dates: Mapping[Path, datetime.date]
) -> datetime.date | None:
    """The newest day among the files the given items were written in; ``None`` if none is known."""
    root = content_dir.resolve()
    return newest(
        dates[root / item_files[item]] for item in item_ids if item in item_files and root / item_files[item] in dates
    )


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", "-C", str(folder), *args],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "surrogateescape")


def _commit_days(folder: Path, root: Path) -> dict[Path, datetime.date]:
    """Each committed file's last commit day, newest commit first (``git log`` order); ``root``
    is the repository's top folder, which git's names are relative to."""
    log = _git(folder, "log", "--no-renames", "--format=%x1e%cs", "--name-only", "-z", "--", ".")
    if log is None:
        return {}
    days: dict[Path, datetime.date] = {}
    for record in log.split("\x1e")[1:]:
        # -z: "<day>\0\n<name>\0<name>\0…" (a commit that changed no file here names none)
        head, *names = record.split("\0")
        try:
            day = datetime.date.fromisoformat(head.strip())
        except ValueError:
            continue
        for name in names:
            name = name.lstrip("\n")
            if name:
                days.setdefault((root / name).resolve(), day)
    return days


def _uncommitted(folder: Path, root: Path) -> set[Path]:
    """Files that are new, or changed since their last commit (staged or not)."""
    status = _git(folder, "status", "--porcelain", "-z", "--untracked-files=all", "--", ".")
    if status is None:
        return set()
    edited: set[Path] = set()
    entries = iter(status.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        edited.add((root / entry[3:]).resolve())
        if entry[0] in "RC":  # a rename is followed by its old name
            next(entries, None)
    return edited


def _modified_day(path: Path) -> datetime.date:
    return datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC).date()


def page_days(pages: Iterable[Page], corpus: Corpus, content_dir: Path) -> dict[str, datetime.date]:
    """Each generated page (by ``src_uri``) → the day its content last changed: the newest file of
    the items it presents, or of the whole content folder for a page about no item in particular."""
    dates = file_dates(content_dir)
    whole = newest(dates.values())
    days: dict[str, datetime.date] = {}
    for page in pages:
        day = day_of_items(page.about, corpus.files, content_dir, dates) if page.about else whole
        if day is not None:
            days[page.src_uri] = day
    return days
