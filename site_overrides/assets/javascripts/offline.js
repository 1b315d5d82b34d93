/* Offline use: registers the service worker the build writes at the site root (its address is on
   this script's tag, relative to the page, so the site works under any base path) and tells it
   what to keep. A page the worker did not serve itself (the first one, opened before it was
   installed) is fetched again by it; on a check page, once Python has started, the runtime it
   started from is kept, so the check runs offline from then on. The worker and its messages:
   generator/service_worker.js. On My plan, every compiled check it may read is kept too. Without
   service workers (or when registering fails) the site works exactly as before, online. */
(function () {
  "use strict";

  var tag = document.currentScript;
  var address = tag && tag.getAttribute("data-service-worker");
  if (!address || !("serviceWorker" in navigator)) return;
  var container = navigator.serviceWorker;
  var script = new URL(address, location.href).href;

  function tell(message) {
    container.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage(message);
    });
  }

  function keepPage() {
    if (!container.controller) tell({ type: "keep-page", url: location.href.split("#")[0] });
  }

  function keepRuntime() {
    var form = document.querySelector("form[data-check], [data-plan]"); // a check, or My plan
    if (!form) return;
    function started() {
      var how = form.getAttribute("data-check-started");
      if (how) tell({ type: "keep-runtime", started: how });
      return Boolean(how);
    }
    if (started()) return;
    var observer = new MutationObserver(function () {
      if (started() || !form.isConnected) observer.disconnect();
    });
    observer.observe(form, { attributes: true, attributeFilter: ["data-check-started"] });
  }

  /* My plan reads each saved check's compiled check (checks/<id>/check.json): keep every one the
     caches lack, so the plan can be made offline whichever checks are answered by then. */
  function keepPlanChecks() {
    var plan = document.querySelector("[data-plan-checks]");
    if (!plan || !window.caches) return;
    var listed;
    try {
      listed = JSON.parse(plan.getAttribute("data-plan-checks"));
    } catch (error) {
      return;
    }
    listed.forEach(function (check) {
      var url = new URL(check.json, location.href).href;
      caches.match(url).then(function (kept) {
        if (!kept) tell({ type: "keep-page", url: url });
      }, function () {});
    });
  }

  function visited() {
    keepPage();
    keepRuntime();
    keepPlanChecks();
  }

  function register() {
    container.register(script, { updateViaCache: "none" }).then(
      function () {
        if (window.document$) window.document$.subscribe(visited);
        else visited();
      },
      function () { /* no offline copy; the site works online as before */ }
    );
  }

  /* Installing the worker downloads the shell and the search index (about 700 kB): on a check
     page opened first, that waits until Python has started (or failed to), so it never competes
     with the runtime's download on a slow connection. Elsewhere it starts once the page has loaded. */
  function whenTheCheckHasStarted(then) {
    var form = document.querySelector("form[data-check]");
    var settled = function () {
      var state = form && form.getAttribute("data-check-state");
      return !form || form.getAttribute("data-check-started") || state === "ready" || state === "error";
    };
    if (settled()) return then();
    var done = false;
    var go = function () {
      if (done) return;
      done = true;
      observer.disconnect();
      then();
    };
    var observer = new MutationObserver(function () {
      if (settled()) go();
    });
    observer.observe(form, { attributes: true, attributeFilter: ["data-check-started", "data-check-state"] });
    setTimeout(go, 60000); // whatever happens to the runtime, offline use is set up in the end
  }

  window.addEventListener("load", function () {
    whenTheCheckHasStarted(register);
  });
})();
