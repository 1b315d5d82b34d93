"""Command line: ``python -m generator validate|build|score``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .corpus import load_corpus
from .diagnostics import ContentError
from .redirects import register_urls_command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    parser.add_argument("--schema", type=Path, default=Path("schema"), help="schema folder (default: schema)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("validate", help="check every content file and cross-reference; print all problems")
    build = commands.add_parser("build", help="validate, then build the site into a temporary folder and swap it in")
    build.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    build.add_argument("--site-dir", type=Path, default=None)
    for register in COMMANDS:
        register(commands)
    args = parser.parse_args(argv)
    if args.command == "validate":
        return validate(args)
    if args.command == "build":
        return build_command(args)
    return args.run(args)


def validate(args: argparse.Namespace) -> int:
    try:
        corpus = load_corpus(args.content, args.schema, Path.cwd())
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    print(f"content is valid: {len(corpus.clauses)} clauses, {len(corpus.areas)} areas, {len(corpus.cases)} cases")
    return 0


def build_command(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import MkDocsException

    from .sitebuild import build_site

    try:
        load_corpus(args.content, args.schema, Path.cwd())
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        print("build stopped; the existing site was not changed", file=sys.stderr)
        return 1
    try:
        target = build_site(args.config, args.site_dir)
    except (MkDocsException, SystemExit) as error:
        # MkDocs wraps the plugin's message in "Aborted with a BuildError!"; show the message itself.
        print(f"build failed: {error.__cause__ or error.__context__ or error}", file=sys.stderr)
        print("the existing site was not changed", file=sys.stderr)
        return 1
    print(f"site built in {target}")
    return 0


COMMANDS: list = []
"""Further sub-commands (e.g. ``score``) register a function that adds their parser and sets ``run``."""

COMMANDS.append(register_urls_command)


if __name__ == "__main__":
    sys.exit(main())
