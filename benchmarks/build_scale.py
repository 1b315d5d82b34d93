"""Build scaling: validation and ``mkdocs build`` time and output size at 1×, 2× and 4× a large corpus.

Writes a synthetic corpus into a temporary content folder: the real guideline and areas, plus
synthetic areas (each cloned from a real one, with its own guideline section of clauses), and —
only when ``schema/case.schema.json`` / ``schema/check.schema.json`` exist — cases and checks
cloned from the real content files of those types with fresh ids, every check padded to
``--questions`` questions. Then times ``python -m generator validate`` and ``mkdocs build
--strict`` at each scale and prints seconds, the growth ratio from one scale to the next (2.0 is
linear), and output size per page (overall, per case page, per check page), with and without
Material's ``navigation.prune``.

    python benchmarks/build_scale.py [--areas N] [--cases 1000] [--checks 100] [--questions 30]
        [--scales 1 2 4]
"""

from __future__ import annotations

import argparse
import copy
import itertools
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SCHEMA = ROOT / "schema"
SCHEMA_LINE = "# yaml-language-server: $schema={}"


def yaml() -> YAML:
    loader = YAML(typ="safe", pure=True)
    loader.allow_unicode = True
    loader.width = 4096
    loader.default_flow_style = False
    return loader


def schema_of(file: Path) -> str | None:
    first = file.read_text(encoding="utf-8").split("\n", 1)[0]
    return first.rsplit("/", 1)[-1] if "$schema=" in first else None


def write(file: Path, schema: str, data: object) -> None:
    """A content file: the schema line the loader reads (relative to the file), then the data."""
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("w", encoding="utf-8") as stream:
        stream.write(SCHEMA_LINE.format(schema) + "\n")
        yaml().dump(data, stream)


def relative_schema(file: Path, content: Path, schema_dir: Path, schema: str) -> str:
    """The schema line's path, relative to the file as the editor's YAML language server expects."""
    return os.path.relpath(schema_dir / schema, file.parent).replace(os.sep, "/")


def with_fresh_ids(data: object, suffix: str) -> object:
    """A deep copy where every ``id`` value, and every string or key equal to one, gets ``suffix``:
    ids stay unique and references inside the file follow; references to real items stay valid."""
    ids: set[str] = set()

    def collect(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                ids.add(node["id"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    def rename(node: object) -> object:
        if isinstance(node, dict):
            return {rename(key): rename(value) for key, value in node.items()}
        if isinstance(node, list):
            return [rename(value) for value in node]
        if isinstance(node, str) and node in ids:
            return f"{node[: 59 - len(suffix)].rstrip('-')}-{suffix}"
        return node

    collect(data)
    return rename(copy.deepcopy(data))


def padded_questions(check: dict, count: int) -> list[dict]:
    """Exactly ``count`` questions: the check's own, then clones of them with fresh ids (a clone's
    ``show_if`` names the clone of its earlier question). Kept grouped by area in first-seen order,
    so a check across areas still shows each area once; the sort is stable, so every ``show_if``
    still names an earlier question."""
    questions = list(check["questions"])
    for round_ in itertools.count(1):
        if len(questions) >= count:
            break
        questions.extend(with_fresh_ids(check["questions"], f"q{round_}"))
    questions = questions[:count]
    areas = list(dict.fromkeys(question.get("area") for question in questions))
    return sorted(questions, key=lambda question: areas.index(question.get("area")))


def synthesize(
    content: Path, schema_dir: Path, areas: int, cases: int, checks: int, questions: int = 0
) -> dict[str, int]:
    """Write the real content plus the synthetic items into ``content``; return how many of each.

    ``questions`` > 0 gives every synthetic check exactly that many questions."""
    loader = yaml()
    by_type: dict[str, list[tuple[Path, object]]] = {}
    for file in sorted(CONTENT.rglob("*.yaml")):
        schema = schema_of(file)
        data = loader.load(file.read_text(encoding="utf-8"))
        by_type.setdefault(schema, []).append((file, data))
        target = content / file.relative_to(CONTENT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    counts = {"areas": 0, "cases": 0, "checks": 0, "questions": 0}
    guideline_file, guideline = next(
        (file, data) for file, data in by_type["document.schema.json"] if data["role"] == "guideline"
    )
    sections = {section["id"]: section for part in guideline["parts"] for section in part.get("sections", [])}
    key_part = next(part for part in guideline["parts"] if part.get("sections"))
    templates = itertools.cycle(by_type.get("area.schema.json", []))
    area_dir = content / "synthetic-areas"
    for number in range(areas):
        _, template = next(templates)
        real_section = sections[template["section"]]
        section_id = f"synthetic-section-{number}"
        clause_ids = {
            clause["id"]: f"{section_id}-{index}" for index, clause in enumerate(real_section["clauses"], start=1)
        }
        key_part["sections"].append(
            {
                "id": section_id,
                "label": f"(S{number})",
                "heading": f"Synthetic section {number} for the build benchmark.",
                "clauses": [
                    {"id": clause_ids[clause["id"]], "text": clause["text"]} for clause in real_section["clauses"]
                ],
            }
        )
        area = dict(template)
        area.update(id=f"synthetic-area-{number}", section=section_id, title=f"{template['title']} ({number})")
        if "clause_notes" in template:
            area["clause_notes"] = {clause_ids[key]: note for key, note in template["clause_notes"].items()}
        file = area_dir / f"synthetic-area-{number}.yaml"
        write(file, relative_schema(file, content, schema_dir, "area.schema.json"), area)
        counts["areas"] += 1
    target = content / guideline_file.relative_to(CONTENT)
    write(target, relative_schema(target, content, schema_dir, "document.schema.json"), guideline)
    for kind, count in (("case", cases), ("check", checks)):
        schema = f"{kind}.schema.json"
        if not (schema_dir / schema).exists() or not by_type.get(schema):
            continue
        real = itertools.cycle(by_type[schema])
        for number in range(count):
            _, template = next(real)
            if kind == "check" and questions:
                template = {**template, "questions": padded_questions(template, questions)}
            file = content / f"synthetic-{kind}s" / f"{kind}-{number}.yaml"
            write(file, relative_schema(file, content, schema_dir, schema), with_fresh_ids(template, f"s{number}"))
            counts[f"{kind}s"] += 1
            if kind == "check":
                counts["questions"] += len(template["questions"])
    return counts


def mkdocs_config(workdir: Path, content: Path, site: Path, prune: bool) -> Path:
    """The real mkdocs.yml with absolute paths to the synthetic content and a separate site folder."""
    loader = YAML(typ="rt")
    config = loader.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(ROOT / config.get("docs_dir", "docs"))
    config["site_dir"] = str(site)
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    features = config["theme"].setdefault("features", [])
    if prune and "navigation.prune" not in features:
        features.append("navigation.prune")
    if not prune and "navigation.prune" in features:
        features.remove("navigation.prune")
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "sme-guideline" in plugin:
            plugin["sme-guideline"]["content_dir"] = str(content)
            plugin["sme-guideline"]["schema_dir"] = str(SCHEMA)
    file = workdir / f"mkdocs{'-prune' if prune else ''}.yml"
    with file.open("w", encoding="utf-8") as stream:
        loader.dump(config, stream)
    return file


def timed(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of a command; CPU time is the steadier
    figure on a shared machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def site_size(site: Path) -> tuple[int, int, int, float, float]:
    """HTML page count, bytes of HTML, bytes of everything, and the mean bytes of a case page and
    of a check page (0 when there are none): the two page types the synthetic corpus multiplies."""
    pages = list(site.rglob("*.html"))
    html = sum(page.stat().st_size for page in pages)
    total = sum(file.stat().st_size for file in site.rglob("*") if file.is_file())
    return len(pages), html, total, mean_page_bytes(site / "cases"), mean_page_bytes(site / "checks")


def mean_page_bytes(folder: Path) -> float:
    """Mean size of the item pages in ``folder`` (``<id>/index.html``), not counting its index page."""
    sizes = [page.stat().st_size for page in folder.glob("*/index.html")]
    return sum(sizes) / len(sizes) if sizes else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--areas",
        type=int,
        default=None,
        help="synthetic areas (pages) at 1x (default 0 when cases exist, as the guideline has 10 areas; else 250)",
    )
    parser.add_argument("--cases", type=int, default=1000, help="synthetic cases at 1x, if cases exist (1000)")
    parser.add_argument("--checks", type=int, default=100, help="synthetic checks at 1x, if checks exist (100)")
    parser.add_argument(
        "--questions", type=int, default=30, help="questions in every synthetic check (30; 0 keeps the real count)"
    )
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args(argv)
    if args.areas is None:
        args.areas = 0 if (SCHEMA / "case.schema.json").exists() else 250
    python = sys.executable
    rows = []
    print(f"build scaling; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at start")
    for scale in args.scales:
        with tempfile.TemporaryDirectory(prefix="build-scale-") as temp:
            workdir = Path(temp)
            content = workdir / "content"
            counts = synthesize(
                content, SCHEMA, args.areas * scale, args.cases * scale, args.checks * scale, args.questions
            )
            validate = timed(
                [python, "-m", "generator", "--content", str(content), "--schema", str(SCHEMA), "validate"]
            )
            results = {}
            for prune in (False, True):
                site = workdir / f"site{'-prune' if prune else ''}"
                config = mkdocs_config(workdir, content, site, prune)
                seconds = timed([python, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)])
                results[prune] = (seconds, *site_size(site))
            rows.append((scale, counts, validate, results))
            made = ", ".join(f"{count} {kind}" for kind, count in counts.items() if count)
            print(
                f"{scale}x: {made}: validate {validate[0]:.1f} s ({validate[1]:.1f} s CPU), "
                f"build {results[False][0][0]:.1f} s ({results[False][0][1]:.1f} s CPU)",
                flush=True,
            )
    print()
    print(
        "| scale | synthetic items | pages | validate s (CPU) | CPU growth | mkdocs build s (CPU) | CPU growth "
        "| KB/page | KB/case page | KB/check page | site MB | with navigation.prune: build s (CPU), KB/page, site MB |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    previous = None
    for scale, counts, validate, results in rows:
        (seconds, cpu), pages, html, total, case_page, check_page = results[False]
        (pruned_seconds, pruned_cpu), pruned_pages, pruned_html, pruned_total, *_ = results[True]
        validate_growth, growth = (
            (f"{validate[1] / previous[0]:.2f}", f"{cpu / previous[1]:.2f}") if previous else ("–", "–")
        )
        previous = (validate[1], cpu)
        made = ", ".join(f"{count} {kind}" for kind, count in counts.items() if count)
        print(
            f"| {scale}x | {made} | {pages} | {validate[0]:.1f} ({validate[1]:.1f}) | {validate_growth} "
            f"| {seconds:.1f} ({cpu:.1f}) | {growth} | {html / pages / 1024:.0f} | {case_page / 1024:.0f} "
            f"| {check_page / 1024:.0f} | {total / 1e6:.1f} | {pruned_seconds:.1f} ({pruned_cpu:.1f}), "
            f"{pruned_html / pruned_pages / 1024:.0f}, {pruned_total / 1e6:.1f} |"
        )
    print("CPU growth = CPU time ÷ CPU time at the previous scale; 2.00 per doubling is linear")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
