// Suggestions under every search box, from /search/suggest as one types. No inline script:
// the pages' Content-Security-Policy allows only files from this site.
"use strict";
(function () {
  const script = document.currentScript;
  const base = script ? script.dataset.base || "" : "";
  const lang = script ? script.dataset.lang || "" : "";

  function pageOf(iri) {
    if (base && iri.startsWith(base)) {
      const path = "/id/" + iri.slice(base.length);
      return lang ? path + "?lang=" + encodeURIComponent(lang) : path;
    }
    return null;
  }

  function show(list, input, suggestions) {
    list.replaceChildren();
    for (const s of suggestions) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      const page = pageOf(s.iri);
      link.href = page || "/search?q=" + encodeURIComponent(s.label);
      link.textContent = s.label;
      item.appendChild(link);
      list.appendChild(item);
    }
    list.hidden = suggestions.length === 0;
  }

  function attach(input) {
    const list = document.createElement("ul");
    list.className = "suggestions";
    list.hidden = true;
    input.setAttribute("autocomplete", "off");
    input.insertAdjacentElement("afterend", list);
    let timer = null;
    let asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(async function () {
        const text = input.value.trim();
        if (!text) {
          show(list, input, []);
          return;
        }
        asked = text;
        const answer = await fetch("/search/suggest?q=" + encodeURIComponent(text));
        if (asked !== text) return; // a later keystroke asked again meanwhile
        show(list, input, answer.ok ? (await answer.json()).suggestions : []);
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") show(list, input, []);
    });
  }

  for (const input of document.querySelectorAll('form.search input[name="q"]')) attach(input);
})();
