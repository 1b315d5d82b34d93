"""The content's Markdown subset, rendered safely before MkDocs ever sees it.

MkDocs' own Markdown passes raw HTML through, so content text is turned into HTML here
with raw HTML off: tags and ``javascript:`` links in content come out as inert text.
"""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt

CLAUSE_SCHEME = "clause:"
SAFE_SCHEMES = ("http:", "https:", "mailto:", CLAUSE_SCHEME)

LinkResolver = Callable[[str], str]


def _parser() -> MarkdownIt:
    parser = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["list", "emphasis", "link", "backticks", "escape", "entity", "newline"])
    parser.validateLink = _is_safe_link
    return parser


def _is_safe_link(url: str) -> bool:
    """Allow the documented schemes and scheme-less (relative) addresses, nothing else."""
    lowered = url.strip().lower()
    if ":" not in lowered.split("/", 1)[0].split("#", 1)[0].split("?", 1)[0]:
        return True
    return lowered.startswith(SAFE_SCHEMES)


PARSER = _parser()


def is_external(href: str) -> bool:
    """Leads to another host: an http(s) address, or a protocol-relative one (``//host/x``; browsers
    read ``/\\host`` and ``\\\\host`` the same way), which only looks relative."""
    lowered = href.strip().lower()
    return lowered.startswith(("http:", "https:", "//", "/\\", "\\\\"))


def clause_links(text: str) -> list[str]:
    """The clause ids that ``clause:`` links in ``text`` point to."""
    found = []
    for token in PARSER.parseInline(text) if "\n\n" not in text else PARSER.parse(text):
        for child in token.children or [token]:
            href = child.attrGet("href") if child.type == "link_open" else None
            if isinstance(href, str) and href.startswith(CLAUSE_SCHEME):
                found.append(href[len(CLAUSE_SCHEME) :])
    return found


def render(text: str, resolve_clause: LinkResolver) -> str:
    """HTML for ``text``; ``clause:<id>`` links become addresses from ``resolve_clause``."""
    tokens = PARSER.parse(text)
    for token in tokens:
        for child in token.children or []:
            if child.type != "link_open":
                continue
            href = str(child.attrGet("href") or "")
            # Material's tooltips insert a title as HTML: formatted text never sets one.
            child.attrs.pop("title", None)
            if href.startswith(CLAUSE_SCHEME):
                child.attrSet("href", resolve_clause(href[len(CLAUSE_SCHEME) :]))
                child.attrSet("class", "clause-ref")
            elif is_external(href):
                child.attrSet("rel", "noopener")
    return PARSER.renderer.render(tokens, PARSER.options, {}).strip()


def render_inline(text: str, resolve_clause: LinkResolver) -> str:
    """Like :func:`render` for a one-line value, without the surrounding paragraph."""
    html = render(text, resolve_clause)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
