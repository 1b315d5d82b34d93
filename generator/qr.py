"""QR codes for the share kit, drawn at build time as inline SVG (no image request, prints sharp)."""

from __future__ import annotations

import functools
from html import escape

import segno


@functools.lru_cache(maxsize=16)
def _code(url: str) -> segno.QRCode:
    """Encoded once per address: the share kit draws each page's code twice (inline and as a file),
    and encoding is most of the time MkDocs spends rendering a case page."""
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, label: str) -> str:
    """An inline SVG QR code of ``url``, sized by CSS; medium error correction survives print and
    creases. ``label`` is what a screen reader announces (in the site's language)."""
    code = _code(url)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr-code", lineclass=None, title=None)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def qr_svg_download(url: str) -> str:
    """The same QR code as a standalone SVG file in a ``data:`` address, for a download link: print
    shops and poster designers get a scalable file without a request to any server."""
    code = _code(url)
    return code.svg_data_uri(scale=10, border=4, dark="#000", light="#fff", xmldecl=True, title=url)


def qr_png_download(url: str) -> str:
    """The same QR code as a PNG file in a ``data:`` address, for tools that take no SVG (chat
    apps, office documents); 10 pixels a module, so it stays sharp when printed a few centimetres wide."""
    return _code(url).png_data_uri(scale=10, border=4, dark="#000", light="#fff")
