// Make the self-check's memory snapshot: Pyodide booted from the precompiled stdlib zip with the
// scoring engine already imported, saved so a browser can restore it instead of starting Python.
//
// Run by generator/pyodide_runtime.py at build time:
//   node make_snapshot.mjs <pyodide_dir> <stdlib.zip> <engine.py> <prelude.py> <output.delta> <expected_version>
// The snapshot is bound to this exact pyodide.asm.wasm (Pyodide checks its build id when
// restoring). A browser restores it with a tiny empty stdlib zip, so the engine must not import
// anything after it was loaded; selfcheck_snapshot_resume() makes such an import fail cleanly.
// <prelude.py> (generator/snapshot_prelude.py) is the Python run before the snapshot is taken.
//
// What is written is a delta (snapshot_delta.mjs): the pages of memory that differ from those of a
// fresh instance restoring it. That fresh memory is taken here from a second instance, restored
// the way a browser does; a third instance restores from the delta alone, as the browser will,
// and must hold the same interpreter, or nothing is written.
// Prints one JSON line describing the result; exits 2 on a version mismatch, 1 if the check fails.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { loadPinnedPyodide } from "./pinned_pyodide.mjs";
import { encodeDelta, restoreFromDelta, watchMemory } from "./snapshot_delta.mjs";

const [pyodideDir, stdlibZip, enginePath, preludePath, output, expectedVersion] = process.argv.slice(2);
if (!expectedVersion) {
  console.error("usage: node make_snapshot.mjs <pyodide_dir> <stdlib.zip> <engine.py> <prelude.py> <output.delta> <version>");
  process.exit(64);
}
// Everything Python sees of its surroundings is in the snapshot and so published: give it fixed
// values, nothing of the machine making it. Emscripten would otherwise take sys.executable,
// sys.argv[0] and $_ from this script's path, and $LANG from Node's locale.
const fixed = { _sysExecutable: "./this.program", env: { LANG: "C.UTF-8" } };
const pyodide = await loadPinnedPyodide(pyodideDir, expectedVersion, {
  stdLibURL: path.resolve(stdlibZip),
  _makeSnapshot: true,
  ...fixed,
});
// The browser's fallback path writes the engine to the same file, so tracebacks read the same lines.
pyodide.FS.mkdirTree("/home/pyodide/selfcheck");
pyodide.FS.writeFile("/home/pyodide/selfcheck/scoring.py", readFileSync(enginePath));
// Imports the engine from that file and defines selfcheck_snapshot_resume() in __main__.
pyodide.runPython(readFileSync(preludePath, "utf-8"));
// What a restored interpreter must show: the same modules, the engine among them, and the resume hook.
const STATE = "import sys; ','.join(sorted(sys.modules)) + '|' + str(callable(globals().get('selfcheck_snapshot_resume')))";
const state = pyodide.runPython(STATE);
const modules = pyodide.runPython("len(sys.modules)");
const snapshot = pyodide.makeMemorySnapshot();
const headerLength = new DataView(snapshot.buffer, snapshot.byteOffset).getUint32(4, true);

// The browser restores with an empty standard library zip (everything is in memory already).
const scratch = mkdtempSync(path.join(os.tmpdir(), "selfcheck-snapshot-"));
try {
  const emptyZip = path.join(scratch, "empty.zip");
  writeFileSync(emptyZip, Buffer.from("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==", "base64"));

  let fresh = null;
  const watcher = watchMemory();
  await loadPinnedPyodide(pyodideDir, expectedVersion, {
    stdLibURL: emptyZip,
    _loadSnapshot: snapshot.slice(),
    fsInit: () => {
      fresh = new Uint8Array(watcher.memory.buffer).slice();
    },
    ...fixed,
  });
  watcher.stop();
  const { delta, runs, pages } = encodeDelta(snapshot, headerLength, fresh);

  const checker = watchMemory();
  const { options, failure } = restoreFromDelta(delta, checker);
  const restored = await Promise.race([
    loadPinnedPyodide(pyodideDir, expectedVersion, { stdLibURL: emptyZip, ...options, ...fixed }),
    failure,
  ]);
  checker.stop();
  const again = restored.runPython(STATE);
  if (again !== state) {
    console.error(`the snapshot restored from its delta differs: ${again} instead of ${state}`);
    process.exit(1);
  }
  writeFileSync(output, delta);
  console.log(
    JSON.stringify({
      pyodide_version: pyodide.version,
      snapshot_bytes: snapshot.length,
      delta_bytes: delta.length,
      delta_runs: runs,
      delta_pages: pages,
      modules,
    }),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
