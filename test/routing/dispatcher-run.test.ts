/** `Dispatcher.run`: any attempt function goes through the same fallback, retry, breaker and timing chain as completions. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { ProviderError, RequestError } from '../../src/core/errors.js';
import type { Target } from '../../src/config/target.js';
import { retrySchema } from '../../src/config/schema.js';
import type { CallOptions, ProviderClient } from '../../src/providers/types.js';
import { createDispatcher } from '../../src/routing/execute.js';
import { newTrace } from '../../src/routing/dispatch.js';

const A: Target = { provider: 'pa', model: 'a' };
const B: Target = { provider: 'pb', model: 'b', timeoutMs: 5_000 };

function client(id: string): ProviderClient {
  const never = (): never => {
    throw new Error('not used');
  };
  return { id, type: 'openai', complete: never, stream: never };
}

function setup(threshold = 5) {
  const clock = new ManualClock();
  const waits: number[] = [];
  const clients = new Map([
    ['pa', client('pa')],
    ['pb', client('pb')],
  ]);
  const d = createDispatcher(
    retrySchema.parse({
      max_attempts: 2,
      base_delay_ms: 100,
      attempt_timeout_ms: 30_000,
      failure_threshold: threshold,
    }),
    {
      clock,
      random: seededRandom(1),
      monotonic: () => clock.now(),
      sleep: async (ms) => {
        waits.push(ms);
        clock.advance(ms);
      },
      provider: (id) => clients.get(id) ?? client(id),
    },
  );
  return { clock, waits, d };
}

describe('Dispatcher.run', () => {
  it('retries, falls back and records every attempt, handing each its client and deadline', async () => {
    const s = setup();
    const seen: Array<{ client: string; model: string; timeoutMs: number | undefined }> = [];
    const attempt = async (c: ProviderClient, t: Target, opts: CallOptions): Promise<string> => {
      seen.push({ client: c.id, model: t.model, timeoutMs: opts.timeoutMs });
      if (t.model === 'a') throw new ProviderError('upstream_error', 'boom');
      return `vectors from ${t.model}`;
    };
    const trace = newTrace();
    const value = await s.d.run([A, B], attempt, { trace });
    expect(value).toBe('vectors from b');
    expect(s.waits).toHaveLength(1);
    const waited = s.waits[0] ?? 0;
    expect(seen).toEqual([
      // A target with a fallback after it gets at most half of what is left of the 60 s budget.
      { client: 'pa', model: 'a', timeoutMs: 30_000 },
      { client: 'pa', model: 'a', timeoutMs: Math.min(30_000, Math.floor((60_000 - waited) / 2)) },
      { client: 'pb', model: 'b', timeoutMs: 5_000 },
    ]);
    expect(trace.attempts.map((a) => [a.target, a.ok, a.code])).toEqual([
      ['pa/a', false, 'upstream_error'],
      ['pa/a', false, 'upstream_error'],
      ['pb/b', true, null],
    ]);
    expect(trace.target).toEqual(B);
  });

  it('returns a non-retryable failure at once, without fallback', async () => {
    const s = setup();
    let calls = 0;
    const err = await s.d
      .run(
        [A, B],
        async () => {
          calls++;
          throw new RequestError('bad_request', 'no');
        },
        { trace: newTrace() },
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'bad_request' });
    expect(calls).toBe(1);
  });

  it('treats an attempt that throws before returning its promise as a failed attempt', async () => {
    const s = setup();
    // Not async: the same-format path checks the target model before it has a promise to return.
    const attempt = (_c: ProviderClient, t: Target): Promise<string> => {
      if (t.model === 'a') throw new ProviderError('upstream_error', 'refused before the call');
      return Promise.resolve(`from ${t.model}`);
    };
    const trace = newTrace();
    const value = await s.d.run([A, B], attempt, { trace });
    expect(value).toBe('from b');
    expect(trace.attempts.map((a) => [a.target, a.ok, a.code])).toEqual([
      ['pa/a', false, 'upstream_error'],
      ['pa/a', false, 'upstream_error'],
      ['pb/b', true, null],
    ]);
    const refused = await s.d
      .run(
        [A, B],
        () => {
          throw new RequestError('bad_request', 'no');
        },
        { trace: newTrace() },
      )
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'bad_request' });
  });

  it('shares the circuit breakers with completions: an open target is skipped', async () => {
    const s = setup(2);
    const failing = async (_c: ProviderClient, t: Target): Promise<string> => {
      if (t.model === 'a') throw new ProviderError('upstream_error', 'boom');
      return 'ok';
    };
    await s.d.run([A, B], failing, { trace: newTrace() });
    expect(s.d.breakers.state('pa/a')).toBe('open');
    const tried: string[] = [];
    const value = await s.d.run(
      [A, B],
      async (_c, t) => {
        tried.push(t.model);
        return 'ok';
      },
      { trace: newTrace() },
    );
    expect(value).toBe('ok');
    expect(tried).toEqual(['b']);
  });
});
