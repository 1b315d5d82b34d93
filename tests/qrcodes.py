"""Reading QR codes back in tests: PNG images (Chromium screenshots, the share kit's PNG download)
decoded to grey pixels by hand (no imaging library is a dependency), then scanned with zxing-cpp."""

from __future__ import annotations

import base64
import struct
import zlib

import zxingcpp


def png_to_grey(png: bytes) -> tuple[memoryview, int, int]:
    """Decode a non-interlaced PNG to 8-bit grey pixels: 8-bit RGB(A) (what Chromium screenshots
    are) or 1- or 8-bit greyscale (what segno writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], b""
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        data = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = data
        elif kind == b"IDAT":
            chunks.append(data)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert interlace == 0 and (colour, depth) in {(2, 8), (6, 8), (0, 8), (0, 1)}, (colour, depth)
    channels = {0: 1, 2: 3, 6: 4}[colour]
    step = max(1, channels * depth // 8)  # bytes between a byte and the same byte of the pixel to its left
    raw = zlib.decompress(b"".join(chunks))
    stride = (width * channels * depth + 7) // 8
    previous = bytearray(stride)
    grey = bytearray()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up = previous[i]
            corner = previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        if depth == 1:
            grey.extend(255 if line[x // 8] >> (7 - x % 8) & 1 else 0 for x in range(width))
        elif channels == 1:
            grey.extend(line)
        else:
            grey.extend(
                (line[i] * 299 + line[i + 1] * 587 + line[i + 2] * 114) // 1000 for i in range(0, stride, channels)
            )
        previous = line
    return memoryview(bytes(grey)).cast("B", (height, width)), width, height


def read_qr(png: bytes) -> list[str]:
    """The text of every QR code in a PNG image."""
    pixels, _, _ = png_to_grey(png)
    return [code.text for code in zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)]


def png_of_data_url(url: str) -> bytes:
    """The PNG inside a ``data:image/png;base64,…`` address."""
    head, _, data = url.partition(",")
    assert head == "data:image/png;base64", head
    return base64.b64decode(data)
