/**
 * Real Prometheus scraping a live `modelpin serve`: the simulator silently changes the model behind a
 * pinned id, and the shipped ModelpinServedModelChanged rule goes pending, then firing.
 *
 * The rule file is the shipped one with a single change: that alert's `for:` is 3s instead of 1m, so
 * the test sees both states within seconds. Scrape and evaluation run every second.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXAMPLES,
  prometheusBinaries,
  startPrometheus,
  tempDir,
  waitFor,
  type RunningPrometheus,
} from './prometheus-tools.js';
import { startServe, stopChild, type ServeProcess } from '../support/serve-process.js';

const found = prometheusBinaries();
if (found.missing) console.warn(`skipping the Prometheus end-to-end test: ${found.missing}`);

const ALERT = 'ModelpinServedModelChanged';
const TEST_FOR = '3s';

const rulesFileSchema = z.object({
  groups: z.array(
    z.object({
      name: z.string(),
      rules: z.array(
        z.looseObject({ alert: z.string().optional(), record: z.string().optional(), for: z.string().optional() }),
      ),
    }),
  ),
});

/** The shipped rules with the served-model alert's `for:` shortened for the test. */
function testRules(): string {
  const rules = rulesFileSchema.parse(parse(readFileSync(join(EXAMPLES, 'prometheus/modelpin-rules.yml'), 'utf8')));
  const alert = rules.groups.flatMap((g) => g.rules).find((r) => r.alert === ALERT);
  if (!alert) throw new Error(`${ALERT} is not in modelpin-rules.yml`);
  alert.for = TEST_FOR;
  return stringify(rules);
}

// The provider keeps the id `sim-chat-pinned` (a snapshot by the catalog) but answers with another
// model from the 4th request on.
const SCENARIO = `extends: fast
aliases:
  sim-chat-pinned:
    target: sim-chat-2026-01-15
    moves:
      - { after_requests: 3, to: sim-chat-2026-11-25 }
`;
const MODELS = `version: 1
providers:
  sim: { type: simulator, scenario: scenario.yml }
routes:
  chat: { targets: { production: sim/sim-chat-pinned } }
store: { type: sqlite, path: usage.db }
catalog:
  models:
    - { provider: sim, id: sim-chat-pinned, kind: snapshot }
`;

const alertSchema = z.object({
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  state: z.enum(['pending', 'firing', 'inactive']),
});
const alertsSchema = z.object({ status: z.literal('success'), data: z.object({ alerts: z.array(alertSchema) }) });
const querySchema = z.object({
  status: z.literal('success'),
  data: z.object({
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })),
  }),
});

describe.skipIf(found.bins === null)('Prometheus with the shipped rules, scraping a live gateway', () => {
  const tmp = tempDir('modelpin-prom-');
  let serve: ServeProcess | null = null;
  let prom: RunningPrometheus | null = null;

  beforeAll(async () => {
    writeFileSync(join(tmp.dir, 'scenario.yml'), SCENARIO);
    writeFileSync(join(tmp.dir, 'models.yml'), MODELS);
    serve = await startServe(join(tmp.dir, 'models.yml'));
    const target = new URL(serve.url).host;
    writeFileSync(join(tmp.dir, 'rules.yml'), testRules());
    writeFileSync(
      join(tmp.dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: ['rules.yml'],
        scrape_configs: [
          { job_name: 'modelpin', static_configs: [{ targets: [target], labels: { env: 'production' } }] },
        ],
      }),
    );
    if (found.bins) prom = await startPrometheus(found.bins.prometheus, join(tmp.dir, 'prometheus.yml'), tmp.dir);
  }, 45_000);

  afterAll(async () => {
    if (prom) await stopChild(prom.child);
    if (serve) await stopChild(serve.child);
    tmp.remove();
  });

  async function ask(): Promise<string> {
    const res = await fetch(`${serve?.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'Say hello.' }] }),
      signal: AbortSignal.timeout(10_000),
    });
    await res.text();
    expect(res.status).toBe(200);
    return res.headers.get('x-modelpin-served-model') ?? '';
  }

  async function alerts(): Promise<z.infer<typeof alertSchema>[]> {
    const res = await fetch(`${prom?.url}/api/v1/alerts`, { signal: AbortSignal.timeout(5000) });
    return alertsSchema.parse(await res.json()).data.alerts.filter((a) => a.labels.alertname === ALERT);
  }

  async function query(expr: string): Promise<z.infer<typeof querySchema>['data']['result']> {
    const res = await fetch(`${prom?.url}/api/v1/query?query=${encodeURIComponent(expr)}`, {
      signal: AbortSignal.timeout(5000),
    });
    return querySchema.parse(await res.json()).data.result;
  }

  it('sees ModelpinServedModelChanged go pending, then firing, when the model behind the pin changes', async () => {
    // Three answers from the pinned model; Prometheus scrapes the sentinel counter at 0.
    for (let i = 0; i < 3; i++) expect(await ask()).toBe('sim-chat-2026-01-15');
    const counter = `modelpin_sentinel_alerts_total{kind="served_model_changed",route="chat",target="sim/sim-chat-pinned",env="production"}`;
    await waitFor(
      'the sentinel counter at 0 in Prometheus',
      async () => ((await query(counter))[0]?.value[1] === '0' ? true : undefined),
      15_000,
    );
    // Rules have been evaluated over that sample and stay quiet.
    await waitFor(
      'a rule evaluation after the first scrape',
      async () =>
        (await query(`ALERTS{alertname="${ALERT}"}`)).length === 0 &&
        (await query(`count_over_time(${counter}[1m])`))[0]?.value[1] !== '1'
          ? true
          : undefined,
      10_000,
    );
    expect(await alerts()).toEqual([]);

    // The provider swaps the model behind the pinned id.
    expect(await ask()).toBe('sim-chat-2026-11-25');

    const pending = await waitFor(
      'the alert pending',
      async () => (await alerts()).find((a) => a.state === 'pending'),
      20_000,
      100,
    );
    expect(pending.labels).toMatchObject({
      alertname: ALERT,
      severity: 'critical',
      env: 'production',
      route: 'chat',
      target: 'sim/sim-chat-pinned',
    });

    const firing = await waitFor(
      'the alert firing',
      async () => (await alerts()).find((a) => a.state === 'firing'),
      20_000,
      100,
    );
    expect(firing.labels).toMatchObject({ alertname: ALERT, route: 'chat', target: 'sim/sim-chat-pinned' });
    expect(firing.annotations.summary).toBe(
      'Pinned target sim/sim-chat-pinned of route chat is answered by another model',
    );
    expect(firing.annotations.description).toContain('Now answering: sim-chat-2026-11-25');
  }, 60_000);
});
