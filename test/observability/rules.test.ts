/** The shipped Prometheus rules and scrape config, checked and unit-tested by the real promtool. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, prometheusBinaries, ROOT, run } from './prometheus-tools.js';

const found = prometheusBinaries();
if (found.missing) console.warn(`skipping promtool tests: ${found.missing}`);
const DIR = join(EXAMPLES, 'prometheus');
const ALERTS = [
  'ModelpinServedModelChanged',
  'ModelpinAliasMoved',
  'ModelpinCanaryRolledBack',
  'ModelpinPinRetiringSoon',
  'ModelpinPinRetired',
  'ModelpinVersionErrorRateHigh',
  'ModelpinBreakerOpen',
  'ModelpinUsageShed',
];

describe.skipIf(found.bins === null)('modelpin-rules.yml under promtool', () => {
  const promtool = found.bins?.promtool ?? 'promtool';

  it('promtool check rules accepts the rule file', () => {
    const r = run(promtool, ['check', 'rules', 'modelpin-rules.yml'], DIR);
    expect(r.out).toContain('SUCCESS: 11 rules found');
    expect(r.code).toBe(0);
  });

  it('promtool test rules passes, and the tests show every alert firing and staying quiet', () => {
    const r = run(promtool, ['test', 'rules', 'modelpin-rules.test.yml'], DIR);
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
    const file = z
      .object({
        tests: z.array(
          z.object({
            alert_rule_test: z.array(
              z.object({
                alertname: z.string(),
                exp_alerts: z.array(z.object({ exp_labels: z.record(z.string(), z.string()) })),
              }),
            ),
          }),
        ),
      })
      .parse(parse(readFileSync(join(DIR, 'modelpin-rules.test.yml'), 'utf8')));
    const cases = file.tests.flatMap((t) => t.alert_rule_test);
    for (const a of ALERTS) {
      // each alert has an evaluation where it fires and one where it must stay quiet
      expect(
        cases.some((c) => c.alertname === a && c.exp_alerts.length > 0),
        `${a} fires`,
      ).toBe(true);
      expect(
        cases.some((c) => c.alertname === a && c.exp_alerts.length === 0),
        `${a} stays quiet`,
      ).toBe(true);
    }
    const rules = readFileSync(join(DIR, 'modelpin-rules.yml'), 'utf8');
    expect([...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1])).toEqual(ALERTS);
  });

  it('promtool test rules fails when an alert does not behave as the tests expect', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelpin-rules-'));
    try {
      // Raise the error-rate threshold above the test's 9.1%: the firing expectation must fail.
      writeFileSync(
        join(dir, 'modelpin-rules.yml'),
        readFileSync(join(DIR, 'modelpin-rules.yml'), 'utf8').replace(
          'modelpin:error_ratio:rate5m > 0.05',
          'modelpin:error_ratio:rate5m > 0.10',
        ),
      );
      writeFileSync(join(dir, 'modelpin-rules.test.yml'), readFileSync(join(DIR, 'modelpin-rules.test.yml'), 'utf8'));
      const r = run(promtool, ['test', 'rules', 'modelpin-rules.test.yml'], dir);
      expect(r.code).not.toBe(0);
      expect(r.out).toContain('ModelpinVersionErrorRateHigh');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('promtool check config accepts the example prometheus.yml', () => {
    const r = run(promtool, ['check', 'config', 'prometheus.yml'], DIR);
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('the shell snippets of docs/observability.md and the examples README run as pasted', () => {
    const doc = readFileSync(join(ROOT, 'docs/observability.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Prometheus and Grafana'));
    const snippets = [
      ...[...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => ({ cwd: ROOT, script: m[1] ?? '' })),
      ...[...readFileSync(join(EXAMPLES, 'README.md'), 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => ({
        cwd: EXAMPLES,
        script: m[1] ?? '',
      })),
    ];
    expect(snippets.length).toBe(2);
    const bin = join(found.bins?.promtool ?? 'promtool', '..');
    for (const { cwd, script } of snippets) {
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
        cwd,
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
      });
      expect(r.status, `${script}\n${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('SUCCESS');
    }
  });
});

describe('docs/observability.md', () => {
  it('lists every alert of the rule file', () => {
    const doc = readFileSync(join(ROOT, 'docs/observability.md'), 'utf8');
    for (const a of ALERTS) expect(doc).toContain(`| \`${a}\` |`);
  });

  it('shows the scrape config of the example prometheus.yml', () => {
    const doc = readFileSync(join(ROOT, 'docs/observability.md'), 'utf8');
    const scrape = z.object({
      scrape_configs: z.array(
        z.object({
          job_name: z.string(),
          static_configs: z.array(z.object({ targets: z.array(z.string()), labels: z.object({ env: z.string() }) })),
        }),
      ),
    });
    const snippet = scrape.parse(parse(/```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? ''));
    const example = scrape.parse(parse(readFileSync(join(DIR, 'prometheus.yml'), 'utf8')));
    expect(example.scrape_configs[0]?.job_name).toBe(snippet.scrape_configs[0]?.job_name);
    expect(example.scrape_configs[0]?.static_configs[0]).toEqual(snippet.scrape_configs[0]?.static_configs[0]);
  });
});
