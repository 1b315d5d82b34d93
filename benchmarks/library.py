"""Figures for the policy library, glossary and reading aids: generation cost of term marking,
build time, and the weight of the pages and search index they add. Prints; asserts nothing.

Run: ``.venv/bin/python benchmarks/library.py`` from the repository root.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import FEATURES, load_corpus, site_pages  # noqa: E402
from generator.features import GLOSSARY  # noqa: E402
from generator.sitebuild import build_site  # noqa: E402


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    corpus = load_corpus(ROOT / "content", ROOT / "schema", ROOT)
    print(
        f"content: {len(corpus.clauses)} clauses, {len(corpus.library_sources)} sources, "
        f"{len(corpus.events)} events, {len(corpus.terms)} glossary terms"
    )
    load = best_of(5, lambda: load_corpus(ROOT / "content", ROOT / "schema", ROOT))
    print(f"load and validate content: {load * 1000:.0f} ms (best of 5)")
    with_terms = best_of(30, lambda: site_pages(corpus))
    # The same features, the glossary's term marker left out.
    unmarked = [replace(feature, text_markers=()) if feature is GLOSSARY else feature for feature in FEATURES]
    without_terms = best_of(30, lambda: site_pages(corpus, unmarked))
    print(
        f"generate all pages: {with_terms * 1000:.1f} ms with term marking, "
        f"{without_terms * 1000:.1f} ms without (best of 30)"
    )
    generated = site_pages(corpus)
    marks = [page.markdown.count('<abbr class="term"') for page in generated]
    print(
        f"glossary marks: {sum(marks)} on {sum(1 for count in marks if count)} of {len(generated)} pages "
        f"(median {statistics.median(marks):.0f} per page)"
    )
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        start = time.perf_counter()
        build_site(ROOT / "mkdocs.yml", site, strict=True)
        print(f"full site build (--strict, jieba): {time.perf_counter() - start:.1f} s")
        for path in (
            "library/index.html",
            "library/timeline/index.html",
            "library/miit-notice-2020/index.html",
            "library/scio-briefing-2020/index.html",
            "glossary/index.html",
        ):
            print(f"  {path}: {(site / path).stat().st_size / 1024:.1f} KiB")
        index = site / "search" / "search_index.json"
        docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
        library_docs = [doc for doc in docs if doc["location"].startswith(("library/", "glossary/"))]
        print(
            f"search index: {index.stat().st_size / 1024:.0f} KiB, {len(docs)} entries "
            f"({len(library_docs)} from the library and glossary, "
            f"{sum(1 for doc in docs if doc.get('boost'))} boosted)"
        )
        assets = ["assets/javascripts/easy-reading.js", "assets/javascripts/accessibility.js"]
        print("reading-aid scripts: " + ", ".join(f"{Path(a).name} {(site / a).stat().st_size} B" for a in assets))


if __name__ == "__main__":
    main()
