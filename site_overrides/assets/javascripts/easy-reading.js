/* "Easy reading": larger text, higher contrast and more line spacing, remembered in this
   browser. The choice is a class on <html> (set before paint by main.html); this adds the
   header button that switches it. Without JS the site reads normally and no button shows. */
(function () {
  "use strict";

  var KEY = "sme-easy-reading";
  var CLASS = "easy-reading";

  function remember(on) {
    try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode: not remembered */ }
  }

  function apply(button, on) {
    document.documentElement.classList.toggle(CLASS, on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.title = window.interfaceText(on ? "page.easy_reading_on" : "page.easy_reading_off");
  }

  function wire() {
    if (document.querySelector("[data-easy-reading-toggle]")) return;
    var header = document.querySelector(".md-header__inner");
    if (!header) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button easy-reading-toggle";
    button.setAttribute("data-easy-reading-toggle", "");
    button.innerHTML = '<span aria-hidden="true" class="easy-reading-toggle__icon">A+</span>' +
      '<span class="easy-reading-toggle__label"></span>';
    button.lastChild.textContent = window.interfaceText("page.easy_reading");
    apply(button, document.documentElement.classList.contains(CLASS));
    button.addEventListener("click", function () {
      var on = !document.documentElement.classList.contains(CLASS);
      apply(button, on);
      remember(on);
    });
    var search = header.querySelector('label[for="__search"]') || header.querySelector(".md-search");
    header.insertBefore(button, search);
  }

  if (window.document$) {
    window.document$.subscribe(wire);
  } else {
    document.addEventListener("DOMContentLoaded", wire);
  }
})();
