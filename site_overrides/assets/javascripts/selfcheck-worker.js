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
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
  progress("Starting Python (step 2 of 3)…");
  const pyodide = await loadPyodide({ indexURL: runtime });
  progress("Loading the scoring engine (step 3 of 3)…");
  pyodide.FS.mkdirTree("/home/pyodide/selfcheck");
  pyodide.FS.writeFile("/home/pyodide/selfcheck/scoring.py", await engineSource);
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/selfcheck'); import scoring");
  browserScore = pyodide.pyimport("scoring").browser_score;
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
