// Make the self-check's memory snapshot: Pyodide booted from the precompiled stdlib zip with the
// scoring engine already imported, saved so a browser can restore it instead of starting Python.
//
// Run by generator/pyodide_runtime.py at build time:
//   node make_snapshot.mjs <pyodide_dir> <stdlib.zip> <engine.py> <prelude.py> <output.bin.gz> <expected_version>
// The snapshot is bound to this exact pyodide.asm.wasm (Pyodide checks its build id when
// restoring). A browser restores it with a tiny empty stdlib zip, so the engine must not import
// anything after it was loaded; selfcheck_snapshot_resume() makes such an import fail cleanly.
// <prelude.py> (generator/snapshot_prelude.py) is the Python run before the snapshot is taken.
// Prints one JSON line describing the result; exits 2 on a version mismatch.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { loadPinnedPyodide } from "./pinned_pyodide.mjs";

const [pyodideDir, stdlibZip, enginePath, preludePath, output, expectedVersion] = process.argv.slice(2);
if (!expectedVersion) {
  console.error("usage: node make_snapshot.mjs <pyodide_dir> <stdlib.zip> <engine.py> <prelude.py> <output.bin.gz> <version>");
  process.exit(64);
}
// Everything Python sees of its surroundings is in the snapshot and so published: give it fixed
// values, nothing of the machine making it. Emscripten would otherwise take sys.executable,
// sys.argv[0] and $_ from this script's path, and $LANG from Node's locale.
const pyodide = await loadPinnedPyodide(pyodideDir, expectedVersion, {
  stdLibURL: path.resolve(stdlibZip),
  _makeSnapshot: true,
  _sysExecutable: "./this.program",
  env: { LANG: "C.UTF-8" },
});
// The browser's fallback path writes the engine to the same file, so tracebacks read the same lines.
pyodide.FS.mkdirTree("/home/pyodide/selfcheck");
pyodide.FS.writeFile("/home/pyodide/selfcheck/scoring.py", readFileSync(enginePath));
// Imports the engine from that file and defines selfcheck_snapshot_resume() in __main__.
pyodide.runPython(readFileSync(preludePath, "utf-8"));
const modules = pyodide.runPython("len(sys.modules)");
const snapshot = pyodide.makeMemorySnapshot();
const compressed = gzipSync(snapshot, { level: 9 });
writeFileSync(output, compressed);
console.log(
  JSON.stringify({
    pyodide_version: pyodide.version,
    snapshot_bytes: snapshot.length,
    gzip_bytes: compressed.length,
    modules,
  }),
);
