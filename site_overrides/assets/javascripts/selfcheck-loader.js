/* Inlined by main.html into every page before Material's bundle (about 1 KB). On a page with
   a self-check form it starts the scoring worker at once, so downloading and compiling Python
   begins before any other script has loaded, then loads selfcheck.js to wire the form. Pages
   without a check fetch none of the runtime. Re-checked on every instant-navigation change. */
(function () {
  "use strict";
  function start() {
    var form = document.querySelector("form[data-check]");
    if (!form || window.selfCheckRuntime) return;
    var runtime = { worker: null, early: [], failure: null };
    window.selfCheckRuntime = runtime;
    try {
      runtime.worker = new Worker(new URL(form.dataset.checkWorker, location.href), { type: "module" });
      runtime.worker.onmessage = function (event) { runtime.early.push(event.data); };
      runtime.worker.onerror = function (event) {
        event.preventDefault();
        runtime.failure = event.message || "the scoring worker could not start";
      };
      runtime.worker.postMessage({
        type: "init",
        runtime: new URL(form.dataset.checkRuntime, location.href).href,
        engine: new URL(form.dataset.checkEngine, location.href).href
      });
    } catch (error) {
      runtime.failure = String((error && error.message) || error);
    }
    var script = document.createElement("script");
    script.type = "module";
    script.src = new URL(form.dataset.checkScript, location.href).href;
    document.head.appendChild(script);
  }

  start();
  function follow() {
    if (window.document$) window.document$.subscribe(start);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", follow);
  } else {
    follow();
  }
})();
