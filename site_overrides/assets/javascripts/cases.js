/* Case index filter. Without JS the form stays hidden and every case is listed, with
   links to each area's cases. The filter reads ?area=…&q=… so campaigns can link to a
   filtered list, and keeps the address in step with what is shown. */
(function () {
  "use strict";

  function matches(card, area, words) {
    if (area && card.getAttribute("data-areas").split(" ").indexOf(area) < 0) return false;
    if (!words) return true;
    var haystack = (card.getAttribute("data-keywords") + " " + card.textContent).toLowerCase();
    return words.split(/\s+/).every(function (word) { return haystack.indexOf(word) >= 0; });
  }

  function wire(root) {
    var form = root.querySelector("form[data-case-filter]:not([data-case-wired])");
    var list = root.querySelector("[data-case-list]");
    if (!form || !list) return;
    form.setAttribute("data-case-wired", "");
    var cards = Array.prototype.slice.call(list.querySelectorAll(".case-card"));
    var count = form.querySelector("[data-case-count]");
    var empty = root.querySelector("[data-case-empty]");
    var params = new URLSearchParams(window.location.search);
    form.elements.area.value = params.get("area") || "";
    if (form.elements.area.value !== (params.get("area") || "")) form.elements.area.value = "";
    form.elements.q.value = params.get("q") || "";

    function apply() {
      var area = form.elements.area.value;
      var words = form.elements.q.value.trim().toLowerCase();
      var shown = 0;
      cards.forEach(function (card) {
        var show = matches(card, area, words);
        card.hidden = !show;
        if (show) shown += 1;
      });
      count.textContent = shown === cards.length
        ? "Showing all " + cards.length + " cases"
        : "Showing " + shown + " of " + cards.length + " cases";
      if (empty) empty.hidden = shown > 0;
      var query = new URLSearchParams();
      if (area) query.set("area", area);
      if (words) query.set("q", form.elements.q.value.trim());
      var search = query.toString();
      window.history.replaceState(window.history.state, "",
        window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.hidden = false;
    apply();
  }

  if (window.document$) {
    window.document$.subscribe(function () { wire(document); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { wire(document); });
  }
})();
