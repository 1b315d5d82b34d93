"""Time to a check ready to score, and bytes on the wire, per network and CPU profile.

    .venv/bin/python benchmarks/phone.py [--runs 5] [--profiles loopback phone 3g] [--json]

In one interleaved run (fresh browser context per load, so an empty cache), for each profile:

- our check page as shipped (the worker chooses: memory snapshot, or starting Python where the
  network is 2G/3G or the reader saves data);
- the same page starting Python from the standard library (a copy without ``data-check-snapshot``);
- a bare stock ``loadPyodide()`` page (the npm package's own files) running ``1 + 1``;
- the check page's runtime alone: the site's worker started at once by a page of a few bytes, as
  the check page starts it (the worker chooses as there), to show what the page around it costs.

Service workers are blocked: the site's would keep its shell and pages for offline use while the
page loads, which the stock page does not do.

The server sends the ``.br``/``.gz`` copies with ``Content-Encoding`` when the browser accepts
them, pages, styles and scripts gzipped on the fly, with ``no-cache`` and an ETag (``304`` when
unchanged), as the shipped nginx and Caddy configurations do (the stock files get copies too); the
files are those a real build ships (brotli quality 11, not the tests' 9). The
network is emulated over the DevTools protocol (``Network.emulateNetworkConditions``, which also
sets ``navigator.connection``). The CPU is limited by a cgroup (v1 ``cpu`` controller) quota on
the browser's renderer processes, where the machine allows it (else the output says so):
``Emulation.setCPUThrottlingRate`` would slow only the page's main thread, not the worker where
Python runs. Prints medians, ranges, bytes and ratios to the stock page in the same run.

Repeat visits (``--repeat``, on by default): a browser profile of its own per visit pair (a
persistent one: the browser's code cache is not kept for incognito-like contexts), the page
loaded, left alone for ``--settle`` seconds (the browser writes compiled WebAssembly to its code
cache only a while after it was compiled), then loaded again: time to ready and bytes of the
second load, and the size of the profile's WebAssembly code cache. Our page keeps its service
worker here, as a returning reader's browser does.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from conftest import NegotiatingHandler, serve  # noqa: E402
from selfcheck import ARGS, CHECK, CHROMIUM, RECORDER, STOCK_FILES, build  # noqa: E402
from test_browser_checks import golden  # noqa: E402

PROFILES = {
    "loopback": {"network": None, "cpu": None},
    "phone": {"network": {"down_kbit": 9_000, "up_kbit": 1_500, "latency_ms": 85}, "cpu": 0.5},
    "3g": {"network": {"down_kbit": 1_600, "up_kbit": 750, "latency_ms": 300}, "cpu": 0.5},
}
"""``cpu``: the share of one CPU all renderer processes get together (two busy threads, the
page's and Python's worker, at about a quarter each, as on a mid-range phone)."""
REPEATED = ("check page as shipped", "stock loadPyodide()")
"""The pages loaded twice per profile (``--repeat``)."""
VARIANTS = {
    "check page as shipped": f"checks/{CHECK}/",
    "check page, Python started": f"checks/{CHECK}-boot/",
    "stock loadPyodide()": "bench/bare-stock.html",
    "its runtime alone, no page": "bench/runtime-alone.html",
}
CGROUP = Path("/sys/fs/cgroup/cpu/selfcheck-benchmark")


COMPRESSED_ON_THE_FLY = {
    "text/html",
    "text/css",
    "text/javascript",
    "text/plain",
    "application/json",
    "application/xml",
    "image/svg+xml",
}
"""What the shipped nginx configuration gzips as it sends (``gzip_types``, HTML always), at level 5,
when a file has no ``.br``/``.gz`` copy and is at least 1 KB."""


class RevalidatingHandler(NegotiatingHandler):
    """Sends what the shipped nginx and Caddy configurations send: the ``.br``/``.gz`` copy the
    browser accepts (else pages, styles and scripts gzipped on the fly), with ``Cache-Control:
    no-cache`` and an ETag, and ``304 Not Modified`` when the browser's copy is current, so that a
    repeat visit revalidates instead of downloading."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().do_GET()  # the redirect to the address with a slash
            path = path / "index.html"
        if not path.is_file():
            return super().do_GET()
        chosen, encoding = path, None
        accepted = self.headers.get("Accept-Encoding", "")
        for name, suffix in (("br", ".br"), ("gzip", ".gz")):
            copy = path.with_name(path.name + suffix)
            if name in accepted and copy.is_file():
                chosen, encoding = copy, name
                break
        stat = chosen.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        if self.headers.get("If-None-Match") in (etag, f"W/{etag}"):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        body = chosen.read_bytes()
        kind = "text/plain" if path.suffix == ".py" else self.guess_type(str(path))  # as nginx types .py
        if (
            encoding is None
            and "gzip" in accepted
            and len(body) >= 1024
            and kind.split(";")[0] in COMPRESSED_ON_THE_FLY
        ):
            body, encoding, etag = gzip.compress(body, compresslevel=5), "gzip", f"W/{etag}"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


class CpuLimit:
    """A cgroup with a CPU quota that every Chromium renderer process is moved into as it appears."""

    def __init__(self) -> None:
        self.reason = ""
        self.share: float | None = None
        self._stop = threading.Event()
        try:
            CGROUP.mkdir(exist_ok=True)
            (CGROUP / "cpu.cfs_period_us").write_text("100000")
        except OSError as error:
            self.reason = f"no cgroup v1 cpu controller to write ({error.strerror}): CPU not limited"
            return
        threading.Thread(target=self._watch, daemon=True).start()

    def set(self, share: float | None) -> None:
        self.share = share
        if not self.reason:
            quota = -1 if share is None else int(share * 100_000)
            (CGROUP / "cpu.cfs_quota_us").write_text(str(quota))

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            for process in Path("/proc").iterdir():
                if not process.name.isdigit():
                    continue
                try:
                    if b"--type=renderer" in (process / "cmdline").read_bytes():
                        (CGROUP / "cgroup.procs").write_text(process.name)
                except OSError:
                    continue

    def close(self) -> None:
        self._stop.set()
        if not self.reason:
            time.sleep(0.05)
            for pid in (CGROUP / "cgroup.procs").read_text().split():
                try:
                    Path("/sys/fs/cgroup/cpu/cgroup.procs").write_text(pid)
                except OSError:
                    pass
            try:
                CGROUP.rmdir()
            except OSError:
                pass


def add_stock_copies(site: Path) -> None:
    """The stock files get the same kind of ``.br``/``.gz`` copies the site's runtime has (the
    files the two share are the same bytes, so their copies are reused)."""
    from generator.pyodide_runtime import write_precompressed

    stock = site / "bench" / "stock"
    for name in STOCK_FILES:
        ours = site / "assets" / "pyodide" / name
        if ours.is_file() and ours.read_bytes() == (stock / name).read_bytes():
            for suffix in (".br", ".gz"):
                shutil.copy(ours.with_name(name + suffix), stock / (name + suffix))
        else:
            write_precompressed(stock / name, stock, brotli_quality=9)


def load(browser, url: str, sitemap: str, path: str, network: dict | None) -> tuple[float, int, str]:
    """One cold load: milliseconds from navigation to ready, bytes on the wire, how Python started."""
    # No service worker: its install keeps the site's shell and pages for offline use, beside the
    # page's own downloads; the stock page has none. (Measured apart: see the docs' figures.)
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    sizes = prepare(context, page, path, sitemap, network)
    try:
        ready, started = visit(page, url + path)
        page.wait_for_timeout(100)  # let the last "requestfinished" events arrive
        return ready, sum(sizes), started
    finally:
        context.close()


def prepare(context, page, path: str, sitemap: str, network: dict | None) -> list[int]:
    """Before the first visit: the recorder in every document (and saved answers, for a check
    page), the site map with this server's addresses, the network profile; returns the list the
    context's response body sizes are appended to."""
    context.add_init_script(RECORDER)
    if path.startswith("checks/"):
        context.add_init_script(saved_answers_script())
    page.route("**/sitemap.xml", lambda route: route.fulfill(body=sitemap, content_type="application/xml"))
    if network:
        emulate(context.new_cdp_session(page), network)
    sizes: list[int] = []
    context.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    return sizes


def saved_answers_script() -> str:
    """Answers already saved, so that the check is scored as soon as Python is ready."""
    saved = json.dumps({"check": CHECK, "version": 1, "answers": golden(CHECK, "mixed")})
    return f"localStorage.setItem('selfcheck:{CHECK}:v1', {json.dumps(saved)})"


def code_cache_bytes(profile: Path) -> int:
    folder = profile / "Default" / "Code Cache" / "wasm"
    return sum(entry.stat().st_size for entry in folder.rglob("*") if entry.is_file()) if folder.is_dir() else 0


def repeat_load(
    playwright, url: str, sitemap: str, path: str, network: dict | None, settle: float
) -> tuple[float, int, str, int]:
    """A visit, a pause, and a second visit in the same browser profile: milliseconds to ready and
    bytes on the wire of the second, how Python started then, and the wasm code cache's bytes."""
    with tempfile.TemporaryDirectory() as profile:
        workers = "allow" if path.startswith("checks/") else "block"
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=ARGS, service_workers=workers
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            sizes = prepare(context, page, path, sitemap, network)
            visit(page, url + path)
            page.wait_for_timeout(settle * 1000)
            sizes.clear()
            ready, started = visit(page, url + path)
            page.wait_for_timeout(100)
            cached = code_cache_bytes(Path(profile))
            return ready, sum(sizes), started, cached
        finally:
            context.close()


def emulate(session, network: dict) -> None:
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": network["latency_ms"],
            "downloadThroughput": network["down_kbit"] * 1000 / 8,
            "uploadThroughput": network["up_kbit"] * 1000 / 8,
        },
    )


def visit(page, address: str) -> tuple[float, str]:
    """Load ``address`` and wait for Python: milliseconds from navigation, and how it started."""
    page.goto(address, timeout=300_000)
    if "/checks/" in address:
        page.wait_for_function("() => window.readyAt.length > 0", timeout=300_000, polling=50)
        return page.evaluate("window.readyAt[0]"), page.get_attribute("form[data-check]", "data-check-started") or ""
    page.wait_for_function("() => window.pyodideReadyAt !== undefined", timeout=300_000, polling=50)
    return page.evaluate("window.pyodideReadyAt"), page.evaluate("window.pyodideStarted") or "boot"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold loads per page and profile (default 5)")
    parser.add_argument("--profiles", nargs="+", choices=list(PROFILES), default=list(PROFILES))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-repeat", dest="repeat", action="store_false", help="cold loads only")
    parser.add_argument("--settle", type=float, default=6.0, help="seconds between a visit and the repeat (default 6)")
    args = parser.parse_args()
    os.chdir(ROOT)
    from playwright.sync_api import sync_playwright

    limit = CpuLimit()
    results: dict[str, dict[str, list[tuple[float, int, str]]]] = {
        profile: {variant: [] for variant in VARIANTS} for profile in args.profiles
    }
    repeats: dict[str, dict[str, list[tuple[float, int, str, int]]]] = {
        profile: {variant: [] for variant in REPEATED} for profile in args.profiles
    }
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "site"
        build(site)
        add_stock_copies(site)
        server, url = serve(site, RevalidatingHandler)
        sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                for _ in range(args.runs):  # interleaved, so every page sees the same machine load
                    for profile in args.profiles:
                        limit.set(PROFILES[profile]["cpu"])
                        for variant, path in VARIANTS.items():
                            results[profile][variant].append(
                                load(browser, url, sitemap, path, PROFILES[profile]["network"])
                            )
                        for variant in REPEATED if args.repeat else ():
                            repeats[profile][variant].append(
                                repeat_load(
                                    playwright,
                                    url,
                                    sitemap,
                                    VARIANTS[variant],
                                    PROFILES[profile]["network"],
                                    args.settle,
                                )
                            )
                browser.close()
        finally:
            limit.set(None)
            limit.close()
            server.shutdown()
            server.server_close()
    report(results, repeats if args.repeat else {}, limit.reason, args.runs, args.json)
    return 0


def summary(loads: list[tuple]) -> dict:
    """Median, range and bytes of some loads (each ``(ms, bytes, started, ...)``)."""
    times = [load[0] for load in loads]
    return {
        "median_ms": round(statistics.median(times)),
        "range_ms": [round(min(times)), round(max(times))],
        "bytes": round(statistics.median(load[1] for load in loads)),
        "started": sorted({load[2] for load in loads}),
    }


def report(results: dict, repeats: dict, cpu_note: str, runs: int, as_json: bool) -> None:
    figures: dict[str, dict] = {}
    for profile, variants in results.items():
        figures[profile] = {variant: summary(loads) for variant, loads in variants.items()}
        stock = figures[profile]["stock loadPyodide()"]["median_ms"]
        for row in figures[profile].values():
            row["ratio_to_stock"] = round(row["median_ms"] / stock, 2)
    repeated: dict[str, dict] = {}
    for profile, variants in repeats.items():
        repeated[profile] = {}
        for variant, visits in variants.items():
            row = summary(visits)
            row["code_cache_bytes"] = round(statistics.median(visit[3] for visit in visits))
            row["ratio_to_cold"] = round(row["median_ms"] / figures[profile][variant]["median_ms"], 2)
            repeated[profile][variant] = row
    if as_json:
        print(
            json.dumps(
                {"runs": runs, "cpu": cpu_note or "limited by cgroup", "profiles": figures, "repeat": repeated},
                indent=2,
            )
        )
        return
    print(f"{runs} cold loads each, interleaved; CPU: {cpu_note or 'renderer processes limited by a cgroup quota'}")
    for profile, variants in figures.items():
        settings = PROFILES[profile]
        print(f"\n{profile}: network {settings['network'] or 'loopback'}, CPU share {settings['cpu'] or 'unlimited'}")
        print(f"  {'page':30} {'median':>8} {'range':>15} {'bytes':>11} {'× stock':>8}  started")
        for variant, row in variants.items():
            low, high = row["range_ms"]
            print(
                f"  {variant:30} {row['median_ms']:>6} ms {f'{low}–{high} ms':>15} {row['bytes']:>11,} "
                f"{row['ratio_to_stock']:>8}  {', '.join(row['started'])}"
            )
        shipped, other = variants["check page as shipped"], variants["check page, Python started"]
        if shipped["started"] == ["snapshot"]:
            verdict = "not slower" if shipped["median_ms"] <= other["median_ms"] else "SLOWER"
            print(f"  the shipped choice (snapshot) is {verdict} than starting Python")
        else:
            print(f"  the shipped choice here: {', '.join(shipped['started'])}")

    for profile, variants in repeated.items():
        print(f"\n{profile}, repeat visit (the same browser profile, after a pause):")
        print(f"  {'page':30} {'median':>8} {'range':>15} {'bytes':>11} {'× cold':>7} {'code cache':>11}  started")
        for variant, row in variants.items():
            low, high = row["range_ms"]
            print(
                f"  {variant:30} {row['median_ms']:>6} ms {f'{low}–{high} ms':>15} {row['bytes']:>11,} "
                f"{row['ratio_to_cold']:>7} {row['code_cache_bytes']:>11,}  {', '.join(row['started'])}"
            )


if __name__ == "__main__":
    sys.exit(main())
