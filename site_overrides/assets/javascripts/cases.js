/* Case index filter. Without JS the form stays hidden and every case is listed, with
   links to each area's cases and to each campaign's QR sheet. The filter reads
   ?area=…&q=… so campaigns can link to a filtered list, and keeps the address in step with
   what is shown. ?set=<campaign id> shows only that campaign's cases, in its order, under its
   heading: the generator writes each campaign's heading (hidden, escaped at build time) with its
   case ids in data-case-set-cases; this script only shows, hides and reorders. An id that names
   no campaign shows a notice and every case. */
(function () {
  "use strict";

  var text = window.interfaceText;
  var NAME_SHOWN = 80; /* characters of an unknown set id repeated in the notice */

  function matches(card, area, words) {
    if (area && card.getAttribute("data-areas").split(" ").indexOf(area) < 0) return false;
    if (!words) return true;
    var haystack = (card.getAttribute("data-keywords") + " " + card.textContent).toLowerCase();
    return words.split(/\s+/).every(function (word) { return haystack.indexOf(word) >= 0; });
  }

  function campaigns(root) {
    var found = new Map();
    root.querySelectorAll("[data-case-set]").forEach(function (section) {
      var ids = (section.getAttribute("data-case-set-cases") || "").split(" ").filter(Boolean);
      found.set(section.getAttribute("data-case-set"), { section: section, cases: ids });
    });
    return found;
  }

  function wire(root) {
    var form = root.querySelector("form[data-case-filter]:not([data-case-wired])");
    var list = root.querySelector("[data-case-list]");
    if (!form || !list) return;
    form.setAttribute("data-case-wired", "");
    var cards = Array.prototype.slice.call(list.querySelectorAll(".case-card"));
    var byId = new Map(cards.map(function (card) { return [card.getAttribute("data-case"), card]; }));
    var count = form.querySelector("[data-case-count]");
    var empty = root.querySelector("[data-case-empty]");
    var sets = campaigns(root);
    var unknown = root.querySelector("[data-case-set-unknown]");
    var params = new URLSearchParams(window.location.search);
    form.elements.area.value = params.get("area") || "";
    if (form.elements.area.value !== (params.get("area") || "")) form.elements.area.value = "";
    form.elements.q.value = params.get("q") || "";

    var active = null; /* the campaign shown, from ?set= */
    var requested = (params.get("set") || "").trim();
    if (requested && sets.has(requested)) {
      active = sets.get(requested);
      active.id = requested;
    } else if (requested && unknown) {
      var name = unknown.querySelector("[data-case-set-name]");
      if (name) name.textContent = requested.length > NAME_SHOWN ? requested.slice(0, NAME_SHOWN) + "…" : requested;
      unknown.hidden = false;
    }

    function showCampaign(campaign) {
      sets.forEach(function (each) { each.section.hidden = each !== campaign; });
      /* The campaign's cases first, in its order; the others keep the index's order after them. */
      var order = campaign
        ? campaign.cases.map(function (id) { return byId.get(id); }).filter(Boolean)
        : [];
      cards.forEach(function (card) { if (order.indexOf(card) < 0) order.push(card); });
      order.forEach(function (card) { list.appendChild(card); });
    }

    function apply() {
      var area = form.elements.area.value;
      var words = form.elements.q.value.trim().toLowerCase();
      var pool = active ? active.cases.filter(function (id) { return byId.has(id); }).length : cards.length;
      var shown = 0;
      cards.forEach(function (card) {
        var inSet = !active || active.cases.indexOf(card.getAttribute("data-case")) >= 0;
        var show = inSet && matches(card, area, words);
        card.hidden = !show;
        if (show) shown += 1;
      });
      if (active) {
        count.textContent = text(shown === pool ? "page.campaign_all" : "page.campaign_some",
          { count: pool, shown: text.number(shown) });
      } else {
        count.textContent = text(shown === cards.length ? "page.cases_all" : "page.cases_some",
          { count: cards.length, shown: text.number(shown) });
      }
      if (empty) empty.hidden = shown > 0;
      var query = new URLSearchParams();
      if (active) query.set("set", active.id);
      if (area) query.set("area", area);
      if (words) query.set("q", form.elements.q.value.trim());
      var search = query.toString();
      window.history.replaceState(window.history.state, "",
        window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    root.querySelectorAll("[data-case-set-clear]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        active = null;
        showCampaign(null);
        apply();
        form.elements.area.focus();
      });
    });
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.hidden = false;
    showCampaign(active);
    apply();
  }

  if (window.document$) {
    window.document$.subscribe(function () { wire(document); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { wire(document); });
  }
})();
