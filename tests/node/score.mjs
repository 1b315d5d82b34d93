// Runs generator/scoring.py in real Pyodide (the npm package) on a job file and prints, as JSON,
// {case name: {canonical, html, browser}}: `canonical` is dumps(assess(check, record)), the bytes
// the CLI gives, `html` is report_html; `browser` is what the site's worker posts to the page,
// made the way the worker makes it (every check loaded once with browser_load, then
// browser_score(id, record JSON) converted with toJs). Written as JSON with undefined as null.
// Usage: node tests/node/score.mjs JOB.json [SNAPSHOT.delta]
// With a snapshot, Pyodide is restored from it the way the site's worker does (the delta read by
// the module the site ships, empty stdlib zip, engine already imported) instead of booting and
// importing the engine.
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const { loadPyodide } = await import(path.join(root, "node_modules/pyodide/pyodide.mjs"));
const { restoreFromDelta, watchMemory } = await import(path.join(root, "generator/snapshot_delta.mjs"));

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
  const watcher = watchMemory();
  // Read as the worker reads it, a stream: in chunks of an odd size, so that chunk boundaries fall
  // inside the header and inside pages.
  const delta = Readable.toWeb(createReadStream(snapshot, { highWaterMark: 4093 }));
  const { options, failure } = restoreFromDelta(delta, watcher);
  pyodide = await Promise.race([loadPyodide({ indexURL, stdLibURL: emptyZip, ...options }), failure]);
  watcher.stop();
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
pyodide.runPython(`
import json
import scoring


def selfcheck_canonical(check_json, record_json):
    check = json.loads(check_json)
    result = scoring.assess(check, scoring.as_record(json.loads(record_json)))
    return [scoring.dumps(result), scoring.report_html(check, result)]
`);
const canonical = pyodide.globals.get("selfcheck_canonical");
const scoring = pyodide.pyimport("scoring");
// Every check first, so several are loaded at once, as in a tab that visited several check pages.
const loaded = {};
for (const item of job.cases) {
  if (!(item.check_id in loaded)) loaded[item.check_id] = scoring.browser_load(item.check);
}
out["loaded"] = loaded;
const asJson = (value) => JSON.stringify(value, (key, item) => (item === undefined ? null : item));
for (const item of job.cases) {
  const pair = canonical(item.check, item.record);
  const [text, html] = pair.toJs();
  pair.destroy();
  // As the worker: the page's record (or, from an older page, its answers object), parsed from
  // storage, sent as JSON text.
  const output = scoring.browser_score(item.check_id, JSON.stringify(JSON.parse(item.record)));
  const browser = output.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
  output.destroy();
  out[item.name] = { canonical: text, html, browser };
}
out["sys.version"] = pyodide.runPython("import sys; sys.version");
process.stdout.write(asJson(out));
