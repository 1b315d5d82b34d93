/* Interface texts for the site's scripts, in the page's language: main.html writes the texts the
   page's scripts use into data-interface-texts (generator/interface_texts.py), as data, never code.
   The element is read again when instant navigation brings a page with another one. Texts hold
   {name} placeholders; a text with plural forms ({one, other}) is picked by Intl.PluralRules and its
   {count} written by Intl.NumberFormat, both in the language of <html lang>. */
(function () {
  "use strict";

  var source = null;
  var texts = {};

  function current() {
    var element = document.querySelector("[data-interface-texts]");
    if (element && element !== source) {
      source = element;
      try {
        texts = JSON.parse(element.getAttribute("data-interface-texts")) || {};
      } catch (error) {
        texts = {};
      }
    }
    return texts;
  }

  function language() {
    return document.documentElement.lang || "en";
  }

  function number(value) {
    try {
      return new Intl.NumberFormat(language()).format(value);
    } catch (error) {
      return String(value);
    }
  }

  /* A moment (a Date) as the page's language writes a date and time. */
  function dateTime(value) {
    try {
      return new Intl.DateTimeFormat(language(), { dateStyle: "long", timeStyle: "short" }).format(value);
    } catch (error) {
      return value.toLocaleString();
    }
  }

  /* The text under key ("checks.progress") with its placeholders filled from values; values.count
     picks the plural form. A missing key shows as the key, so it is seen and reported. */
  function text(key, values) {
    values = values || {};
    var entry = current()[key];
    if (entry === undefined) {
      if (window.console) console.warn("Interface text missing: " + key);
      return key;
    }
    var filled = {};
    Object.keys(values).forEach(function (name) { filled[name] = values[name]; });
    if (typeof values.count === "number") {
      filled.count = number(values.count);
      if (typeof entry === "object") {
        var form = "other";
        try {
          form = new Intl.PluralRules(language()).select(values.count);
        } catch (error) {
          form = values.count === 1 ? "one" : "other";
        }
        entry = entry[form] || entry.other;
      }
    } else if (typeof entry === "object") {
      entry = entry.other;
    }
    return String(entry).replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(filled, name) ? String(filled[name]) : whole;
    });
  }

  text.number = number;
  text.dateTime = dateTime;
  window.interfaceText = text;
})();
