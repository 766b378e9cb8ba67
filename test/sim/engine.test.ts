import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createSimEngine, type SimOutcome } from '../../src/sim/engine.js';
import { loadScenario } from '../../src/sim/scenario-load.js';
import { countTokens } from '../../src/core/tokenizer.js';
import { responseText, type StreamEvent } from '../../src/wire/canonical.js';
import { FAULTY, PROMPTS, tempScenarios, userRequest } from './helpers.js';

const MONDAY = Date.parse('2026-11-23T09:00:00Z');
const WEDNESDAY = Date.parse('2026-11-25T09:00:00Z');

function ok(o: SimOutcome) {
  if (o.kind !== 'answer') throw new Error(`expected an answer, got ${o.kind}`);
  return o;
}

function engineAt(t: number) {
  return createSimEngine({ scenario: loadScenario('default'), clock: new ManualClock(t), fast: true });
}

function text(model: string, prompt: string, t = MONDAY): string {
  return responseText(ok(engineAt(t).handle(userRequest(model, prompt), model, false)).response);
}

describe('default scenario answers', () => {
  it('extracts name and email as bare JSON on the pinned snapshot', () => {
    expect(JSON.parse(text('sim-chat-2026-01-15', PROMPTS.contact))).toEqual({
      name: 'Jane Doe',
      email: 'jane@example.com',
    });
  });

  it('wraps JSON in ```json fences on the drifted snapshot, bare again on 2026-12-10', () => {
    const drifted = text('sim-chat-2026-11-25', PROMPTS.contact);
    expect(() => JSON.parse(drifted)).toThrow();
    const fenced = /```json\n([\s\S]*?)\n```/.exec(drifted);
    expect(JSON.parse(fenced?.[1] ?? 'null')).toEqual({ name: 'Jane Doe', email: 'jane@example.com' });
    expect(JSON.parse(text('sim-chat-2026-12-10', PROMPTS.contact))).toEqual({
      name: 'Jane Doe',
      email: 'jane@example.com',
    });
  });

  it('changes the sentiment enum to `mixed` on the drifted snapshot only for the contrast case', () => {
    const sentiment = (model: string, p: string) => {
      const t = text(model, p);
      const json = /```json\n([\s\S]*?)\n```/.exec(t)?.[1] ?? t;
      return (JSON.parse(json) as { sentiment: string }).sentiment;
    };
    expect(sentiment('sim-chat-2026-01-15', PROMPTS.mixed)).toBe('positive');
    expect(sentiment('sim-chat-2026-11-25', PROMPTS.mixed)).toBe('mixed');
    expect(sentiment('sim-chat-2026-12-10', PROMPTS.mixed)).toBe('positive');
    expect(sentiment('sim-chat-2026-11-25', PROMPTS.positive)).toBe('positive');
    expect(sentiment('sim-chat-2026-01-15', PROMPTS.negative)).toBe('negative');
  });

  it('answers code generation with a code block', () => {
    expect(text('sim-chat-2026-01-15', PROMPTS.code)).toContain(
      '```javascript\nfunction add(a, b) {\n  return a + b;\n}\n```',
    );
  });

  it('inflates output by about 20% on the drifted snapshot and trims about 5% on 2026-12-10', () => {
    for (const p of [PROMPTS.code, PROMPTS.generic]) {
      const base = countTokens(text('sim-chat-2026-01-15', p));
      const drifted = countTokens(text('sim-chat-2026-11-25', p));
      const later = countTokens(text('sim-chat-2026-12-10', p));
      expect(drifted / base).toBeGreaterThanOrEqual(1.15);
      expect(drifted / base).toBeLessThanOrEqual(1.3);
      expect(later).toBeLessThan(base);
      expect(later / base).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('changes tone on the drifted snapshot', () => {
    expect(text('sim-chat-2026-11-25', PROMPTS.generic).startsWith('Sure! ')).toBe(true);
    expect(text('sim-chat-2026-01-15', PROMPTS.generic).startsWith('Sure!')).toBe(false);
  });

  it('answers 404 for the retired snapshot and unknown ids', () => {
    const e = engineAt(MONDAY);
    const retired = e.handle(userRequest('sim-chat-2025-06-01', 'hi'), 'sim-chat-2025-06-01', false);
    expect(retired.kind === 'error' && [retired.error.code, retired.error.status]).toEqual(['model_retired', 404]);
    const unknown = e.handle(userRequest('nope', 'hi'), 'nope', false);
    expect(unknown.kind === 'error' && [unknown.error.code, unknown.error.status]).toEqual(['model_not_found', 404]);
  });

  it('answers with a tool call when the tool is offered, text otherwise', () => {
    const tools = [{ name: 'get_weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }];
    const e = engineAt(MONDAY);
    const withTool = ok(
      e.handle(
        userRequest('sim-chat-2026-01-15', "What's the weather in Paris?", { tools }),
        'sim-chat-2026-01-15',
        false,
      ),
    );
    expect(withTool.response.stopReason).toBe('tool_use');
    expect(withTool.response.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'Paris' },
    });
    const without = ok(
      e.handle(userRequest('sim-chat-2026-01-15', "What's the weather in Paris?"), 'sim-chat-2026-01-15', false),
    );
    expect(without.response.content[0]?.type).toBe('text');
  });
});

describe('alias moves', () => {
  it('moves sim-chat-latest by time (ManualClock): served model changes on Wednesday', () => {
    const clock = new ManualClock(MONDAY);
    const e = createSimEngine({ scenario: loadScenario('default'), clock, fast: true });
    const served = () =>
      ok(e.handle(userRequest('sim-chat-latest', PROMPTS.contact), 'sim-chat-latest', false)).response;
    expect(served().model).toBe('sim-chat-2026-01-15');
    expect(served().systemFingerprint).toBe('fp_sim_chat_20260115');
    clock.set(WEDNESDAY);
    expect(served().model).toBe('sim-chat-2026-11-25');
    expect(served().systemFingerprint).toBe('fp_sim_chat_20261125');
  });

  it('moves an alias after N requests', () => {
    const t = tempScenarios({
      'count.yml': `
snapshots: { a-2026-01-01: {}, b-2026-02-01: {} }
aliases:
  m-latest: { target: a-2026-01-01, moves: [{ after_requests: 2, to: b-2026-02-01 }] }
rules: [{ id: r, reply: { text: hi } }]
`,
    });
    try {
      const e = createSimEngine({ scenario: loadScenario(t.path('count.yml')), fast: true });
      const models = [1, 2, 3, 4].map(
        () => ok(e.handle(userRequest('m-latest', 'x'), 'm-latest', false)).response.model,
      );
      expect(models).toEqual(['a-2026-01-01', 'a-2026-01-01', 'b-2026-02-01', 'b-2026-02-01']);
    } finally {
      t.cleanup();
    }
  });
});

describe('seeded faults and usage', () => {
  it('same seed gives the same fault sequence; another seed a different one', () => {
    const t = tempScenarios({ 'f.yml': FAULTY('{ rate_limit: 0.2, server_error: 0.2, overloaded: 0.2, reset: 0.1 }') });
    try {
      const seq = (seed: number) => {
        const e = createSimEngine({ scenario: loadScenario(t.path('f.yml')), seed });
        return Array.from({ length: 40 }, () => {
          const o = e.handle(userRequest('m-2026-01-01', 'x'), 'm-2026-01-01', false);
          return o.kind === 'error' ? o.error.code : o.kind;
        });
      };
      expect(seq(42)).toEqual(seq(42));
      expect(seq(42)).not.toEqual(seq(43));
      expect(new Set(seq(42))).toEqual(new Set(['answer', 'rate_limited', 'upstream_error', 'overloaded', 'reset']));
    } finally {
      t.cleanup();
    }
  });

  it('stream usage equals non-stream usage and the deltas rebuild the text', () => {
    const e = engineAt(MONDAY);
    for (const p of Object.values(PROMPTS)) {
      const plain = ok(e.handle(userRequest('sim-chat-2026-11-25', p), 'sim-chat-2026-11-25', false));
      const streamed = ok(
        e.handle(userRequest('sim-chat-2026-11-25', p, { stream: true }), 'sim-chat-2026-11-25', true),
      );
      const finish = streamed.events.find((ev): ev is Extract<StreamEvent, { type: 'finish' }> => ev.type === 'finish');
      expect(finish?.usage).toEqual(plain.response.usage);
      const rebuilt = streamed.events.map((ev) => (ev.type === 'text_delta' ? ev.text : '')).join('');
      expect(rebuilt).toBe(responseText(plain.response));
      expect(plain.response.usage.outputTokens).toBe(countTokens(rebuilt));
    }
  });

  it('honours maxTokens and stop sequences', () => {
    const e = engineAt(MONDAY);
    const capped = ok(
      e.handle(userRequest('sim-chat-2026-01-15', PROMPTS.generic, { maxTokens: 5 }), 'sim-chat-2026-01-15', false),
    );
    expect(capped.response.stopReason).toBe('max_tokens');
    expect(capped.response.usage.outputTokens).toBe(5);
    const stopped = ok(
      e.handle(
        userRequest('sim-chat-2026-01-15', PROMPTS.generic, { stop: ['modelpin'] }),
        'sim-chat-2026-01-15',
        false,
      ),
    );
    expect(stopped.response.stopReason).toBe('stop_sequence');
    expect(responseText(stopped.response)).not.toContain('modelpin');
  });
});

describe('dated releases (scenario "releases")', () => {
  const at = (iso: string) =>
    createSimEngine({ scenario: loadScenario('releases'), clock: new ManualClock(Date.parse(iso)), fast: true });
  const codeOf = (o: SimOutcome) => (o.kind === 'error' ? o.error.code : o.kind);
  it('a snapshot does not exist before available_from, and is retired from retired_at on, by the injected clock', () => {
    const before = at('2026-12-09T23:59:59Z');
    expect(codeOf(before.handle(userRequest('sim-mini-2026-12-10', 'hi'), 'sim-mini-2026-12-10', false))).toBe(
      'model_not_found',
    );
    expect(codeOf(before.handle(userRequest('sim-chat-2026-11-25', 'hi'), 'sim-chat-2026-11-25', false))).toBe(
      'answer',
    );
    expect(before.listModels().map((m) => m.id)).not.toContain('sim-mini-2026-12-10');
    const after = at('2026-12-10T00:00:00Z');
    expect(codeOf(after.handle(userRequest('sim-mini-2026-12-10', 'hi'), 'sim-mini-2026-12-10', false))).toBe('answer');
    expect(codeOf(after.handle(userRequest('sim-chat-2026-11-25', 'hi'), 'sim-chat-2026-11-25', false))).toBe(
      'model_retired',
    );
    const listed = after.listModels();
    expect(listed.find((m) => m.id === 'sim-chat-2026-11-25')?.retired).toBe(true);
    expect(listed.find((m) => m.id === 'sim-mini-2026-12-10')?.retired).toBe(false);
  });
});
