/**
 * The page in a real headless Chromium: it loads, renders the seeded numbers, reacts to the
 * selectors, refreshes on its timer, makes no request off its own origin and logs no errors.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createDashboardServer, type DashboardServer } from '../../src/dashboard/server.js';
import type { Store } from '../../src/store/types.js';
import { run, usage } from '../store/fixtures.js';
import { CANDIDATE, NOW, seededStore } from './seed.js';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'browser-test-token';

let store: Store;
let dir: string;
let server: DashboardServer;
let guarded: DashboardServer;
let browser: Browser;
const shots = mkdtempSync(join(tmpdir(), 'modelpin-dashboard-shots-'));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the dashboard browser test needs Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`,
    );
  }
  ({ store, dir } = await seededStore());
  const clock = new ManualClock(NOW);
  server = await createDashboardServer({ store, clock, port: 0 });
  guarded = await createDashboardServer({ store, clock, port: 0, token: TOKEN });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await guarded?.close();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  problems: string[];
  offOrigin: string[];
}

async function open(url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Watched> {
  const page = await browser.newPage({ colorScheme, viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  const offOrigin: string[] = [];
  const origin = new URL(url).origin;
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) offOrigin.push(r.url());
  });
  // Init scripts run outside the page's CSP, so the listener sees every violation the page causes.
  await page.addInitScript(() => {
    const g = globalThis as unknown as {
      addEventListener(t: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void;
      cspViolations: string[];
    };
    g.cspViolations = [];
    g.addEventListener('securitypolicyviolation', (e) =>
      g.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.clock.install({ time: NOW });
  await page.goto(url);
  return { page, problems, offOrigin };
}

function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations);
}

interface CellLike {
  hidden: boolean;
  textContent: string | null;
}

/** Visible cell texts per row. (No DOM lib in this tsconfig: cells are typed structurally.) */
function tableText(page: Page, tbody: string): Promise<string[][]> {
  return page.$$eval(`${tbody} tr`, (rows) =>
    rows.map((r) =>
      Array.from((r as unknown as { children: ArrayLike<CellLike> }).children)
        .filter((c) => !c.hidden)
        .map((c) => (c.textContent ?? '').trim()),
    ),
  );
}

/** Polled from Node: the page's CSP (rightly) forbids the string-eval form of waitForFunction. */
async function waitForRows(page: Page, n: number): Promise<void> {
  await expect.poll(() => page.locator('#versions-body tr[data-key]').count(), { timeout: 10_000 }).toBe(n);
}

interface Ink {
  /** Share of the plot width between the series colour's leftmost and rightmost pixel. */
  lineSpan: number;
  /** Share of pixel columns inside that span that carry the colour (a line ~1, dots much lower). */
  lineCoverage: number;
  /** Pixels of the tick-label colour below the plot (x axis) and left of it (y axis). */
  xAxisText: number;
  yAxisText: number;
}

/** Reads what the chart's canvas actually shows: no trust in the chart library's own bookkeeping. */
function chartInk(page: Page, fig: string, key: string): Promise<Ink> {
  return page.$eval(
    fig,
    (node, k) => {
      interface Box {
        left: number;
        top: number;
        width: number;
        height: number;
      }
      interface Canvas {
        width: number;
        height: number;
        getBoundingClientRect(): Box;
        getContext(t: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
      }
      interface El {
        getBoundingClientRect(): Box;
        querySelector(s: string): El | null;
      }
      const g = globalThis as unknown as {
        getComputedStyle(e: unknown): { backgroundColor: string; color: string };
        document: { querySelector(s: string): El | null };
      };
      const figure = node as unknown as El;
      const canvas = figure.querySelector('canvas') as unknown as Canvas;
      const over = figure.querySelector('.u-over');
      const swatch = g.document.querySelector(`#trend-legend li[data-key="${k}"] .swatch`);
      const muted = g.document.querySelector('#trend-caption');
      if (!canvas || !over || !swatch || !muted) throw new Error('chart parts missing');
      const rgb = (css: string): number[] => (css.match(/\d+/g) ?? []).slice(0, 3).map(Number);
      const want = rgb(g.getComputedStyle(swatch).backgroundColor);
      const text = rgb(g.getComputedStyle(muted).color);
      const cr = canvas.getBoundingClientRect();
      const or = over.getBoundingClientRect();
      const scale = canvas.width / cr.width;
      const img = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const near = (x: number, y: number, c: number[], tol: number): boolean => {
        const i = (y * canvas.width + x) * 4;
        return (
          Math.abs((img[i] ?? 0) - (c[0] ?? 0)) +
            Math.abs((img[i + 1] ?? 0) - (c[1] ?? 0)) +
            Math.abs((img[i + 2] ?? 0) - (c[2] ?? 0)) <
            tol && (img[i + 3] ?? 0) > 200
        );
      };
      const x0 = Math.round((or.left - cr.left) * scale);
      const y0 = Math.round((or.top - cr.top) * scale);
      const w = Math.round(or.width * scale);
      const h = Math.round(or.height * scale);
      const cols: number[] = [];
      for (let x = x0; x < x0 + w; x++) {
        for (let y = y0; y < y0 + h; y++) {
          if (near(x, y, want, 40)) {
            cols.push(x);
            break;
          }
        }
      }
      const min = Math.min(...cols);
      const max = Math.max(...cols);
      let xAxisText = 0;
      for (let y = y0 + h + 2; y < canvas.height; y++)
        for (let x = x0; x < x0 + w; x++) if (near(x, y, text, 90)) xAxisText++;
      let yAxisText = 0;
      for (let y = y0; y < y0 + h; y++) for (let x = 0; x < x0 - 2; x++) if (near(x, y, text, 90)) yAxisText++;
      return {
        lineSpan: cols.length ? (max - min) / w : 0,
        lineCoverage: cols.length ? cols.length / (max - min + 1) : 0,
        xAxisText,
        yAxisText,
      };
    },
    key,
  );
}

describe('dashboard page in Chromium', () => {
  it('renders versions side by side, switches grouping and route, and shows the state panels', async () => {
    const { page, problems, offOrigin } = await open(server.url);
    await page.waitForSelector('#versions-body tr[data-key="sim-chat-2026-01-15"]');
    expect(await tableText(page, '#versions-body')).toEqual([
      // Percentiles come from rollup histograms (within 2% of exact): 400 ms reads 396 ms, 150 ms reads 151 ms.
      ['sim-chat-2026-01-15', '4', '0.0% (0)', '200 ms', '396 ms', '$0.00100', '$0.00400', '400', '200'],
      ['sim-chat-2026-12-10', '2', '50.0% (1)', '151 ms', '250 ms', '$0.000800', '$0.00160', '180', '80'],
      ['sim-mini-2026-03-01', '1', '0.0% (0)', '80 ms', '80 ms', 'unknown', 'unknown', '20', '5'],
    ]);
    expect(await page.textContent('#versions-key')).toBe('Served model');
    expect(
      await page.getAttribute('#versions-body tr[data-key="sim-mini-2026-03-01"] td:nth-of-type(5)', 'class'),
    ).toContain('unknown');
    // The window selector adopts the server's default.
    expect(await page.inputValue('#since')).toBe('24h');

    await page.selectOption('#by', 'arm');
    await page.waitForSelector('#versions-body tr[data-key="stable"]');
    expect(await page.textContent('#versions-key')).toBe('Arm');
    const arms = await tableText(page, '#versions-body');
    expect(arms.map((r) => [r[0], r[1], r[2], r[9]])).toEqual([
      ['stable', '4', '0.0% (0)', 'sim-chat-2026-01-15'],
      ['canary', '2', '50.0% (1)', 'sim-chat-2026-12-10'],
      ['(none)', '1', '0.0% (0)', 'sim-mini-2026-03-01'],
    ]);

    await page.selectOption('#route', 'classify');
    await waitForRows(page, 1);
    expect((await tableText(page, '#versions-body'))[0]?.slice(0, 2)).toEqual(['(none)', '1']);
    expect(await page.textContent('#versions-caption')).toContain('route classify');

    const canaries = await tableText(page, '#canaries-body');
    expect(canaries[0]?.slice(0, 4)).toEqual(['summarize (production)', 'running', '10%', '10 → 50 → 100']);
    expect(canaries[0]?.[5]).toContain('n=2 · errors 50.0% · p95 250 ms');
    expect(canaries[1]?.[6]).toBe('error rate 40.0% vs stable 0.0%');
    const overrides = await tableText(page, '#overrides-body');
    expect(overrides.map((r) => [r[0], r[7]])).toEqual([
      ['classify', 'expired'],
      ['summarize', 'active'],
    ]);
    expect(await tableText(page, '#sentinel-body')).toEqual([
      [
        '2026-11-23 12:00Z',
        'summarize',
        'sim/sim-chat-latest',
        'served model changed',
        'sim-chat-2026-01-15',
        'sim-chat-2026-11-25',
      ],
    ]);
    expect(await page.textContent('#audit-body')).toContain('[redacted]');

    await page.selectOption('#route', '');
    await waitForRows(page, 3);
    const streaks = await tableText(page, '#streaks-body');
    expect(streaks.map((r) => r.slice(0, 3))).toEqual([
      ['summarize', 'production', '1 day'],
      ['summarize', 'staging', '4 days'],
    ]);
    expect((await tableText(page, '#snapshots-body')).map((r) => [r[1], r[2]])).toEqual([
      ['sim-chat-2026-01-15', '1 day'],
      ['sim-chat-2026-12-10', '4 days'],
    ]);

    const shot = join(shots, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
    expect(offOrigin).toEqual([]);
    await page.close();
  });

  it('refreshes on its 5 s timer', async () => {
    const { page, problems } = await open(server.url, 'dark');
    await page.waitForSelector('#versions-body tr[data-key="sim-mini-2026-03-01"]');
    await store.insertUsage([
      usage({
        ts: NOW - 1000,
        route: 'classify',
        target: 'sim/sim-mini-2026-03-01',
        servedModel: 'sim-mini-latest-probe',
        costUsd: null,
      }),
    ]);
    expect(await page.$('#versions-body tr[data-key="sim-mini-latest-probe"]')).toBeNull();
    await page.clock.runFor(5_000);
    await page.waitForSelector('#versions-body tr[data-key="sim-mini-latest-probe"]');
    await page.screenshot({ path: join(shots, 'dashboard-dark.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws each version as a line across the window, with axes, tick labels and hover values', async () => {
    // A version with traffic in every hour of the 24 h window: its line must span the plot.
    await store.insertUsage(
      Array.from({ length: 23 }, (_, k) =>
        usage({
          ts: NOW - (k + 1) * 3_600_000 + 60_000,
          servedModel: 'sim-trend-probe',
          outputTokens: 40 + k,
          costUsd: 0.002,
          latencyMs: 100 + 10 * k,
        }),
      ),
    );
    const { page, problems } = await open(server.url);
    await page.waitForSelector('#trend figure[data-chart="tokens"] canvas');
    await expect
      .poll(() => page.getAttribute('#trend figure[data-chart="tokens"]', 'data-series'))
      .toContain('sim-trend-probe');
    expect(await page.locator('#trend figure').count()).toBe(4);
    for (const chart of ['cost', 'p95', 'errors', 'tokens']) {
      const fig = `#trend figure[data-chart="${chart}"]`;
      const series = ((await page.getAttribute(fig, 'data-series')) ?? '').split('\n');
      expect(series, chart).toContain('sim-trend-probe');
      const ink = await chartInk(page, fig, 'sim-trend-probe');
      // A line, not a dot at the right edge: it covers more than half the plot width, without breaks.
      expect(ink.lineSpan, `${chart} line span`).toBeGreaterThan(0.5);
      expect(ink.lineCoverage, `${chart} line continuity`).toBeGreaterThan(0.9);
      // Axes: tick labels drawn below the plot (time) and left of it (values).
      expect(ink.xAxisText, `${chart} x tick labels`).toBeGreaterThan(40);
      expect(ink.yAxisText, `${chart} y tick labels`).toBeGreaterThan(40);
    }
    // No price, no line: the unpriced version is missing from the cost chart only.
    expect(await page.getAttribute('#trend figure[data-chart="cost"]', 'data-series')).not.toContain(
      'sim-mini-2026-03-01',
    );
    expect(await page.getAttribute('#trend figure[data-chart="tokens"]', 'data-series')).toContain(
      'sim-mini-2026-03-01',
    );
    const label = await page.getAttribute('#trend figure[data-chart="tokens"] .plot', 'aria-label');
    expect(label).toContain('sim-trend-probe 62.0 to 40.0');

    // Hover: a tooltip with the bucket's time and each version's value there.
    const over = await page.locator('#trend figure[data-chart="tokens"] .u-over').boundingBox();
    if (!over) throw new Error('no plot area');
    await page.mouse.move(over.x + over.width * 0.5, over.y + over.height * 0.5);
    const tip = page.locator('#trend figure[data-chart="tokens"] .tip');
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.locator('b').textContent()).toMatch(/^11-2[23] \d\d:00Z \(\d+ req\)$/);
    expect(await tip.locator('span[data-key="sim-trend-probe"]').textContent()).toMatch(/^sim-trend-probe: \d+\.\d$/);
    await page.mouse.move(2, 2);
    await expect.poll(() => tip.isVisible()).toBe(false);

    await page.screenshot({ path: join(shots, 'dashboard-charts.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  for (const width of [1400, 1000]) {
    it(`lays out without overlap at ${width} px (streak tables, sections, charts)`, async () => {
      const { page, problems } = await open(server.url);
      await page.setViewportSize({ width, height: 900 });
      await page.waitForSelector('#snapshots-body tr');
      await page.waitForSelector('#trend figure canvas');
      const overlaps = await page.evaluate(() => {
        interface Box {
          left: number;
          right: number;
          top: number;
          bottom: number;
        }
        interface Node {
          id: string;
          tagName: string;
          getBoundingClientRect(): Box;
        }
        const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<Node> } }).document;
        const groups = [
          ['#streaks', '#snapshots'],
          ['main > section'],
          ['#trend > figure'],
          ['#trend canvas'],
          ['#versions, #drill, #trend-h, #trend'],
        ];
        const out: string[] = [];
        for (const sels of groups) {
          const els = Array.from(doc.querySelectorAll(sels.join(', ')));
          for (let i = 0; i < els.length; i++) {
            for (let j = i + 1; j < els.length; j++) {
              const a = els[i]?.getBoundingClientRect();
              const b = els[j]?.getBoundingClientRect();
              if (!a || !b || a.right - a.left === 0 || b.right - b.left === 0) continue;
              const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
              const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
              if (x > 0.5 && y > 0.5)
                out.push(
                  `${els[i]?.tagName}#${els[i]?.id} / ${els[j]?.tagName}#${els[j]?.id}: ${x.toFixed(0)}x${y.toFixed(0)}`,
                );
            }
          }
        }
        // Each chart stays inside its own figure.
        for (const fig of Array.from(doc.querySelectorAll('#trend > figure'))) {
          const f = fig.getBoundingClientRect();
          const c = (fig as unknown as { querySelector(s: string): Node | null })
            .querySelector('canvas')
            ?.getBoundingClientRect();
          if (!c || c.left < f.left - 0.5 || c.right > f.right + 0.5)
            out.push(`canvas outside figure ${fig.tagName}: ${JSON.stringify([c, f])}`);
        }
        return out;
      });
      expect(overlaps).toEqual([]);
      await page.screenshot({ path: join(shots, `dashboard-${width}.png`), fullPage: true });
      expect(problems).toEqual([]);
      expect(await cspViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it('opens a version drill-down with its recent requests and its eval cases with answers', async () => {
    await store.insertEvalRun(
      run({
        id: 'drill-run',
        startedAt: NOW - 30 * 60_000,
        env: 'staging',
        servedModels: ['sim-chat-2026-12-10'],
        passed: false,
        totalCases: 2,
        passedCases: 1,
        failedCases: 1,
        cases: [
          {
            caseId: 'json-fence',
            route: 'summarize',
            target: CANDIDATE,
            servedModel: 'sim-chat-2026-12-10',
            passed: false,
            errored: false,
            score: 0,
            inputTokens: 10,
            outputTokens: 12,
            costUsd: 0.0001,
            latencyMs: 120,
            reasons: ['is-json: not JSON'],
            answer: '```json\n{"ok": true}\n```',
          },
          {
            caseId: 'tone',
            route: 'summarize',
            target: CANDIDATE,
            servedModel: 'sim-chat-2026-12-10',
            passed: true,
            errored: false,
            score: 1,
            inputTokens: 10,
            outputTokens: 8,
            costUsd: 0.0001,
            latencyMs: 110,
            reasons: [],
          },
        ],
      }),
    );
    const { page, problems } = await open(server.url);
    await page.click('#versions-body button.pick[data-key="sim-chat-2026-12-10"]');
    await page.waitForSelector('#drill[data-loaded="sim-chat-2026-12-10"]');
    expect(await page.isVisible('#drill')).toBe(true);
    expect(await page.textContent('#drill-h')).toBe('sim-chat-2026-12-10');
    // Newest first: the 502 came after the 200.
    expect(await tableText(page, '#drill-requests-body')).toEqual([
      ['2026-11-23 12:00Z', 'summarize', 'production', '502', '250 ms', '90 / 40', '$0.000800', 'upstream_error'],
      ['2026-11-23 12:00Z', 'summarize', 'production', '200', '150 ms', '90 / 40', '$0.000800', '-'],
    ]);
    const cases = await tableText(page, '#drill-cases-body');
    expect(cases.map((r) => r.slice(1))).toEqual([
      ['staging', 'json-fence', 'FAIL', '0.00', '```json\n{"ok": true}\n```', 'is-json: not JSON'],
      ['staging', 'tone', 'pass', '1.00', '(not recorded in this run)', '-'],
    ]);
    expect(await page.getAttribute('#versions-body tr[data-key="sim-chat-2026-12-10"]', 'class')).toContain('picked');
    await page.screenshot({ path: join(shots, 'dashboard-drill.png'), fullPage: true });
    await page.click('#drill-close');
    expect(await page.isVisible('#drill')).toBe(false);
    expect(problems).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('shows requests no model answered apart, muted and out of the error-rate chart', async () => {
    await store.insertUsage([
      usage({
        ts: NOW - 120_000,
        route: 'nosuch',
        target: '',
        provider: '',
        servedModel: null,
        status: 404,
        errorCode: 'unknown_route',
        costUsd: null,
        inputTokens: 0,
        outputTokens: 0,
      }),
    ]);
    const { page, problems } = await open(server.url);
    const row = page.locator('#versions-body tr[data-key="(none)"]');
    await row.waitFor();
    expect(await row.getAttribute('class')).toContain('rejected');
    expect(await row.locator('th').textContent()).toBe('no model answered');
    expect(await row.locator('td').nth(1).textContent()).toBe('100.0% (1)');
    expect(await row.locator('td.bad').count()).toBe(0);
    expect(await page.textContent('#versions-note')).toContain('refused before routing');
    await page.waitForSelector('#trend figure[data-chart="errors"] canvas');
    expect(await page.getAttribute('#trend figure[data-chart="errors"]', 'data-series')).not.toContain('(none)');
    expect(await page.getAttribute('#trend figure[data-chart="p95"]', 'data-series')).toContain('(none)');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('works behind a token opened as ?token=, then drops it from the address bar', async () => {
    const { page, problems } = await open(`${guarded.url}?token=${TOKEN}`);
    await page.waitForSelector('#versions-body tr[data-key]');
    expect(page.url()).not.toContain(TOKEN);
    expect(await page.content()).not.toContain(TOKEN);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('without the token the page itself is refused', async () => {
    const page = await browser.newPage();
    const res = await page.goto(guarded.url);
    expect(res?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('needs a token');
    await page.close();
  });
});
