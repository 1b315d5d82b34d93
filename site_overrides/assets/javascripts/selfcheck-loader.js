/* Inlined by main.html: on check pages also in <head>, before the stylesheets, with the runtime
   addresses on its <script> tag, so downloading and compiling Python starts while the rest of
   the page arrives; on every page at the end of <body>, where it loads selfcheck.js if the page
   has a check form (and, on instant navigation, starts the worker then). Pages without a check
   fetch none of the runtime. data-check-snapshot, on the form and the <head> tag, is the memory
   snapshot's address (absent when the site ships none). */
(function () {
  "use strict";

  function startWorker(urls) {
    if (window.selfCheckRuntime) return;
    var runtime = { worker: null, early: [], failure: null };
    window.selfCheckRuntime = runtime;
    try {
      runtime.worker = new Worker(new URL(urls.checkWorker, location.href), { type: "module" });
      runtime.worker.onmessage = function (event) { runtime.early.push(event.data); };
      runtime.worker.onerror = function (event) {
        event.preventDefault();
        runtime.failure = event.message || "the scoring worker could not start";
      };
      runtime.worker.postMessage({
        type: "init",
        runtime: new URL(urls.checkRuntime, location.href).href,
        engine: new URL(urls.checkEngine, location.href).href,
        snapshot: urls.checkSnapshot ? new URL(urls.checkSnapshot, location.href).href : null
      });
    } catch (error) {
      runtime.failure = String((error && error.message) || error);
    }
  }

  function start() {
    var form = document.querySelector("form[data-check]");
    if (!form) return;
    startWorker(form.dataset);
    if (window.selfCheckScript) return;
    window.selfCheckScript = true;
    var script = document.createElement("script");
    script.type = "module";
    script.src = new URL(form.dataset.checkScript, location.href).href;
    document.head.appendChild(script);
  }

  var tag = document.currentScript;
  if (tag && tag.dataset.checkWorker) {
    startWorker(tag.dataset);
    return;
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
