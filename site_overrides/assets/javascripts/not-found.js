/* The 404 page: for an address under cases/ that names no case, offer the nearest case ids (a
   QR code or link typed by hand, or cut short). The case list is in data-not-found-cases. */
(function () {
  "use strict";
  var root = document.querySelector("[data-not-found-cases]");
  var hint = document.querySelector("[data-not-found-nearest]");
  if (!root || !hint || root.hasAttribute("data-not-found-wired")) return;
  root.setAttribute("data-not-found-wired", "");
  var base = new URL(root.getAttribute("data-not-found-base") || "/", location.href).pathname;
  var path = location.pathname;
  if (path.indexOf(base) !== 0) return;
  var match = /^cases\/([^/]+)/.exec(decodeURIComponent(path.slice(base.length)).toLowerCase());
  if (!match) return;
  var wanted = match[1].replace(/\.html?$/, "");
  var cases;
  try {
    cases = JSON.parse(root.getAttribute("data-not-found-cases"));
  } catch (error) {
    return;
  }

  /* Edit distance (insertions, deletions, substitutions), one row at a time. */
  function distance(a, b) {
    var previous = [];
    for (var j = 0; j <= b.length; j += 1) previous.push(j);
    for (var i = 1; i <= a.length; i += 1) {
      var current = [i];
      for (var k = 1; k <= b.length; k += 1) {
        current.push(Math.min(previous[k] + 1, current[k - 1] + 1, previous[k - 1] + (a[i - 1] === b[k - 1] ? 0 : 1)));
      }
      previous = current;
    }
    return previous[b.length];
  }

  var limit = Math.max(2, Math.floor(wanted.length / 3));
  var nearest = cases
    .map(function (item) {
      var cut = wanted.length >= 4 && item.id.indexOf(wanted) === 0; // an address cut short
      return { item: item, score: cut ? 0 : distance(wanted, item.id) };
    })
    .filter(function (entry) { return entry.score <= limit; })
    .sort(function (a, b) { return a.score - b.score || (a.item.id < b.item.id ? -1 : 1); })
    .slice(0, 3);
  if (!nearest.length) return;
  hint.textContent = window.interfaceText("notfound.nearest", { count: nearest.length }) + " ";
  nearest.forEach(function (entry, index) {
    var link = document.createElement("a");
    link.href = new URL(entry.item.path, new URL(base, location.href)).href;
    link.textContent = entry.item.title;
    link.setAttribute("data-not-found-case", entry.item.id);
    if (index) hint.appendChild(document.createTextNode(" · "));
    hint.appendChild(link);
  });
  hint.hidden = false;
})();
