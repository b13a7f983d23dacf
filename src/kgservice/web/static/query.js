// The query page: run the textarea's SPARQL against /sparql and show the rows as a table.
"use strict";
(function () {
  const form = document.getElementById("query-form");
  const editor = document.getElementById("sparql");
  const examples = document.getElementById("examples");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const rowsWord = document.currentScript.dataset.rows;
  const base = document.currentScript.dataset.base;
  const ontology = "https://w3id.org/thaiplan/ontology#";

  // Data IRIs open their own page here; ontology terms their documentation. Other IRIs are
  // links only with a scheme that cannot run script in this page (lod/links.py does the same).
  const linkable = /^(https?|mailto):/i;
  function link(iri) {
    if (iri.startsWith(base)) {
      // Encoded as the pages encode it, so that a "%", "?" or "#" in the IRI survives the trip.
      const path = iri.slice(base.length);
      return ["/id/" + path.split("/").map(encodeURIComponent).join("/"), path];
    }
    if (iri.startsWith(ontology)) {
      const term = iri.slice(ontology.length);
      return ["/ontology#" + term, "tp:" + term];
    }
    return [linkable.test(iri) ? iri : null, iri];
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const [href, text] = link(term.value);
      const shown = document.createElement(href ? "a" : "span");
      if (href) shown.href = href;
      shown.textContent = text;
      shown.title = term.value;
      td.className = "iri-cell";
      td.appendChild(shown);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.lang = term["xml:lang"];
    }
    return td;
  }

  function table(data) {
    const vars = data.head.vars || [];
    const t = document.createElement("table");
    const head = t.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const binding of data.results.bindings) {
      const tr = body.insertRow();
      for (const v of vars) tr.appendChild(cell(binding[v]));
    }
    return t;
  }

  async function run(event) {
    if (event) event.preventDefault();
    status.className = "status";
    status.textContent = "…";
    results.replaceChildren();
    const response = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json",
      },
      body: editor.value,
    });
    if (!response.ok) {
      status.className = "status error";
      status.textContent = response.status + ": " + (await response.text());
      return;
    }
    const data = await response.json();
    if (typeof data.boolean === "boolean") {
      status.textContent = String(data.boolean);
      return;
    }
    results.appendChild(table(data));
    status.textContent = data.results.bindings.length + " " + rowsWord;
  }

  form.addEventListener("submit", run);
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(event);
  });
  examples.addEventListener("change", function () {
    const template = document.getElementById("example-" + examples.value);
    if (template) editor.value = template.content.textContent;
  });
})();
