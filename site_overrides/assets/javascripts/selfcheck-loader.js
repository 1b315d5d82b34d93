/* Inlined by main.html: on check pages also in <head>, before the stylesheets, with the runtime
   addresses on its <script> tag, so the worker starts while the rest of the page arrives (its
   downloads begin at the page's first paint); on every page at the end of <body>, where it loads selfcheck.js if the page
   has a check form (and, on instant navigation, starts the worker then). Pages without a check
   fetch none of the runtime. data-check-snapshot, on the form and the <head> tag, is the memory
   snapshot's address (absent when the site ships none); data-check-key, on the <head> tag, is the
   check's localStorage key, read to hide follow-up questions before the first paint. */
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
        runtime.failure = event.message || ""; // "": selfcheck.js says it in the page's language
      };
      var init = {
        type: "init",
        runtime: new URL(urls.checkRuntime, location.href).href,
        engine: new URL(urls.checkEngine, location.href).href,
        snapshot: urls.checkSnapshot ? new URL(urls.checkSnapshot, location.href).href : null
      };
      afterFirstPaint(function () { runtime.worker.postMessage(init); });
    } catch (error) {
      runtime.failure = String((error && error.message) || error);
    }
  }

  /* The worker (a small script) starts at once; its megabytes of downloads wait for the page's
     first paint, so they do not hold up the page's own stylesheets and scripts. */
  function afterFirstPaint(callback) {
    var called = false;
    function call() {
      if (called) return;
      called = true;
      callback();
    }
    try {
      if (performance.getEntriesByType("paint").length) return call();
      new PerformanceObserver(function (list, observer) {
        observer.disconnect();
        call();
      }).observe({ type: "paint", buffered: true });
    } catch (error) {
      return call();
    }
    // A background tab does not paint: start at once. A visible one waits for its paint, which a
    // slow or busy device can take well over a second to make; 5 s only bounds a paint never reported.
    setTimeout(call, document.visibilityState === "hidden" ? 0 : 5000);
  }

  /* Follow-up questions (li[data-show-if]) whose condition the saved answers cannot meet are
     hidden before the first paint, by a style rule that holds until selfcheck.js wires the form
     (it then decides, and the engine's result has the last word). Without JavaScript there is no
     rule, so every question shows. Only "question=option" words of ids' characters reach the rule. */
  var MAX_SAVED_CHARS = 256 * 1024;
  function hideFollowUps(key) {
    var kept = "";
    try {
      var raw = localStorage.getItem(key);
      var answers = raw && raw.length <= MAX_SAVED_CHARS ? JSON.parse(raw).answers : null;
      if (answers && typeof answers === "object") {
        Object.keys(answers).forEach(function (question) {
          var word = question + "=" + answers[question];
          if (/^[a-z0-9-]+=[a-z0-9-]+$/.test(word)) kept += ':not([data-show-when~="' + word + '"])';
        });
      }
    } catch (error) {
      kept = ""; // storage blocked or damaged: no saved answer shows a follow-up
    }
    var style = document.querySelector("style[data-check-follow-ups]");
    if (!style) {
      style = document.createElement("style");
      style.setAttribute("data-check-follow-ups", "");
      document.head.appendChild(style);
    }
    // A follow-up whose condition holds with no answer (data-show-first: a "not") is never hidden here.
    style.textContent = "form[data-check]:not([data-check-wired]) li[data-show-if]:not([data-show-first])" + kept +
      "{display:none}";
  }

  /* Try again after a failure: a new worker from the same addresses (selfcheck.js has ended the old one). */
  window.selfCheckRestart = function (urls) {
    window.selfCheckRuntime = null;
    startWorker(urls);
    return window.selfCheckRuntime;
  };

  function start() {
    var form = document.querySelector("form[data-check], [data-plan]"); // a check, or My plan
    if (!form) return;
    if (!form.hasAttribute("data-check-wired")) {
      hideFollowUps("selfcheck:" + form.dataset.check + ":v" + form.dataset.checkVersion);
    }
    startWorker(form.dataset);
    if (window.selfCheckScript) return;
    window.selfCheckScript = true;
    var script = document.createElement("script");
    script.type = "module";
    script.src = new URL(form.dataset.checkScript, location.href).href;
    document.head.appendChild(script);
  }

  /* Material's search worker indexes the whole site as a page opens (about 0.4 s of CPU on a
     laptop, seconds on a phone; on a check page, on the CPUs Python needs to start), whether or not
     the reader searches. Its creation waits for the reader's first sign of searching: focus in the
     search box (a click, or the "/", "s" and "f" keys), the search button on a phone, or a ?q=
     address. Messages sent to it meanwhile (the index) are queued and delivered then. */
  var SEARCH_INTENT_EVENTS = ["focusin", "change", "pointerdown"];
  function searchOnDemand() {
    if (window.searchOnDemand || typeof EventTarget !== "function") return;
    window.searchOnDemand = true;
    var RealWorker = window.Worker;
    var released = false;
    var waiting = [];
    function release() {
      if (released) return;
      released = true;
      window.Worker = RealWorker;
      SEARCH_INTENT_EVENTS.forEach(function (type) { document.removeEventListener(type, onIntent, true); });
      waiting.splice(0).forEach(function (create) { create(); });
    }
    function onIntent(event) {
      var target = event.target;
      if (target && target.closest && target.closest(".md-search__input, #__search, label[for='__search']")) release();
    }
    SEARCH_INTENT_EVENTS.forEach(function (type) { document.addEventListener(type, onIntent, true); });
    if (/[?&]q=/.test(location.search)) release();
    // The index itself (hundreds of kilobytes) is requested by the theme as the page loads, to
    // hand to the worker: its request is held back too, so a reader who never searches never
    // downloads it. (The theme requests it with XMLHttpRequest.)
    var indexRequests = new WeakSet();
    var open = XMLHttpRequest.prototype.open;
    var send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.open = function (method, url) {
      if (String(url).indexOf("search/search_index.json") >= 0) indexRequests.add(this);
      return open.apply(this, arguments);
    };
    XMLHttpRequest.prototype.send = function () {
      var request = this;
      var args = arguments;
      if (released || !indexRequests.has(request)) return send.apply(request, args);
      waiting.push(function () { send.apply(request, args); });
    };
    window.Worker = function (url, options) {
      if (released || String(url).indexOf("/workers/search") < 0) return new RealWorker(url, options);
      var standIn = new EventTarget();
      var queue = [];
      var real = null;
      standIn.postMessage = function (message) {
        if (real) real.postMessage(message);
        else if (queue) queue.push(message);
      };
      standIn.terminate = function () {
        if (real) real.terminate();
        queue = null;
      };
      waiting.push(function () {
        if (!queue) return;
        real = new RealWorker(url, options);
        real.addEventListener("message", function (event) {
          standIn.dispatchEvent(new MessageEvent("message", { data: event.data }));
        });
        queue.splice(0).forEach(function (message) { real.postMessage(message); });
      });
      return standIn;
    };
  }

  var tag = document.currentScript;
  if (tag && tag.dataset.checkWorker) {
    if (tag.dataset.checkKey) hideFollowUps(tag.dataset.checkKey);
    startWorker(tag.dataset);
    searchOnDemand();
    return;
  }
  searchOnDemand();
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
