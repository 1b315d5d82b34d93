"""Figures for the share cards: what drawing every case's card costs, what taking them from the
cache costs, their size, and both in a full build of a copy of the project (after a first build
that loads everything, an empty cache, then the cache that build left). Prints figures; asserts
nothing (the tests do that).

Run with ``make benchmark`` or ``.venv/bin/python benchmarks/share_cards.py`` (needs fonts-noto-cjk).
"""

from __future__ import annotations

import logging
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from projects import copy_project  # noqa: E402

from generator import load_corpus, share_cards  # noqa: E402
from generator.sitebuild import build_site  # noqa: E402

RUNS = 3


def timed(action) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds of ``action()``, and its result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    corpus = load_corpus(ROOT / "content", ROOT / "schema", ROOT)
    cases = corpus.ordered_cases
    wall, cpu, fonts = timed(share_cards.find_fonts)
    print(f"cases: {len(cases)}; font lookup (Chinese checked): {wall * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms")
    drawn, cached, sizes = [], [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as folder:
            cards = share_cards.ShareCards(fonts, "SME Compliance Guide", Path(folder))
            drawn.append(timed(lambda cards=cards: [cards(case.title, case.lesson) for case in cases]))
            assert cards.drawn == len(cases)
            cached.append(timed(lambda cards=cards: [cards(case.title, case.lesson) for case in cases]))
            assert cards.reused == len(cases)
            sizes = [len(card) for card in cached[-1][2]]
    for label, runs in (("draw all (empty cache)", drawn), ("all from the cache", cached)):
        walls = [run[0] for run in runs]
        cpus = [run[1] for run in runs]
        print(
            f"{label}: median {statistics.median(walls):.3f} s wall, {statistics.median(cpus):.3f} s CPU "
            f"of {RUNS} (per card {statistics.median(cpus) / len(cases) * 1000:.1f} ms CPU)"
        )
    print(
        f"card PNG: median {statistics.median(sizes) / 1024:.1f} KiB, max {max(sizes) / 1024:.1f} KiB, "
        f"all {sum(sizes) / 1024:.0f} KiB"
    )
    logged = BuildLog()
    with tempfile.TemporaryDirectory() as folder:
        project = copy_project(Path(folder) / "project")
        build_site(project / "mkdocs.yml", project / "site")  # imports, jieba's dictionary: not the cards' cost
        shutil.rmtree(project / share_cards.CACHE_DIR)
        for label in ("empty card cache", "the cache it left"):
            wall, cpu, _ = timed(lambda: build_site(project / "mkdocs.yml", project / "site"))
            print(f"full build of a copy (--strict), {label}: {wall:.1f} s wall, {cpu:.1f} s CPU; {logged.last}")


class BuildLog(logging.Handler):
    """Keeps the plugin's last "Share cards: …" line (it times the cards inside the build)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.last = ""
        logger = logging.getLogger("mkdocs.plugins.generator.plugin")
        logger.setLevel(logging.INFO)
        logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        found = re.search(r"Share cards: (\d+) drawn, (\d+) from the cache in .* \((.+)\)$", record.getMessage())
        if found:
            self.last = f"cards: {found[1]} drawn, {found[2]} from the cache, {found[3]}"


if __name__ == "__main__":
    main()
