/* Loads the self-check script only on pages that have a check form, so other pages fetch
   none of the scoring runtime. Runs on every page change of instant navigation. */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var loaded = false;

  function maybeLoad() {
    if (loaded || !here || !document.querySelector("form[data-check]")) return;
    loaded = true;
    var script = document.createElement("script");
    script.type = "module";
    script.src = new URL("selfcheck.js", here).href;
    document.head.appendChild(script);
  }

  if (window.document$) {
    window.document$.subscribe(maybeLoad);
  } else {
    document.addEventListener("DOMContentLoaded", maybeLoad);
  }
})();
