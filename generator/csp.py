"""The site's Content-Security-Policy, computed from the pages the build wrote.

Scripts may come only from the site itself, WebAssembly may compile, and inline scripts run only
when their hash is listed: no ``unsafe-inline``, no ``unsafe-eval``. The hashes are those of the
inline scripts the build emitted (the theme's and ours), gathered over every page, because
Material's instant navigation runs a later page's inline scripts in the first page's document.
Every page carries the policy as ``<meta http-equiv>`` so it holds on hosts that cannot send
headers; the build also saves it as :data:`POLICY_FILE` for servers that can.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

BASE = ("script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'self'")
"""Directives besides the hashes. ``frame-ancestors`` is left to the server header: a meta
policy cannot carry it."""

NOT_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}
META_NAME = "Content-Security-Policy"
POLICY_FILE = ".content-security-policy"
"""Written into the built site: the policy, one line, for a server's header configuration."""
HEADER_ONLY = ("frame-ancestors 'none'",)
"""Directives only a header can carry, added to the page policy in the server snippets."""
SERVER_SNIPPETS = {
    ".content-security-policy.nginx": 'add_header Content-Security-Policy "{}" always;\n',
    ".content-security-policy.caddy": 'header Content-Security-Policy "{}"\n',
}
"""Written beside :data:`POLICY_FILE`: the header as an nginx and a Caddyfile line, included by the
configurations in ``deploy/``, so the server sends exactly this build's policy."""
SAFE_IN_CONFIG = re.compile(r"[A-Za-z0-9 '+/=;:.*_-]+")


class _InlineScripts(HTMLParser):
    """Collects the text of every inline script a browser would run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        values = dict(attrs)
        kind = (values.get("type") or "").strip().lower()
        self._current = None if "src" in values or kind in NOT_SCRIPT_TYPES else []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def inline_scripts(html: str) -> list[str]:
    parser = _InlineScripts()
    parser.feed(html)
    parser.close()
    return parser.scripts


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(hashes: Iterable[str]) -> str:
    script_src, *rest = BASE
    return "; ".join([" ".join([script_src, *sorted(set(hashes))]), *rest])


HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)


def with_policy(html: str, value: str) -> str:
    """The page with the policy as the first element of its ``<head>`` (a meta policy covers only
    what comes after it); a page without a head is returned unchanged."""
    match = HEAD.search(html)
    if match is None:
        return html
    meta = f'<meta http-equiv="{META_NAME}" content="{value}">'
    return html[: match.end()] + meta + html[match.end() :]


def apply_policy(site_dir: Path) -> str:
    """Add the policy to every page of a built site; returns it (for headers and tests)."""
    pages = sorted(site_dir.rglob("*.html"))
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    value = policy(script_hash(script) for text in texts.values() for script in inline_scripts(text))
    for page, text in texts.items():
        page.write_text(with_policy(text, value), encoding="utf-8")
    return value


def header_policy(value: str) -> str:
    """The page policy as a server sends it: the same directives plus :data:`HEADER_ONLY`."""
    return "; ".join([value, *HEADER_ONLY])


def server_snippets(value: str) -> dict[str, str]:
    """File name and text of each server snippet. The policy may hold only keywords, sources and
    base64 hashes: a quote, backslash, ``$`` or brace would be syntax to nginx or Caddy."""
    header = header_policy(value)
    if not SAFE_IN_CONFIG.fullmatch(header):
        raise ValueError(f"the policy cannot be written into a server configuration: {header!r}")
    note = "# Written by the build from .content-security-policy; read by the server at (re)load.\n"
    return {name: note + line.format(header) for name, line in SERVER_SNIPPETS.items()}
