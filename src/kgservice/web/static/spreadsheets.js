// The spreadsheet page: check a workbook with a dry run, show its sheets with the cells in error
// highlighted and their messages beside them, then import it with the organisation's token.
"use strict";
(function () {
  const data = document.currentScript.dataset;
  const form = document.getElementById("sheet-form");
  const commit = document.getElementById("commit");
  const status = document.getElementById("status");
  const sheets = document.getElementById("sheets");
  const other = data.lang === "th" ? "en" : "th";

  function send(dryRun) {
    const file = document.getElementById("file").files[0];
    const org = document.getElementById("org").value.trim();
    const query = dryRun ? "?dry-run=true&preview=true" : "?preview=true";
    const type = file.name.toLowerCase().endsWith(".csv") ? "text/csv" :
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    return fetch("/spreadsheets/" + encodeURIComponent(org) + query, {
      method: "POST",
      headers: {
        "Authorization": "Bearer " + document.getElementById("token").value.trim(),
        "Content-Type": type,
        "Accept": "application/json",
        "Accept-Language": data.lang,
      },
      body: file,
    }).then(function (answer) { return answer.json(); });
  }

  function message(result) {
    return result.message[data.lang] + " / " + result.message[other];
  }

  function letter(index) {
    let name = "";
    for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
      name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    }
    return name;
  }

  function table(sheet, results) {
    const at = new Map(results.map(function (r) { return [r.row + ":" + r.column, r]; }));
    const width = Math.max(0, ...sheet.rows.map(function (r) { return r.length; }));
    const grid = document.createElement("table");
    grid.className = "sheet-grid";
    const head = grid.createTHead().insertRow();
    head.appendChild(document.createElement("th"));
    for (let c = 0; c < width; c++) {
      const th = document.createElement("th");
      th.textContent = letter(c);
      head.appendChild(th);
    }
    const body = grid.createTBody();
    sheet.rows.forEach(function (row, r) {
      const tr = body.insertRow();
      const number = document.createElement("th");
      number.textContent = String(r + 1);
      tr.appendChild(number);
      for (let c = 0; c < width; c++) {
        const td = tr.insertCell();
        td.textContent = row[c] || "";
        const found = at.get((r + 1) + ":" + letter(c));
        if (found) {
          td.className = found.severity === "Violation" ? "cell-error" : "cell-warning";
          td.title = message(found);
          td.id = "cell-" + sheet.name + "-" + letter(c) + (r + 1);
        }
      }
    });
    return grid;
  }

  function messages(results) {
    const list = document.createElement("ol");
    list.className = "sheet-messages";
    results.forEach(function (r) {
      const item = document.createElement("li");
      item.className = r.severity === "Violation" ? "cell-error" : "cell-warning";
      const where = r.row ? r.column + r.row : "";
      item.textContent = (where ? where + ": " : "") + "[" + r.rule + "] " + message(r);
      list.appendChild(item);
    });
    return list;
  }

  function show(report) {
    sheets.replaceChildren();
    const results = report.results || [];
    (report.sheets || []).forEach(function (sheet) {
      const mine = results.filter(function (r) { return r.sheet === sheet.name; });
      const section = document.createElement("section");
      section.className = "sheet";
      const title = document.createElement("h2");
      title.textContent = sheet.name;
      const side = document.createElement("div");
      side.className = "sheet-side";
      const scroll = document.createElement("div");
      scroll.className = "sheet-scroll";
      scroll.appendChild(table(sheet, mine));
      side.append(scroll, messages(mine));
      section.append(title, side);
      sheets.appendChild(section);
    });
    const first = sheets.querySelector("td.cell-error");
    if (first) first.scrollIntoView({block: "center", inline: "center"});
    const loose = results.filter(function (r) { return !r.sheet; });
    if (loose.length) {
      const title = document.createElement("h2");
      title.textContent = data.other;
      sheets.append(title, messages(loose));
    }
  }

  function answered(report, dryRun) {
    if (!("conforms" in report)) {  // an error of the request itself: token, file type, size
      status.textContent = report.message || report.error;
      status.className = "status error";
      commit.disabled = true;
      return;
    }
    show(report);
    const counted = " (" + report.triples + " " + data.triples + ")";
    if (report.committed) status.textContent = data.committed + counted;
    else status.textContent = (report.conforms ? data.conforms : data.errors) + counted;
    status.className = report.conforms ? "status" : "status error";
    commit.disabled = !(dryRun && report.conforms);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    status.textContent = data.checking;
    status.className = "status";
    send(true).then(function (report) { answered(report, true); });
  });
  commit.addEventListener("click", function () {
    commit.disabled = true;
    send(false).then(function (report) { answered(report, false); });
  });
  document.getElementById("file").addEventListener("change", function () {
    commit.disabled = true;
  });
})();
