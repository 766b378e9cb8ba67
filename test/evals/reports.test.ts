import { describe, expect, it } from 'vitest';
import { REPORTERS } from '../../src/evals/reports/registry.js';
import { REPORT_FORMATS, type EvalReport } from '../../src/evals/reports/types.js';
import { summarize } from '../../src/evals/aggregate.js';
import type { CaseResult } from '../../src/evals/run-types.js';
import { checkWellFormedXml } from './xml.js';

const nasty = 'Tom & "Jerry" <script>alert(1)</script> \u0001';

function report(): EvalReport {
  const cases: CaseResult[] = [
    {
      suite: 's',
      caseId: 'ok',
      route: 'r',
      arm: 'production',
      env: 'production',
      target: 'sim/m',
      status: 'passed',
      passes: 1,
      failures: 0,
      errors: 0,
      required: 1,
      score: 1,
      samples: [],
    },
    {
      suite: 's',
      caseId: 'bad',
      route: 'r',
      arm: 'production',
      env: 'production',
      target: 'sim/m',
      status: 'failed',
      passes: 0,
      failures: 1,
      errors: 0,
      required: 1,
      score: 0,
      samples: [
        {
          index: 0,
          status: 'failed',
          score: 0,
          output: nasty,
          servedModel: 'm',
          fingerprint: null,
          inputTokens: 1,
          outputTokens: 2,
          costUsd: null,
          latencyMs: 5,
          attempts: 1,
          retried: [],
          cached: false,
          assertions: [
            {
              type: 'contains',
              label: 'contains',
              path: 'cases[1].assert[0]',
              pass: false,
              score: 0,
              reason: `does not contain ${nasty}`,
            },
          ],
        },
      ],
    },
    {
      suite: 's',
      caseId: 'err',
      route: 'r',
      arm: 'production',
      env: 'production',
      target: 'sim/m',
      status: 'errored',
      passes: 0,
      failures: 0,
      errors: 1,
      required: 1,
      score: 0,
      samples: [
        {
          index: 0,
          status: 'errored',
          score: 0,
          output: '',
          servedModel: null,
          fingerprint: null,
          inputTokens: 0,
          outputTokens: 0,
          costUsd: null,
          latencyMs: 0,
          attempts: 3,
          retried: ['overloaded', 'overloaded'],
          cached: false,
          error: { code: 'overloaded', message: 'upstream overloaded' },
          assertions: [],
        },
      ],
    },
  ];
  return {
    tool: 'modelpin',
    exitCode: 1,
    run: {
      startedAt: 0,
      finishedAt: 1000,
      interrupted: false,
      plannedSamples: 3,
      completedSamples: 3,
      suites: [{ name: 's', file: 'evals/s.yml', hash: 'abc' }],
      arms: [{ arm: 'production', env: 'production', cases, summary: summarize(cases) }],
    },
  };
}

describe('reporters', () => {
  it('has one reporter per format', () => {
    expect(Object.keys(REPORTERS).sort()).toEqual([...REPORT_FORMATS].sort());
  });

  it('JUnit: valid structure, failures and errors listed, text escaped', () => {
    const xml = REPORTERS.junit.render(report());
    const doc = checkWellFormedXml(xml);
    expect(doc.root).toBe('testsuites');
    expect(doc.count('testcase')).toBe(3);
    expect(doc.count('failure')).toBe(1);
    expect(doc.count('error')).toBe(1);
    expect(xml).toContain('<testsuites name="modelpin eval" tests="3" failures="1" errors="1" time="1.000">');
    expect(xml).toContain('<testsuite name="s [production]" tests="3" failures="1" errors="1"');
    expect(xml).toContain('<error message="overloaded: upstream overloaded" type="overloaded">');
    expect(xml).toContain('Tom &amp; &quot;Jerry&quot; &lt;script&gt;');
    expect(xml).not.toContain('\u0001');
  });

  it('Markdown: summary table, failures with reasons, pipes escaped', () => {
    const md = REPORTERS.markdown.render(report());
    expect(md).toContain('| production | production | m | 1/3 | 1 | 1 | 1 |');
    expect(md).toContain('## production: 2 cases not passing');
    expect(md).toMatch(/\| s \| bad \| r \| sim\/m \| FAIL \| 0\.00 \| contains: does not contain Tom & "Jerry"/);
    expect(md).toMatch(/\| s \| err \| r \| sim\/m \| ERROR \| 0\.00 \| overloaded: upstream overloaded \|/);
    const withPipe = report();
    const s0 = withPipe.run.arms[0]?.cases[1]?.samples[0]?.assertions[0];
    if (s0) s0.reason = 'a | b';
    expect(REPORTERS.markdown.render(withPipe)).toContain('a \\| b');
  });

  it('HTML escapes model output', () => {
    const html = REPORTERS.html.render(report());
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;');
  });

  it('JSON round-trips', () => {
    const r = report();
    expect(JSON.parse(REPORTERS.json.render(r))).toEqual(r);
  });
});
