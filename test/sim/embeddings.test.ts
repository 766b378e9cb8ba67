import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ModelpinError } from '../../src/core/errors.js';
import { vectorCosine } from '../../src/evals/similarity.js';
import { DEFAULT_EMBEDDING_DIMENSIONS, simEmbedding } from '../../src/sim/embedding.js';
import { createSimEngine } from '../../src/sim/engine.js';
import { createSimulatorProvider } from '../../src/sim/provider.js';
import { loadScenario } from '../../src/sim/scenario-load.js';
import { tempScenarios } from './helpers.js';

const REFUND = 'You can return any item within 30 days for a full refund.';
const PARAPHRASE = 'Any item can be returned within 30 days for a full refund.';
const UNRELATED = 'Paris is the capital of France and sits on the Seine.';
const cos = (a: string, b: string, space = 'sim-embed-2026-03-01') =>
  vectorCosine(simEmbedding(a, space), simEmbedding(b, space));
const norm = (v: number[]) => Math.sqrt(v.reduce((n, x) => n + x * x, 0));

function engine() {
  return createSimEngine({
    scenario: loadScenario('default'),
    clock: new ManualClock(Date.parse('2026-11-23T09:00:00Z')),
  });
}

describe('simulated embeddings', () => {
  it('are deterministic, unit length and 256 long by default', () => {
    const a = simEmbedding(REFUND, 'm');
    expect(a).toHaveLength(DEFAULT_EMBEDDING_DIMENSIONS);
    expect(simEmbedding(REFUND, 'm')).toEqual(a);
    expect(norm(a)).toBeCloseTo(1, 12);
    expect(norm(simEmbedding('', 'm'))).toBeCloseTo(1, 12);
    expect(simEmbedding(REFUND, 'm', 32)).toHaveLength(32);
  });

  it('never answer a zero vector, even where features cancel out in very few dimensions', () => {
    // In one dimension "C M3 1" has signed features summing to exactly 0.
    const v = simEmbedding('C M3 1', 'sim-embed-2026-03-01', 1);
    expect(v.every((x) => Number.isFinite(x))).toBe(true);
    expect(norm(v)).toBeCloseTo(1, 12);
    for (let i = 0; i < 200; i++)
      expect(norm(simEmbedding(`word${i} other${i % 7}`, 'm', 1 + (i % 3)))).toBeCloseTo(1, 12);
  });

  it('score a paraphrase high and an unrelated text low', () => {
    expect(cos(REFUND, PARAPHRASE)).toBeGreaterThan(0.7);
    expect(
      cos('The customer is happy with the product.', 'The customer is very happy with these products.'),
    ).toBeGreaterThan(0.6);
    expect(cos(REFUND, UNRELATED)).toBeLessThan(0.3);
    expect(cos('The customer is happy with the product.', 'The weather is cold and it is raining.')).toBeLessThan(0.3);
    expect(cos(REFUND, REFUND)).toBeCloseTo(1, 12);
  });

  it('word order and case matter only a little; shared function words alone do not make texts similar', () => {
    expect(cos('full refund within 30 days', 'Within 30 days, a FULL refund')).toBeGreaterThan(0.7);
    expect(cos('it is the one that was in the box', 'what is this and that, in there?')).toBeLessThan(0.5);
  });

  it('vectors of different snapshots live in different spaces', () => {
    expect(
      vectorCosine(simEmbedding(REFUND, 'sim-embed-2026-03-01'), simEmbedding(REFUND, 'sim-mini-2026-03-01')),
    ).toBeLessThan(0.3);
  });
});

describe('engine.embed', () => {
  it('embeds on any live snapshot or alias, counting tokens, with the served snapshot named', () => {
    const e = engine();
    const out = e.embed([REFUND, PARAPHRASE], 'sim-mini-latest');
    expect(out.kind).toBe('embeddings');
    if (out.kind !== 'embeddings') return;
    expect(out.model).toBe('sim-mini-2026-03-01');
    expect(out.vectors).toEqual([
      simEmbedding(REFUND, 'sim-mini-2026-03-01'),
      simEmbedding(PARAPHRASE, 'sim-mini-2026-03-01'),
    ]);
    expect(out.inputTokens).toBe(13 + 13); // 12 words and a full stop each
    expect(out.requestId).toMatch(/^req_sim_/);
  });

  it('retired and unknown models are the same errors as for chat', () => {
    const e = engine();
    const retired = e.embed(['x'], 'sim-chat-2025-06-01');
    const unknown = e.embed(['x'], 'nope-2026-01-01');
    expect(retired.kind === 'error' && [retired.error.code, retired.error.status]).toEqual(['model_retired', 404]);
    expect(unknown.kind === 'error' && [unknown.error.code, unknown.error.status]).toEqual(['model_not_found', 404]);
  });

  it('refuses empty input, empty strings and more dimensions than the snapshot has', () => {
    const e = engine();
    expect(e.embed([], 'sim-embed-2026-03-01')).toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/at least one text/),
    });
    expect(e.embed(['a', ''], 'sim-embed-2026-03-01')).toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/input 1: an empty string/),
    });
    expect(e.embed(['a'], 'sim-embed-2026-03-01', 257)).toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/not between 1 and 256/),
    });
    const short = e.embed(['a'], 'sim-embed-2026-03-01', 64);
    expect(short.kind === 'embeddings' && short.vectors[0]?.length).toBe(64);
  });

  it('a snapshot sets its own vector length with embedding_dimensions', () => {
    const files = tempScenarios({
      'dims.yml': 'extends: default\nsnapshots:\n  wide-2026-01-01:\n    embedding_dimensions: 1024\n',
    });
    try {
      const e = createSimEngine({ scenario: loadScenario(files.path('dims.yml')) });
      const out = e.embed(['hello world'], 'wide-2026-01-01');
      expect(out.kind === 'embeddings' && out.vectors[0]?.length).toBe(1024);
    } finally {
      files.cleanup();
    }
  });

  it('a bad embedding_dimensions is a scenario error', () => {
    const files = tempScenarios({ 'bad.yml': 'snapshots:\n  m-2026-01-01:\n    embedding_dimensions: 0\n' });
    try {
      expect(() => loadScenario(files.path('bad.yml'))).toThrow(/embedding_dimensions/);
    } finally {
      files.cleanup();
    }
  });
});

describe('simulator provider embed (in-process)', () => {
  const provider = () => createSimulatorProvider({ id: 'sim', type: 'simulator', scenario: 'default' });

  it('returns the engine vectors in input order, the served snapshot and the exact token count', async () => {
    const res = await provider().embed?.({ texts: [REFUND, UNRELATED] }, 'sim-embed-2026-03-01');
    expect(res?.vectors).toEqual([
      simEmbedding(REFUND, 'sim-embed-2026-03-01'),
      simEmbedding(UNRELATED, 'sim-embed-2026-03-01'),
    ]);
    expect(res?.model).toBe('sim-embed-2026-03-01');
    expect(res?.usage).toEqual({ inputTokens: 13 + 12 });
  });

  it('an alias reports the snapshot it resolved to, as the HTTP endpoint does', async () => {
    const res = await provider().embed?.({ texts: [REFUND] }, 'sim-mini-latest');
    expect(res?.model).toBe('sim-mini-2026-03-01');
    expect(res?.vectors[0]).toEqual(simEmbedding(REFUND, 'sim-mini-2026-03-01'));
  });

  it('honours dimensions, and accepts taskType and title as Gemini does (the vectors do not change)', async () => {
    const p = provider();
    const short = await p.embed?.({ texts: [REFUND], dimensions: 24 }, 'sim-embed-2026-03-01');
    expect(short?.vectors).toEqual([simEmbedding(REFUND, 'sim-embed-2026-03-01', 24)]);
    const task = await p.embed?.(
      { texts: [REFUND], taskType: 'RETRIEVAL_DOCUMENT', title: 'Returns' },
      'sim-embed-2026-03-01',
    );
    expect(task?.vectors).toEqual([simEmbedding(REFUND, 'sim-embed-2026-03-01')]);
  });

  it('throws the typed errors an HTTP client would raise', async () => {
    const p = provider();
    const retired = await p.embed?.({ texts: ['x'] }, 'sim-chat-2025-06-01').catch((e: unknown) => e);
    expect(retired).toBeInstanceOf(ModelpinError);
    expect(retired).toMatchObject({ code: 'model_retired', status: 404, provider: 'sim' });
    const empty = await p.embed?.({ texts: [''] }, 'sim-embed-2026-03-01').catch((e: unknown) => e);
    expect(empty).toMatchObject({ code: 'upstream_bad_request', status: 400, retryable: false, provider: 'sim' });
    const wide = await p.embed?.({ texts: ['x'], dimensions: 257 }, 'sim-embed-2026-03-01').catch((e: unknown) => e);
    expect(wide).toMatchObject({
      code: 'upstream_bad_request',
      status: 400,
      message: expect.stringMatching(/dimensions: 257 is not between 1 and 256/),
    });
    const malformed = await p
      .embed?.({ texts: ['x'], dimensions: 1.5 }, 'sim-embed-2026-03-01')
      .catch((e: unknown) => e);
    expect(malformed).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^dimensions: /) });
    const aborted = await p
      .embed?.({ texts: ['x'] }, 'sim-embed-2026-03-01', { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(aborted).toMatchObject({ code: 'timeout' });
  });
});
