"""The site's public address (``site_url``): what it affects, when it is still the placeholder,
and whether it may be used for a release build.

Canonical links, share previews, QR codes, the addresses printed on handouts and the sitemap
are all made from ``site_url``. The project ships a placeholder so a fresh checkout builds; a
build with it is a *preview*: it warns, and the share kit and handout say so on the page. A
release build (``python -m generator build --release``, ``make release``) refuses it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

PLACEHOLDER = "https://compliance.example.org/"
"""The ``site_url`` shipped in ``mkdocs.yml``; no site is published there."""

AFFECTED = "canonical links, share previews, QR codes, the addresses printed on handouts and the sitemap"
"""What a wrong ``site_url`` breaks, named in the warning and the release refusal."""

HOW_TO_SET = (
    "set site_url in mkdocs.yml, or build with --site-url https://your.address/ (SITE_URL=https://your.address/ make …)"
)


def _normal(url: str) -> str:
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}/"


def is_preview(url: str | None) -> bool:
    """Whether pages built with this ``site_url`` carry links that lead nowhere: it is the
    placeholder, or there is none."""
    return not (url or "").strip() or _normal(url) == _normal(PLACEHOLDER)


def preview_warning(url: str | None) -> str | None:
    """The one warning every build with a placeholder (or missing) address prints; ``None`` otherwise."""
    if not is_preview(url):
        return None
    if not (url or "").strip():
        return f"site_url is not set: pages get no {AFFECTED}; {HOW_TO_SET}"
    return (
        f"site_url is the placeholder {PLACEHOLDER}: {AFFECTED} point to it, so printed QR codes and shared "
        f"links lead nowhere; this is a preview build; {HOW_TO_SET}"
    )


def release_problem(url: str | None) -> str | None:
    """Why a release build must not use this address, in one line; ``None`` when it may."""
    text = (url or "").strip()
    if not text:
        return f"site_url is not set; {HOW_TO_SET}"
    if is_preview(text):
        return f"site_url is the placeholder {PLACEHOLDER}; {HOW_TO_SET}"
    parts = urlsplit(text)
    if parts.scheme.lower() != "https" or not parts.hostname:
        return f"site_url {text} is not an https:// address; published QR codes and links must use https"
    return None
