// Runs generator/scoring.py in real Pyodide (the npm package) on a job file and prints,
// as JSON, {case name: [result JSON, report HTML]} from the same entry point the site's
// worker calls. Usage: node tests/node/score.mjs JOB.json [SNAPSHOT.bin.gz]
// With a snapshot, Pyodide is restored from it the way the site's worker does (empty stdlib
// zip, engine already imported) instead of booting and importing the engine.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const { loadPyodide } = await import(path.join(root, "node_modules/pyodide/pyodide.mjs"));

const job = JSON.parse(await readFile(process.argv[2], "utf-8"));
const indexURL = path.join(root, "node_modules/pyodide") + "/";
const engine = await readFile(path.join(root, "generator/scoring.py"), "utf-8");
const snapshot = process.argv[3];
const out = {};
let pyodide;
if (snapshot) {
  // Node reads stdLibURL as a file; the worker passes the same 22-byte empty zip as a data: URL.
  const emptyZip = path.join(await mkdtemp(path.join(tmpdir(), "score-")), "empty.zip");
  await writeFile(emptyZip, Buffer.from("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==", "base64"));
  pyodide = await loadPyodide({
    indexURL,
    stdLibURL: emptyZip,
    _loadSnapshot: gunzipSync(await readFile(snapshot)),
  });
  out["same engine"] = pyodide.globals.get("selfcheck_snapshot_resume")(engine);
  out["other engine"] = pyodide.globals.get("selfcheck_snapshot_resume")(engine + "\n");
  out["import after restore"] = pyodide.runPython(`
try:
    import decimal
    outcome = "imported"
except ImportError as error:
    outcome = type(error).__name__
outcome`);
} else {
  pyodide = await loadPyodide({ indexURL });
  pyodide.FS.mkdirTree("/home/pyodide/selfcheck");
  pyodide.FS.writeFile("/home/pyodide/selfcheck/scoring.py", engine);
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/selfcheck'); import scoring");
}
const browserScore = pyodide.pyimport("scoring").browser_score;
for (const item of job.cases) {
  const result = browserScore(item.check, item.answers);
  out[item.name] = result.toJs();
  result.destroy();
}
out["sys.version"] = pyodide.runPython("import sys; sys.version");
process.stdout.write(JSON.stringify(out));
