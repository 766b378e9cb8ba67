import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ProviderError } from '../../src/core/errors.js';
import { createSimulatorProvider } from '../../src/sim/provider.js';
import { responseText, type StreamEvent } from '../../src/wire/canonical.js';
import { FAULTY, PROMPTS, tempScenarios, userRequest } from './helpers.js';

const M = 'm-2026-01-01';

async function thrown(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ProviderError) return e;
    throw e;
  }
  throw new Error('expected a ProviderError');
}

function faulty(faults: string) {
  const t = tempScenarios({ 's.yml': FAULTY(faults) });
  const provider = createSimulatorProvider({ id: 'sim', type: 'simulator', scenario: t.path('s.yml'), seed: 1 });
  return { provider, cleanup: t.cleanup };
}

describe('in-process simulator provider', () => {
  it('serves the default scenario with the served snapshot id', async () => {
    const clock = new ManualClock(Date.parse('2026-11-25T12:00:00Z'));
    const p = createSimulatorProvider({ id: 'sim', type: 'simulator', scenario: 'default', fast: true }, { clock });
    const res = await p.complete(userRequest('x', PROMPTS.contact), 'sim-chat-latest');
    expect(res.model).toBe('sim-chat-2026-11-25');
    expect(responseText(res)).toContain('```json');
    expect(await p.listModels?.()).toEqual(
      expect.arrayContaining(['sim-chat-latest', 'sim-mini-latest', 'sim-chat-2026-01-15']),
    );
    expect(await p.listModels?.()).not.toContain('sim-chat-2025-06-01');
    const retired = await thrown(p.complete(userRequest('x', 'hi'), 'sim-chat-2025-06-01'));
    expect([retired.code, retired.status, retired.provider]).toEqual(['model_retired', 404, 'sim']);
  });

  it.each([
    ['{ rate_limit: 1, retry_after_s: 3 }', 'rate_limited', 429],
    ['{ overloaded: 1 }', 'overloaded', 529],
    ['{ server_error: 1 }', 'upstream_error', 500],
    ['{ reset: 1 }', 'connection', 502],
  ])('maps fault %s to a typed %s error', async (faults, code, status) => {
    const { provider, cleanup } = faulty(faults);
    try {
      const err = await thrown(provider.complete(userRequest(M, 'x'), M));
      expect([err.code, err.status, err.retryable]).toEqual([code, status, true]);
      if (code === 'rate_limited') expect(err.retryAfterMs).toBe(3000);
    } finally {
      cleanup();
    }
  });

  it('a hang waits for the caller deadline, then throws timeout', async () => {
    const { provider, cleanup } = faulty('{ hang: 1 }');
    try {
      const err = await thrown(provider.complete(userRequest(M, 'x'), M, { timeoutMs: 30 }));
      expect(err.code).toBe('timeout');
      const ac = new AbortController();
      const pending = thrown(provider.stream(userRequest(M, 'x', { stream: true }), M, { signal: ac.signal }));
      ac.abort();
      expect((await pending).code).toBe('timeout');
    } finally {
      cleanup();
    }
  });

  it('a stream cut yields some deltas then a stream_cut error event and no finish', async () => {
    const { provider, cleanup } = faulty('{ stream_cut: 1 }');
    try {
      const s = await provider.stream(userRequest(M, 'x', { stream: true }), M);
      const events: StreamEvent[] = [];
      for await (const ev of s) events.push(ev);
      const types = events.map((e) => e.type);
      expect(types[0]).toBe('start');
      expect(types).toContain('text_delta');
      expect(types).not.toContain('finish');
      const last = events.at(-1);
      expect(last?.type === 'error' && last.error.code).toBe('stream_cut');
      // a non-stream call on the same snapshot is not cut
      const full = await provider.complete(userRequest(M, 'x'), M);
      expect(responseText(full)).toContain('several words');
    } finally {
      cleanup();
    }
  });

  it('streams the full answer with the same usage as complete()', async () => {
    const p = createSimulatorProvider({ id: 'sim', type: 'simulator', scenario: 'fast' });
    const plain = await p.complete(userRequest('x', PROMPTS.code), 'sim-mini-latest');
    const s = await p.stream(userRequest('x', PROMPTS.code, { stream: true }), 'sim-mini-latest');
    let text = '';
    let finish: StreamEvent | undefined;
    for await (const ev of s) {
      if (ev.type === 'text_delta') text += ev.text;
      if (ev.type === 'finish') finish = ev;
    }
    expect(text).toBe(responseText(plain));
    expect(finish?.type === 'finish' && finish.usage).toEqual(plain.usage);
    expect(plain.model).toBe('sim-mini-2026-03-01');
  });
});
