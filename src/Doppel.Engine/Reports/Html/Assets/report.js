(() => {
'use strict';
const $ = id => document.getElementById(id);
const data = JSON.parse($('data').textContent);
const doc = $('doc'), panel = $('panel');
const marks = Array.from(doc.querySelectorAll('mark.m'));
const markIds = marks.map(m => m.dataset.p.split(' ').map(Number));
const evidence = data.passages.map((_, i) => $('p' + i));
const srcOn = data.sources.map(s => !s.excluded);
const ui = { q: $('x-quotes'), b: $('x-bibliography'), n: $('x-minwords') };
let only = -1, counted = [], selected = null;

// Words as the engine counts them (AnalyzedDocument.WordsIn): the tokens overlapping a span, each once.
function lowerBound(a, v) { let lo = 0, hi = a.length; while (lo < hi) { const m = (lo + hi) >> 1; if (a[m] < v) lo = m + 1; else hi = m; } return lo; }
function wordsIn(iv) {
  let n = 0, reach = 0;
  for (const [s, e] of [...iv].sort((a, b) => a[0] - b[0])) {
    const t0 = Math.max(lowerBound(data.we, s + 1), reach), t1 = lowerBound(data.ws, e);
    if (t1 > t0) n += t1 - t0;
    reach = Math.max(reach, t1);
  }
  return n;
}
function merge(iv) {
  iv.sort((a, b) => a[0] - b[0]);
  const out = [];
  for (const [s, e] of iv) {
    if (e <= s) continue;
    if (out.length && s <= out[out.length - 1][1]) out[out.length - 1][1] = Math.max(out[out.length - 1][1], e);
    else out.push([s, e]);
  }
  return out;
}
function subtract(s, e, act) {
  const r = []; let pos = s;
  for (const [a, b] of act) {
    if (b <= pos) continue;
    if (a >= e) break;
    if (a > pos) r.push([pos, a]);
    pos = Math.max(pos, b);
    if (pos >= e) break;
  }
  if (pos < e) r.push([pos, e]);
  return r;
}
// Same integer rounding as the renderer: tenths of a percent, never 100% for a partial share nor 0% for a non-zero one.
function pct(c, len) {
  if (len === 0) return '0.0%';
  let t = Math.floor((c * 1000 + Math.floor(len / 2)) / len);
  if (t >= 1000 && c < len) t = 999;
  if (t === 0 && c > 0) t = 1;
  return (t / 10).toFixed(1) + '%';
}
// The exclusion stage of the engine (ExclusionFilter), in the browser.
function recompute() {
  const q = ui.q.checked, b = ui.b.checked, min = Math.max(0, parseInt(ui.n.value, 10) || 0);
  document.body.classList.toggle('xq-on', q);
  document.body.classList.toggle('xb-on', b);
  const act = merge(data.spans.filter(x => x[0] === 'bibliography' ? b : q).map(x => [x[1], x[1] + x[2]]));
  const per = data.sources.map(() => []), raw = data.sources.map(() => []), all = [];
  counted = data.passages.map(([s, a, l]) => {
    raw[s].push([a, a + l]);
    if (!srcOn[s]) return false;
    const pieces = subtract(a, a + l, act);
    const w = wordsIn(pieces);
    if (w === 0 || (min > 0 && w < min)) return false;
    per[s].push(...pieces); all.push(...pieces);
    return true;
  });
  const c = wordsIn(merge(all)), n = data.ws.length;
  $('overall').textContent = pct(c, n);
  $('overall-words').textContent = c.toLocaleString('en-US') + ' of ' + n.toLocaleString('en-US') + ' words';
  data.sources.forEach((_, s) => {
    $('share-' + s).textContent = pct(wordsIn(merge(srcOn[s] ? per[s] : raw[s])), n);
    document.querySelector('.src[data-s="' + s + '"]').classList.toggle('off', !srcOn[s]);
  });
  paint();
}
function visible(ids) { return ids.filter(i => { const s = data.passages[i][0]; return srcOn[s] && (only < 0 || s === only); }); }
function paint() {
  marks.forEach((m, k) => {
    const vis = visible(markIds[k]);
    m.classList.toggle('off', vis.length === 0);
    if (vis.length === 0) { m.tabIndex = -1; return; }
    m.tabIndex = 0;
    vis.sort((x, y) => (counted[y] - counted[x]) || (data.passages[x][0] - data.passages[y][0]));
    const top = vis[0], s = data.passages[top][0], src = data.sources[s];
    m.style.setProperty('--c', src.c); m.style.setProperty('--b', src.b);
    m.classList.remove('k-verbatim', 'k-paraphrase', 'k-summary');
    m.classList.add('k-' + data.passages[top][3]);
    m.classList.toggle('nc', !vis.some(i => counted[i]));
  });
  evidence.forEach((el, i) => {
    if (!el) return;
    const s = data.passages[i][0];
    el.classList.toggle('nc', !counted[i]);
    el.classList.toggle('hid', !srcOn[s] || (only >= 0 && s !== only));
  });
}
function show(m) {
  const ids = visible(m.dataset.p.split(' ').map(Number));
  if (!ids.length) return;
  if (selected) selected.forEach(x => x.classList.remove('sel'));
  selected = marks.filter((_, k) => markIds[k].some(i => ids.includes(i)));
  selected.forEach(x => x.classList.add('sel'));
  panel.replaceChildren();
  const bar = document.createElement('div');
  bar.className = 'bar';
  const h = document.createElement('strong');
  h.textContent = ids.length === 1 ? 'Selected passage' : ids.length + ' passages overlap here';
  const close = document.createElement('button');
  close.type = 'button'; close.textContent = 'Close'; close.addEventListener('click', clear);
  bar.append(h, close);
  panel.append(bar);
  for (const i of ids) {
    const copy = evidence[i].cloneNode(true);
    copy.removeAttribute('id');
    copy.classList.remove('hid');
    copy.classList.add('inpanel');
    panel.append(copy);
  }
  if (window.matchMedia('(max-width: 900px)').matches) panel.scrollIntoView({ block: 'nearest' });
}
function clear() {
  if (selected) selected.forEach(x => x.classList.remove('sel'));
  selected = null;
  panel.replaceChildren();
  const p = document.createElement('p');
  p.className = 'hint'; p.textContent = 'Select a highlighted passage to see it beside its source.';
  panel.append(p);
}
doc.addEventListener('click', e => { const m = e.target.closest('mark.m'); if (m && !m.classList.contains('off')) show(m); });
doc.addEventListener('keydown', e => {
  const m = e.target.closest && e.target.closest('mark.m');
  if (m && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); show(m); }
});
document.addEventListener('keydown', e => {
  if (e.key === 'Escape') clear();
  if ((e.key === 'j' || e.key === 'k') && !/INPUT|BUTTON/.test(e.target.tagName)) {
    const on = marks.filter(m => !m.classList.contains('off') && m.dataset.n);
    if (!on.length) return;
    let k = on.indexOf(document.activeElement.closest ? document.activeElement.closest('mark.m') : null);
    k = e.key === 'j' ? Math.min(on.length - 1, k + 1) : Math.max(0, k - 1);
    on[k].focus(); show(on[k]);
  }
});
document.querySelectorAll('.src input.inc').forEach(cb => cb.addEventListener('change', () => { srcOn[+cb.dataset.s] = cb.checked; recompute(); }));
document.querySelectorAll('.src .only').forEach(btn => btn.addEventListener('click', () => {
  const s = +btn.dataset.s;
  only = only === s ? -1 : s;
  document.querySelectorAll('.src .only').forEach(o => o.setAttribute('aria-pressed', String(+o.dataset.s === only)));
  paint();
}));
[ui.q, ui.b, ui.n].forEach(el => el.addEventListener('input', recompute));
// Enter in the number field would submit the form and reload the page. A listener, not an inline onsubmit: a
// content security policy that allows the report's scripts by hash (doppel serve's) blocks inline handlers.
ui.n.form.addEventListener('submit', e => e.preventDefault());
$('print').addEventListener('click', () => window.print());
recompute();
document.documentElement.dataset.ready = '1';
})();
