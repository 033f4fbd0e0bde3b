import type { FastifyInstance } from 'fastify';
import { articlesPerMinute, indexHealth, recentArticles } from '@gazette/search';
import { failuresByReason, queueStats, queueWorkers } from '@gazette/jobs';
import { SOURCE_ID_PATTERN } from '@gazette/sources';
import type { AppDeps } from '../deps.ts';
import { htmlPattern } from '../html-pattern.ts';
import { operatorRoutes, replies } from '../openapi.ts';
import { consoleSummarySchema } from '../responses.ts';
import { QUEUE_DASHBOARD } from './admin.ts';

const { operator, doc } = operatorRoutes('console');

/**
 * The Gazette console: sources with their last run, throughput, recent articles, failures by
 * reason with replay, queues and their workers, Redis and Elasticsearch status, add a source.
 * `signOut`: show "Sign out" (only when an operator token is configured: else nobody signs in).
 */
export async function consoleRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'es' | 'index' | 'context' | 'sources' | 'redis'> & { signOut: boolean },
): Promise<void> {
  app.get(
    '/console/summary',
    {
      ...operator,
      schema: doc(
        'What the console shows: sources and last runs, queues and workers, throughput, recent articles, failures by reason, Redis and Elasticsearch status',
        { response: replies({ 200: consoleSummarySchema }) },
      ),
    },
    async () => {
      // Elasticsearch being away leaves the rest of the console readable: its parts come back empty.
      const [redis, search, perMinute, recent] = await Promise.all([
        deps.redis.ping().then(
          (r) => r === 'PONG',
          () => false,
        ),
        // The articles index's health, not the cluster's: a shared cluster may hold others' red indices.
        indexHealth(deps.es, deps.index).then(
          (h) => ({ up: true, colour: h === 'missing' ? null : h }),
          () => ({ up: false, colour: null }),
        ),
        articlesPerMinute(deps.es, deps.index, 30).catch(() => []),
        recentArticles(deps.es, deps.index, 10).catch(() => []),
      ]);
      const [sources, queues, workers, failures] = await Promise.all([
        deps.sources.list(),
        queueStats(deps.context),
        queueWorkers(deps.context),
        failuresByReason(deps.context, 1_000),
      ]);
      return {
        sources,
        queues,
        articlesPerMinute: perMinute,
        failures,
        recentArticles: recent,
        workers,
        status: { redis, elasticsearch: search.up, elasticsearchHealth: search.colour },
      };
    },
  );

  const html = consolePage({ signOut: deps.signOut });
  app.get('/console', { ...operator, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html').header('cache-control', 'no-store').send(html),
  );
  // The console's script is a file of its own: the content security policy runs no inline script.
  app.get('/console/app.js', { ...operator, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-store').send(CONSOLE_JS),
  );
}

/** The console page; `signOut` adds the sign-out button. Exported for the HTML validity test. */
export function consolePage(options: { signOut: boolean }): string {
  const signOut = options.signOut
    ? `<form method="post" action="/logout" class="inline"><button type="submit">Sign out</button></form>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Gazette console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px system-ui,sans-serif;margin:1.5rem auto;max-width:72rem;padding:0 1rem;color:#222}
h1{margin:0 0 .2rem}nav a{margin-right:1rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
th{background:#f5f5f5}.err{color:#b00}.ok{color:#070}.warn{color:#a60}.muted{color:#666}
form.grid{display:grid;grid-template-columns:11rem 1fr;gap:.4rem;max-width:46rem}
input,select,button,textarea{font:inherit;padding:.3rem}textarea{min-height:2.6rem}button{cursor:pointer}
:focus-visible{outline:3px solid #1a5fd0;outline-offset:2px}form.inline{display:inline}
.hint{grid-column:2;font-size:.85em;color:#666;margin:-.2rem 0 .2rem}
#chart svg{width:100%;max-width:46rem;height:auto}#chart .bar{fill:#3b6fc4}#chart .axis{stroke:#444}
#chart .grid{stroke:#ddd}#chart text{font-size:11px;fill:#333}#chart .title{font-size:12px;font-weight:600}
dl.status{display:flex;gap:2rem;margin:.4rem 0}dl.status dt{font-weight:600}dl.status dd{margin:0}
</style></head>
<body>
<header><h1>Gazette console</h1>
<nav aria-label="Other pages"><a href="${QUEUE_DASHBOARD}">Queue dashboard</a><a href="/docs">API docs</a>${signOut}</nav></header>
<main>
<p id="status" class="muted" role="status">loading…</p>
<section aria-labelledby="h-services"><h2 id="h-services">Services</h2>
<dl class="status"><div><dt>Redis</dt><dd id="redis-status">…</dd></div><div><dt>Elasticsearch</dt><dd id="es-status">…</dd></div></dl>
</section>

<section aria-labelledby="h-sources"><h2 id="h-sources">Sources</h2>
<table id="sources" aria-labelledby="h-sources"><thead><tr><th scope="col">source</th><th scope="col">schedule</th><th scope="col">next run</th><th scope="col">last run</th><th scope="col">actions</th></tr></thead><tbody></tbody></table>
<p id="source-result" role="status"></p>
</section>

<section aria-labelledby="h-throughput"><h2 id="h-throughput">Throughput: articles indexed per minute, last 30 minutes</h2>
<div id="chart"></div><p id="per-minute-total" class="muted"></p>
</section>

<section aria-labelledby="h-recent"><h2 id="h-recent">Recent articles</h2>
<table id="recent" aria-labelledby="h-recent"><thead><tr><th scope="col">title</th><th scope="col">site</th><th scope="col">indexed</th><th scope="col">record</th></tr></thead><tbody></tbody></table>
</section>

<section aria-labelledby="h-failures"><h2 id="h-failures">Failures by reason</h2>
<table id="failures" aria-labelledby="h-failures"><thead><tr><th scope="col">queue</th><th scope="col">reason</th><th scope="col">jobs</th><th scope="col">action</th></tr></thead><tbody></tbody></table>
<p id="replay-result" role="status"></p>
</section>

<section aria-labelledby="h-queues"><h2 id="h-queues">Queues and workers</h2>
<table id="queues" aria-labelledby="h-queues"><thead><tr><th scope="col">queue</th><th scope="col">workers</th><th scope="col">waiting</th><th scope="col">active</th><th scope="col">retrying</th><th scope="col">delayed</th><th scope="col">completed</th><th scope="col">failed</th><th scope="col">oldest waiting</th></tr></thead><tbody></tbody></table>
<p class="muted">Retrying: jobs that failed an attempt and wait for the next one. Delayed: jobs scheduled for later.</p>
</section>

<section aria-labelledby="h-add"><h2 id="h-add">Add a source</h2>
<form id="add-source" class="grid" aria-labelledby="h-add">
<label for="src-id">Id</label><input id="src-id" name="id" type="text" required pattern="${htmlPattern(SOURCE_ID_PATTERN)}" maxlength="64" placeholder="example-news" aria-describedby="src-id-hint">
<p class="hint" id="src-id-hint">lower case letters, digits, _ and -</p>
<label for="src-name">Name</label><input id="src-name" name="name" type="text" required placeholder="Example News">
<label for="src-seeds">Seed URLs</label><textarea id="src-seeds" name="seeds" placeholder="https://example.com/" aria-describedby="one-per-line"></textarea>
<label for="src-feeds">Feeds</label><textarea id="src-feeds" name="feeds" placeholder="https://example.com/feed.xml" aria-describedby="one-per-line"></textarea>
<label for="src-sitemaps">Sitemaps</label><textarea id="src-sitemaps" name="sitemaps" placeholder="https://example.com/sitemap.xml" aria-describedby="one-per-line"></textarea>
<label for="src-allow">Allow rules</label><textarea id="src-allow" name="allow" placeholder="/news/" aria-describedby="rules-hint"></textarea>
<label for="src-deny">Deny rules</label><textarea id="src-deny" name="deny" placeholder="/tag/|/author/" aria-describedby="rules-hint"></textarea>
<p class="hint" id="rules-hint">regular expressions over URLs, one per line; a link must match an allow rule when there are any, and never a deny rule</p>
<label for="src-depth">Max depth</label><input id="src-depth" name="maxDepth" type="number" min="0" max="20" value="2">
<label for="src-every">Every (minutes)</label><input id="src-every" name="every" type="number" min="1" value="15">
<p class="hint" id="one-per-line">URLs one per line (or comma-separated); give at least one seed, feed or sitemap</p>
<span></span><button type="submit">Add source</button>
</form>
<p id="form-result" role="alert"></p>
</section>
</main>
<script src="/console/app.js" defer></script>
</body></html>`;
}

const CONSOLE_JS = `const $ = (s) => document.querySelector(s);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'})[c]);
const when = (iso) => iso ? new Date(iso).toLocaleString() : '—';
const hhmm = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
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
/** A step of 1, 2 or 5 times a power of ten giving about four ticks up to max. */
function niceStep(max) {
  const raw = Math.max(1, max / 4);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
}
function chart(points) {
  const W = 720, H = 220, L = 56, R = 36, T = 12, B = 48;
  const w = W - L - R, h = H - T - B;
  const max = Math.max(1, ...points.map((p) => p.count));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const y = (v) => T + h - (v / top) * h;
  const bw = w / Math.max(1, points.length);
  let g = '';
  for (let v = 0; v <= top; v += step) {
    g += '<line class="grid" x1="' + L + '" x2="' + (L + w) + '" y1="' + y(v) + '" y2="' + y(v) + '"></line>' +
      '<text class="y-tick" x="' + (L - 6) + '" y="' + (y(v) + 4) + '" text-anchor="end">' + v + '</text>';
  }
  points.forEach((p, i) => {
    const bh = (p.count / top) * h;
    g += '<rect class="bar" x="' + (L + i * bw + 1) + '" y="' + (T + h - bh) + '" width="' + Math.max(1, bw - 2) + '" height="' + bh + '"><title>' + esc(hhmm(p.minute) + ': ' + p.count + ' articles') + '</title></rect>';
    if (i % 5 === 0 || (i === points.length - 1 && i % 5 >= 3))
      g += '<text class="x-tick" x="' + (L + i * bw + bw / 2) + '" y="' + (T + h + 16) + '" text-anchor="middle">' + esc(hhmm(p.minute)) + '</text>';
  });
  g += '<line class="axis" x1="' + L + '" x2="' + L + '" y1="' + T + '" y2="' + (T + h) + '"></line>' +
    '<line class="axis" x1="' + L + '" x2="' + (L + w) + '" y1="' + (T + h) + '" y2="' + (T + h) + '"></line>' +
    '<text class="title x-title" x="' + (L + w / 2) + '" y="' + (H - 8) + '" text-anchor="middle">time (minute, local clock)</text>' +
    '<text class="title y-title" transform="translate(14 ' + (T + h / 2) + ') rotate(-90)" text-anchor="middle">articles per minute</text>';
  const total = points.reduce((a, p) => a + p.count, 0);
  return '<svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="' + total + ' articles indexed in the last ' + points.length + ' minutes, at most ' + max + ' in one minute">' + g + '</svg>';
}
function workersCell(w) {
  if (!w) return '—';
  const title = w.workers.map((x) => x.addr + ' (' + x.ageSeconds + ' s)').join(', ');
  return '<span class="' + (w.count ? 'ok' : 'warn') + '" title="' + esc(title) + '">' + w.count + '</span>';
}
async function refresh() {
  try {
    const d = await api('/console/summary');
    $('#redis-status').innerHTML = d.status.redis ? '<span class="ok">up</span>' : '<span class="err">down</span>';
    $('#es-status').innerHTML = d.status.elasticsearch ? '<span class="' + (d.status.elasticsearchHealth === 'red' ? 'err' : 'ok') + '">up, ' + esc(d.status.elasticsearchHealth || 'no articles index yet') + '</span>' : '<span class="err">down</span>';
    $('#sources tbody').innerHTML = d.sources.map((s) =>
      '<tr data-source="' + esc(s.source.id) + '"><td><b>' + esc(s.source.name) + '</b><br><span class="muted">' + esc(s.source.id) + ' · ' + esc([...s.source.seeds, ...s.source.feeds, ...s.source.sitemaps].join(', ')) + '</span></td>' +
      '<td>' + esc(schedule(s)) + (s.paused ? ' <b>paused</b>' : '') + '</td><td>' + when(s.nextRunAt) + '</td>' +
      '<td class="last-run">' + lastRun(s.lastRun) + '</td>' +
      '<td><button type="button" data-act="run" aria-label="Run ' + esc(s.source.id) + ' now">Run now</button> <button type="button" data-act="' + (s.paused ? 'resume' : 'pause') + '" aria-label="' + (s.paused ? 'Resume ' : 'Pause ') + esc(s.source.id) + '">' + (s.paused ? 'Resume' : 'Pause') + '</button></td></tr>').join('') ||
      '<tr><td colspan="5" class="muted">no sources yet</td></tr>';
    $('#chart').innerHTML = chart(d.articlesPerMinute);
    const total = d.articlesPerMinute.reduce((a, m) => a + m.count, 0);
    $('#per-minute-total').textContent = total + ' articles indexed in the last 30 minutes';
    $('#recent tbody').innerHTML = d.recentArticles.map((a) => '<tr><td><a href="' + esc(a.url) + '" rel="noopener noreferrer">' + esc(a.title || a.url) + '</a></td><td>' + esc(a.site) + '</td><td>' + when(a.indexedAt) + '</td><td><a href="/articles/' + encodeURIComponent(a.id) + '">' + esc(a.id.slice(0, 12)) + '</a></td></tr>').join('') ||
      '<tr><td colspan="4" class="muted">no articles yet</td></tr>';
    $('#failures tbody').innerHTML = d.failures.map((f) => '<tr data-queue="' + esc(f.queue) + '" data-reason="' + esc(f.reason) + '"><td>' + esc(f.queue) + '</td><td>' + esc(f.reason) + '</td><td>' + f.count + '</td>' +
      '<td><button type="button" data-act="replay" aria-label="Replay the ' + f.count + ' ' + esc(f.queue) + ' jobs failed with ' + esc(f.reason) + '">Replay</button></td></tr>').join('') ||
      '<tr><td colspan="4" class="muted">no failed jobs</td></tr>';
    const workers = Object.fromEntries(d.workers.map((w) => [w.queue, w]));
    $('#queues tbody').innerHTML = d.queues.map((q) => '<tr data-queue="' + esc(q.queue) + '"><td>' + esc(q.queue) + '</td><td class="workers">' + workersCell(workers[q.queue]) + '</td><td>' + (q.waiting + q.prioritized) + '</td><td>' + q.active + '</td><td class="retrying">' + q.retrying + '</td><td>' + (q.delayed - q.retrying) + '</td><td>' + q.completed + '</td><td class="failed">' + q.failed + '</td><td>' + (q.oldestWaitingSeconds == null ? '—' : Math.round(q.oldestWaitingSeconds) + ' s') + '</td></tr>').join('');
    $('#status').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) { $('#status').textContent = 'could not load: ' + e.message; }
}
$('#sources').addEventListener('click', async (ev) => {
  const button = ev.target.closest('button[data-act]');
  if (!button) return;
  const id = button.closest('tr').dataset.source;
  try {
    const r = await api('/sources/' + encodeURIComponent(id) + '/' + button.dataset.act, { method: 'POST', body: '{}' });
    // "Run now" twice while the first run waits or discovers is one run: say which.
    if (button.dataset.act === 'run') $('#source-result').textContent = r.alreadyQueued ? 'a run of ' + id + ' is already queued or discovering (run ' + r.runId + '): no second one queued' : 'queued a run of ' + id + ' (run ' + r.runId + ')';
    await refresh();
  } catch (e) { $('#form-result').textContent = e.message; }
});
$('#failures').addEventListener('click', async (ev) => {
  const button = ev.target.closest('button[data-act=replay]');
  if (!button) return;
  const row = button.closest('tr');
  const { queue, reason } = row.dataset;
  button.disabled = true;
  try {
    const r = await api('/queues/' + encodeURIComponent(queue) + '/replay', { method: 'POST', body: JSON.stringify({ reason }) });
    $('#replay-result').textContent = 'replayed ' + r.replayed + ' of ' + r.matched + ' ' + queue + ' jobs failed with ' + reason;
    await refresh();
  } catch (e) { $('#replay-result').textContent = 'replay failed: ' + e.message; button.disabled = false; }
});
const lines = (v) => String(v ?? '').split(/[\\n,]/).map((s) => s.trim()).filter(Boolean);
const rules = (v) => String(v ?? '').split('\\n').map((s) => s.trim()).filter(Boolean);
$('#add-source').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const body = {
    source: {
      id: f.get('id'), name: f.get('name'), seeds: lines(f.get('seeds')), feeds: lines(f.get('feeds')), sitemaps: lines(f.get('sitemaps')),
      allow: rules(f.get('allow')), deny: rules(f.get('deny')), maxDepth: Number(f.get('maxDepth')),
    },
    schedule: { everyMs: Math.round(Number(f.get('every')) * 60000) },
  };
  if (!body.source.seeds.length && !body.source.feeds.length && !body.source.sitemaps.length) {
    $('#form-result').textContent = 'give at least one seed, feed or sitemap URL';
    return;
  }
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
