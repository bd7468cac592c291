"use strict";
// Sorting, search and the feedback rows of the student table. It reads only the table itself (cells'
// data-sort, each <tbody>'s data-student): no student text is ever part of this script.
(function () {
  const table = document.getElementById("students");
  const search = document.getElementById("search");
  const shown = document.getElementById("shown");
  const headers = Array.from(table.tHead.rows[0].cells);

  function key(body, column, numeric) {
    const value = body.rows[0].cells[column].dataset.sort;
    if (!numeric) return value;
    const number = parseFloat(value);
    return Number.isNaN(number) ? -Infinity : number;  // an ungraded stage sorts below 0
  }

  function compare(x, y, numeric) {
    return numeric ? x - y : x.localeCompare(y);
  }

  headers.forEach(function (header, column) {
    header.querySelector("button").addEventListener("click", function () {
      const numeric = header.dataset.type === "number";
      const direction = header.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      const bodies = Array.from(table.tBodies);
      bodies.sort(function (a, b) {
        return direction * compare(key(a, column, numeric), key(b, column, numeric), numeric)
          || a.dataset.student.localeCompare(b.dataset.student);
      });
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
      bodies.forEach(function (body) { table.appendChild(body); });
    });
  });

  function filter() {
    const query = search.value.trim().toLowerCase();
    let count = 0;
    Array.from(table.tBodies).forEach(function (body) {
      body.hidden = !body.dataset.student.toLowerCase().includes(query);
      count += body.hidden ? 0 : 1;
    });
    shown.textContent = count + " of " + table.tBodies.length + " students";
  }
  search.addEventListener("input", filter);
  filter();

  table.addEventListener("click", function (event) {
    const button = event.target.closest("button.student");
    if (!button) return;
    const panel = document.getElementById(button.getAttribute("aria-controls"));
    panel.hidden = !panel.hidden;
    button.setAttribute("aria-expanded", String(!panel.hidden));
  });
})();
