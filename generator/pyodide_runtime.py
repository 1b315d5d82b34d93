"""The Pyodide runtime the site serves, prepared for a fast start.

About two thirds of a bare Pyodide boot is CPython compiling standard-library
source inside WebAssembly. :func:`prepare_runtime` ships a ``python_stdlib.zip``
whose modules are already bytecode, compiled by Pyodide's own interpreter under
Node (bytecode is tied to that exact CPython build), plus ``.br``/``.gz`` copies
of the large files so a server can send them precompressed. Results are cached
by Pyodide version and input hash, and a version mismatch anywhere is refused.

Given the scoring engine, it also makes a memory snapshot (:func:`make_snapshot`):
Pyodide with the engine imported, which a browser restores instead of starting
Python at all. Nothing here imports MkDocs.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import brotli

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from . import urls

URI_PREFIX = urls.PYODIDE_DIR
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
STDLIB = urls.STDLIB_FILE
PRECOMPRESSED = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json", STDLIB)
"""Files served with ``.br`` and ``.gz`` copies beside them (all are large or compress well)."""
PRECOMPILER = Path(__file__).with_name("precompile_stdlib.mjs")
KEEP_SOURCES = "none"
"""Standard-library sources kept beside the bytecode. Our own engine is not in this zip,
so its tracebacks keep their source lines; stdlib frames still show file and line number."""
SNAPSHOTTER = Path(__file__).with_name("make_snapshot.mjs")
SNAPSHOT_PRELUDE = Path(__file__).with_name("snapshot_prelude.py")
"""The Python the snapshotter runs before taking the snapshot (kept apart so ruff lints it)."""
NODE_LOADER = Path(__file__).with_name("pinned_pyodide.mjs")
"""Shared by both Node scripts: loads Pyodide and refuses an unpinned version."""
SNAPSHOT = urls.SNAPSHOT_FILE
"""The memory snapshot as a delta against a fresh instance's memory (11 MB raw, 2.5 MB as
brotli, 3.7 MB as gzip), with ``.br``/``.gz`` copies; the worker fetches the ``.gz`` copy
itself from a server that sends neither."""
SNAPSHOT_READER = Path(__file__).with_name("snapshot_delta.mjs")
"""Writes the delta here at build time and reads it in the browser (shipped as
:data:`urls.SNAPSHOT_READER`, beside the snapshot)."""
BROTLI_QUALITY = 11
"""Of the ``.br`` copies: the best, at a cost paid once per cache entry (about 45 s of CPU for the
snapshot's 11 MB, as much again for the wasm and the zip); quality 9 gives the snapshot 3.0 MB
instead of 2.5 MB in 4 s. The environment's :data:`QUALITY_VARIABLE` overrides it (the test
suite sets 9: it builds on fresh machines, where nothing is cached yet)."""
QUALITY_VARIABLE = "SELFCHECK_BROTLI_QUALITY"
MANIFEST = "manifest.json"
FORMAT = 1
"""Bump when the output of this module changes, so old cache entries are not reused."""
SNAPSHOT_FORMAT = 2
"""The same for snapshot entries (2: the delta); entries of another format are left alone."""


class RuntimeBuildError(Exception):
    """The runtime could not be prepared; the message says why and what to do."""


@dataclass(frozen=True)
class PyodidePackage:
    """The installed ``pyodide`` npm package and the version the project pins."""

    directory: Path
    version: str
    pinned: str


def pyodide_package(pyodide_dir: Path, pinned_version: str | None = None) -> PyodidePackage:
    """Read the installed version and refuse it unless it is the pinned one."""
    manifest = pyodide_dir / "package.json"
    if not manifest.is_file():
        raise RuntimeBuildError(f"no Pyodide package at {pyodide_dir}; run 'npm ci' first")
    version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    pinned = pinned_version or _pinned_version(pyodide_dir) or version
    if version != pinned:
        raise RuntimeBuildError(
            f"Pyodide version mismatch: {pyodide_dir} holds {version} but package.json pins {pinned}; "
            "run 'npm ci' so node_modules matches package.json"
        )
    missing = [name for name in (*RUNTIME_FILES, STDLIB) if not (pyodide_dir / name).is_file()]
    if missing:
        raise RuntimeBuildError(f"Pyodide {version} at {pyodide_dir} lacks {', '.join(missing)}")
    return PyodidePackage(pyodide_dir, version, pinned)


def _pinned_version(pyodide_dir: Path) -> str | None:
    """The version in the project's package.json, when ``pyodide_dir`` is ``<project>/node_modules/pyodide``."""
    project = pyodide_dir.resolve().parent.parent / "package.json"
    if pyodide_dir.resolve().parent.name != "node_modules" or not project.is_file():
        return None
    data = json.loads(project.read_text(encoding="utf-8"))
    return {**data.get("devDependencies", {}), **data.get("dependencies", {})}.get("pyodide")


def prepare_runtime(
    pyodide_dir: Path,
    cache_dir: Path,
    pinned_version: str | None = None,
    zip_entries: str = "stored",
    engine: Path | None = None,
) -> dict[str, Path]:
    """Site URIs under ``assets/pyodide/`` → files: the runtime, the precompiled stdlib zip and
    precompressed ``.br``/``.gz`` copies, plus :data:`SNAPSHOT` of ``engine`` when one is given.
    Reuses ``cache_dir`` when nothing changed.

    ``zip_entries="deflated"`` suits a host that cannot send the ``.br``/``.gz`` copies: the zip
    is then 4.5 MB raw instead of 10.6 MB, but 4.5 MB instead of 2.9 MB with brotli."""
    if zip_entries not in ("stored", "deflated"):
        raise ValueError(f"zip_entries must be 'stored' or 'deflated', not {zip_entries!r}")
    package = pyodide_package(pyodide_dir, pinned_version)
    key = _cache_key(package, zip_entries)
    entry = cache_dir / f"pyodide-{package.version}-{key[:16]}"
    if not (entry / MANIFEST).is_file():
        _publish(entry, lambda staging: _build_entry(package, staging, zip_entries))
    manifest = _checked_manifest(package, entry)
    files = {f"{URI_PREFIX}{name}": pyodide_dir / name for name in RUNTIME_FILES}
    files[f"{URI_PREFIX}{STDLIB}"] = entry / STDLIB
    for name in manifest["precompressed"]:
        files[f"{URI_PREFIX}{name}"] = entry / name
    if engine is not None:
        runtime = f"{key}:{manifest['stdlib_sha256']}"
        snapshot = engine_snapshot(package, runtime, entry / STDLIB, engine, cache_dir)
        for name in (SNAPSHOT, f"{SNAPSHOT}.br", f"{SNAPSHOT}.gz"):
            files[f"{URI_PREFIX}{name}"] = snapshot.with_name(name)
        files[urls.SNAPSHOT_READER] = SNAPSHOT_READER
    return files


def brotli_quality() -> int:
    """The brotli quality of the runtime's ``.br`` copies: :data:`BROTLI_QUALITY` unless the
    environment's :data:`QUALITY_VARIABLE` says otherwise."""
    setting = os.environ.get(QUALITY_VARIABLE, "").strip()
    if not setting:
        return BROTLI_QUALITY
    if not setting.isdigit() or int(setting) > 11:
        raise RuntimeBuildError(f"{QUALITY_VARIABLE} must be a brotli quality from 0 to 11, not {setting!r}")
    return int(setting)


def engine_snapshot(package: PyodidePackage, runtime: str, stdlib: Path, engine: Path, cache_dir: Path) -> Path:
    """The cached snapshot of ``engine`` imported in Pyodide booted from ``stdlib``; made when missing.

    ``runtime`` identifies the runtime entry holding ``stdlib``: its cache key (the Pyodide files,
    the stock zip, the precompiler) and the checked hash of ``stdlib``, both known already, so only
    the engine and the snapshot scripts are hashed here."""
    quality = brotli_quality()
    digest = hashlib.sha256(f"{SNAPSHOT_FORMAT}\0{quality}\0{runtime}\0".encode())
    for path in (engine, SNAPSHOTTER, SNAPSHOT_PRELUDE, NODE_LOADER, SNAPSHOT_READER):
        digest.update(_sha256(path).encode())
    entry = cache_dir / f"{SNAPSHOT_ENTRY}{package.version}-{digest.hexdigest()[:16]}"
    if not (entry / MANIFEST).is_file():

        def make(staging: Path) -> dict:
            report = make_snapshot(package, stdlib, engine, staging / SNAPSHOT)
            write_precompressed(staging / SNAPSHOT, staging, brotli_quality=quality)
            sizes = {f"{name}_bytes": (staging / f"{SNAPSHOT}.{name}").stat().st_size for name in ("br", "gz")}
            return {"format": SNAPSHOT_FORMAT, **report, **sizes, "snapshot_sha256": _sha256(staging / SNAPSHOT)}

        _publish(entry, make)
        _drop_other_snapshots(entry)
    manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("pyodide_version") != package.pinned:
        raise RuntimeBuildError(
            f"Pyodide version mismatch: the snapshot in {entry} is for Pyodide {manifest.get('pyodide_version')}, "
            f"but {package.pinned} is pinned; delete {entry} to rebuild it"
        )
    if manifest.get("snapshot_sha256") != _sha256(entry / SNAPSHOT):
        raise RuntimeBuildError(f"{entry / SNAPSHOT} changed after it was made; delete {entry} to rebuild it")
    return entry / SNAPSHOT


SNAPSHOT_ENTRY = "delta-"
"""Cache entries of this snapshot format are named ``delta-<Pyodide version>-<key>``."""


def _drop_other_snapshots(current: Path) -> None:
    """Each engine edit makes a new 6 MB snapshot entry; keep only the newest in the cache. (Only
    entries of this format: a checkout of another version of the generator sharing the cache
    would otherwise drop ours, and we its, on every build.)"""
    for other in current.parent.glob(f"{SNAPSHOT_ENTRY}*"):
        if other != current and other.is_dir() and not other.name.startswith("."):
            shutil.rmtree(other, ignore_errors=True)


def make_snapshot(package: PyodidePackage, stdlib: Path, engine: Path, output: Path) -> dict:
    """Run Pyodide under Node to write ``output``: the memory snapshot with ``engine`` imported by
    :data:`SNAPSHOT_PRELUDE`, as a delta checked by restoring it (see ``make_snapshot.mjs``)."""
    paths = (SNAPSHOTTER, package.directory, stdlib, engine, SNAPSHOT_PRELUDE, output)
    result = _run_node(
        [*(str(path.resolve()) for path in paths), package.pinned],
        "making the self-check snapshot",
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    if report["pyodide_version"] != package.pinned:
        raise RuntimeBuildError(
            f"Pyodide version mismatch: the snapshot was made by {report['pyodide_version']}, "
            f"but {package.pinned} is pinned in package.json"
        )
    return report


NODE_ENV_KEPT = ("SYSTEMROOT", "WINDIR")
"""The only variables of the build's own environment Node gets (Windows needs them to start)."""


def node_environment(home: Path) -> dict[str, str]:
    """A minimal, fixed environment for the Node scripts: Pyodide's memory snapshot keeps what
    Python saw of its surroundings, and the site publishes it, so nothing of the build machine
    (its paths, user, locale) may reach them. ``home`` is a neutral, empty folder."""
    kept = {name: os.environ[name] for name in NODE_ENV_KEPT if name in os.environ}
    return {
        **kept,
        "PATH": os.defpath,
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "NODE_NO_WARNINGS": "1",
    }


def _run_node(arguments: list[str], what: str) -> subprocess.CompletedProcess:
    """Run a Node script in an empty temporary folder with :func:`node_environment`."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeBuildError(f"Node.js is needed for {what}; install 'nodejs'")
    with tempfile.TemporaryDirectory(prefix="pyodide-node-") as neutral:
        result = subprocess.run(
            [node, *arguments], capture_output=True, text=True, cwd=neutral, env=node_environment(Path(neutral))
        )
    if result.returncode != 0:
        raise RuntimeBuildError(result.stderr.strip() or f"{what} failed (exit {result.returncode})")
    return result


def _cache_key(package: PyodidePackage, zip_entries: str = "stored") -> str:
    """Changes with the Pyodide version, its stdlib zip, the precompiler, the brotli quality and this
    module's output format."""
    quality = brotli_quality()
    digest = hashlib.sha256(f"{FORMAT}\0{package.version}\0{KEEP_SOURCES}\0{zip_entries}\0{quality}\0".encode())
    for path in (
        package.directory / STDLIB,
        PRECOMPILER,
        NODE_LOADER,
        *(package.directory / name for name in RUNTIME_FILES),
    ):
        digest.update(_sha256(path).encode())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _publish(entry: Path, make: Callable[[Path], dict]) -> None:
    """Let ``make`` fill a temporary folder and return its manifest, then rename the folder into
    place as ``entry``, so a failed or interrupted build leaves no half entry. Builds wanting the
    same entry at once (test processes, a build beside ``make serve``) take turns: the first makes
    it and the others use it, instead of each spending the minute it can take."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    with _taking_turns(entry.parent):
        if not (entry / MANIFEST).is_file():
            _make_entry(entry, make)


@contextlib.contextmanager
def _taking_turns(cache_dir: Path) -> Iterator[None]:
    """An exclusive lock on the cache folder itself (no lock file is left behind) where the system
    has ``flock``; else no lock: builds may then each make the entry, and the rename keeps one."""
    if fcntl is None:
        yield
        return
    descriptor = os.open(cache_dir, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _make_entry(entry: Path, make: Callable[[Path], dict]) -> None:
    staging = Path(tempfile.mkdtemp(prefix=f".{entry.name}-", dir=entry.parent))
    try:
        manifest = make(staging)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        try:
            staging.rename(entry)
        except OSError:
            if not (entry / MANIFEST).is_file():  # another build did not win the race: a real failure
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _build_entry(package: PyodidePackage, staging: Path, zip_entries: str) -> dict:
    """The precompiled zip and the ``.br``/``.gz`` copies, written into ``staging``; their manifest."""
    if zip_entries == "deflated":
        stored = staging / f"stored-{STDLIB}"
        report = precompile_stdlib(package, stored)
        deflate_entries(stored, staging / STDLIB)
        stored.unlink()
    else:
        report = precompile_stdlib(package, staging / STDLIB)
    precompressed = []
    for name in PRECOMPRESSED:
        source = staging / name if name == STDLIB else package.directory / name
        precompressed.extend(write_precompressed(source, staging, brotli_quality=brotli_quality()))
    return {
        "format": FORMAT,
        "pyodide_version": package.version,
        "stdlib_sha256": _sha256(staging / STDLIB),
        "zip_entries": zip_entries,
        "precompiled": report,
        "precompressed": precompressed,
    }


def precompile_stdlib(package: PyodidePackage, output: Path) -> dict:
    """Run Pyodide under Node to write ``output``: the stdlib zip with every module as ``.pyc``,
    each entry stored (uncompressed)."""
    command = [
        *(str(path.resolve()) for path in (PRECOMPILER, package.directory, package.directory / STDLIB, output)),
        package.pinned,
        KEEP_SOURCES,
    ]
    result = _run_node(command, "precompiling the standard library")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    if report["pyodide_version"] != package.pinned:
        raise RuntimeBuildError(
            f"Pyodide version mismatch: the precompiler ran {report['pyodide_version']}, "
            f"but {package.pinned} is pinned in package.json"
        )
    if report["not_compiled"]:
        raise RuntimeBuildError("standard-library modules did not compile: " + "; ".join(report["not_compiled"]))
    return report


def deflate_entries(stored: Path, output: Path) -> None:
    """Copy a precompiled zip with every file entry deflated (level 9): the same names, order,
    bytes and comment. Done here, not by a second run of the precompiler, which takes a minute."""
    with zipfile.ZipFile(stored) as source, zipfile.ZipFile(output, "w") as target:
        target.comment = source.comment
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=entry.date_time)
            info.external_attr = entry.external_attr
            if entry.is_dir():
                target.writestr(info, b"")
            else:
                target.writestr(info, source.read(entry), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def stdlib_version(zip_file: Path) -> str | None:
    """The Pyodide version a precompiled zip was made by, from its archive comment."""
    with zipfile.ZipFile(zip_file) as archive:
        fields = dict(
            part.strip().split("=", 1) for part in archive.comment.decode("utf-8", "replace").split(";") if "=" in part
        )
    return fields.get("pyodide")


def _checked_manifest(package: PyodidePackage, entry: Path) -> dict:
    """Refuse a cache entry made for another Pyodide, or one whose zip was changed after it was made."""
    manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
    made_by = stdlib_version(entry / STDLIB)
    for what, version in (("cache manifest", manifest.get("pyodide_version")), ("precompiled stdlib zip", made_by)):
        if version != package.pinned:
            raise RuntimeBuildError(
                f"Pyodide version mismatch: the {what} in {entry} is for Pyodide {version}, "
                f"but {package.pinned} is pinned; delete {entry} to rebuild it"
            )
    if manifest.get("stdlib_sha256") != _sha256(entry / STDLIB):
        raise RuntimeBuildError(f"{entry / STDLIB} changed after it was built; delete {entry} to rebuild it")
    return manifest


def write_precompressed(source: Path, directory: Path, brotli_quality: int = 11) -> list[str]:
    """Write ``<name>.br`` (brotli, quality 11 unless asked) and ``<name>.gz`` (gzip -9, no
    timestamp) of ``source``."""
    data = source.read_bytes()
    (directory / f"{source.name}.br").write_bytes(brotli.compress(data, quality=brotli_quality))
    (directory / f"{source.name}.gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return [f"{source.name}.br", f"{source.name}.gz"]


def install_runtime(files: dict[str, Path], site_dir: Path, link: bool = False) -> None:
    """Put the files of :func:`prepare_runtime` under ``site_dir`` (symlinked when ``link``, for tests)."""
    for uri, source in files.items():
        target = site_dir / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if link:
            target.symlink_to(source.resolve())
        else:
            shutil.copyfile(source, target)
