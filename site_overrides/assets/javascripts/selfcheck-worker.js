/* Module worker: runs Pyodide and the scoring engine (generator/scoring.py, shipped as is).
   One per tab; the page sends {type: "init"} once, then {type: "score"} for every change. */
let browserScore = null;

function progress(text) {
  self.postMessage({ type: "progress", text });
}

async function start({ runtime, engine }) {
  progress("Downloading the Python runtime (step 1 of 3)…");
  const engineSource = fetch(engine).then((response) => {
    if (!response.ok) throw new Error(`the scoring engine could not be downloaded (HTTP ${response.status})`);
    return response.text();
  });
  if (typeof WebAssembly !== "object") throw new Error("this browser has no WebAssembly");
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
  progress("Starting Python (step 2 of 3)…");
  const pyodide = await Promise.race([loadPyodide({ indexURL: runtime }), instantiationFailure()]);
  progress("Loading the scoring engine (step 3 of 3)…");
  pyodide.FS.mkdirTree("/home/pyodide/selfcheck");
  pyodide.FS.writeFile("/home/pyodide/selfcheck/scoring.py", await engineSource);
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/selfcheck'); import scoring");
  browserScore = pyodide.pyimport("scoring").browser_score;
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
        reject(new Error("the WebAssembly runtime could not be loaded"));
      }
    };
  });
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "init") {
    try {
      await start(message);
      self.postMessage({ type: "ready" });
    } catch (error) {
      self.postMessage({ type: "failed", text: String((error && error.message) || error) });
    }
  } else if (message.type === "score" && browserScore) {
    try {
      const output = browserScore(message.check, message.answers);
      const [result, html] = output.toJs();
      output.destroy();
      self.postMessage({ type: "result", seq: message.seq, result, html });
    } catch (error) {
      self.postMessage({ type: "result", seq: message.seq, error: String((error && error.message) || error) });
    }
  }
};
