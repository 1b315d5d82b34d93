"""The ``score`` command: score one answers file, or a CSV batch of enterprises, with the same
engine and bytes as the browser."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import scoring
from .commands import load_or_report
from .compiled_check import compile_check
from .feature import Feature
from .loading import safe_text
from .locale import DEFAULT_LANGUAGE, LocaleError, load_locale
from .model import Check


def add_score_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "score",
        help="score answers with the site's engine; print the result as JSON",
        description="Score one answers file (JSON) or a CSV batch (one row per enterprise, one column per question "
        "id, optional 'enterprise' column) with the same engine and bytes as the browser.",
    )
    parser.add_argument("check_id", metavar="CHECK_ID")
    parser.add_argument("answers", nargs="?", type=Path, metavar="ANSWERS.json")
    parser.add_argument("--batch", type=Path, metavar="ANSWERS.csv", help="score every row of a CSV file")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="batch output (default jsonl)")
    parser.add_argument("--output", type=Path, help="write batch results to this file instead of standard output")
    parser.add_argument(
        "--language",
        default=DEFAULT_LANGUAGE,
        help="the language of the report's words, as the site's theme.language names it (default en); "
        "a deployment's own texts in <content>/locales/<language>/ count, as on the site",
    )
    parser.add_argument(
        "--report",
        type=Path,
        metavar="REPORT.html",
        help="with ANSWERS.json: also write the report HTML the check page shows for these answers",
    )
    parser.set_defaults(run=score_command)


def score_command(args: argparse.Namespace, features: Sequence[Feature]) -> int:
    if (args.answers is None) == (args.batch is None):
        print("give either ANSWERS.json or --batch ANSWERS.csv", file=sys.stderr)
        return 2
    corpus = load_or_report(args, features)
    if corpus is None:
        return 1
    check = corpus.checks.get(args.check_id)
    if check is None:
        print(f"unknown check {args.check_id!r}; known: {', '.join(sorted(corpus.checks))}", file=sys.stderr)
        return 2
    try:
        locale = load_locale(args.language, Path(args.content) / "locales")
    except LocaleError as error:
        print(error, file=sys.stderr)
        return 2
    compiled = compile_check(corpus, check, locale)
    if args.batch is not None:
        return score_batch(compiled, args.batch, args.format, args.output)
    try:
        record = record_from(json.loads(args.answers.read_text(encoding="utf-8-sig")), check)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        print(f"{args.answers}: {_reason(error)}", file=sys.stderr)
        return 2
    result = scoring.assess(compiled, record)
    if args.report is not None:
        try:
            args.report.write_text(scoring.report_html(compiled, result), encoding="utf-8")
        except OSError as error:
            print(f"{args.report}: {error.strerror or error}", file=sys.stderr)
            return 2
    sys.stdout.write(scoring.dumps(result) + "\n")
    return 0


def _reason(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "nested too deeply to be an answers file"
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


def record_from(data: object, check: Check) -> object:
    """The record :func:`scoring.assess` scores: the site's export file for this check (today's
    ``{check, version, exported, answers}`` or a record with notes, review flags, the assessment
    and history) as it is, or plain answers (question id → option id) as ``{"answers": ...}``, the
    same reading as the browser's. A file for another check is refused; whatever else is wrong
    inside the record is the engine's to report in ``problems``."""
    if not isinstance(data, dict):
        raise ValueError("an answers file holds a JSON object: question id → option id, or an exported answers file")
    if "check" in data and data["check"] != check.id:
        raise ValueError(f"these answers are for check {str(data['check'])[:200]!r}, not {check.id!r}")
    return scoring.as_record(data)


MAX_CELL = 10_000
"""Longest CSV cell read: an option id or an enterprise name is far shorter."""
FORMULA_START = scoring.FORMULA_START
spreadsheet_safe = scoring.spreadsheet_safe
"""The engine's rule (the plan page's CSV uses it too): a cell starting like a formula gets a leading apostrophe."""


class BatchError(Exception):
    """The CSV file as a whole cannot be used."""


def read_batch(file: Path) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a batch CSV, read by the ``csv``
    module over the whole file, so quoted newlines, U+2028 and form feeds stay in their cell."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise BatchError(f"not UTF-8 text (byte {error.start}); save it as UTF-8 CSV") from None
    except OSError as error:
        raise BatchError(error.strerror or str(error)) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    previous_limit = csv.field_size_limit(MAX_CELL)
    try:
        rows.extend(reader)
    except csv.Error as error:
        reason = str(error)
        if "field larger than field limit" in reason:
            reason = f"a cell is longer than {MAX_CELL:,} characters"
        raise BatchError(f"line {reader.line_num}: {reason}") from None
    finally:
        csv.field_size_limit(previous_limit)
    if not rows:
        raise BatchError("empty file; the first row must name the question ids")
    header = [cell.strip() for cell in rows[0]]
    if "" in header:
        raise BatchError(f"row 1: column {header.index('') + 1} has no name")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise BatchError(f"row 1: columns named twice: {safe_text(', '.join(duplicates))}")
    return header, rows[1:]


def score_batch(compiled: dict, file: Path, output_format: str, output: Path | None) -> int:
    """One result per CSV row; bad rows are reported on standard error by row number and skipped."""
    try:
        header, rows = read_batch(file)
    except BatchError as error:
        print(f"{file}: {error}", file=sys.stderr)
        return 2
    known = {question["id"] for question in compiled["questions"]}
    unknown = [name for name in header if name not in known and name != "enterprise"]
    if unknown:
        print(f"{file}: row 1: unknown question ids in the header: {safe_text(', '.join(unknown))}", file=sys.stderr)
        return 2
    results = []
    bad = 0
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            print(f"{file}: row {number}: {len(row)} cells, the header has {len(header)}; row skipped", file=sys.stderr)
            bad += 1
            continue
        cells = dict(zip(header, (cell.strip() for cell in row), strict=True))
        enterprise = cells.pop("enterprise", None)
        result = scoring.score(compiled, {key: value for key, value in cells.items() if value})
        if result["problems"]:
            details = "; ".join(
                f"{problem['question']}={problem['answer']!r}: {problem['message']}" for problem in result["problems"]
            )
            print(f"{file}: row {number}: {safe_text(details)}; row skipped", file=sys.stderr)
            bad += 1
            continue
        results.append((number, enterprise, result))
    try:
        stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    except OSError as error:
        print(f"{output}: {error.strerror or error}", file=sys.stderr)
        return 2
    try:
        if output_format == "jsonl":
            for number, enterprise, result in results:
                stream.write(scoring.dumps({"row": number, "enterprise": enterprise, "result": result}) + "\n")
        else:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(
                ["row", "enterprise", "status", "score", "level", "answered", "applicable", "red_line_failed"]
            )
            for number, enterprise, result in results:
                progress = result["progress"]
                writer.writerow(
                    [
                        number,
                        spreadsheet_safe(enterprise or ""),
                        result["status"],
                        result["score"],
                        result["level"] or "",
                        progress["answered"],
                        progress["applicable"],
                        str(result["red_line_failed"]).lower(),
                    ]
                )
    finally:
        if output:
            stream.close()
    return 1 if bad else 0
