"""QR codes for the share kit, drawn at build time as inline SVG (no image request, prints sharp)."""

from __future__ import annotations

from html import escape

import segno


def qr_svg(url: str) -> str:
    """An inline SVG QR code of ``url``, sized by CSS; medium error correction survives print and creases."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr-code", lineclass=None, title=None)
    label = escape(f"QR code for {url}")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
