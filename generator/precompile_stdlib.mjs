// Precompile Pyodide's standard library zip to .pyc with Pyodide's own interpreter.
//
// Run by generator/pyodide_runtime.py at build time:
//   node precompile_stdlib.mjs <pyodide_dir> <input.zip> <output.zip> <expected_version> <keep_sources>
// Bytecode must come from the exact CPython inside pyodide.asm.wasm (its magic number
// differs from any host Python), so the compiling happens inside Pyodide under Node.
// Prints one JSON line describing the result; exits 2 on a version mismatch.
import { readFileSync, writeFileSync } from "node:fs";

import { loadPinnedPyodide } from "./pinned_pyodide.mjs";

const [pyodideDir, inputZip, outputZip, expectedVersion, keepSources] = process.argv.slice(2);
if (!keepSources) {
  console.error("usage: node precompile_stdlib.mjs <pyodide_dir> <input.zip> <output.zip> <version> <keep_sources>");
  process.exit(64);
}
// PYTHONNODEBUGRANGES: no column ranges in the stdlib's bytecode. It cuts the zip by a quarter
// on the wire (gzip 4.1 → 3.1 MB); stdlib frames in tracebacks keep file and line, only the
// ^^^ markers go. Code compiled at run time (our engine) is unaffected.
const pyodide = await loadPinnedPyodide(pyodideDir, expectedVersion, { env: { PYTHONNODEBUGRANGES: "1" } });
pyodide.FS.writeFile("/tmp/stdlib-in.zip", readFileSync(inputZip));
pyodide.globals.set("PYODIDE_VERSION", pyodide.version);
pyodide.globals.set("KEEP_SOURCES", keepSources);
const report = pyodide.runPython(`
import importlib._bootstrap_external as bootstrap
import importlib.util
import json
import sys
import zipfile

# Sources kept beside their bytecode so tracebacks show lines: "all", "none", or
# comma-separated top-level module/package names.
keep = KEEP_SOURCES
keep_names = set() if keep in ("all", "none") else set(keep.split(","))
prefix = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip/"
magic = importlib.util.MAGIC_NUMBER.hex()
compiled, kept, failed = 0, 0, []
with zipfile.ZipFile("/tmp/stdlib-in.zip") as source_zip, zipfile.ZipFile("/tmp/stdlib-out.zip", "w") as out:
    out.comment = f"precompiled stdlib; pyodide={PYODIDE_VERSION}; magic={magic}".encode()

    def put(name, data):
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        # Stored: brotli/gzip over the whole archive compress far better than per-entry
        # deflate, and the .br/.gz copies are what a server sends. (A deflated copy, for hosts
        # that cannot send them, is made from this one in Python: see deflate_entries.)
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        out.writestr(info, data)

    for entry in source_zip.infolist():
        data = source_zip.read(entry)
        name = entry.filename
        if not name.endswith(".py"):
            put(name, data)
            continue
        try:
            code = compile(data, prefix + name, "exec", dont_inherit=True)
        except SyntaxError as error:
            failed.append(f"{name}: {error}")
            put(name, data)
            continue
        put(name + "c", bootstrap._code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))
        compiled += 1
        top = name.split("/", 1)[0].removesuffix(".py")
        if keep == "all" or top in keep_names:
            put(name, data)
            kept += 1
json.dumps({
    "pyodide_version": PYODIDE_VERSION,
    "python_version": sys.version.split()[0],
    "magic": magic,
    "compiled": compiled,
    "sources_kept": kept,
    "not_compiled": failed,
})
`);
writeFileSync(outputZip, pyodide.FS.readFile("/tmp/stdlib-out.zip"));
console.log(report);
