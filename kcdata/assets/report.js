// kcdata browser report: search, filters and sorting over tables already in the page.
// The page is complete without this script; it only shows the controls and hides rows.
// Document text is never turned into markup here: only textContent, dataset and hidden.
"use strict";
(function () {
  // The query is folded as kcdata.text.fold_key folds the listings' keys (kcdata search's
  // rule): NFKC, case, katakana as hiragana, and white space removed except one space
  // between two ASCII letters or digits. WHITE is what Python's str.isspace() knows.
  const WHITE = /__WHITE_SPACE__+/gu;
  const isWord = (c) => c !== undefined && /[0-9a-z]/.test(c);
  const KATAKANA = /[\u30A1-\u30F6\u30FD\u30FE]/gu;
  const CASEFOLD = __CASEFOLD__; // where Python's casefold() is not lower(): ß -> ss
  function foldKey(s) {
    const folded = Array.from(s.normalize("NFKC"), (c) => CASEFOLD[c] ?? c.toLowerCase()).join("")
      .replace(KATAKANA, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
    return folded.replace(WHITE, (run, at) =>
      isWord(folded[at - 1]) && isWord(folded[at + run.length]) ? " " : "");
  }
  // A match counts at ASCII word bounds only, as kcdata.text.at_word_bounds says.
  function found(key, q) {
    for (let i = key.indexOf(q); i !== -1; i = key.indexOf(q, i + 1)) {
      const end = i + q.length;
      if (isWord(q[0]) && isWord(key[i - 1])) continue;
      if (isWord(q[q.length - 1]) && isWord(key[end])) continue;
      return true;
    }
    return false;
  }

  const table = document.getElementById("listing-table");
  const controls = document.getElementById("listing-controls");
  if (!table || !controls) return;
  const rows = Array.from(table.tBodies[0].rows);
  const query = document.getElementById("filter-query");
  const policy = document.getElementById("filter-policy");
  const direction = document.getElementById("filter-direction");
  const department = document.getElementById("filter-department");
  const relisted = document.getElementById("filter-relisted");
  const reset = document.getElementById("filter-reset");
  const status = document.getElementById("listing-status");
  const total = Number(table.dataset.listings || rows.length); // the plan's, on the page or not

  function chosenLabel(select) {
    return select.value ? select.selectedOptions[0].textContent : "";
  }

  function apply() {
    const q = foldKey(query.value);
    const p = policy.value;
    const d = direction.value;
    const dep = department.value;
    const withRelisted = relisted.checked;
    let shown = 0;
    for (const row of rows) {
      const ds = row.dataset;
      const show =
        (!q || ds.key.split("\n").some((k) => found(k, q))) &&
        (!p || ds.policy === p) &&
        (!d || ds.direction === d) &&
        (!dep || ds.departments.split("\n").includes(dep)) &&
        (withRelisted || ds.relisted !== "1");
      row.hidden = !show;
      if (show) shown += 1;
    }
    const parts = [];
    if (q) parts.push("検索「" + query.value.trim() + "」");
    for (const s of [policy, direction, department]) {
      if (s.value) parts.push(chosenLabel(s));
    }
    if (!withRelisted) parts.push("【再掲】を除く");
    const scope = rows.length < total
      ? "このページに載せた" + rows.length + "件のうち。全" + total + "件"
      : "全" + total + "件";
    status.textContent =
      shown + "件を表示（" + scope + "）" + (parts.length ? "：" + parts.join("、") : "");
    table.dataset.shown = String(shown);
  }

  function limitDirections() {
    // Only the second-level sections of the chosen first-level section can be picked.
    const p = policy.value;
    for (const option of direction.options) {
      if (!option.value) continue;
      option.hidden = option.disabled = Boolean(p) && option.dataset.policy !== p;
    }
    if (direction.selectedOptions[0] && direction.selectedOptions[0].disabled) {
      direction.value = "";
    }
  }

  function clear() {
    query.value = "";
    policy.value = direction.value = department.value = "";
    relisted.checked = true;
    limitDirections();
    apply();
  }

  query.addEventListener("input", apply);
  policy.addEventListener("change", () => { limitDirections(); apply(); });
  direction.addEventListener("change", apply);
  department.addEventListener("change", apply);
  relisted.addEventListener("change", apply);
  reset.addEventListener("click", clear);

  // A link to a listing that the filters hide clears them, so the link always lands.
  function reveal() {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (target && target.hidden && table.contains(target)) {
      clear();
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", reveal);

  // Sorting: a button over each header of a sortable table; ascending, then descending.
  // The header's text stays in the cell (a printed page repeats it; Chromium does not
  // repeat what a button holds), and the button covers the cell with only its arrow.
  function cellValue(row, index) {
    const cell = row.cells[index];
    if (!cell) return "";
    return cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent;
  }
  const collator = new Intl.Collator("ja", { numeric: true });
  function compare(a, b) {
    const x = Number(a), y = Number(b);
    if (a !== "" && b !== "" && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
    return collator.compare(a, b);
  }
  for (const sortable of document.querySelectorAll("table.sortable")) {
    const headers = Array.from(sortable.tHead.rows[0].cells);
    headers.forEach((th, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.setAttribute("aria-label", `${th.textContent.trim()}で並べ替え`);
      th.classList.add("sortable-header");
      th.appendChild(button);
      button.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach((h) => h.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = sortable.tBodies[0];
        const sorted = Array.from(body.rows).map((row, i) => [row, i]);
        sorted.sort(([r, i], [s, j]) => {
          const c = compare(cellValue(r, index), cellValue(s, index));
          return (ascending ? c : -c) || i - j;
        });
        for (const [row] of sorted) body.appendChild(row);
      });
    });
  }

  controls.hidden = false;
  limitDirections();
  apply();
  reveal();
})();
