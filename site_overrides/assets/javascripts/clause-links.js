/* Copy-link buttons on clause permalinks. Without JS the permalink is an ordinary link. */
(function () {
  "use strict";

  function absolute(href) {
    return new URL(href, window.location.href).href;
  }

  function announce(link, text) {
    link.setAttribute("data-copied", text);
    window.setTimeout(function () { link.removeAttribute("data-copied"); }, 2000);
  }

  function wire(root) {
    root.querySelectorAll("a[data-copy-link]:not([data-copy-wired])").forEach(function (link) {
      link.setAttribute("data-copy-wired", "");
      link.addEventListener("click", function (event) {
        if (!navigator.clipboard) return;
        event.preventDefault();
        var url = absolute(link.getAttribute("href"));
        navigator.clipboard.writeText(url).then(
          function () { announce(link, "Link copied"); },
          function () { window.location.href = url; }
        );
      });
    });
  }

  if (window.document$) {
    window.document$.subscribe(function () { wire(document); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { wire(document); });
  }
})();
