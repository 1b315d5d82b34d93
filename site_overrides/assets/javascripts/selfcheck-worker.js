/* Module worker: runs Pyodide and the scoring engine (generator/scoring.py, shipped as is).
   One per tab, started by selfcheck-loader.js and kept across instant navigation, so it serves
   every check page the reader opens in the tab. All scoring is the engine's; this file only
   starts Python and passes messages.

   Protocol (messages are handled in the order sent):
   page → worker
     {type: "init", runtime, engine, snapshot}   once per tab: the Pyodide folder, the engine's
                                                 and the snapshot's addresses (snapshot: null = none)
     {type: "load", check}                       once per check: the compiled check as JSON text
                                                 (the form's data-check-data); loading the same id
                                                 and version again is a no-op
     {type: "score", seq, check, record}         every change: the check's id and the record (answers,
                                                 notes, review, assessment, history; see the manual's
                                                 "Answers file"), already checked by the page
   worker → page
     {type: "progress", step, text}              while starting: step 1, 2 or 3
     {type: "ready", started}                    started: "snapshot" | "boot"
     {type: "failed", text, cause, reason, values}  Python could not start; nothing more will come.
                                                 cause: "network" (the runtime could not be
                                                 downloaded), "unsupported" (no WebAssembly) or
                                                 "other"; the page may start a new worker to retry
     {type: "result", seq, result, html}         result: the engine's result as a structured value
                                                 (Python None arrives as undefined); html: the report
     {type: "result", seq, error}                scoring failed (a check not loaded, a broken check)
     {type: "plan", seq, entries}                My plan: the saved checks as JSON text,
                                                 [{"check": <compiled check>, "record": <saved record>}]
   worker → page, for "plan"
     {type: "result", seq, plan, html, csv}      the engine's browser_plan (seq tells it from a check's)
     {type: "result", seq, error}                the plan could not be made
   "load", "score" and "plan" before "ready" are ignored: the page sends them once the worker is ready.
   A "load" that fails is logged here; scores for that check then fail with "not loaded".

   The record reaches the engine as JSON text, as the CLI reads a file: Pyodide's toPy would make
   JavaScript null a JsNull instead of None, so the engine would not see what CPython sees. */
let entryPoints = null; // { load, score, plan }: the engine's browser_load, browser_score and browser_plan
/* An empty zip: everything the engine needs is already in the snapshot's memory. */
const EMPTY_STDLIB = "data:application/zip;base64,UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";

/* The page shows each step in its own language (the texts checks.step_<step>); text is for logs. */
function progress(step, text) {
  self.postMessage({ type: "progress", step, text });
}

/* An error the page can name in its language: checks.reason_<reason>, filled from values. */
function failure(reason, message, values = {}) {
  const error = new Error(message);
  error.reason = reason;
  error.values = values;
  return error;
}

async function start({ runtime, engine, snapshot }) {
  progress(1, "Downloading the scoring engine (step 1 of 3)…");
  const engineSource = fetch(engine).then((response) => {
    if (!response.ok) throw failure("engine_http", `the scoring engine could not be downloaded (HTTP ${response.status})`, { status: response.status });
    return response.text();
  });
  engineSource.catch(() => {});
  if (snapshot) snapshot = new URL(snapshot, self.location.href).href;
  const snapshotResponse = snapshot && snapshotWorthIt() ? fetch(snapshot) : null;
  if (snapshotResponse) snapshotResponse.catch(() => {}); // restore() reports it
  if (typeof WebAssembly !== "object") throw failure("no_webassembly", "this browser has no WebAssembly");
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
  progress(2, "Starting it (step 2 of 3)…");
  let pyodide = snapshotResponse && (await restore(loadPyodide, runtime, snapshot, snapshotResponse, engineSource));
  const started = pyodide ? "snapshot" : "boot";
  if (!pyodide) pyodide = await Promise.race([loadPyodide({ indexURL: runtime }), instantiationFailure()]);
  progress(3, "Almost ready (step 3 of 3)…");
  // Tracebacks through the engine read its lines from this file (the snapshot holds none).
  pyodide.FS.mkdirTree("/home/pyodide/selfcheck");
  pyodide.FS.writeFile("/home/pyodide/selfcheck/scoring.py", await engineSource);
  if (started === "boot") {
    pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/selfcheck'); import scoring");
  }
  // Kept for the tab's life (the functions are proxies borrowed from the module's).
  const scoring = pyodide.pyimport("scoring");
  entryPoints = { load: scoring.browser_load, score: scoring.browser_score, plan: scoring.browser_plan };
  return started;
}

/* The snapshot (see generator/make_snapshot.mjs) costs more on the wire than the standard library
   it replaces, to save the CPU of starting Python; where the reader asks to save data or the network is slow, start as usual.
   Offline nothing goes on the wire: the service worker has kept the snapshot or it has not (then
   the start falls back to the standard library it kept), whatever the last network estimate was. */
function snapshotWorthIt() {
  if (self.navigator.onLine === false) return true;
  const connection = self.navigator.connection;
  return !(connection && (connection.saveData || /2g|3g/.test(connection.effectiveType || "")));
}

/* Pyodide restored from the snapshot with the engine already imported, or null (and a console
   warning) when it cannot be used: not downloadable, damaged, made for another Pyodide build
   (Pyodide checks), or holding another engine than the page's. The caller then boots normally.
   The snapshot is a delta against the memory the fresh instance already has (see
   snapshot-delta.mjs, beside it); the reader module comes from the same folder. */
async function restore(loadPyodide, runtime, snapshot, snapshotResponse, engineSource) {
  let watcher = null;
  try {
    const reader = await import(new URL("snapshot-delta.mjs", snapshot).href);
    const delta = snapshotResponse.then((response) => snapshotStream(response, snapshot));
    watcher = reader.watchMemory();
    // Pyodide makes its instance once the delta's header is in, while the rest arrives.
    const { options, failure } = reader.restoreFromDelta(delta, watcher);
    const pyodide = await Promise.race([
      loadPyodide({ indexURL: runtime, stdLibURL: EMPTY_STDLIB, ...options }),
      instantiationFailure(),
      failure,
    ]);
    const resume = pyodide.globals.get("selfcheck_snapshot_resume");
    const sameEngine = resume(await engineSource);
    resume.destroy();
    if (!sameEngine) throw new Error("it holds another version of the scoring engine");
    return pyodide;
  } catch (error) {
    console.warn(`Self-check: starting Python without the memory snapshot (${(error && error.message) || error})`);
    return null;
  } finally {
    if (watcher) watcher.stop();
  }
}

/* The delta's bytes as a stream. A server that negotiates sends its .br or .gz copy compressed on
   the wire (Content-Encoding, undone by the browser). One that does not would send all of it raw:
   then the .gz copy is fetched and inflated here instead, unless it cannot be had (offline, with
   only the raw file kept by the service worker). */
async function snapshotStream(response, snapshot) {
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  if (!response.headers.get("content-encoding")) {
    const packed = await fetch(`${snapshot}.gz`).catch(() => null);
    if (packed && packed.ok) {
      response.body.cancel().catch(() => {});
      response = packed;
    }
  }
  const [first, body] = await peek(response.body);
  // A server may send a .gz file with Content-Encoding: gzip, which the browser has inflated.
  const gzipped = first[0] === 0x1f && first[1] === 0x8b;
  return gzipped ? body.pipeThrough(new DecompressionStream("gzip")) : body;
}

/* The stream's first chunk, and a stream of all of it (the first chunk included). */
async function peek(stream) {
  const reader = stream.getReader();
  const { value } = await reader.read();
  const first = value || new Uint8Array(0);
  const body = new ReadableStream({
    start(controller) {
      if (first.length) controller.enqueue(first);
    },
    async pull(controller) {
      const { done, value: chunk } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(chunk);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return [first, body];
}

/* Pyodide 314.0.7 reports a failed WebAssembly download or compile only with console.warn
   ("wasm instantiation failed!") and its loadPyodide() promise never settles; turn that
   warning into a rejection so the page can say the runtime could not start. */
function instantiationFailure() {
  return new Promise((_, reject) => {
    const warn = console.warn;
    console.warn = (...args) => {
      warn.apply(console, args);
      if (args.some((arg) => String(arg).includes("wasm instantiation failed"))) {
        reject(failure("runtime", "the WebAssembly runtime could not be loaded"));
      }
    };
  });
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "init") {
    try {
      const started = await start(message);
      self.postMessage({ type: "ready", started });
    } catch (error) {
      const cause = await failureCause(message.runtime);
      self.postMessage({
        type: "failed", text: String((error && error.message) || error), cause,
        reason: (error && error.reason) || null, values: (error && error.values) || {},
      });
    }
  } else if (message.type === "load" && entryPoints) {
    try {
      entryPoints.load(message.check);
    } catch (error) {
      console.error(`Self-check: the check could not be loaded: ${(error && error.message) || error}`);
    }
  } else if (message.type === "score" && entryPoints) {
    self.postMessage({ type: "result", seq: message.seq, ...score(message.check, message.record) });
  }
};

/* Why Python could not start, as far as the worker can tell: no WebAssembly at all, or the
   runtime's main file out of reach (offline, blocked, the server down), or something else. */
async function failureCause(runtime) {
  if (typeof WebAssembly !== "object") return "unsupported";
  if (self.navigator.onLine === false) return "network";
  try {
    const response = await fetch(new URL("pyodide.asm.wasm", runtime), { method: "HEAD", cache: "no-store" });
    return response.ok ? "other" : "network";
  } catch {
    return "network";
  }
}

/* {result, html} from the engine, or {error}. */
function score(check, record) {
  let output = null;
  try {
    output = entryPoints.score(check, JSON.stringify(record === undefined ? null : record));
    // create_pyproxies: false: a value without a plain JavaScript form is an error here, not a
    // proxy that would leak and that postMessage could not send anyway.
    return output.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
  } catch (error) {
    return { error: String((error && error.message) || error) };
  } finally {
    if (output) output.destroy();
  }
}

/* My plan (/checks/plan/): the plan across the checks saved in the browser, made by the engine's
   browser_plan. A listener of its own beside onmessage, so the check messages above stay as they are. */
self.addEventListener("message", (event) => {
  const message = event.data;
  if (!message || message.type !== "plan" || !entryPoints) return;
  let output = null;
  let reply;
  try {
    output = entryPoints.plan(String(message.entries));
    reply = output.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
  } catch (error) {
    reply = { error: String((error && error.message) || error) };
  } finally {
    if (output) output.destroy();
  }
  self.postMessage({ type: "result", seq: message.seq, ...reply });
});
