import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ModelpinError, ProviderError } from '../../src/core/errors.js';
import type { CallOptions } from '../../src/providers/types.js';
import type { CanonicalRequest, CanonicalResponse } from '../../src/wire/canonical.js';
import { buildSuite } from '../../src/evals/load-suite.js';
import { runEvals } from '../../src/evals/runner.js';
import { diskCache } from '../../src/evals/cache.js';
import { TokenBucket } from '../../src/evals/rate-limit.js';
import type { Arm, EvalCaller } from '../../src/evals/run-types.js';
import { response } from './helpers.js';

type Handler = (req: CanonicalRequest, opts: CallOptions, n: number) => Promise<CanonicalResponse>;

function fakeArm(name: string, handler: Handler): Arm & { calls: number } {
  const arm = {
    name,
    env: name,
    calls: 0,
    resolve(): EvalCaller {
      return {
        provider: 'fake',
        model: 'fake-model',
        target: 'fake/fake-model',
        call: (req, opts) => handler(req, opts, ++arm.calls),
        cost: (res) => res.usage.outputTokens * 1e-6,
      };
    },
  };
  return arm;
}

const answer = (text: string): Promise<CanonicalResponse> => Promise.resolve(response(text));

async function suite(cases: unknown[], defaults: Record<string, unknown> = {}) {
  return buildSuite(
    { name: 's', defaults: { route: 'r', ...defaults }, cases },
    { file: 's.yml', dir: '.', defaultName: 's', hash: 'h' },
  );
}

/** Sleep that only advances a manual clock and records the delays asked for. */
function fakeSleep(clock: ManualClock, log: number[] = []) {
  return async (ms: number) => {
    log.push(ms);
    clock.advance(ms);
  };
}

describe('runner', () => {
  it('retries transient errors with backoff; they are reported, not failures', async () => {
    const clock = new ManualClock();
    const delays: number[] = [];
    const arm = fakeArm('prod', async (_r, _o, n) => {
      if (n === 1) throw new ProviderError('rate_limited', '429', { retryAfterMs: 1000 });
      if (n === 2) throw new ProviderError('upstream_error', '500');
      return answer('{"ok":true}');
    });
    const s = await suite([{ id: 'a', prompt: 'hi', assert: [{ type: 'is-json' }] }]);
    const run = await runEvals({
      suites: [s],
      arms: [arm],
      clock,
      sleep: fakeSleep(clock, delays),
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5000 },
    });
    const c = run.arms[0]?.cases[0];
    expect(c?.status).toBe('passed');
    expect(c?.samples[0]).toMatchObject({ status: 'passed', attempts: 3, retried: ['rate_limited', 'upstream_error'] });
    expect(delays).toEqual([1000, 200]); // retry-after honoured, then exponential backoff (100 * 2^1)
    expect(run.arms[0]?.summary).toMatchObject({ passed: 1, failed: 0, errored: 0, retriedSamples: 1 });
  });

  it('a case still erroring after retries is errored, distinct from failed', async () => {
    const clock = new ManualClock();
    const flaky = fakeArm('prod', async (req) => {
      const text = (req.messages[0]?.content[0] as { text: string }).text;
      if (text === 'down') throw new ProviderError('overloaded', '529');
      if (text === 'gone') throw new ProviderError('upstream_bad_request', '400', { retryable: false });
      return answer('not json');
    });
    const s = await suite([
      { id: 'down', prompt: 'down', assert: [{ type: 'is-json' }] },
      { id: 'gone', prompt: 'gone', assert: [{ type: 'is-json' }] },
      { id: 'bad', prompt: 'bad', assert: [{ type: 'is-json' }] },
    ]);
    const run = await runEvals({
      suites: [s],
      arms: [flaky],
      clock,
      sleep: fakeSleep(clock),
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
    });
    const byId = Object.fromEntries(run.arms[0]?.cases.map((c) => [c.caseId, c]) ?? []);
    expect(byId.down).toMatchObject({ status: 'errored', errors: 1 });
    expect(byId.down?.samples[0]).toMatchObject({
      attempts: 3,
      retried: ['overloaded', 'overloaded'],
      error: { code: 'overloaded' },
    });
    expect(byId.gone?.samples[0]).toMatchObject({ status: 'errored', attempts: 1, retried: [] });
    expect(byId.bad).toMatchObject({ status: 'failed' });
    expect(run.arms[0]?.summary).toMatchObject({ passed: 0, failed: 1, errored: 2 });
  });

  it('times out a case that never answers (per-case timeout_ms)', async () => {
    const arm = fakeArm(
      'prod',
      (_r, opts) =>
        new Promise((_, reject) => opts.signal?.addEventListener('abort', () => reject(new Error('aborted')))),
    );
    const s = await suite([{ id: 'slow', prompt: 'x', timeout_ms: 20, assert: [{ type: 'contains', value: 'x' }] }]);
    const run = await runEvals({ suites: [s], arms: [arm], retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const sample = run.arms[0]?.cases[0]?.samples[0];
    expect(sample).toMatchObject({ status: 'errored', attempts: 2, retried: ['timeout'], error: { code: 'timeout' } });
    expect(sample?.error?.message).toMatch(/within 20 ms/);
  });

  it('repeats with a pass threshold (2 of 3)', async () => {
    let n = 0;
    const arm = fakeArm('prod', async () => answer(++n % 3 === 0 ? 'no' : 'yes'));
    const s = await suite([
      { id: 'a', prompt: 'x', repeat: 3, threshold: 0.66, assert: [{ type: 'equals', value: 'yes' }] },
    ]);
    const run = await runEvals({ suites: [s], arms: [arm], concurrency: 1 });
    expect(run.arms[0]?.cases[0]).toMatchObject({ status: 'passed', passes: 2, failures: 1, required: 2 });
    const strict = await runEvals({
      suites: [await suite([{ id: 'a', prompt: 'x', repeat: 3, assert: [{ type: 'equals', value: 'yes' }] }])],
      arms: [arm],
      concurrency: 1,
    });
    expect(strict.arms[0]?.cases[0]).toMatchObject({ status: 'failed', required: 3 });
  });

  it('caches responses on disk: a second run hits the cache, --no-cache calls again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mp-cache-'));
    const clock = new ManualClock();
    const arm = fakeArm('prod', async () => answer('{"a":1}'));
    const s = await suite([
      { id: 'a', prompt: 'x', repeat: 2, assert: [{ type: 'is-json' }] },
      { id: 'b', prompt: 'y', assert: [{ type: 'is-json' }] },
    ]);
    const first = await runEvals({ suites: [s], arms: [arm], clock, cache: diskCache(dir, { clock }) });
    expect(arm.calls).toBe(3);
    expect(first.arms[0]?.summary.cachedSamples).toBe(0);
    const cache = diskCache(dir, { clock });
    const second = await runEvals({ suites: [s], arms: [arm], clock, cache });
    expect(arm.calls).toBe(3);
    expect(cache.hits).toBe(3);
    expect(second.arms[0]?.summary).toMatchObject({ cachedSamples: 3, passed: 2 });
    await runEvals({ suites: [s], arms: [arm], clock });
    expect(arm.calls).toBe(6);
    // A different request (another prompt) misses.
    const other = await suite([{ id: 'a', prompt: 'changed', assert: [{ type: 'is-json' }] }]);
    await runEvals({ suites: [other], arms: [arm], clock, cache: diskCache(dir, { clock }) });
    expect(arm.calls).toBe(7);
    // Entries expire (default 24 h), so a moved alias is asked again.
    clock.advance(25 * 3600 * 1000);
    await runEvals({ suites: [s], arms: [arm], clock, cache: diskCache(dir, { clock }) });
    expect(arm.calls).toBe(10);
  });

  it('abort (Ctrl-C) stops scheduling and keeps partial results', async () => {
    const ac = new AbortController();
    const arm = fakeArm(
      'prod',
      (_r, opts) =>
        new Promise((resolve, reject) => {
          const t = setTimeout(() => resolve(response('ok')), 5);
          opts.signal?.addEventListener('abort', () => {
            clearTimeout(t);
            reject(new Error('aborted'));
          });
        }),
    );
    const cases = Array.from({ length: 20 }, (_, i) => ({
      id: `c${i}`,
      prompt: `p${i}`,
      assert: [{ type: 'equals', value: 'ok' }],
    }));
    const s = await suite(cases);
    const run = await runEvals({
      suites: [s],
      arms: [arm],
      concurrency: 2,
      signal: ac.signal,
      onProgress: (e) => {
        if (e.kind === 'sample' && e.done === 5) ac.abort();
      },
    });
    expect(run.interrupted).toBe(true);
    expect(run.plannedSamples).toBe(20);
    expect(run.completedSamples).toBe(5);
    expect(run.arms[0]?.cases).toHaveLength(5);
    expect(run.arms[0]?.cases.every((c) => c.status === 'passed')).toBe(true);
    expect(arm.calls).toBeLessThan(20);
  });

  it('unknown routes and missing routes are config/usage errors before any call', async () => {
    const arm = fakeArm('prod', async () => answer('x'));
    const noRoute = await buildSuite(
      { cases: [{ prompt: 'x' }] },
      { file: 'n.yml', dir: '.', defaultName: 'n', hash: 'h' },
    );
    await expect(runEvals({ suites: [noRoute], arms: [arm] })).rejects.toThrow(
      /n\.yml: cases\[0\]: case "case-1" names no route/,
    );
    const ok = await runEvals({ suites: [noRoute], arms: [arm], route: 'r' });
    expect(ok.arms[0]?.cases[0]?.route).toBe('r');
    expect(arm.calls).toBe(1);
    const throwing: Arm = {
      name: 'x',
      env: 'x',
      resolve: () => {
        throw new ModelpinError('config_invalid', 'route "zz" is not defined');
      },
    };
    await expect(runEvals({ suites: [noRoute], arms: [throwing], route: 'zz' })).rejects.toThrow(/not defined/);
  });

  it('llm-rubric without a judge resolver and embedding similarity without an embedder fail before running', async () => {
    const arm = fakeArm('prod', async () => answer('x'));
    const s1 = await suite([{ prompt: 'x', assert: [{ type: 'llm-rubric', rubric: 'r', judge_route: 'j' }] }]);
    await expect(runEvals({ suites: [s1], arms: [arm] })).rejects.toThrow(/llm-rubric needs a judge route/);
    const s2 = await suite([
      { prompt: 'x', assert: [{ type: 'similar-to', value: 'v', metric: 'embedding', embedding_route: 'emb' }] },
    ]);
    await expect(runEvals({ suites: [s2], arms: [arm] })).rejects.toThrow(
      /needs a route whose provider implements embed/,
    );
    expect(arm.calls).toBe(0);
  });

  it('runs samples concurrently up to the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const arm = fakeArm('prod', async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return response('ok');
    });
    const s = await suite(Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, prompt: `p${i}` })));
    await runEvals({ suites: [s], arms: [arm], concurrency: 4 });
    expect(peak).toBe(4);
  });
});

describe('token bucket', () => {
  it('spaces calls at the configured rate after the burst', async () => {
    const clock = new ManualClock();
    const delays: number[] = [];
    const bucket = new TokenBucket({ perSecond: 2, burst: 2 }, clock, async (ms) => {
      delays.push(ms);
    });
    for (let i = 0; i < 5; i++) await bucket.acquire();
    // 2 free (burst), then reservations 0.5 s, 1 s, 1.5 s out (no time passed between calls).
    expect(delays).toEqual([500, 1000, 1500]);
  });
  it('refills with time', async () => {
    const clock = new ManualClock();
    const delays: number[] = [];
    const bucket = new TokenBucket({ perSecond: 1, burst: 1 }, clock, async (ms) => {
      delays.push(ms);
    });
    await bucket.acquire();
    clock.advance(1000);
    await bucket.acquire();
    expect(delays).toEqual([]);
  });
});
