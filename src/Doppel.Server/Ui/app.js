'use strict';
// The Doppel web UI: plain JS on the REST API (docs/server.md). The token lives in sessionStorage and is sent as a
// bearer header; reports open in an iframe through a short-lived signed link.
const $ = id => document.getElementById(id);
let token = sessionStorage.getItem('doppel-token');
let me = null, timer = null;

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (token) headers.Authorization = 'Bearer ' + token;
  const r = await fetch('/api/v1' + path, Object.assign({}, options, { headers }));
  if (r.status === 401 && path !== '/tokens') { signOut(); throw new Error('signed out'); }
  const text = await r.text();
  const body = text ? JSON.parse(text) : null;
  if (!r.ok) throw new Error((body && body.error) || r.statusText);
  return body;
}
const json = body => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const c of children) e.append(c);
  return e;
}

$('signin-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  $('signin-error').textContent = '';
  try {
    const t = await api('/tokens', json({ username: $('username').value, password: $('password').value }));
    token = t.token; sessionStorage.setItem('doppel-token', token);
    $('password').value = '';
    await start();
  } catch (e) { $('signin-error').textContent = e.message; }
});
$('signout').addEventListener('click', async () => { try { await api('/tokens', { method: 'DELETE' }); } catch (e) { } signOut(); });

function signOut() {
  token = null; me = null; sessionStorage.removeItem('doppel-token');
  clearTimeout(timer);
  $('app').hidden = true; $('nav').hidden = true; $('signin').hidden = false;
}

async function start() {
  me = await api('/me');
  $('me').textContent = 'Signed in as ' + me.name;
  $('signin').hidden = true; $('app').hidden = false; $('nav').hidden = false; $('admin').hidden = !me.admin;
  await loadWorkspaces();
  await Promise.all([loadJobs(), loadSources(), me.admin ? loadUsers() : null]);
}

async function loadWorkspaces(select) {
  const list = await api('/workspaces');
  const ws = $('workspace'); ws.replaceChildren(...list.map(w => el('option', { value: w.id, textContent: w.name })));
  if (select) ws.value = select;
}
$('workspace').addEventListener('change', () => { $('viewer').hidden = true; loadJobs(); });
$('ws-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const w = await api('/workspaces', json({ name: $('ws-name').value }));
  $('ws-name').value = '';
  await loadWorkspaces(w.id); await loadJobs();
});

const drop = $('drop');
drop.addEventListener('click', () => $('files').click());
drop.addEventListener('keydown', ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); $('files').click(); } });
drop.addEventListener('dragover', ev => { ev.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', ev => { ev.preventDefault(); drop.classList.remove('over'); submit([...ev.dataTransfer.files]); });
$('files').addEventListener('change', () => { submit([...$('files').files]); $('files').value = ''; });

async function submit(files) {
  if (!files.length) return;
  const status = $('up-status');
  try {
    const zips = files.filter(f => /\.zip$/i.test(f.name)), docs = files.filter(f => !/\.zip$/i.test(f.name));
    for (const z of zips) {
      const form = new FormData(); form.append('workspace', $('workspace').value); form.append('files', z);
      await api('/collections', { method: 'POST', body: form });
    }
    for (const d of docs) {
      const form = new FormData(); form.append('workspace', $('workspace').value); form.append('file', d);
      if ($('store').checked) form.append('store', 'true');
      await api('/checks', { method: 'POST', body: form });
    }
    status.textContent = `Submitted ${files.length} file${files.length > 1 ? 's' : ''}.`;
  } catch (e) { status.textContent = 'Upload refused: ' + e.message; }
  loadJobs();
}

async function loadJobs() {
  clearTimeout(timer);
  if (!token) return;
  const ws = $('workspace').value;
  const [checks, collections] = await Promise.all([api('/checks?workspace=' + ws), api('/collections?workspace=' + ws)]);
  const jobs = checks.concat(collections).sort((a, b) => b.created.localeCompare(a.created));
  $('jobs').replaceChildren(...jobs.map(row));
  if (jobs.some(j => j.status === 'queued' || j.status === 'running')) timer = setTimeout(loadJobs, 700);
}

function row(j) {
  const route = j.kind === 'check' ? 'checks' : 'collections';
  const bar = el('progress', { max: Math.max(1, j.total), value: j.status === 'done' ? Math.max(1, j.total) : j.done });
  bar.setAttribute('aria-label', 'progress of ' + j.documents.join(', '));
  const status = j.status + (j.error ? ': ' + j.error : '');
  const share = j.share == null ? '' : (100 * j.share).toFixed(1) + ' %';
  const open = j.status === 'done' ? el('button', { type: 'button', className: 'link', textContent: 'Open report', onclick: () => openReport(route, j.id) }) : '';
  const docs = j.documents.length > 3 ? `${j.documents.slice(0, 3).join(', ')} and ${j.documents.length - 3} more` : j.documents.join(', ');
  return el('tr', {}, el('td', { textContent: docs }), el('td', { textContent: j.kind === 'check' ? 'check' : 'collection' }),
    el('td', { textContent: status, className: j.status === 'failed' ? 'error' : '' }), el('td', {}, bar), el('td', { textContent: share }), el('td', {}, open));
}

async function openReport(route, id) {
  const link = await api(`/${route}/${id}/link`);
  $('report').src = link.url;
  $('viewer').hidden = false;
  $('viewer').scrollIntoView();
}

async function loadSources() {
  const list = await api('/sources');
  $('sources').replaceChildren(...list.map(s => el('li', {}, s.id + (s.title && s.title !== s.id ? ' — ' + s.title : '') + ' ',
    el('button', { type: 'button', className: 'link', textContent: 'Remove', onclick: async () => { await api('/sources/' + encodeURIComponent(s.id), { method: 'DELETE' }); loadSources(); } }))));
  if (!list.length) $('sources').replaceChildren(el('li', { textContent: 'The reference index is empty: add sources to check against.' }));
}
$('src-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const form = new FormData();
  for (const f of $('src-files').files) form.append('files', f);
  try {
    const r = await api('/sources', { method: 'POST', body: form });
    $('src-status').textContent = `Added ${r.added}, replaced ${r.replaced}, unchanged ${r.unchanged}` + (r.skipped.length ? `, skipped ${r.skipped.map(s => s.path + ' (' + s.reason + ')').join('; ')}` : '') + '.';
    $('src-files').value = '';
  } catch (e) { $('src-status').textContent = 'Refused: ' + e.message; }
  loadSources();
});

async function loadUsers() {
  const list = await api('/users');
  $('users').replaceChildren(...list.map(u => el('li', {}, u.name + (u.admin ? ' (administrator) ' : ' '),
    u.name === me.name ? '' : el('button', { type: 'button', className: 'link', textContent: 'Delete', onclick: async () => { await api('/users/' + encodeURIComponent(u.name), { method: 'DELETE' }); loadUsers(); } }))));
}
$('user-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  try {
    await api('/users', json({ username: $('new-user').value, password: $('new-pass').value, admin: $('new-admin').checked }));
    $('user-status').textContent = 'Created ' + $('new-user').value + '.';
    $('new-user').value = ''; $('new-pass').value = '';
  } catch (e) { $('user-status').textContent = e.message; }
  loadUsers();
});

if (token) start().catch(signOut);
