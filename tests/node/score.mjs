// Runs generator/scoring.py in real Pyodide (the npm package) on a job file and prints,
// as JSON, {case name: [result JSON, report HTML]} from the same entry point the site's
// worker calls. Usage: node tests/node/score.mjs JOB.json
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const { loadPyodide } = await import(path.join(root, "node_modules/pyodide/pyodide.mjs"));

const job = JSON.parse(await readFile(process.argv[2], "utf-8"));
const pyodide = await loadPyodide({ indexURL: path.join(root, "node_modules/pyodide") + "/" });
pyodide.FS.mkdirTree("/home/pyodide/selfcheck");
pyodide.FS.writeFile("/home/pyodide/selfcheck/scoring.py", await readFile(path.join(root, "generator/scoring.py"), "utf-8"));
pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/selfcheck'); import scoring");
const browserScore = pyodide.pyimport("scoring").browser_score;
const out = {};
for (const item of job.cases) {
  const result = browserScore(item.check, item.answers);
  out[item.name] = result.toJs();
  result.destroy();
}
out["sys.version"] = pyodide.runPython("import sys; sys.version");
process.stdout.write(JSON.stringify(out));
