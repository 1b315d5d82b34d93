/* The theme's search runs a query on each keyup in the search box. Text that arrives without one
   (a Chinese or Japanese input method's committed words, a paste from the menu, dictation) was
   not searched, and the box kept saying "Type to start searching" over a query that was there.
   Each such input is passed on as a keyup; the theme skips a query it has already run. */
(function () {
  "use strict";

  var pending = false;

  function searchAgain(event) {
    var input = event.target;
    if (!input || !input.classList || !input.classList.contains("md-search__input")) return;
    if (event.isComposing || pending) return; // the input method is still composing
    pending = true;
    window.setTimeout(function () {
      pending = false;
      input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    }, 0);
  }

  document.addEventListener("input", searchAgain, true);
  document.addEventListener("compositionend", searchAgain, true);
})();
