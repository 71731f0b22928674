/**
 * The report's only script, inlined and allowed by its hash in the page's Content-Security-Policy
 * (so markup that slipped through escaping could not run). It reads the page, never data passed
 * to it: sortable tables (click a header; data-sort holds the raw value) and the theme toggle.
 */
export const HTML_SCRIPT = `
(function () {
  'use strict';
  var root = document.documentElement;
  function effectiveTheme() {
    var pinned = root.getAttribute('data-theme');
    if (pinned === 'light' || pinned === 'dark') return pinned;
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  var toggle = document.getElementById('theme-toggle');
  function label() {
    if (!toggle) return;
    // a toggle button keeps its name ("Dark theme"); aria-pressed says whether it is on
    toggle.setAttribute('aria-pressed', effectiveTheme() === 'dark' ? 'true' : 'false');
  }
  try {
    var saved = window.localStorage.getItem('db-optimize-theme');
    if (saved === 'light' || saved === 'dark') root.setAttribute('data-theme', saved);
  } catch (e) { /* storage can be disabled for file:// pages */ }
  label();
  if (toggle) toggle.addEventListener('click', function () {
    var next = effectiveTheme() === 'dark' ? 'light' : 'dark';
    root.setAttribute('data-theme', next);
    try { window.localStorage.setItem('db-optimize-theme', next); } catch (e) { /* ignored */ }
    label();
  });

  function key(cell) {
    if (!cell) return '';
    var raw = cell.getAttribute('data-sort');
    return raw === null ? (cell.textContent || '').trim() : raw;
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    if (!body) return;
    var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    var heads = table.querySelectorAll('thead th');
    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute('aria-sort');
    th.setAttribute('aria-sort', dir);
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = rows.every(function (r) { var k = key(r.cells[col]); return k === '' || !isNaN(Number(k)); });
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      var c = numeric ? (x === '' ? -Infinity : Number(x)) - (y === '' ? -Infinity : Number(y)) : x.localeCompare(y);
      return dir === 'ascending' ? c : -c;
    });
    for (var j = 0; j < rows.length; j++) body.appendChild(rows[j]);
  }
  var tables = document.querySelectorAll('table.sortable');
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.querySelectorAll('thead th');
    Array.prototype.forEach.call(heads, function (th, col) {
      var b = th.querySelector('button');
      if (b) b.addEventListener('click', function () { sortBy(table, col, th); });
    });
  });
})();
`;
