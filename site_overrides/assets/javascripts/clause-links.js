/* Copy-link and share buttons: clause permalinks and the share kit. Without JS the permalink is
   an ordinary link and the share button stays hidden. With JS a copy link never navigates: it
   copies the address, or, where the clipboard is refused (some in-app browsers), shows the
   address selected in a read-only field to copy by hand. */
(function () {
  "use strict";

  /* The site's root as the reader reached it and as published: the page's address and its
     canonical address end in the same page path, and what precedes it is the root of each. */
  function roots(canonical) {
    var published = new URL(canonical);
    var seen = new URL(window.location.href);
    var a = published.pathname.split("/");
    var b = seen.pathname.split("/");
    while (a.length > 1 && b.length > 1 && a[a.length - 1] === b[b.length - 1]) {
      a.pop();
      b.pop();
    }
    return { published: published.origin + a.join("/") + "/", seen: seen.origin + b.join("/") + "/" };
  }

  function rebase(url, from, to) {
    return url.indexOf(from) === 0 ? to + url.slice(from.length) : url;
  }

  /* The address to hand out for a link: as the reader sees it when they are on the site's own
     host (the host of the page's canonical address; scheme and port as they use them), else the
     canonical one, so a copy made from a preview, a mirror or a saved page leads to the site.
     (The theme rewrites relative links to absolute ones on the reader's host, so both forms are
     mapped through the two roots.) */
  function shareable(href) {
    var canonical = document.querySelector('link[rel="canonical"]');
    var target = new URL(href, window.location.href).href;
    if (!canonical || !canonical.href) return target;
    var root = roots(canonical.href);
    var published = rebase(target, root.seen, root.published);
    if (new URL(root.published).hostname !== window.location.hostname) return published;
    return rebase(published, root.published, root.seen);
  }

  function announce(element, text) {
    element.setAttribute("data-copied", text);
    window.setTimeout(function () { element.removeAttribute("data-copied"); }, 2000);
  }

  function showField(link, url) {
    var field = link.nextElementSibling;
    if (!field || !field.hasAttribute("data-copy-field")) {
      field = document.createElement("input");
      field.type = "text";
      field.readOnly = true;
      field.className = "copy-field";
      field.setAttribute("data-copy-field", "");
      field.setAttribute("aria-label", window.interfaceText("page.copy_field"));
      link.insertAdjacentElement("afterend", field);
    }
    field.value = url;
    field.size = Math.min(url.length, 60);
    field.focus();
    field.select();
    announce(link, window.interfaceText("page.copy_selected"));
  }

  function wireCopy(link) {
    link.setAttribute("data-copy-wired", "");
    link.setAttribute("data-copy-label", window.interfaceText("page.copy_link"));
    link.addEventListener("click", function (event) {
      // Opening the link in a new tab or window stays the reader's choice.
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      event.stopPropagation(); // not a navigation, so not one for instant loading either
      var url = shareable(link.getAttribute("href"));
      if (!navigator.clipboard || typeof navigator.clipboard.writeText !== "function") {
        showField(link, url);
        return;
      }
      navigator.clipboard.writeText(url).then(
        function () { announce(link, window.interfaceText("page.link_copied")); },
        function () { showField(link, url); }
      );
    });
  }

  function wireShare(button) {
    button.setAttribute("data-share-wired", "");
    if (typeof navigator.share !== "function") return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = shareable(button.getAttribute("data-share-link"));
      // A reader closing the share sheet rejects the promise; that is no error to report.
      navigator.share({ title: document.title, url: url }).catch(function () { return undefined; });
    });
  }

  function wire(root) {
    root.querySelectorAll("a[data-copy-link]:not([data-copy-wired])").forEach(wireCopy);
    root.querySelectorAll("[data-share-link]:not([data-share-wired])").forEach(wireShare);
  }

  if (window.document$) {
    window.document$.subscribe(function () { wire(document); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { wire(document); });
  }
})();
