import type { FastifyInstance } from 'fastify';
import { articlesPerMinute } from '@gazette/search';
import { failuresByReason, queueStats } from '@gazette/jobs';
import type { AppDeps } from '../deps.ts';
import { operatorRoutes, replies } from '../openapi.ts';
import { consoleSummarySchema } from '../responses.ts';
import { QUEUE_DASHBOARD } from './admin.ts';

const { operator, doc } = operatorRoutes('console');

/** The Gazette console: sources with their last run, articles per minute, failures by reason, add a source. */
export async function consoleRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'es' | 'index' | 'context' | 'sources'>,
): Promise<void> {
  app.get(
    '/console/summary',
    {
      ...operator,
      schema: doc('What the console shows: sources and last runs, queues, articles per minute, failures by reason', {
        response: replies({ 200: consoleSummarySchema }),
      }),
    },
    async () => {
      const [sources, queues, perMinute, failures] = await Promise.all([
        deps.sources.list(),
        queueStats(deps.context),
        articlesPerMinute(deps.es, deps.index, 30),
        failuresByReason(deps.context, 1_000),
      ]);
      return { sources, queues, articlesPerMinute: perMinute, failures };
    },
  );

  app.get('/console', { ...operator, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html').header('cache-control', 'no-store').send(CONSOLE_HTML),
  );
  // The console's script is a file of its own: the content security policy runs no inline script.
  app.get('/console/app.js', { ...operator, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-store').send(CONSOLE_JS),
  );
}

const CONSOLE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gazette console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px system-ui,sans-serif;margin:1.5rem auto;max-width:70rem;padding:0 1rem;color:#222}
h1{margin:0 0 .2rem}nav a{margin-right:1rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
th{background:#f5f5f5}.err{color:#b00}.muted{color:#777}form{display:grid;grid-template-columns:10rem 1fr;gap:.4rem;max-width:44rem}
input,select,button{font:inherit;padding:.3rem}button{cursor:pointer}.bars{display:flex;align-items:flex-end;gap:2px;height:80px;border-bottom:1px solid #ccc}
.bars div{background:#4a7bd0;width:12px}form.inline{display:inline}
</style></head>
<body>
<h1>Gazette console</h1>
<nav><a href="${QUEUE_DASHBOARD}">Queue dashboard</a><a href="/docs">API docs</a>
<form method="post" action="/logout" class="inline"><button type="submit">Sign out</button></form></nav>
<p id="status" class="muted" role="status">loading…</p>

<h2>Sources</h2>
<table id="sources"><thead><tr><th>source</th><th>schedule</th><th>next run</th><th>last run</th><th></th></tr></thead><tbody></tbody></table>

<h2>Add a source</h2>
<form id="add-source">
<label for="src-id">Id</label><input id="src-id" name="id" required pattern="[a-z0-9][a-z0-9_-]{0,63}" placeholder="example-news">
<label for="src-name">Name</label><input id="src-name" name="name" required placeholder="Example News">
<label for="src-seeds">Seed URLs</label><input id="src-seeds" name="seeds" required placeholder="https://example.com/ (comma-separated)">
<label for="src-depth">Max depth</label><input id="src-depth" name="maxDepth" type="number" min="0" max="20" value="2">
<label for="src-every">Every (minutes)</label><input id="src-every" name="every" type="number" min="1" value="15">
<span></span><button type="submit">Add source</button>
</form>
<p id="form-result" role="alert"></p>

<h2>Articles indexed per minute (last 30 minutes)</h2>
<div class="bars" id="per-minute"></div><p id="per-minute-total" class="muted"></p>

<h2>Failures by reason</h2>
<table id="failures"><thead><tr><th>queue</th><th>reason</th><th>jobs</th></tr></thead><tbody></tbody></table>

<h2>Queues</h2>
<table id="queues"><thead><tr><th>queue</th><th>waiting</th><th>active</th><th>delayed</th><th>completed</th><th>failed</th><th>oldest waiting</th></tr></thead><tbody></tbody></table>

<script src="/console/app.js" defer></script>
</body></html>`;

const CONSOLE_JS = `const $ = (s) => document.querySelector(s);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'})[c]);
const when = (iso) => iso ? new Date(iso).toLocaleString() : '—';
async function api(path, init) {
  const res = await fetch(path, { credentials: 'same-origin', ...init, headers: { 'content-type': 'application/json', ...(init && init.headers) } });
  if (res.status === 401 || res.status === 403) { location.href = '/login?next=/console'; throw new Error('signed out'); }
  const body = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(body && body.detail ? body.detail : res.statusText);
  return body;
}
function schedule(s) {
  if (!s.schedule) return 'manual';
  return s.schedule.cron ? 'cron ' + s.schedule.cron + ' (' + s.schedule.tz + ')' : 'every ' + Math.round(s.schedule.everyMs / 60000 * 100) / 100 + ' min';
}
function totals(t) {
  const failed = Object.entries(t.failed || {});
  return '<span class="discovered">' + t.discovered + '</span> found, <span class="queued">' + t.queued + '</span> queued, ' +
    '<span class="fetched">' + t.fetched + '</span> fetched, <span class="not-modified">' + t.notModified + '</span> not modified, ' +
    '<span class="not-article">' + t.notArticle + '</span> not article, <span class="indexed">' + t.indexed + '</span> indexed, ' +
    (failed.length ? '<span class="err failed">failed ' + failed.map(([r, n]) => esc(r) + ' ×' + n).join(', ') + '</span>' : '<span class="failed">0 failed</span>') +
    (t.open ? ' · ' + t.open + ' open' : '');
}
function lastRun(r) {
  if (!r) return '<span class="muted">never</span>';
  const head = '<span class="state">' + esc(r.state) + '</span> (' + esc(r.trigger) + ') ';
  if (r.skipped) return head + when(r.startedAt) + ' <span class="muted">skipped: ' + esc(r.skipped) + '</span>';
  if (r.error) return head + when(r.startedAt) + ' <span class="err">' + esc(r.error) + '</span>';
  const time = r.state === 'finished' ? 'finished ' + when(r.finishedAt) : 'started ' + when(r.startedAt);
  return head + time + '<br>' + totals(r.totals) + (r.problems && r.problems.length ? ' · ' + r.problems.length + ' problems' : '');
}
async function refresh() {
  try {
    const d = await api('/console/summary');
    $('#sources tbody').innerHTML = d.sources.map((s) =>
      '<tr data-source="' + esc(s.source.id) + '"><td><b>' + esc(s.source.name) + '</b><br><span class="muted">' + esc(s.source.id) + ' · ' + esc(s.source.seeds.join(', ')) + '</span></td>' +
      '<td>' + esc(schedule(s)) + (s.paused ? ' <b>paused</b>' : '') + '</td><td>' + when(s.nextRunAt) + '</td>' +
      '<td class="last-run">' + lastRun(s.lastRun) + '</td>' +
      '<td><button data-act="run">Run now</button> <button data-act="' + (s.paused ? 'resume' : 'pause') + '">' + (s.paused ? 'Resume' : 'Pause') + '</button></td></tr>').join('') ||
      '<tr><td colspan="5" class="muted">no sources yet</td></tr>';
    const max = Math.max(1, ...d.articlesPerMinute.map((m) => m.count));
    $('#per-minute').innerHTML = d.articlesPerMinute.map((m) => '<div title="' + esc(when(m.minute) + ': ' + m.count) + '" style="height:' + Math.round(m.count / max * 78 + (m.count ? 2 : 0)) + 'px"></div>').join('');
    const total = d.articlesPerMinute.reduce((a, m) => a + m.count, 0);
    $('#per-minute-total').textContent = total + ' articles indexed in the last 30 minutes';
    $('#failures tbody').innerHTML = d.failures.map((f) => '<tr><td>' + esc(f.queue) + '</td><td>' + esc(f.reason) + '</td><td>' + f.count + '</td></tr>').join('') ||
      '<tr><td colspan="3" class="muted">no failed jobs</td></tr>';
    $('#queues tbody').innerHTML = d.queues.map((q) => '<tr><td>' + esc(q.queue) + '</td><td>' + q.waiting + '</td><td>' + q.active + '</td><td>' + q.delayed + '</td><td>' + q.completed + '</td><td>' + q.failed + '</td><td>' + (q.oldestWaitingSeconds == null ? '—' : Math.round(q.oldestWaitingSeconds) + ' s') + '</td></tr>').join('');
    $('#status').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) { $('#status').textContent = 'could not load: ' + e.message; }
}
$('#sources').addEventListener('click', async (ev) => {
  const act = ev.target.dataset && ev.target.dataset.act;
  if (!act) return;
  const id = ev.target.closest('tr').dataset.source;
  try { await api('/sources/' + encodeURIComponent(id) + '/' + act, { method: 'POST', body: '{}' }); await refresh(); }
  catch (e) { $('#form-result').textContent = e.message; }
});
$('#add-source').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const body = {
    source: { id: f.get('id'), name: f.get('name'), seeds: String(f.get('seeds')).split(',').map((s) => s.trim()).filter(Boolean), maxDepth: Number(f.get('maxDepth')) },
    schedule: { everyMs: Math.round(Number(f.get('every')) * 60000) },
  };
  try {
    await api('/sources', { method: 'POST', body: JSON.stringify(body) });
    $('#form-result').textContent = 'added ' + body.source.id;
    ev.target.reset();
    await refresh();
  } catch (e) { $('#form-result').textContent = e.message; }
});
refresh();
setInterval(refresh, 2000);
`;
