// Pyodide under Node, for the build steps that must run its own interpreter
// (precompile_stdlib.mjs, make_snapshot.mjs). Refuses any version but the pinned one.
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Load the Pyodide in ``pyodideDir``; print why and exit 2 unless it reports ``expectedVersion``. */
export async function loadPinnedPyodide(pyodideDir, expectedVersion, options = {}) {
  const indexURL = path.resolve(pyodideDir) + path.sep;
  const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({
    indexURL,
    stdout: () => {},
    stderr: (line) => console.error(line),
    ...options,
  });
  if (pyodide.version !== expectedVersion) {
    console.error(
      `Pyodide version mismatch: the Node runtime in ${pyodideDir} reports ${pyodide.version}, ` +
        `but ${expectedVersion} is pinned; run 'npm ci' so node_modules matches package.json`,
    );
    process.exit(2);
  }
  return pyodide;
}
