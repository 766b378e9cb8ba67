/**
 * The Grafana dashboard, checked offline: its structure (zod), every PromQL expression parsed by
 * promtool (as recording rules), and every metric and label it reads exported by a live
 * `modelpin serve`. The rule file's metrics are checked against the same gateway.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify, parse } from 'yaml';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, prometheusBinaries, run, tempDir, waitFor } from './prometheus-tools.js';
import { startServe, stopChild, type ServeProcess } from '../support/serve-process.js';
import {
  family,
  metricNames,
  readExposition,
  SCRAPE_LABELS,
  selectors,
  withGrafanaVariables,
  type Exposition,
} from './promql.js';

const DASHBOARD = join(EXAMPLES, 'grafana/modelpin-dashboard.json');
const RULES = join(EXAMPLES, 'prometheus/modelpin-rules.yml');

const datasource = z.object({ type: z.literal('prometheus'), uid: z.literal('${datasource}') });
const gridPos = z
  .object({
    x: z.number().int().min(0).max(23),
    y: z.number().int().min(0),
    w: z.number().int().min(1).max(24),
    h: z.number().int().min(1),
  })
  .refine((g) => g.x + g.w <= 24, 'a panel wider than the grid');
const target = z.object({
  refId: z.string().min(1),
  datasource,
  expr: z.string().min(1),
  legendFormat: z.string().optional(),
});
const rowPanel = z.object({
  id: z.number().int(),
  type: z.literal('row'),
  title: z.string().min(1),
  gridPos,
  collapsed: z.boolean(),
  panels: z.array(z.unknown()).length(0),
});
const vizPanel = z.object({
  id: z.number().int(),
  type: z.enum(['timeseries', 'state-timeline', 'bargauge', 'stat', 'table']),
  title: z.string().min(1),
  description: z.string().min(1),
  datasource,
  gridPos,
  targets: z.array(target).min(1),
  fieldConfig: z.object({ defaults: z.looseObject({ unit: z.string() }), overrides: z.array(z.unknown()) }),
  options: z.record(z.string(), z.unknown()),
});
const queryVariable = z.object({
  name: z.string(),
  type: z.literal('query'),
  datasource,
  query: z.object({ query: z.string().startsWith('label_values(') }),
  includeAll: z.literal(true),
  multi: z.literal(true),
  allValue: z.literal('.*'),
});
const dashboardSchema = z.object({
  title: z.string().min(1),
  uid: z.string().regex(/^[a-z0-9-]{1,40}$/),
  schemaVersion: z.number().int().min(36),
  editable: z.boolean(),
  time: z.object({ from: z.string(), to: z.string() }),
  templating: z.object({
    list: z.tuple([
      z.object({ name: z.literal('datasource'), type: z.literal('datasource'), query: z.literal('prometheus') }),
      queryVariable,
      queryVariable,
    ]),
  }),
  annotations: z.object({
    list: z.array(
      z.union([
        z.looseObject({ builtIn: z.literal(1) }),
        z
          .object({
            name: z.string(),
            datasource,
            enable: z.boolean(),
            expr: z.string().min(1),
            titleFormat: z.string(),
          })
          .loose(),
      ]),
    ),
  }),
  panels: z.array(z.union([rowPanel, vizPanel])).min(10),
});
type Dashboard = z.infer<typeof dashboardSchema>;

const dashboard: Dashboard = dashboardSchema.parse(JSON.parse(readFileSync(DASHBOARD, 'utf8')));

/** Every PromQL expression in the dashboard, with where it sits. */
function expressions(d: Dashboard): Array<{ where: string; expr: string }> {
  const out: Array<{ where: string; expr: string }> = [];
  for (const p of d.panels)
    if (p.type !== 'row') for (const t of p.targets) out.push({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr });
  for (const a of d.annotations.list)
    if ('expr' in a && typeof a.expr === 'string') out.push({ where: `annotation "${String(a.name)}"`, expr: a.expr });
  for (const v of d.templating.list)
    if (v.type === 'query')
      out.push({ where: `variable ${v.name}`, expr: v.query.query.replace(/^label_values\((.*),\s*\w+\)$/, '$1') });
  return out;
}

const ruleExprs = z
  .object({
    groups: z.array(
      z.object({
        rules: z.array(
          z.looseObject({ expr: z.string(), alert: z.string().optional(), record: z.string().optional() }),
        ),
      }),
    ),
  })
  .parse(parse(readFileSync(RULES, 'utf8')))
  .groups.flatMap((g) => g.rules.map((r) => ({ where: `rule ${r.alert ?? r.record ?? '?'}`, expr: r.expr })));

describe('Grafana dashboard structure', () => {
  it('has unique panel ids, non-overlapping panels and a datasource on every query', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          const cell = `${x},${y}`;
          expect(cells.has(cell), `panel "${p.title}" overlaps another at ${cell}`).toBe(false);
          cells.add(cell);
        }
      }
      if (p.type !== 'row') expect(new Set(p.targets.map((t) => t.refId)).size).toBe(p.targets.length);
    }
  });

  it('filters every panel by the env variable, and by route wherever the metric has a route label', () => {
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'env', 'route']);
    for (const { where, expr } of expressions(dashboard).filter((e) => !e.where.startsWith('variable env'))) {
      expect(expr, where).toContain('env=~"$env"');
    }
    const routed = expressions(dashboard).filter(
      (e) =>
        /modelpin_(requests|tokens|cost|unpriced|request_duration|ttft|served_model|sentinel|canary|target_retirement)/.test(
          e.expr,
        ) && !e.where.startsWith('variable'),
    );
    expect(routed.length).toBeGreaterThan(12);
    for (const { where, expr } of routed) expect(expr, where).toContain('route=~"$route"');
  });

  it('shows each version side by side: the per-version panels split by route and target', () => {
    const titles = dashboard.panels.filter((p) => p.type !== 'row').map((p) => p.title);
    for (const t of [
      'Requests per second by version',
      'Error rate by version',
      'Latency p50 by version',
      'Latency p95 by version',
      'Tokens per second by version',
      'Cost per hour by version (USD)',
      'Served model changes',
      'Canary traffic share',
    ]) {
      expect(titles).toContain(t);
    }
    for (const p of dashboard.panels) {
      if (p.type === 'row' || (!p.title.endsWith('by version') && !p.title.includes('by version ('))) continue;
      for (const t of p.targets) expect(t.expr, p.title).toMatch(/by \(route, target\b/);
    }
  });
});

const found = prometheusBinaries();
if (found.missing) console.warn(`skipping promtool checks of the dashboard: ${found.missing}`);

describe.skipIf(found.bins === null)('dashboard PromQL parsed by promtool', () => {
  it('every expression is valid PromQL (checked as a recording rule)', () => {
    const tmp = tempDir('modelpin-dash-');
    try {
      const rules = expressions(dashboard).map(({ expr }, i) => ({
        record: `dashboard:expr_${i}`,
        expr: withGrafanaVariables(expr),
      }));
      writeFileSync(join(tmp.dir, 'dashboard-rules.yml'), stringify({ groups: [{ name: 'dashboard', rules }] }));
      const r = run(found.bins?.promtool ?? 'promtool', ['check', 'rules', 'dashboard-rules.yml'], tmp.dir);
      expect(r.out).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(r.code).toBe(0);
      // The check is real: a broken expression fails it.
      writeFileSync(
        join(tmp.dir, 'broken.yml'),
        stringify({
          groups: [{ name: 'b', rules: [{ record: 'x', expr: 'sum by (route (rate(modelpin_requests_total[5m]))' }] }],
        }),
      );
      expect(run(found.bins?.promtool ?? 'promtool', ['check', 'rules', 'broken.yml'], tmp.dir).code).not.toBe(0);
    } finally {
      tmp.remove();
    }
  });
});

const MODELS = `version: 1
providers:
  sim: { type: simulator, fast: true }
routes:
  chat:
    targets: { production: sim/sim-chat-2026-01-15 }
    canary: { candidate: sim/sim-chat-2026-12-10, percent: 50 }
store: { type: sqlite, path: usage.db }
catalog:
  models:
    - { provider: sim, id: sim-chat-2026-01-15, kind: snapshot, retires: 2099-01-01, price: { input: 1, output: 4 } }
`;

// Metrics a healthy, fully priced gateway has no series for yet: upstream failures (a breaker exists
// once its target failed) and requests without a catalog price.
const NEEDS_FAILURES = new Set([
  'modelpin_upstream_errors_total',
  'modelpin_retries_total',
  'modelpin_fallbacks_total',
  'modelpin_circuit_open',
  'modelpin_unpriced_requests_total',
]);

describe('dashboard and rules against a live gateway', () => {
  const tmp = tempDir('modelpin-dash-live-');
  let serve: ServeProcess | null = null;
  let exposition: Exposition | null = null;

  beforeAll(async () => {
    writeFileSync(join(tmp.dir, 'models.yml'), MODELS);
    serve = await startServe(join(tmp.dir, 'models.yml'));
    const url = serve.url;
    for (const stream of [false, false, true, true]) {
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'chat', stream, messages: [{ role: 'user', content: 'Say hello.' }] }),
        signal: AbortSignal.timeout(10_000),
      });
      await res.text();
      if (res.status !== 200) throw new Error(`chat call answered ${res.status}`);
    }
    // The canary controller judges once a second; its gauge appears after the first pass.
    exposition = await waitFor(
      'the canary gauge on /metrics',
      async () => {
        const e = readExposition(await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text());
        return e.samples.has('modelpin_canary_percent') ? e : undefined;
      },
      15_000,
    );
  }, 45_000);

  afterAll(async () => {
    if (serve) await stopChild(serve.child);
    tmp.remove();
  });

  const recorded = new Set(ruleExprs.map((r) => r.where.replace(/^rule /, '')).filter((n) => n.includes(':')));

  it.each([
    ['dashboard', () => expressions(dashboard)],
    ['rules', () => ruleExprs],
  ])(
    'every metric the %s reads is exported by the gateway, with samples and the labels it filters on',
    (_name, list) => {
      const e = exposition;
      if (!e) throw new Error('no /metrics');
      const read = new Set<string>();
      for (const { where, expr } of list()) {
        const names = metricNames(expr);
        expect(names.length, `${where} reads no modelpin metric`).toBeGreaterThan(0);
        for (const n of names) {
          if (recorded.has(n)) continue;
          read.add(n);
          expect(family(n, e.types), `${where}: ${n} is not on /metrics`).toBeDefined();
        }
        for (const s of selectors(expr)) {
          if (NEEDS_FAILURES.has(s.metric)) continue;
          const labels = e.samples.get(s.metric);
          expect(labels, `${where}: ${s.metric} has no samples`).toBeDefined();
          for (const l of s.labels)
            if (!SCRAPE_LABELS.has(l))
              expect([...(labels ?? [])], `${where}: ${s.metric} has no label ${l}`).toContain(l);
        }
      }
      expect(read.size).toBeGreaterThan(5);
    },
  );
});
