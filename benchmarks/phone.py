"""Time to a check ready to score, and bytes on the wire, per network and CPU profile.

    .venv/bin/python benchmarks/phone.py [--runs 5] [--profiles loopback phone 3g] [--json]

In one interleaved run (fresh browser context per load, so an empty cache), for each profile:

- our check page as shipped (the worker chooses: memory snapshot, or starting Python where the
  network is 2G/3G or the reader saves data);
- the same page starting Python from the standard library (a copy without ``data-check-snapshot``);
- a bare stock ``loadPyodide()`` page (the npm package's own files) running ``1 + 1``.

Service workers are blocked: the site's would keep its shell and pages for offline use while the
page loads, which the stock page does not do.

The server sends the ``.br``/``.gz`` copies with ``Content-Encoding`` when the browser accepts
them, as the shipped nginx and Caddy configurations do (the stock files get copies too). The
network is emulated over the DevTools protocol (``Network.emulateNetworkConditions``, which also
sets ``navigator.connection``). The CPU is limited by a cgroup (v1 ``cpu`` controller) quota on
the browser's renderer processes, where the machine allows it (else the output says so):
``Emulation.setCPUThrottlingRate`` would slow only the page's main thread, not the worker where
Python runs. Prints medians, ranges, bytes and ratios to the stock page in the same run.
"""

from __future__ import annotations

import argparse
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
VARIANTS = {
    "check page as shipped": f"checks/{CHECK}/",
    "check page, Python started": f"checks/{CHECK}-boot/",
    "stock loadPyodide()": "bench/bare-stock.html",
}
CGROUP = Path("/sys/fs/cgroup/cpu/selfcheck-benchmark")


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
    answers = golden(CHECK, "mixed")
    # No service worker: its install keeps the site's shell and pages for offline use, beside the
    # page's own downloads; the stock page has none. (Measured apart: see the docs' figures.)
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.route("**/sitemap.xml", lambda route: route.fulfill(body=sitemap, content_type="application/xml"))
    page.add_init_script(RECORDER)
    if path.startswith("checks/"):
        saved = json.dumps({"check": CHECK, "version": 1, "answers": answers})
        page.add_init_script(f"localStorage.setItem('selfcheck:{CHECK}:v1', {json.dumps(saved)})")
    sizes: list[int] = []
    context.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    if network:
        session = context.new_cdp_session(page)
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
    try:
        page.goto(url + path, timeout=300_000)
        if path.startswith("checks/"):
            page.wait_for_function("() => window.readyAt.length > 0", timeout=300_000, polling=50)
            ready = page.evaluate("window.readyAt[0]")
            started = page.get_attribute("form[data-check]", "data-check-started") or ""
        else:
            page.wait_for_function("() => window.pyodideReadyAt !== undefined", timeout=300_000, polling=50)
            ready = page.evaluate("window.pyodideReadyAt")
            started = "boot"
        page.wait_for_timeout(100)  # let the last "requestfinished" events arrive
        return ready, sum(sizes), started
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold loads per page and profile (default 5)")
    parser.add_argument("--profiles", nargs="+", choices=list(PROFILES), default=list(PROFILES))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    os.chdir(ROOT)
    from playwright.sync_api import sync_playwright

    limit = CpuLimit()
    results: dict[str, dict[str, list[tuple[float, int, str]]]] = {
        profile: {variant: [] for variant in VARIANTS} for profile in args.profiles
    }
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "site"
        build(site)
        add_stock_copies(site)
        server, url = serve(site, NegotiatingHandler)
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
                browser.close()
        finally:
            limit.set(None)
            limit.close()
            server.shutdown()
            server.server_close()
    report(results, limit.reason, args.runs, args.json)
    return 0


def report(results: dict, cpu_note: str, runs: int, as_json: bool) -> None:
    figures: dict[str, dict] = {}
    for profile, variants in results.items():
        stock = statistics.median(ready for ready, _, _ in variants["stock loadPyodide()"])
        figures[profile] = {
            variant: {
                "median_ms": round(statistics.median(ready for ready, _, _ in loads)),
                "range_ms": [round(min(ready for ready, _, _ in loads)), round(max(ready for ready, _, _ in loads))],
                "bytes": round(statistics.median(size for _, size, _ in loads)),
                "ratio_to_stock": round(statistics.median(ready for ready, _, _ in loads) / stock, 2),
                "started": sorted({started for _, _, started in loads}),
            }
            for variant, loads in variants.items()
        }
    if as_json:
        print(json.dumps({"runs": runs, "cpu": cpu_note or "limited by cgroup", "profiles": figures}, indent=2))
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


if __name__ == "__main__":
    sys.exit(main())
