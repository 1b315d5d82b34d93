"""Pyodide start-up: bare ``loadPyodide()`` against the site's runtime (precompiled stdlib zip).

In one run, with one local server and one headless Chromium, boots Pyodide in a module worker
(``tests/fixtures/pyodide_start``) in fresh browser contexts, round-robin over the variants, and
prints the median time from navigation to the first Python result shown in the page, the ratio
to the bare boot, and the bytes on the wire of the runtime files raw, gzip and brotli.

    python benchmarks/pyodide_start.py [--runs 9]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import CHROMIUM_ARGS, SiteRequestHandler  # noqa: E402

from generator.pyodide_runtime import STDLIB, install_runtime, prepare_runtime  # noqa: E402

PYODIDE = ROOT / "node_modules" / "pyodide"
FIXTURE = ROOT / "tests" / "fixtures" / "pyodide_start"
PRECOMPRESSED_PREFIX = "/c/"

VARIANTS = {
    "bare loadPyodide() (stock zip) + 1+1": "index.html?runtime=stock",
    "precompiled stdlib zip + 1+1": "index.html?runtime=site",
    "precompiled + early wasm compile & stdlib fetch": "index.html?runtime=site&early=1",
    "precompiled, served .br/.gz (gzip_static/brotli_static)": "c/index.html?runtime=site",
}


class PrecompressingHandler(SiteRequestHandler):
    """Under /c/, serve ``<file>.br`` or ``<file>.gz`` when the client accepts it, like nginx's
    ``brotli_static``/``gzip_static``; elsewhere, serve files as they are."""

    def send_head(self):  # noqa: ANN201
        if not self.path.startswith(PRECOMPRESSED_PREFIX):
            return super().send_head()
        self.path = self.path[len(PRECOMPRESSED_PREFIX) - 1 :]
        plain = Path(self.translate_path(self.path))
        accepted = {part.split(";")[0].strip() for part in self.headers.get("Accept-Encoding", "").split(",")}
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
            packed = plain.with_name(plain.name + suffix)
            if encoding in accepted and plain.is_file() and packed.is_file():
                stream = packed.open("rb")
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(plain)))
                self.send_header("Content-Encoding", encoding)
                self.send_header("Content-Length", str(packed.stat().st_size))
                self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                self.served.append((plain.name, encoding, packed.stat().st_size))
                return stream
        return super().send_head()

    served: list[tuple[str, str, int]] = []


def stage(files: dict[str, Path], root: Path) -> None:
    for file in FIXTURE.iterdir():
        (root / file.name).symlink_to(file)
    (root / "stock").symlink_to(PYODIDE)
    install_runtime(files, root, link=True)


def boot_ms(browser, url: str) -> float:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("document.getElementById('status').textContent !== 'starting'", timeout=120_000)
        status = page.text_content("#status")
        if status != "ready" or page.text_content("#result") != "2":
            raise SystemExit(f"{url}: {status}")
        return page.evaluate("window.startup.ms")
    finally:
        context.close()


def wire_table(files: dict[str, Path]) -> list[str]:
    rows = ["| file | raw | gzip -9 | brotli 11 |", "| --- | ---: | ---: | ---: |"]
    totals = [0, 0, 0]
    for uri, path in files.items():
        if uri.endswith((".br", ".gz")):
            continue
        sizes = [path.stat().st_size, files[f"{uri}.gz"].stat().st_size, files[f"{uri}.br"].stat().st_size]
        totals = [total + size for total, size in zip(totals, sizes, strict=True)]
        rows.append(f"| `{uri.rsplit('/', 1)[-1]}` | " + " | ".join(f"{size:,}" for size in sizes) + " |")
    rows.append("| **total** | " + " | ".join(f"**{size:,}**" for size in totals) + " |")
    stock = (PYODIDE / STDLIB).read_bytes()
    stock_sizes = [len(stock), len(gzip.compress(stock, compresslevel=9, mtime=0)), len(brotli.compress(stock))]
    rows.append(
        "| stock `python_stdlib.zip` (sources, deflated entries), for comparison | "
        + " | ".join(f"{size:,}" for size in stock_sizes)
        + " |"
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="fresh browser contexts per variant (default 9)")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "pyodide-runtime")
    args = parser.parse_args(argv)
    files = prepare_runtime(PYODIDE, args.cache)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        stage(files, root)
        handler = functools.partial(PrecompressingHandler, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        times: dict[str, list[float]] = {name: [] for name in VARIANTS}
        with sync_playwright() as playwright:
            chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            for path in VARIANTS.values():  # warm-up: OS file cache, Chromium processes
                boot_ms(browser, base + path)
            PrecompressingHandler.served.clear()
            for _ in range(args.runs):
                for name, path in VARIANTS.items():
                    times[name].append(boot_ms(browser, base + path))
            version = browser.version
            browser.close()
        server.shutdown()
        server.server_close()
    bare = statistics.median(times[next(iter(VARIANTS))])
    print(f"Pyodide start-up, navigation → first Python result shown; Chromium {version}, ", end="")
    print(f"{args.runs} fresh contexts per variant, round-robin; load average {os.getloadavg()[0]:.1f}")
    print("| variant | median ms | min–max ms | ratio to bare |")
    print("| --- | ---: | ---: | ---: |")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median:,.0f} | {min(values):,.0f}–{max(values):,.0f} | {median / bare:.2f} |")
    encodings = sorted({(name, encoding) for name, encoding, _ in PrecompressingHandler.served})
    print("precompressed responses sent:", ", ".join(f"{name} ({encoding})" for name, encoding in encodings) or "none")
    print()
    print("Bytes on the wire for the site's runtime files (assets/pyodide/):")
    print("\n".join(wire_table(files)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
