"""Published addresses never break: the URL manifest, redirects declared in content, and
static redirect pages that work on any host (no server rules needed).

The manifest (``published-urls.txt`` in the content folder) lists every public page address, one site path a
line (``/cases/unsigned-contracts/``). The build fails when a listed address would no
longer be served, unless ``content/redirects.yaml`` sends it elsewhere.
``python -m generator urls`` lists the addresses and appends new ones; it never removes any.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path

from . import urls
from .commands import load_or_report
from .feature import Feature, site_pages
from .loading import CorpusDraft, Loading
from .model import Corpus, Redirect
from .reference import reference_pages
from .render import Page
from .yamlsource import Source

MANIFEST_NAME = "published-urls.txt"
"""The manifest's name in the content folder, where it is unless configured elsewhere."""
PLUGIN_SOURCE = Path(__file__).with_name("plugin.py")
"""Where the plugin's options are declared, for the generated options reference."""
MANIFEST_HEADER = (
    "# Every public page address of the site, one site path a line.\n"
    "# The build fails if one of them would disappear without a redirect in content/redirects.yaml.\n"
    "# Add new addresses with `python -m generator urls --update`; never delete a line.\n"
)


def load_redirects(source: Source, draft: CorpusDraft, loading: Loading) -> None:
    for index, entry in enumerate(source.data["redirects"]):
        loading.define(source, ("redirects", index, "from"), f"redirect:{entry['from']}")
        draft.redirects[entry["from"]] = Redirect(entry["from"], entry["to"], entry.get("reason"))


def check_redirects(corpus: Corpus, loading: Loading) -> None:
    """A redirect must not point at another redirect (chains break offline copies and confuse readers)."""
    for redirect in corpus.redirects.values():
        source, parts = loading.place(f"redirect:{redirect.old}")
        loading.expect(
            redirect.new not in corpus.redirects,
            source,
            (*parts[:-1], "to"),
            f"{redirect.new!r} is itself redirected; point straight at the final page",
        )
        loading.expect(redirect.new != redirect.old, source, (*parts[:-1], "to"), "a page cannot redirect to itself")


def manifest_path(setting: str, content_dir: Path, config: object | None = None) -> Path:
    """Where the manifest is: the plugin option ``url_manifest`` (relative to mkdocs.yml), or by
    default :data:`MANIFEST_NAME` in the content folder."""
    if not setting:
        return content_dir / MANIFEST_NAME
    config_file = getattr(config, "config_file_path", None)
    base = Path(config_file).parent if config_file else Path.cwd()
    return base / setting


def read_manifest(path: Path) -> list[str]:
    """The addresses listed in the manifest, in file order; blank lines, ``#`` comment lines and
    anything after an address (a trailing comment) skipped. An address may end in ``#anchor``."""
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line.split()[0] for line in lines if line and not line.startswith("#")]


def vanished(
    manifest: Iterable[str],
    served: set[str],
    redirects: Mapping[str, Redirect],
    anchors: Mapping[str, set[str]] | None = None,
) -> list[str]:
    """Listed addresses that the site would no longer serve and that no redirect covers. A listed
    anchor (``/guideline/#labour-2``) must still be an element id of its page, or of the page its
    page redirects to; pages whose anchors are unknown (``anchors`` lacks them) are taken on trust."""
    anchors = anchors or {}
    missing = []
    for address in manifest:
        page, _, fragment = address.partition("#")
        if page not in served and page not in redirects:
            missing.append(address)
        elif fragment:
            target = redirects[page].new if page in redirects else page
            if target in anchors and fragment not in anchors[target]:
                missing.append(address)
    return missing


ANCHOR = re.compile(r"""(?<![\w-])id=["']([^"']+)["']|\{#([^\s}]+)""")


def page_anchors(markdown: str) -> set[str]:
    """The element ids a generated page offers as anchors: ``id="…"`` attributes and ``{#…}`` headings."""
    return {match.group(1) or match.group(2) for match in ANCHOR.finditer(markdown)}


def clause_anchors(corpus: Corpus) -> list[str]:
    """The permalink of every clause, as published: its document's page and the clause id."""
    return [
        urls.site_path(urls.document_src(document)) + "#" + clause.id
        for document in corpus.documents.values()
        for clause in document.clauses()
    ]


def redirect_problems(served: set[str], redirects: Mapping[str, Redirect]) -> list[str]:
    """Redirects that would hide a live page, or lead nowhere."""
    problems = []
    for redirect in redirects.values():
        if redirect.old in served:
            problems.append(f"redirect from {redirect.old} would hide the page that lives there; remove one of them")
        if redirect.new not in served:
            problems.append(f"redirect from {redirect.old} points to {redirect.new}, which is not a page of the site")
    return problems


def vanished_message(missing: list[str], manifest: Path) -> str:
    listed = "\n".join(f"  {address}" for address in missing)
    advice = []
    if any("#" not in address for address in missing):
        advice.append(
            "Restore the page, or declare where it moved in content/redirects.yaml "
            "(redirects: [{from: <old address>, to: <new address>}])."
        )
    if any("#" in address for address in missing):
        advice.append(
            "A clause anchor (…#<clause id>) was renamed or removed: keep the clause's old id working by "
            "listing it under the clause's former_ids (former_ids: [<old id>])."
        )
    return (
        f"published addresses would disappear:\n{listed}\n"
        f"They are listed in {manifest}, so links to them may be on posters, in articles or chat messages. "
        + " ".join(advice)
    )


def append_to_manifest(path: Path, addresses: Iterable[str]) -> list[str]:
    """Add addresses not yet listed, at the end; returns what was added. Never removes a line."""
    listed = set(read_manifest(path))
    new = [address for address in addresses if address not in listed]
    if not new and path.exists():
        return []
    text = path.read_text(encoding="utf-8") if path.exists() else MANIFEST_HEADER
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + "".join(f"{address}\n" for address in new), encoding="utf-8")
    return new


def redirect_html(redirect: Redirect, site_url: str | None) -> str:
    """A static page that forwards readers from the old address to the new one, with or without JS."""
    target = urls.relative(redirect.old.lstrip("/"), redirect.new.lstrip("/")) or "./"
    canonical = ""
    if site_url:
        canonical = f'<link rel="canonical" href="{escape(site_url.rstrip("/") + redirect.new)}">'
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f"<title>Moved to {escape(redirect.new)}</title>"
        f'<meta http-equiv="refresh" content="0; url={escape(target)}">'
        f'{canonical}<meta name="robots" content="noindex"></head>'
        f'<body><p>This page has moved to <a href="{escape(target)}">{escape(redirect.new)}</a>.</p></body></html>\n'
    )


def redirect_file(redirect: Redirect) -> str:
    """Where the redirect page goes in the built site: ``/cases/old/`` → ``cases/old/index.html``."""
    return redirect.old.lstrip("/") + "index.html"


def hand_written_paths(docs_dir: Path) -> set[str]:
    return {urls.site_path(file.relative_to(docs_dir).as_posix()) for file in docs_dir.rglob("*.md")}


def published_paths(pages: Sequence[Page], docs_dir: Path, anchors: Sequence[str] = ()) -> list[str]:
    """Every page address the site would serve, generated pages first, in navigation order, then
    the clause permalinks (``anchors``)."""
    generated = [urls.site_path(page.src_uri) for page in pages]
    return generated + sorted(hand_written_paths(docs_dir) - set(generated)) + list(anchors)


def anchors_of(pages: Sequence[Page]) -> dict[str, set[str]]:
    return {urls.site_path(page.src_uri): page_anchors(page.markdown) for page in pages}


def urls_command(args: argparse.Namespace, features: Sequence[Feature]) -> int:
    corpus = load_or_report(args, features)
    if corpus is None:
        return 1
    pages = [*site_pages(corpus, features), *reference_pages(args.docs, args.schema, args.content, PLUGIN_SOURCE)]
    published = published_paths(pages, args.docs, clause_anchors(corpus))
    args.manifest = args.manifest or args.content / MANIFEST_NAME
    listed = read_manifest(args.manifest)
    served = {address for address in published if "#" not in address}
    missing = vanished(listed, served, corpus.redirects, anchors_of(pages))
    new = [address for address in published if address not in listed]
    for address in published:
        print(f"{'new ' if address in new else '    '}{address}")
    for address in corpus.redirects:
        print(f"  → {address} redirects to {corpus.redirects[address].new}")
    if args.update and new:
        append_to_manifest(args.manifest, new)
        print(f"added {len(new)} address{'es' if len(new) != 1 else ''} to {args.manifest}")
    elif new:
        plural = "es" if len(new) != 1 else ""
        print(f"{len(new)} new address{plural}; run with --update to add them to {args.manifest}")
    if missing:
        print(vanished_message(missing, args.manifest), file=sys.stderr)
        return 1
    return 0


def register_urls_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "urls", help="list the site's page addresses; --update appends new ones to the manifest (never removes)"
    )
    parser.add_argument(
        "--manifest", type=Path, default=None, help=f"URL manifest (default: {MANIFEST_NAME} in the content folder)"
    )
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="hand-written pages (default: docs)")
    parser.add_argument("--update", action="store_true", help="append addresses not yet in the manifest")
    parser.set_defaults(run=urls_command)
