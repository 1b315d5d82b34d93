"""One build of the real site per test run, shared by every test process: built by whichever
process asks first (see ``conftest.built_site``), or started in the background as the run begins
(``python tests/real_site.py FOLDER``) so that it overlaps with the tests that do not need it."""

from __future__ import annotations

import fcntl
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_once(folder: Path) -> Path:
    """The site in ``folder/site``, built with --strict unless a build there already finished;
    a process that finds another building waits for it on a file lock."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from generator.sitebuild import build_site

    site = folder / "site"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "built").exists():
            build_site(ROOT / "mkdocs.yml", site, strict=True)
            (folder / "built").touch()
    return site


if __name__ == "__main__":
    build_once(Path(sys.argv[1]))
