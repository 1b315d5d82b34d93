/* Names for the two ARIA widgets Material creates without one (axe: aria-dialog-name,
   aria-progressbar-name): the search dialog and the instant-navigation progress bar. */
(function () {
  "use strict";

  var NAMES = [
    [".md-search[role='dialog']", "search.dialog"],
    [".md-progress[role='progressbar']", "page.loading_page"]
  ];

  function name(root) {
    NAMES.forEach(function (pair) {
      root.querySelectorAll(pair[0] + ":not([aria-label])").forEach(function (element) {
        element.setAttribute("aria-label", window.interfaceText(pair[1]));
      });
    });
  }

  name(document);
  /* The progress bar is added and removed on every instant navigation. */
  new MutationObserver(function () { name(document); }).observe(document.body, { childList: true, subtree: true });
})();
