"""Command line: ``python -m generator validate|build|…``, built from the feature list.

``validate`` and ``build`` belong to the core; every other command comes from a feature
(``score`` from self-checks, ``urls`` from redirects).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .commands import load_or_report
from .feature import Feature
from .features import FEATURES
from .model import Corpus


def parser_for(features: Sequence[Feature]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator", description="Validate content, build the site, and score self-checks."
    )
    parser.add_argument(
        "--content",
        type=Path,
        default=None,
        help="content folder (default: content; for build, the one mkdocs.yml names)",
    )
    parser.add_argument("--schema", type=Path, default=Path("schema"), help="schema folder (default: schema)")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check every content file and cross-reference; print all problems")
    validate.set_defaults(run=validate_command)
    build = commands.add_parser("build", help="validate, then build the site into a temporary folder and swap it in")
    build.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    build.add_argument("--site-dir", type=Path, default=None)
    build.add_argument(
        "--site-url",
        default=None,
        help="the address the site is published at (overrides site_url in mkdocs.yml); "
        "QR codes, canonical links and share previews are made from it",
    )
    build.add_argument(
        "--release",
        action="store_true",
        help="a build for publication: refuse the placeholder site_url, or one that is not https",
    )
    build.set_defaults(run=build_command)
    for feature in features:
        for register in feature.commands:
            register(commands)
    return parser


def main(argv: list[str] | None = None, features: Sequence[Feature] = FEATURES) -> int:
    args = parser_for(features).parse_args(argv)
    # Given on the command line, the content folder is also the one the build publishes.
    args.content_override = args.content
    args.content = args.content or Path("content")
    return args.run(args, features)


def validate_command(args: argparse.Namespace, features: Sequence[Feature]) -> int:
    corpus = load_or_report(args, features)
    if corpus is None:
        return 1
    print(f"content is valid: {content_summary(corpus)}")
    return 0


def content_summary(corpus: Corpus) -> str:
    """What the content holds, each kind counted (kinds with none left out): an editor sees at a
    glance that a new file was picked up."""
    counts = [
        (len(corpus.clauses), "clause", ""),
        (len(corpus.areas), "area", ""),
        (len(corpus.checks), "self-check", f" with {counted(len(corpus.questions), 'question')}"),
        (len(corpus.cases), "case", ""),
        (len(corpus.campaigns), "campaign", ""),
        (len(corpus.terms), "glossary term", ""),
        (len(corpus.library_documents), "library document", ""),
        (len(corpus.library_sources), "background source", ""),
        (len(corpus.events), "timeline event", ""),
        (len(corpus.redirects), "redirect", ""),
    ]
    return ", ".join(counted(count, noun) + more for count, noun, more in counts if count)


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def build_command(args: argparse.Namespace, features: Sequence[Feature]) -> int:
    from mkdocs.exceptions import MkDocsException

    from .sitebuild import ReleaseRefused, UnsafeTarget, build_site

    if args.release:
        problem = release_problem(args.config, args.site_url)
        if problem:
            print(f"release refused: {problem}; nothing was built or changed", file=sys.stderr)
            return 1
    if load_or_report(args, features) is None:
        print("build stopped; the existing site was not changed", file=sys.stderr)
        return 1
    try:
        target = build_site(
            args.config, args.site_dir, site_url=args.site_url, release=args.release, content_dir=args.content_override
        )
    except ReleaseRefused as error:
        print(f"release refused: {error}; nothing was built or changed", file=sys.stderr)
        return 1
    except UnsafeTarget as error:
        print(f"build refused: {error}", file=sys.stderr)
        print("nothing was changed", file=sys.stderr)
        return 1
    except (MkDocsException, SystemExit) as error:
        # MkDocs wraps the plugin's message in "Aborted with a BuildError!"; show the message itself.
        print(f"build failed: {error.__cause__ or error.__context__ or error}", file=sys.stderr)
        print("the existing site was not changed", file=sys.stderr)
        return 1
    print(f"site built in {target}")
    return 0


def release_problem(config_file: Path, site_url: str | None) -> str | None:
    """Why a release build must not go ahead, checked before content or folders are touched: the
    address given on the command line, else the one in the configuration."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from . import siteaddress

    if site_url is None:
        try:
            site_url = load_config(str(config_file)).site_url
        except (MkDocsException, OSError) as error:
            return f"the configuration {config_file} cannot be read: {error}"
    return siteaddress.release_problem(site_url)
