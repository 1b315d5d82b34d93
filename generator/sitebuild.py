"""Build the site into a staging folder and swap it in only when the build succeeded, so a
failed build leaves the previous site exactly as it was.

The target is replaced whole, so it must be safe to replace: empty, absent, or a previous build
(marked by :data:`MARKER`). A folder holding the project, its content, schemas or docs is never
a target. The swap exchanges the two folders in one step where the system can
(``renameat2(RENAME_EXCHANGE)`` on Linux), so the site is never missing, not even for a moment;
elsewhere it falls back to two renames. Staging folders of builds that were killed are removed
by the next build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from . import siteaddress

MARKER = ".generator-build"
"""Written into every built site: the folder may be replaced by the next build."""
MARKER_TEXT = "Built by `python -m generator build`. The next build replaces this whole folder.\n"


class UnsafeTarget(Exception):
    """The folder given for the site holds something a build must not replace."""


class ReleaseRefused(Exception):
    """A release build was asked for with an address that must not be published (one line)."""


def build_site(
    config_file: Path,
    site_dir: Path | None = None,
    strict: bool = True,
    *,
    site_url: str | None = None,
    release: bool = False,
    content_dir: Path | None = None,
) -> Path:
    """Run ``mkdocs build`` (strict by default) and atomically replace ``site_dir``.

    ``site_url`` overrides the one in the configuration, and ``content_dir`` the plugin's content
    folder (another guideline built with the same configuration). A ``release`` build refuses the
    placeholder address, none, or one that is not https, before anything is written.
    """
    config_file = config_file.resolve()
    config = load_config(str(config_file), strict=strict, site_url=site_url or None)
    plugin = config.plugins.get("sme-guideline")
    if content_dir is not None and plugin is not None:
        plugin.config["content_dir"] = str(content_dir.resolve())
    if release:
        problem = siteaddress.release_problem(config.site_url)
        if problem:
            raise ReleaseRefused(problem)
    target = Path(site_dir or config.site_dir).resolve()
    protected = {
        "the project": config_file.parent,
        "the docs folder": Path(config.docs_dir).resolve(),
        "the theme overrides": Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None,
        **_plugin_folders(config),
    }
    check_target(target, {name: path for name, path in protected.items() if path is not None})
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-{os.getpid()}-", dir=target.parent))
    try:
        readable_by_others(staging)
        config.site_dir = str(staging)
        build(config)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, target)
    return target


def readable_by_others(folder: Path) -> None:
    """Give the staging folder the mode a plain ``mkdir`` would (``mkdtemp`` makes it 0700): the
    site's top folder must be readable by the web server's own user, e.g. Debian's ``www-data``."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)


def _plugin_folders(config) -> dict[str, Path]:
    plugin = config.plugins.get("sme-guideline")
    if plugin is None:
        return {}
    return {
        "the content folder": Path(plugin.config.content_dir).resolve(),
        "the schema folder": Path(plugin.config.schema_dir).resolve(),
    }


def check_target(target: Path, protected: dict[str, Path]) -> None:
    """Refuse a target that is, or holds, a protected folder, or that holds anything but a build."""
    for name, folder in protected.items():
        if target == folder or target in folder.parents:
            raise UnsafeTarget(f"{target} holds {name} ({folder}); give the site a folder of its own")
        if folder in target.parents and name != "the project":
            raise UnsafeTarget(f"{target} is inside {name} ({folder}); give the site a folder of its own")
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UnsafeTarget(f"{target} is not a folder; give the site a folder of its own")
    if target.is_dir() and any(target.iterdir()) and not is_previous_build(target):
        raise UnsafeTarget(
            f"{target} is not empty and is not a previous build of this site (no {MARKER} file); "
            "give the site a new or empty folder"
        )


def is_previous_build(folder: Path) -> bool:
    """Marked by :data:`MARKER`; or built before the marker existed (a site map and search index,
    and no project file)."""
    if (folder / MARKER).is_file():
        return True
    legacy = (folder / "sitemap.xml").is_file() and (folder / "search" / "search_index.json").is_file()
    return legacy and not (folder / "mkdocs.yml").exists()


def remove_stale_staging(target: Path) -> list[Path]:
    """Staging folders of builds whose process is gone (killed, crashed); a running build's are kept."""
    removed = []
    for folder in target.parent.glob(f".{target.name}-building-*"):
        pid = folder.name.removeprefix(f".{target.name}-building-").split("-", 1)[0]
        if pid.isdigit() and _alive(int(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    previous = target.with_name(f".{target.name}-previous")
    if previous.exists():
        shutil.rmtree(previous, ignore_errors=True)
        removed.append(previous)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_in(staging: Path, target: Path) -> None:
    """Put ``staging`` in place of ``target``; the old site is removed after the swap."""
    if not target.exists():
        staging.rename(target)
        return
    if exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the old site
        return
    # Fallback: two renames, with a moment in between where the site is missing.
    retired = target.with_name(f".{target.name}-previous")
    shutil.rmtree(retired, ignore_errors=True)
    target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


RENAME_EXCHANGE = 2
AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False where the system cannot."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        renameat2 = ctypes.CDLL(name, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    return result == 0
