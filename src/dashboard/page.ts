/**
 * The one self-contained dashboard page. It lives in a .ts module (not a static file) so it ships
 * inside dist/ with no copy step. The Content-Security-Policy allows exactly this page's inline
 * script and style (by hash) and same-origin fetches: nothing else loads, nothing leaves.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PAGE_JS } from './page-script.js';
import { PAGE_CSS } from './page-style.js';

const hash = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

// uPlot (MIT, pinned in package.json) draws the time-series charts. Inlined, so the page still loads
// nothing from anywhere and the CSP can allow exactly these bytes by hash.
const require = createRequire(import.meta.url);
const UPLOT_JS = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
const STYLE = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8') + PAGE_CSS;
if (UPLOT_JS.includes('</script')) throw new Error('uPlot bundle cannot be inlined: it contains "</script"');

export const PAGE_CSP = [
  "default-src 'none'",
  `script-src ${hash(UPLOT_JS)} ${hash(PAGE_JS)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const th = (label: string, cls = ''): string => `<th scope="col"${cls ? ` class="${cls}"` : ''}>${label}</th>`;

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>modelpin dashboard</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>modelpin dashboard</h1>
  <p id="status" role="status" aria-live="polite">Loading…</p>
</header>
<main>
<section aria-labelledby="versions-h">
  <h2 id="versions-h">Model versions side by side</h2>
  <form class="controls" id="controls" aria-label="Filters">
    <span><label for="by">Group by</label><select id="by" name="by">
      <option value="served-model" selected>served model</option>
      <option value="route">route</option>
      <option value="target">target</option>
      <option value="arm">canary arm</option>
    </select></span>
    <span><label for="route">Route</label><select id="route" name="route"><option value="">All routes</option></select></span>
    <span><label for="env">Env</label><select id="env" name="env"><option value="">All envs</option></select></span>
    <span><label for="since">Window</label><select id="since" name="since">
      <option value="">server default</option>
      <option value="1h">last hour</option>
      <option value="6h">last 6 hours</option>
      <option value="24h">last 24 hours</option>
      <option value="7d">last 7 days</option>
      <option value="30d">last 30 days</option>
    </select></span>
  </form>
  <table id="versions">
    <caption id="versions-caption">Loading usage…</caption>
    <thead><tr>
      <th scope="col" id="versions-key">Served model</th>
      ${th('Requests', 'num')}${th('Error rate', 'num')}${th('p50 latency', 'num')}${th('p95 latency', 'num')}
      ${th('Cost / request', 'num')}${th('Total cost', 'num')}${th('Tokens in', 'num')}${th('Tokens out', 'num')}
      <th scope="col" id="versions-served" hidden>Served models</th>
    </tr></thead>
    <tbody id="versions-body"></tbody>
  </table>
  <p id="versions-note" class="muted" hidden></p>
  <div id="drill" hidden>
    <h3 id="drill-h" tabindex="-1"></h3>
    <button type="button" id="drill-close">Close</button>
    <p id="drill-caption" class="muted"></p>
    <table id="drill-requests">
      <caption>Most recent requests, newest first</caption>
      <thead><tr>${th('Time')}${th('Route')}${th('Env')}${th('Status', 'num')}${th('Latency', 'num')}${th('Tokens in / out', 'num')}${th('Cost', 'num')}${th('Error code')}</tr></thead>
      <tbody id="drill-requests-body"></tbody>
    </table>
    <table id="drill-cases">
      <caption id="drill-cases-caption">Eval cases in the latest runs</caption>
      <thead><tr>${th('Run')}${th('Env')}${th('Case')}${th('Result')}${th('Score', 'num')}${th('Answer')}${th('Why it failed')}</tr></thead>
      <tbody id="drill-cases-body"></tbody>
    </table>
  </div>
  <h3 id="trend-h">Over time</h3>
  <p id="trend-caption" class="muted"></p>
  <ul id="trend-legend" class="legend" aria-label="Lines"></ul>
  <div id="trend" class="charts" aria-labelledby="trend-h"></div>
</section>
<section aria-labelledby="canaries-h">
  <h2 id="canaries-h">Canaries</h2>
  <table id="canaries">
    <caption>Both arms since the current ramp step started; the next decision for running canaries, the reason otherwise.</caption>
    <thead><tr>${th('Route')}${th('Status')}${th('Canary share', 'num')}${th('Ramp')}${th('Stable arm')}${th('Canary arm')}${th('Next / reason')}</tr></thead>
    <tbody id="canaries-body"></tbody>
  </table>
</section>
<section aria-labelledby="overrides-h">
  <h2 id="overrides-h">Runtime overrides</h2>
  <table id="overrides">
    <thead><tr>${th('Route')}${th('Env')}${th('Target')}${th('Reason')}${th('Actor')}${th('Set')}${th('Expires')}${th('State')}</tr></thead>
    <tbody id="overrides-body"></tbody>
  </table>
</section>
<section aria-labelledby="sentinel-h">
  <h2 id="sentinel-h">Served-model alerts</h2>
  <table id="sentinel">
    <caption>The model that actually answered changed behind a target (newest first).</caption>
    <thead><tr>${th('When')}${th('Route')}${th('Target')}${th('Change')}${th('Before')}${th('Now')}</tr></thead>
    <tbody id="sentinel-body"></tbody>
  </table>
</section>
<section aria-labelledby="history-h">
  <h2 id="history-h">Eval streaks</h2>
  <p id="history-caption" class="muted"></p>
  <div class="grid2">
  <div class="scroll">
  <table id="streaks">
    <caption>Per route and environment</caption>
    <thead><tr>${th('Route')}${th('Env')}${th('Streak', 'num')}${th('Last run')}${th('Failing days')}</tr></thead>
    <tbody id="streaks-body"></tbody>
  </table>
  </div>
  <div class="scroll">
  <table id="snapshots">
    <caption>Per served snapshot (runs where it was the only model served)</caption>
    <thead><tr>${th('Route')}${th('Served snapshot')}${th('Streak', 'num')}${th('Last run')}${th('Failing days')}</tr></thead>
    <tbody id="snapshots-body"></tbody>
  </table>
  </div>
  </div>
  <h3 id="runs-h">Runs per day (last 14 days)</h3>
  <table id="runs" aria-labelledby="runs-h">
    <thead><tr>${th('Day')}${th('Route')}${th('Env')}${th('Served')}${th('Result')}${th('Cases', 'num')}${th('Cost', 'num')}</tr></thead>
    <tbody id="runs-body"></tbody>
  </table>
</section>
<section aria-labelledby="audit-h">
  <h2 id="audit-h">Recent audit log</h2>
  <table id="audit">
    <thead><tr>${th('When')}${th('Actor')}${th('Action')}${th('Route')}${th('Detail')}</tr></thead>
    <tbody id="audit-body"></tbody>
  </table>
</section>
</main>
<script>${UPLOT_JS}</script>
<script>${PAGE_JS}</script>
</body>
</html>
`;
