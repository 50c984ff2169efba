// The dashboard's script, inlined into index.html. Plain ES2020, no framework, no network. Catalogue text only
// ever reaches the page through textContent / setAttribute, never through innerHTML. A portal's page (DATA.split)
// gets its rows from rows.js (odbadgeRows… odbadgeRowsDone) and each chunk's evidence panels from d<k>.js
// (odbadgeDetail), loaded by <script src> when a panel of that chunk is first opened.
export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('odbadge-data').textContent);
  var STR = {
    zh: { shown: '顯示第 {a}–{b} 筆，共 {n} 筆符合（總計 {t} 筆）', none: '沒有符合條件的資料集', all: '全部', open: '查看證據',
      verdicts: { pass: '通過', fail: '未通過', 'not-evaluated': '未檢測', unsure: '不確定' }, badge: { none: '無標章' },
      official: '平臺標章', ours: '本工具標章', indicator: '指標', verdict: '結果', evidence: '證據', hint: '改善建議',
      resources: '資料資源', findings: '目錄問題', whitelisted: '白名單（不給標章）', page: '第 {p} / {q} 頁', formats: '格式', agency: '機關', nothing: '（無）',
      loading: '資料集載入中…', noDetail: '無法載入此資料集的證據（資料檔遺失）。' },
    en: { shown: 'Showing {a}–{b} of {n} matching datasets ({t} in total)', none: 'No dataset matches', all: 'All', open: 'Show evidence',
      verdicts: { pass: 'pass', fail: 'fail', 'not-evaluated': 'not evaluated', unsure: 'unsure' }, badge: { none: 'no badge' },
      official: 'Official badge', ours: 'Our badge', indicator: 'Indicator', verdict: 'Verdict', evidence: 'Evidence', hint: 'How to fix',
      resources: 'Resources', findings: 'Catalogue problems', whitelisted: 'Whitelisted (no badge)', page: 'page {p} of {q}', formats: 'Formats', agency: 'Agency', nothing: '(none)',
      loading: 'Loading the datasets…', noDetail: 'The evidence of this dataset could not be loaded (a data file is missing).' }
  };
  var PAGE = 50;
  var SPLIT = DATA.split || null;
  var ready = !SPLIT;
  var detailLoaded = {};
  var detailWaiting = {};
  var lang = 'zh';
  var page = 0;
  var filtered = DATA.datasets;
  var opener = null;
  var current = null;
  var $ = function (id) { return document.getElementById(id); };
  var fmt = function (s, o) { return s.replace(/\{(\w+)\}/g, function (_, k) { return String(o[k]); }); };
  var tierName = function (id) {
    for (var i = 0; i < DATA.tiers.length; i++) if (DATA.tiers[i].id === id) return DATA.tiers[i][lang];
    return STR[lang].badge[id] || id;
  };
  var indName = function (id) {
    for (var i = 0; i < DATA.indicators.length; i++) if (DATA.indicators[i].id === id) return DATA.indicators[i][lang];
    return id;
  };
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function chip(badge) { return el('span', { 'class': 'chip b-' + (/^[a-z-]+$/.test(badge) ? badge : 'other') }, tierName(badge)); }

  function fillSelect(sel, values, label) {
    var keep = sel.value;
    while (sel.firstChild) sel.removeChild(sel.firstChild);
    sel.appendChild(el('option', { value: '' }, STR[lang].all));
    values.forEach(function (v) { sel.appendChild(el('option', { value: v }, label ? label(v) : v)); });
    sel.value = keep;
  }
  function uniq(list) { var s = {}; list.forEach(function (x) { s[x] = 1; }); return Object.keys(s).sort(); }
  function allFormats() { var out = []; DATA.datasets.forEach(function (d) { for (var i = 0; i < d.f.length; i++) out.push(d.f[i]); }); return out; }
  function fillFilters() {
    fillSelect($('f-agency'), uniq(DATA.datasets.map(function (d) { return d.a; })));
    fillSelect($('f-badge'), DATA.tiers.map(function (t) { return t.id; }).concat(['none']), tierName);
    fillSelect($('f-indicator'), DATA.indicators.map(function (t) { return t.id; }), indName);
    fillSelect($('f-format'), uniq(allFormats()));
  }
  // Each row's place (its evidence chunk in a split page) and search text, computed once, not per keystroke.
  function indexRows(from) {
    for (var i = from; i < DATA.datasets.length; i++) { var d = DATA.datasets[i]; d.k = i; d.q = (d.t + ' ' + d.id + ' ' + d.a).toLowerCase(); }
  }

  function applyFilters() {
    var q = $('f-search').value.trim().toLowerCase();
    var a = $('f-agency').value, b = $('f-badge').value, x = $('f-indicator').value, f = $('f-format').value;
    filtered = DATA.datasets.filter(function (d) {
      if (a && d.a !== a) return false;
      if (b && d.b !== b) return false;
      if (x && d.x.indexOf(x) < 0) return false;
      if (f && d.f.indexOf(f) < 0) return false;
      if (q && d.q.indexOf(q) < 0) return false;
      return true;
    });
    page = 0;
    render();
  }

  function render() {
    if (!ready) { $('ds-status').textContent = STR[lang].loading; return; }
    var body = $('ds-body');
    while (body.firstChild) body.removeChild(body.firstChild);
    var pages = Math.max(1, Math.ceil(filtered.length / PAGE));
    if (page >= pages) page = pages - 1;
    var slice = filtered.slice(page * PAGE, page * PAGE + PAGE);
    slice.forEach(function (d) {
      var tr = el('tr');
      var th = el('th', { scope: 'row' });
      var btn = el('button', { type: 'button', 'class': 'link', 'data-open': d.id, 'aria-label': STR[lang].open + ': ' + d.t }, d.t);
      th.appendChild(btn);
      tr.appendChild(th);
      tr.appendChild(el('td', null, d.a));
      var tdb = el('td'); tdb.appendChild(chip(d.b)); tr.appendChild(tdb);
      var tdo = el('td'); if (d.o !== null) tdo.appendChild(chip(d.o)); tr.appendChild(tdo);
      tr.appendChild(el('td', null, d.x.length ? d.x.map(indName).join('、') : '—'));
      tr.appendChild(el('td', null, d.f.join(', ')));
      body.appendChild(tr);
    });
    $('ds-empty').hidden = filtered.length > 0;
    $('ds-status').textContent = filtered.length ? fmt(STR[lang].shown, { a: page * PAGE + 1, b: page * PAGE + slice.length, n: filtered.length, t: DATA.datasets.length }) : STR[lang].none;
    $('pg-info').textContent = fmt(STR[lang].page, { p: page + 1, q: pages });
    $('pg-prev').disabled = page === 0;
    $('pg-next').disabled = page >= pages - 1;
  }

  function find(id) { for (var i = 0; i < DATA.datasets.length; i++) if (DATA.datasets[i].id === id) return DATA.datasets[i]; return null; }

  function fillPanel(d) {
    var S = STR[lang];
    $('dlg-title').textContent = d.t;
    var box = $('dlg-body');
    while (box.firstChild) box.removeChild(box.firstChild);
    var meta = el('dl', { 'class': 'meta' });
    [[S.agency, d.a], ['ID', d.id], [S.formats, d.f.join(', ') || '—']].forEach(function (p) { meta.appendChild(el('dt', null, p[0])); meta.appendChild(el('dd', null, p[1])); });
    meta.appendChild(el('dt', null, S.ours)); var dd = el('dd'); dd.appendChild(chip(d.b)); if (d.w) dd.appendChild(el('span', null, ' ' + S.whitelisted)); meta.appendChild(dd);
    meta.appendChild(el('dt', null, S.official)); var dd2 = el('dd'); if (d.o !== null) dd2.appendChild(chip(d.o)); else dd2.textContent = '—'; meta.appendChild(dd2);
    box.appendChild(meta);
    if (!d.i) { box.appendChild(el('p', null, S.noDetail)); return; }
    var t = el('table', { 'class': 'ind' });
    var cap = el('caption', null, S.evidence); t.appendChild(cap);
    var hr = el('tr'); [S.indicator, S.verdict, S.evidence].forEach(function (h) { hr.appendChild(el('th', { scope: 'col' }, h)); });
    var thead = el('thead'); thead.appendChild(hr); t.appendChild(thead);
    var tb = el('tbody');
    d.i.forEach(function (r) {
      var tr = el('tr', { 'class': 'v-' + r.v });
      tr.appendChild(el('th', { scope: 'row' }, indName(r.id)));
      tr.appendChild(el('td', null, S.verdicts[r.v] || r.v));
      var td = el('td');
      td.appendChild(el('div', { 'class': 'evidence' }, lang === 'en' ? r.e : (r.z || r.e)));
      var hint = lang === 'en' ? r.he : r.hz;
      if (hint) { var p = el('p', { 'class': 'hint' }); p.appendChild(el('strong', null, S.hint + (lang === 'en' ? ': ' : '：'))); p.appendChild(document.createTextNode(hint)); td.appendChild(p); }
      tr.appendChild(td);
      tb.appendChild(tr);
    });
    t.appendChild(tb);
    box.appendChild(t);
    box.appendChild(el('h3', null, S.resources));
    var ul = el('ul', { 'class': 'res' });
    d.r.forEach(function (r) {
      var li = el('li');
      li.appendChild(el('code', null, r.u));
      li.appendChild(el('span', null, ' — ' + r.s + (r.f ? ', ' + r.f : '')));
      if (r.bad.length) {
        var inner = el('ul');
        r.bad.forEach(function (b) { inner.appendChild(el('li', null, indName(b[0]) + (lang === 'en' ? ' (' : '（') + (S.verdicts[b[1]] || b[1]) + (lang === 'en' ? '): ' : '）：') + (lang === 'en' ? b[2] : b[3]))); });
        li.appendChild(inner);
      }
      ul.appendChild(li);
    });
    box.appendChild(ul);
    if (d.n.length) {
      box.appendChild(el('h3', null, S.findings));
      var fl = el('ul');
      d.n.forEach(function (n) { fl.appendChild(el('li', null, lang === 'en' ? n[1] : n[0])); });
      box.appendChild(fl);
    }
  }

  // A split page's evidence: the chunk's file is loaded once; the panel opens when it has arrived (or failed).
  window.odbadgeDetail = function (k, list) {
    for (var i = 0; i < list.length; i++) {
      var d = DATA.datasets[k * SPLIT.chunk + i];
      if (d) { d.i = list[i].i; d.r = list[i].r; d.n = list[i].n; }
    }
  };
  function withDetail(d, then) {
    if (!SPLIT || d.i) return then();
    var k = Math.floor(d.k / SPLIT.chunk);
    if (detailLoaded[k]) return then();
    if (detailWaiting[k]) { detailWaiting[k].push(then); return; }
    detailWaiting[k] = [then];
    var s = document.createElement('script');
    var done = function () { detailLoaded[k] = true; var w = detailWaiting[k]; detailWaiting[k] = null; w.forEach(function (f) { f(); }); };
    s.onload = done;
    s.onerror = done;
    s.src = SPLIT.base + 'd' + k + '.js';
    document.body.appendChild(s);
  }

  function openPanel(id, from) {
    var d = find(id);
    if (!d) return;
    if (SPLIT && !d.i && !detailLoaded[Math.floor(d.k / SPLIT.chunk)]) { withDetail(d, function () { openPanel(id, from); }); return; }
    current = d;
    opener = from || null;
    fillPanel(d);
    var dlg = $('ds-dialog');
    if (!dlg.open) { if (dlg.showModal) dlg.showModal(); else dlg.setAttribute('open', ''); }
    $('dlg-close').focus();
    try { history.replaceState(null, '', '#ds=' + encodeURIComponent(id)); } catch (e) { /* file:// in some browsers */ }
  }
  function closePanel() {
    var dlg = $('ds-dialog');
    if (dlg.open) { if (dlg.close) dlg.close(); else dlg.removeAttribute('open'); }
  }

  function setLang(l) {
    lang = l;
    document.documentElement.lang = l === 'en' ? 'en' : 'zh-Hant-TW';
    document.querySelectorAll('[data-en]').forEach(function (e) {
      if (e.getAttribute('data-zh') === null) e.setAttribute('data-zh', e.textContent);
      e.textContent = l === 'en' ? e.getAttribute('data-en') : e.getAttribute('data-zh');
    });
    document.querySelectorAll('[data-en-label]').forEach(function (e) {
      var attr = e.hasAttribute('placeholder') ? 'placeholder' : 'aria-label';
      if (e.getAttribute('data-zh-label') === null) e.setAttribute('data-zh-label', e.getAttribute(attr) || '');
      e.setAttribute(attr, l === 'en' ? e.getAttribute('data-en-label') : e.getAttribute('data-zh-label'));
    });
    var b = $('lang-switch');
    b.textContent = l === 'en' ? '中文' : 'English';
    b.setAttribute('lang', l === 'en' ? 'zh-Hant-TW' : 'en');
    b.setAttribute('aria-label', l === 'en' ? '切換為中文' : 'Switch to English');
    fillFilters();
    render();
    if (current && $('ds-dialog').open) fillPanel(current);
    try { localStorage.setItem('odbadge-lang', l); } catch (e) { /* storage may be off for file:// */ }
  }

  document.addEventListener('click', function (ev) {
    var t = ev.target.closest ? ev.target.closest('[data-open]') : null;
    if (t) { ev.preventDefault(); openPanel(t.getAttribute('data-open'), t); }
  });
  $('dlg-close').addEventListener('click', closePanel);
  $('filters').addEventListener('submit', function (ev) { ev.preventDefault(); applyFilters(); });
  $('ds-dialog').addEventListener('close', function () {
    current = null;
    try { history.replaceState(null, '', location.pathname + location.search); } catch (e) { /* ignore */ }
    if (opener && document.body.contains(opener)) opener.focus();
  });
  ['f-search'].forEach(function (id) { $(id).addEventListener('input', applyFilters); });
  ['f-agency', 'f-badge', 'f-indicator', 'f-format'].forEach(function (id) { $(id).addEventListener('change', applyFilters); });
  $('f-reset').addEventListener('click', function () {
    ['f-search', 'f-agency', 'f-badge', 'f-indicator', 'f-format'].forEach(function (id) { $(id).value = ''; });
    applyFilters();
  });
  $('pg-prev').addEventListener('click', function () { if (page > 0) { page--; render(); } });
  $('pg-next').addEventListener('click', function () { page++; render(); });
  $('lang-switch').addEventListener('click', function () { setLang(lang === 'zh' ? 'en' : 'zh'); });

  // The language asked for in the address (?lang=en or #lang=en, to link to the English view) wins over the
  // last choice remembered in this browser.
  var asked = /[?&#]lang=(en|zh)\b/.exec(location.search + location.hash);
  var saved = null;
  try { saved = localStorage.getItem('odbadge-lang'); } catch (e) { /* ignore */ }
  document.documentElement.classList.add('js');
  indexRows(0);
  setLang(asked ? asked[1] : saved === 'en' ? 'en' : 'zh');
  applyFilters();
  window.addEventListener('hashchange', function () {
    var h = /^#lang=(en|zh)$/.exec(location.hash);
    if (h) setLang(h[1]);
  });
  var m = /^#ds=(.+)$/.exec(location.hash);
  function openAsked() { if (m) openPanel(decodeURIComponent(m[1])); }
  // A split page: rows.js (after this script) hands over the rows in batches, then says it is done.
  window.odbadgeRows = function (list) { var from = DATA.datasets.length; for (var i = 0; i < list.length; i++) DATA.datasets.push(list[i]); indexRows(from); };
  window.odbadgeRowsDone = function () { ready = true; fillFilters(); applyFilters(); openAsked(); };
  if (ready) openAsked();
})();
`;
