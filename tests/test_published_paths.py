"""Nothing of the machine that built the site is published: no file of the built site, read as
bytes and, for ``.gz``/``.br`` copies (the memory snapshot included), decompressed, holds the
repository's path, the runtime cache's, the temporary build folder's or the home folder's.

Pyodide's own files carry a few paths of *its* build machine (``/root/repo/cpython/…``, compiled
into ``pyodide.asm.wasm`` and so also into the snapshot's memory); a string that the installed
Pyodide package holds as it is was not made here, and is allowed."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest
from conftest import ROOT

from generator import pyodide_runtime
from generator.runtime import runtime_cache

PYODIDE = ROOT / "node_modules" / "pyodide"
PRINTABLE_RUN = re.compile(rb"[\x20-\x7e]*")


def build_machine_paths(built_site: Path) -> dict[str, bytes]:
    paths = {
        "the repository": ROOT,
        "the repository (as given)": Path(__file__).parent.parent,
        "the runtime cache": runtime_cache(PYODIDE),
        "the temporary build folder": built_site.parent,
        "the home folder": Path.home(),
    }
    found = {}
    for name, path in paths.items():
        for variant in {str(path), str(path.resolve())}:
            if len(variant.strip("/")) >= 3:  # "/" or "/x" would match anything
                found[f"{name} ({variant})"] = variant.encode()
    found["a Node working folder"] = b"pyodide-node-"
    return found


def readable(file: Path) -> list[tuple[str, bytes]]:
    data = file.read_bytes()
    forms = [("as published", data)]
    if file.suffix == ".gz":
        forms.append(("gunzipped", gzip.decompress(data)))
    elif file.suffix == ".br":
        forms.append(("unbrotlied", brotli.decompress(data)))
    return forms


def stock_pyodide() -> bytes:
    return b"\0".join(path.read_bytes() for path in sorted(PYODIDE.iterdir()) if path.is_file())


def leaks(data: bytes, needle: bytes, allowed: bytes) -> list[bytes]:
    """Each printable string holding ``needle`` that the stock Pyodide files do not hold as is."""
    found = []
    start = data.find(needle)
    while start >= 0:
        left = start
        while left > 0 and 0x20 <= data[left - 1] <= 0x7E:
            left -= 1
        text = PRINTABLE_RUN.match(data, left).group(0)
        if text not in allowed:
            found.append(text[:200])
        start = data.find(needle, start + len(needle))
    return found


@pytest.mark.build
def test_no_published_file_holds_a_path_of_the_build_machine(built_site: Path) -> None:
    needles = build_machine_paths(built_site)
    allowed = stock_pyodide()
    files = sorted(path for path in built_site.rglob("*") if path.is_file())
    assert any(path.name == pyodide_runtime.SNAPSHOT for path in files), "the snapshot is scanned too"
    problems = []
    for file in files:
        for form, data in readable(file):
            for name, needle in needles.items():
                for text in leaks(data, needle, allowed):
                    problems.append(f"{file.relative_to(built_site)} ({form}) holds {name}: {text!r}")
    assert problems == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\0x=/home/me/repo/make.mjs\0", [b"x=/home/me/repo/make.mjs"]),
        (b"\0/home/me/repo/cpython/include/object.h\0", []),
        (b"nothing here", []),
    ],
)
def test_the_scan_finds_paths_but_not_those_pyodide_brought(data: bytes, expected: list[bytes]) -> None:
    assert leaks(data, b"/home/me/repo", b"\0/home/me/repo/cpython/include/object.h\0") == expected


def test_the_node_scripts_get_a_fixed_environment_without_the_build_machines_paths(tmp_path: Path) -> None:
    environment = pyodide_runtime.node_environment(tmp_path)
    assert environment["HOME"] == str(tmp_path)
    assert environment["LANG"] == "C.UTF-8"
    assert environment["NODE_NO_WARNINGS"] == "1"
    assert set(environment) <= {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "NODE_NO_WARNINGS", "SYSTEMROOT", "WINDIR"}
    assert str(ROOT) not in "".join(environment.values())
