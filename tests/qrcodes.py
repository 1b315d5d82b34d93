"""Reading QR codes back in tests: PNG images (Chromium screenshots, the share kit's PNG download)
decoded to grey pixels with Pillow, then scanned with zxing-cpp."""

from __future__ import annotations

import base64
import io

import zxingcpp
from PIL import Image


def png_to_grey(png: bytes) -> tuple[memoryview, int, int]:
    """A PNG (a Chromium screenshot, the share kit's PNG download) as 8-bit grey pixels."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    with Image.open(io.BytesIO(png)) as image:
        grey = image.convert("L")
    return memoryview(grey.tobytes()).cast("B", (grey.height, grey.width)), grey.width, grey.height


def read_qr(png: bytes) -> list[str]:
    """The text of every QR code in a PNG image."""
    pixels, _, _ = png_to_grey(png)
    return [code.text for code in zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)]


def png_of_data_url(url: str) -> bytes:
    """The PNG inside a ``data:image/png;base64,…`` address."""
    head, _, data = url.partition(",")
    assert head == "data:image/png;base64", head
    return base64.b64decode(data)
