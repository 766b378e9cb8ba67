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
import { usage } from '../store/fixtures.js';
import { NOW, seededStore } from './seed.js';

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
    throw new Error(`the dashboard browser test needs Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`);
  }
  ({ store, dir } = await seededStore());
  const clock = new ManualClock(NOW);
  server = await createDashboardServer({ store, clock, port: 0 });
  guarded = await createDashboardServer({ store, clock, port: 0, token: TOKEN });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
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
  await page.clock.install({ time: NOW });
  await page.goto(url);
  return { page, problems, offOrigin };
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
    expect(await page.getAttribute('#versions-body tr[data-key="sim-mini-2026-03-01"] td:nth-of-type(5)', 'class')).toContain('unknown');
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
    expect(await tableText(page, '#sentinel-body')).toEqual([['2026-11-23 12:00Z', 'summarize', 'sim/sim-chat-latest', 'served model changed', 'sim-chat-2026-01-15', 'sim-chat-2026-11-25']]);
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
    await store.insertUsage([usage({ ts: NOW - 1000, route: 'classify', target: 'sim/sim-mini-2026-03-01', servedModel: 'sim-mini-latest-probe', costUsd: null })]);
    expect(await page.$('#versions-body tr[data-key="sim-mini-latest-probe"]')).toBeNull();
    await page.clock.runFor(5_000);
    await page.waitForSelector('#versions-body tr[data-key="sim-mini-latest-probe"]');
    await page.screenshot({ path: join(shots, 'dashboard-dark.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws each version over time, one line per version in every chart', async () => {
    // Two hours of a new version, so it has a line (two buckets) rather than a single point.
    await store.insertUsage([
      usage({ ts: NOW - 5 * 3_600_000, servedModel: 'sim-trend-probe', outputTokens: 40, costUsd: 0.002 }),
      usage({ ts: NOW - 4 * 3_600_000, servedModel: 'sim-trend-probe', outputTokens: 60, costUsd: 0.002 }),
    ]);
    const { page, problems } = await open(server.url);
    await page.waitForSelector('#trend figure[data-chart="tokens"] polyline[data-key="sim-trend-probe"]');
    const legend = await page.$$eval('#trend-legend li', (lis) => lis.map((li) => (li as unknown as CellLike).textContent));
    expect(legend).toContain('sim-chat-2026-01-15');
    expect(legend).toContain('sim-trend-probe');
    expect(await page.locator('#trend figure').count()).toBe(4);
    for (const chart of ['cost', 'p95', 'errors', 'tokens']) {
      expect(await page.locator(`#trend figure[data-chart="${chart}"] polyline[data-key="sim-trend-probe"]`).count(), chart).toBe(1);
    }
    // No price, no point: the unpriced version is missing from the cost chart only.
    expect(await page.locator('#trend svg[data-chart="cost"] [data-key="sim-mini-2026-03-01"]').count()).toBe(0);
    expect(await page.locator('#trend svg[data-chart="tokens"] [data-key="sim-mini-2026-03-01"]').count()).toBe(1);
    const label = await page.getAttribute('#trend svg[data-chart="tokens"]', 'aria-label');
    expect(label).toContain('sim-trend-probe 40.0 to 60.0');
    expect(label).toContain('sim-chat-2026-01-15 50.0');
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
