/** Sampled snapshot behaviour: variants, refusals and token noise, reproducible from a seed. */
import { describe, expect, it } from 'vitest';
import { createSimEngine, type SimOutcome } from '../../src/sim/engine.js';
import { loadScenario } from '../../src/sim/scenario-load.js';
import { scenarioFileSchema } from '../../src/sim/scenario-schema.js';
import { startSimulatorServer } from '../../src/sim/server.js';
import { responseText } from '../../src/wire/canonical.js';
import { userRequest } from './helpers.js';

const BASE = 'sim-support-2026-01-15';
const CLASSIFY = 'Classify this ticket about billing: I was charged twice for my subscription this month.';
const REPLY = 'Draft a reply to Maria about her damaged blender replacement.';

function answer(o: SimOutcome) {
  if (o.kind !== 'answer') throw new Error(`expected an answer, got ${o.kind}`);
  return o.response;
}

function engine(seed: number) {
  return createSimEngine({ scenario: loadScenario('stochastic'), fast: true, seed });
}

function texts(seed: number, model: string, prompt: string, n: number): string[] {
  const e = engine(seed);
  return Array.from({ length: n }, () => responseText(answer(e.handle(userRequest(model, prompt), model, false))));
}

const fenced = (t: string): boolean => t.includes('```');
const refused = (t: string): boolean => t.startsWith("I'm sorry, but I can't help");

describe('stochastic scenario', () => {
  it('is reproducible: the same seed gives the same answers, another seed other ones', () => {
    const a = texts(7, BASE, CLASSIFY, 200);
    expect(texts(7, BASE, CLASSIFY, 200)).toEqual(a);
    expect(texts(8, BASE, CLASSIFY, 200)).not.toEqual(a);
  });

  it('a sample seed per request decides its draw whatever the call order', () => {
    const e1 = engine(3);
    const e2 = engine(3);
    const seeds = Array.from({ length: 60 }, (_, i) => `case-1:${i}`);
    const first = seeds.map((s) =>
      responseText(answer(e1.handle(userRequest(BASE, CLASSIFY), BASE, false, undefined, { sampleSeed: s }))),
    );
    const reversed = [...seeds]
      .reverse()
      .map((s) =>
        responseText(answer(e2.handle(userRequest(BASE, CLASSIFY), BASE, false, undefined, { sampleSeed: s }))),
      );
    expect(reversed.reverse()).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
  });

  it('draws variants and refusals at their stated rates', () => {
    const n = 2000;
    const out = texts(11, BASE, CLASSIFY, n);
    const refusals = out.filter(refused).length / n;
    const fences = out.filter((t) => !refused(t) && fenced(t)).length / out.filter((t) => !refused(t)).length;
    // Bounds at about 3 standard errors (the draws are seeded, so this never flakes).
    expect(refusals).toBeGreaterThan(0.0105);
    expect(refusals).toBeLessThan(0.0295);
    expect(fences).toBeGreaterThan(0.08);
    expect(fences).toBeLessThan(0.12);
    // The bare answers are the scripted JSON.
    expect(JSON.parse(out.find((t) => !fenced(t) && !refused(t)) ?? '')).toEqual({
      category: 'billing',
      priority: 'normal',
      sentiment: 'negative',
    });
    const drifted = texts(11, 'sim-support-drift-fenced-40', CLASSIFY, n).filter((t) => !refused(t));
    expect(drifted.filter(fenced).length / drifted.length).toBeGreaterThan(0.367);
    expect(drifted.filter(fenced).length / drifted.length).toBeLessThan(0.433);
  });

  it('token noise spreads reply lengths around the snapshot verbosity', () => {
    const e = engine(5);
    const tokens = (model: string) =>
      Array.from({ length: 400 }, () => answer(e.handle(userRequest(model, REPLY), model, false)))
        .filter((r) => !refused(responseText(r)))
        .map((r) => r.usage.outputTokens);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const base = tokens(BASE);
    const more = tokens('sim-support-drift-tokens-20');
    expect(new Set(base).size).toBeGreaterThan(5);
    expect(mean(more) / mean(base)).toBeGreaterThan(1.12);
    expect(mean(more) / mean(base)).toBeLessThan(1.28);
  });

  it('a scenario without sampling answers as scripted', () => {
    const e = createSimEngine({ scenario: loadScenario('default'), fast: true, seed: 1 });
    const answers = Array.from({ length: 50 }, () =>
      responseText(
        answer(
          e.handle(
            userRequest('sim-chat-2026-01-15', 'Contact Jane Doe at jane@example.com'),
            'sim-chat-2026-01-15',
            false,
          ),
        ),
      ),
    );
    expect(new Set(answers)).toEqual(new Set(['{"name":"Jane Doe","email":"jane@example.com"}']));
  });

  it('variant probabilities above 1 are refused by the schema', () => {
    const r = scenarioFileSchema.safeParse({ snapshots: { x: { sampling: { variants: [{ p: 0.7 }, { p: 0.4 }] } } } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/variant probabilities add up to more than 1/);
  });

  it('over HTTP the x-modelpin-sample-seed header seeds the request', async () => {
    const server = await startSimulatorServer({
      port: 0,
      host: '127.0.0.1',
      scenario: 'stochastic',
      fast: true,
      seed: 2,
    });
    try {
      const ask = async (seed: string) => {
        const res = await fetch(`${server.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-modelpin-sample-seed': seed },
          body: JSON.stringify({ model: BASE, messages: [{ role: 'user', content: CLASSIFY }] }),
          signal: AbortSignal.timeout(5000),
        });
        const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
        return body.choices[0]?.message.content ?? '';
      };
      const seeds = Array.from({ length: 40 }, (_, i) => `s${i}`);
      const once = await Promise.all(seeds.map(ask));
      const again = await Promise.all([...seeds].reverse().map(ask));
      expect(again.reverse()).toEqual(once);
      expect(once.some(fenced) || once.some(refused)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
