"""The site's Pyodide runtime: a standard library precompiled by Pyodide itself, cached by
version, refused on a version mismatch, and booting in headless Chromium from a module worker."""

from __future__ import annotations

import gzip
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from conftest import ROOT, serve

from generator import pyodide_runtime, urls
from generator.pyodide_runtime import (
    RuntimeBuildError,
    install_runtime,
    prepare_runtime,
    pyodide_package,
    stdlib_version,
)
from generator.runtime import runtime_cache
from generator.urls import SNAPSHOT as SNAPSHOT_URI

PYODIDE = ROOT / "node_modules" / "pyodide"
CACHE = runtime_cache(PYODIDE)
"""The cache the site build uses (beside the node_modules that holds Pyodide), so tests reuse its entry."""
FIXTURE = ROOT / "tests" / "fixtures" / "pyodide_start"
PINNED = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["pyodide"]


@pytest.fixture(scope="session")
def runtime_files() -> dict[str, Path]:
    """The runtime as the site ships it; cached in .cache/ across test runs (the first build takes a minute)."""
    return prepare_runtime(PYODIDE, CACHE)


def test_runtime_maps_site_uris_to_files(runtime_files: dict[str, Path]) -> None:
    names = {uri.removeprefix("assets/pyodide/") for uri in runtime_files}
    large = {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json", "python_stdlib.zip"}
    assert all(uri.startswith("assets/pyodide/") for uri in runtime_files)
    assert names == large | {f"{name}.br" for name in large} | {f"{name}.gz" for name in large}
    assert all(path.is_file() for path in runtime_files.values())


def test_precompressed_copies_hold_the_same_bytes(runtime_files: dict[str, Path]) -> None:
    for uri, path in runtime_files.items():
        if uri.endswith(".br"):
            assert brotli.decompress(path.read_bytes()) == runtime_files[uri.removesuffix(".br")].read_bytes()
        elif uri.endswith(".gz"):
            assert gzip.decompress(path.read_bytes()) == runtime_files[uri.removesuffix(".gz")].read_bytes()
        else:
            continue
        assert path.stat().st_size < runtime_files[uri[: uri.rindex(".")]].stat().st_size


def test_every_stdlib_module_is_bytecode_from_pyodides_own_python(runtime_files: dict[str, Path]) -> None:
    with zipfile.ZipFile(PYODIDE / "python_stdlib.zip") as stock:
        modules = {name for name in stock.namelist() if name.endswith(".py")}
    with zipfile.ZipFile(runtime_files["assets/pyodide/python_stdlib.zip"]) as built:
        names = set(built.namelist())
        magic = built.read("json/__init__.pyc")[:4]
    assert modules and {f"{name}c" for name in modules} <= names
    assert not names & modules, "stdlib sources are left out: the bytecode is what loads"
    manifest = json.loads(runtime_files["assets/pyodide/python_stdlib.zip"].with_name("manifest.json").read_text())
    assert magic.hex() == manifest["precompiled"]["magic"]
    assert stdlib_version(runtime_files["assets/pyodide/python_stdlib.zip"]) == PINNED


@pytest.mark.browser  # Pyodide under Node
def test_stdlib_entries_are_stored_or_deflated_on_request(runtime_files: dict[str, Path], tmp_path: Path) -> None:
    deflated = tmp_path / "deflated.zip"
    stored = runtime_files["assets/pyodide/python_stdlib.zip"]
    pyodide_runtime.deflate_entries(stored, deflated)
    with zipfile.ZipFile(stored) as a, zipfile.ZipFile(deflated) as b:
        assert {info.compress_type for info in a.infolist()} == {zipfile.ZIP_STORED}
        assert zipfile.ZIP_DEFLATED in {info.compress_type for info in b.infolist()}
        assert a.namelist() == b.namelist()
        assert a.read("json/__init__.pyc") == b.read("json/__init__.pyc")
        assert a.comment == b.comment and pyodide_runtime.stdlib_version(deflated) == PINNED
    assert deflated.stat().st_size < stored.stat().st_size / 2


def test_a_new_cache_entry_holds_the_zip_its_compressed_copies_and_a_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """How an entry is assembled, on a tiny stand-in package with the Node precompiler faked (the real
    one is run by the tests above and below), so this holds however warm the shared cache is."""
    package_dir = tmp_path / "node_modules" / "pyodide"
    package_dir.mkdir(parents=True)
    (package_dir / "package.json").write_text(json.dumps({"version": "0.0.1"}), encoding="utf-8")
    for name in (*pyodide_runtime.RUNTIME_FILES, pyodide_runtime.STDLIB):
        (package_dir / name).write_bytes(f"stock {name} ".encode() * 50)
    calls = []

    def fake_precompile(package, output: Path) -> dict:
        calls.append(output.name)
        with zipfile.ZipFile(output, "w") as archive:
            archive.writestr("json/__init__.pyc", b"bytecode")
            archive.comment = f"precompiled stdlib; pyodide={package.pinned}; magic=00000000".encode()
        return {"pyodide_version": package.pinned, "magic": "00000000", "not_compiled": []}

    monkeypatch.setattr(pyodide_runtime, "precompile_stdlib", fake_precompile)
    cache = tmp_path / "cache"
    files = prepare_runtime(package_dir, cache, pinned_version="0.0.1")
    assert calls == ["python_stdlib.zip"]
    (entry,) = [path for path in cache.iterdir()]
    assert entry.name.startswith("pyodide-0.0.1-"), "no staging folder is left behind"
    manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
    expected = sorted(f"{name}{suffix}" for name in pyodide_runtime.PRECOMPRESSED for suffix in (".br", ".gz"))
    assert sorted(manifest["precompressed"]) == expected
    assert manifest["pyodide_version"] == "0.0.1" and manifest["zip_entries"] == "stored"
    assert files["assets/pyodide/python_stdlib.zip"] == entry / "python_stdlib.zip"
    for name in pyodide_runtime.RUNTIME_FILES:
        assert files[f"assets/pyodide/{name}"] == package_dir / name
    for name in pyodide_runtime.PRECOMPRESSED:
        plain = files[f"assets/pyodide/{name}"].read_bytes()
        assert brotli.decompress(files[f"assets/pyodide/{name}.br"].read_bytes()) == plain
        assert gzip.decompress(files[f"assets/pyodide/{name}.gz"].read_bytes()) == plain
    assert prepare_runtime(package_dir, cache, pinned_version="0.0.1") == files
    assert calls == ["python_stdlib.zip"], "the second call reuses the entry"
    deflated = prepare_runtime(package_dir, cache, pinned_version="0.0.1", zip_entries="deflated")
    with zipfile.ZipFile(deflated["assets/pyodide/python_stdlib.zip"]) as archive:
        assert [info.compress_type for info in archive.infolist()] == [zipfile.ZIP_DEFLATED]
    assert len(list(cache.iterdir())) == 2, "a deflated entry of its own, no stored copy left in it"


def test_a_second_build_reuses_the_cache(runtime_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    def no_node(*args: object) -> dict:
        raise AssertionError("the cached stdlib should have been reused")

    monkeypatch.setattr(pyodide_runtime, "precompile_stdlib", no_node)
    assert prepare_runtime(PYODIDE, CACHE) == runtime_files


def test_refuses_an_installed_pyodide_other_than_the_pinned_one(tmp_path: Path) -> None:
    with pytest.raises(RuntimeBuildError) as error:
        prepare_runtime(PYODIDE, tmp_path, pinned_version="314.0.6")
    assert str(error.value) == (
        f"Pyodide version mismatch: {PYODIDE} holds {PINNED} but package.json pins 314.0.6; "
        "run 'npm ci' so node_modules matches package.json"
    )
    assert not any(tmp_path.iterdir()), "nothing is cached for a refused version"


def fake_pyodide(tmp_path: Path, version: str, stdlib: bytes | None = None) -> Path:
    """The real runtime files under a package.json that claims ``version``."""
    fake = tmp_path / "pyodide"
    fake.mkdir(parents=True)
    for file in PYODIDE.iterdir():
        if file.name != "package.json":
            (fake / file.name).symlink_to(file)
    manifest = json.loads((PYODIDE / "package.json").read_text(encoding="utf-8"))
    (fake / "package.json").write_text(json.dumps({**manifest, "version": version}), encoding="utf-8")
    if stdlib is not None:
        (fake / "python_stdlib.zip").unlink()
        (fake / "python_stdlib.zip").write_bytes(stdlib)
    return fake


@pytest.mark.browser  # Pyodide under Node
def test_refuses_a_node_runtime_reporting_another_version(tmp_path: Path) -> None:
    fake = fake_pyodide(tmp_path, "314.0.99")
    with pytest.raises(RuntimeBuildError) as error:
        prepare_runtime(fake, tmp_path / "cache", pinned_version="314.0.99")
    assert str(error.value) == (
        f"Pyodide version mismatch: the Node runtime in {fake} reports {PINNED}, "
        "but 314.0.99 is pinned; run 'npm ci' so node_modules matches package.json"
    )
    assert list((tmp_path / "cache").iterdir()) == [], "a refused build leaves no cache entry"


def test_refuses_a_cached_zip_made_by_another_version(runtime_files: dict[str, Path], tmp_path: Path) -> None:
    entry = runtime_files["assets/pyodide/python_stdlib.zip"].parent
    copy = tmp_path / "cache" / entry.name
    shutil.copytree(entry, copy)
    with zipfile.ZipFile(copy / "python_stdlib.zip", "a") as archive:
        archive.comment = b"precompiled stdlib; pyodide=314.0.6; magic=00000000"
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["stdlib_sha256"] = pyodide_runtime._sha256(copy / "python_stdlib.zip")
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(RuntimeBuildError) as error:
        prepare_runtime(PYODIDE, tmp_path / "cache")
    assert str(error.value) == (
        f"Pyodide version mismatch: the precompiled stdlib zip in {copy} is for Pyodide 314.0.6, "
        f"but {PINNED} is pinned; delete {copy} to rebuild it"
    )


def test_a_changed_stdlib_or_version_gets_its_own_cache_entry(tmp_path: Path) -> None:
    real = pyodide_package(PYODIDE)
    other_zip = pyodide_package(fake_pyodide(tmp_path / "a", PINNED, stdlib=b"PK\x05\x06" + bytes(18)))
    other_version = pyodide_package(fake_pyodide(tmp_path / "b", "314.0.8"), "314.0.8")
    keys = {pyodide_runtime._cache_key(package) for package in (real, other_zip, other_version)}
    assert len(keys) == 3


@pytest.fixture(scope="module")
def start_url(runtime_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The start-up fixture page, the site's runtime under assets/pyodide/ and stock Pyodide under stock/."""
    root = tmp_path_factory.mktemp("pyodide-start")
    for file in FIXTURE.iterdir():
        (root / file.name).symlink_to(file)
    (root / "stock").symlink_to(PYODIDE)
    install_runtime(runtime_files, root, link=True)
    server, url = serve(root)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def worker_page(browser, start_url: str) -> Iterator[tuple[object, list[str], list[str]]]:
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    context.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, requests, errors
    context.close()


def boot(page, start_url: str, query: str) -> dict:
    page.goto(f"{start_url}index.html{query}")
    page.wait_for_function("() => document.getElementById('status').textContent !== 'starting'", timeout=60_000)
    assert page.text_content("#status") == "ready"
    return page.evaluate("window.startup")


@pytest.mark.browser
def test_pyodide_boots_in_a_module_worker_with_the_precompiled_stdlib(worker_page, start_url: str) -> None:
    page, requests, errors = worker_page
    startup = boot(page, start_url, "?runtime=site")
    assert page.text_content("#result") == "2"
    assert startup["version"] == PINNED
    origin = page.evaluate("""runPython(`
import json, tarfile, email.parser, importlib.metadata, encodings.cp437
json.__spec__.origin
`)""")
    assert origin == {"id": 1, "value": "/lib/python314.zip/json/__init__.pyc"}
    assert f"{start_url}assets/pyodide/python_stdlib.zip" in requests
    assert not [url for url in requests if not url.startswith(start_url)]
    assert errors == []


@pytest.mark.browser
def test_a_traceback_through_our_own_module_shows_its_source_lines(worker_page, start_url: str) -> None:
    page, _, errors = worker_page
    boot(page, start_url, "?runtime=site")
    engine = "def score(answers):\n    total = sum(answers.values())\n    return total / len(answers)\n"
    result = page.evaluate(
        "([code, modules]) => runPython(code, modules)",
        ["import fixture_engine\nfixture_engine.score({})", {"fixture_engine": engine}],
    )
    traceback = result["error"]
    assert 'File "/home/pyodide/fixture_engine.py", line 3, in score' in traceback
    assert "return total / len(answers)" in traceback
    assert traceback.rstrip().endswith("ZeroDivisionError: division by zero")
    assert errors == []


@pytest.mark.browser
def test_an_early_wasm_compile_and_stdlib_fetch_still_boots(worker_page, start_url: str) -> None:
    page, _, errors = worker_page
    boot(page, start_url, "?runtime=site&early=1")
    assert page.text_content("#result") == "2"
    assert errors == []


NODE_RUN = """
import {{ loadPyodide }} from {module};
const pyodide = await loadPyodide({{ indexURL: {index}, stdLibURL: process.argv[2] }});
console.log(pyodide.runPython(process.argv[3]));
"""
PROGRAM = """
import dataclasses, decimal, json, re, statistics, traceback
@dataclasses.dataclass
class Answer:
    weight: decimal.Decimal
try:
    json.loads("{")
except json.JSONDecodeError as error:
    failure = traceback.format_exception_only(error)[-1].strip()
json.dumps([
    str(sum(Answer(decimal.Decimal(w)).weight for w in ("0.1", "0.2"))),
    re.sub(r"(\\d+)", r"<\\1>", "q12 q3"),
    statistics.median([3, 1, 2]),
    failure,
    json.__spec__.origin.rsplit(".", 1)[-1],
])
"""


def run_in_node(tmp_path: Path, stdlib: Path) -> list:
    import subprocess

    script = tmp_path / "run.mjs"
    script.write_text(
        NODE_RUN.format(
            module=json.dumps((PYODIDE / "pyodide.mjs").as_uri()), index=json.dumps(f"{PYODIDE.as_posix()}/")
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        ["node", str(script), str(stdlib), PROGRAM], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.browser  # Pyodide under Node
def test_node_pyodide_gives_the_same_results_with_either_stdlib(runtime_files: dict[str, Path], tmp_path: Path) -> None:
    stock = run_in_node(tmp_path, PYODIDE / "python_stdlib.zip")
    precompiled = run_in_node(tmp_path, runtime_files["assets/pyodide/python_stdlib.zip"])
    assert stock[:4] == precompiled[:4] == ["0.3", "q<12> q<3>", 2, stock[3]]
    assert stock[3].startswith("json.decoder.JSONDecodeError: Expecting property name")
    assert (stock[4], precompiled[4]) == ("py", "pyc")


@pytest.mark.browser  # Pyodide under Node
def test_the_shipped_snapshot_is_a_delta_with_compressed_copies_and_its_reader() -> None:
    """The snapshot the site ships (the cache entry the site build uses, made once per engine)."""
    files = prepare_runtime(PYODIDE, CACHE, engine=ROOT / "generator" / "scoring.py")
    snapshot = files[SNAPSHOT_URI].read_bytes()
    assert snapshot[:4] == b"SCD1", "a delta"
    assert brotli.decompress(files[SNAPSHOT_URI + ".br"].read_bytes()) == snapshot
    assert gzip.decompress(files[SNAPSHOT_URI + ".gz"].read_bytes()) == snapshot
    assert files[urls.SNAPSHOT_READER] == pyodide_runtime.SNAPSHOT_READER


def test_the_snapshot_is_cached_per_engine_and_a_new_engine_replaces_it(
    runtime_files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Node stands in for the snapshotter (making real ones is the test above and the site build):
    what is under test is the cache, keyed by the engine's bytes."""
    cache = tmp_path / "cache"
    entry = runtime_files["assets/pyodide/python_stdlib.zip"].parent
    shutil.copytree(entry, cache / entry.name)
    engine = tmp_path / "scoring.py"
    engine.write_text((ROOT / "generator" / "scoring.py").read_text(encoding="utf-8"), encoding="utf-8")
    made: list[str] = []

    def fake_node(arguments: list[str], what: str) -> object:
        output = Path(arguments[5])
        made.append(engine.read_text(encoding="utf-8"))
        output.write_bytes(b"SCD1 snapshot of engine " + str(len(made)).encode())
        report = {"pyodide_version": PINNED, "snapshot_bytes": 1, "gzip_bytes": 1, "modules": 1}
        return type("Run", (), {"stdout": json.dumps(report)})()

    monkeypatch.setattr(pyodide_runtime, "_run_node", fake_node)
    first = prepare_runtime(PYODIDE, cache, engine=engine)[SNAPSHOT_URI]
    assert prepare_runtime(PYODIDE, cache, engine=engine)[SNAPSHOT_URI] == first
    assert len(made) == 1, "made once, then reused"
    engine.write_text(engine.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    second = prepare_runtime(PYODIDE, cache, engine=engine)[SNAPSHOT_URI]
    assert len(made) == 2 and made[-1].endswith("# edited\n")
    assert second != first and second.read_bytes() == b"SCD1 snapshot of engine 2"
    assert not first.exists(), "the previous engine's snapshot is dropped from the cache"


@pytest.mark.browser  # Pyodide under Node
def test_the_snapshot_step_refuses_a_node_runtime_reporting_another_version(
    runtime_files: dict[str, Path], tmp_path: Path
) -> None:
    fake = fake_pyodide(tmp_path, "314.0.99")
    package = pyodide_runtime.PyodidePackage(fake, "314.0.99", "314.0.99")
    output = tmp_path / "snapshot.delta"
    with pytest.raises(RuntimeBuildError) as error:
        pyodide_runtime.make_snapshot(
            package, runtime_files["assets/pyodide/python_stdlib.zip"], ROOT / "generator" / "scoring.py", output
        )
    assert str(error.value) == (
        f"Pyodide version mismatch: the Node runtime in {fake} reports {PINNED}, "
        "but 314.0.99 is pinned; run 'npm ci' so node_modules matches package.json"
    )
    assert not output.exists()


def test_the_snapshot_prelude_is_part_of_the_snapshot_key_and_is_what_the_snapshotter_runs(
    runtime_files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Python run before the snapshot is a file of its own (so ruff lints it): an edit of it
    must make a new snapshot, and the snapshotter must run that very file."""
    cache = tmp_path / "cache"
    entry = runtime_files["assets/pyodide/python_stdlib.zip"].parent
    shutil.copytree(entry, cache / entry.name)
    made: list[str] = []

    def fake_node(arguments: list[str], what: str) -> object:
        prelude, output = arguments[4], arguments[5]
        made.append(Path(prelude).read_text(encoding="utf-8"))
        Path(output).write_bytes(b"snapshot of " + prelude.encode())
        report = {"pyodide_version": PINNED, "snapshot_bytes": 1, "gzip_bytes": 1, "modules": 1}
        return type("Run", (), {"stdout": json.dumps(report)})()

    monkeypatch.setattr(pyodide_runtime, "_run_node", fake_node)
    engine = ROOT / "generator" / "scoring.py"
    first = prepare_runtime(PYODIDE, cache, engine=engine)[SNAPSHOT_URI]
    assert prepare_runtime(PYODIDE, cache, engine=engine)[SNAPSHOT_URI] == first
    assert made == [pyodide_runtime.SNAPSHOT_PRELUDE.read_text(encoding="utf-8")], "made once, then reused"
    edited = tmp_path / "snapshot_prelude.py"
    edited.write_text(made[0] + "\n# edited\n", encoding="utf-8")
    monkeypatch.setattr(pyodide_runtime, "SNAPSHOT_PRELUDE", edited)
    second = prepare_runtime(PYODIDE, cache, engine=engine)[SNAPSHOT_URI]
    assert second != first and made[-1].endswith("# edited\n")


@pytest.mark.parametrize("setting", ["12", "best", "-1"])
def test_a_snapshot_quality_that_is_not_brotlis_is_refused(setting: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pyodide_runtime.QUALITY_VARIABLE, setting)
    with pytest.raises(RuntimeBuildError) as error:
        pyodide_runtime.brotli_quality()
    expected = f"SELFCHECK_BROTLI_QUALITY must be a brotli quality from 0 to 11, not {setting!r}"
    assert str(error.value) == expected


def test_the_snapshot_quality_defaults_to_the_best(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pyodide_runtime.QUALITY_VARIABLE, raising=False)
    assert pyodide_runtime.brotli_quality() == 11
    monkeypatch.setenv(pyodide_runtime.QUALITY_VARIABLE, "9")
    assert pyodide_runtime.brotli_quality() == 9
