import { describe, expect, it } from 'vitest';
import { createSimEngine, type SimAnswer } from '../../src/sim/engine.js';
import { loadScenario } from '../../src/sim/scenario-load.js';
import { tempScenarios } from './helpers.js';
import type { CanonicalRequest, Message, ToolDef, ToolUsePart } from '../../src/wire/canonical.js';

const TOOLS: ToolDef[] = [
  { name: 'lookup_order', inputSchema: { type: 'object', properties: { order_id: { type: 'string' } } } },
  {
    name: 'issue_refund',
    inputSchema: { type: 'object', properties: { order_id: { type: 'string' }, amount: { type: 'number' } } },
  },
];
const task: Message = {
  role: 'user',
  content: [{ type: 'text', text: 'Please refund order A-1001, it arrived damaged.' }],
};

/** Play a snapshot's script to the end, answering every call with `result`. */
function play(
  model: string,
  scenario = loadScenario('agents'),
  result = '{"total":49.99}',
): { turns: SimAnswer['response'][] } {
  const engine = createSimEngine({ scenario, fast: true });
  const messages: Message[] = [task];
  const turns: SimAnswer['response'][] = [];
  for (let i = 0; i < 10; i++) {
    const req: CanonicalRequest = { model, stream: false, messages: [...messages], tools: TOOLS };
    const out = engine.handle(req, model, false);
    if (out.kind !== 'answer') throw new Error(out.kind);
    turns.push(out.response);
    const calls = out.response.content.filter((p): p is ToolUsePart => p.type === 'tool_use');
    if (calls.length === 0) break;
    messages.push(
      { role: 'assistant', content: out.response.content },
      {
        role: 'user',
        content: calls.map((c) => ({
          type: 'tool_result' as const,
          toolUseId: c.id,
          name: c.name,
          content: [{ type: 'text' as const, text: result }],
        })),
      },
    );
  }
  return { turns };
}

const callsOf = (turns: SimAnswer['response'][]) =>
  turns.map((t) => t.content.flatMap((p) => (p.type === 'tool_use' ? [`${p.name}(${JSON.stringify(p.input)})`] : [])));

describe('simulator agent scripts', () => {
  it('the pinned snapshot looks up, refunds 49.99, then answers', () => {
    const { turns } = play('sim-agent-2026-01-15');
    expect(callsOf(turns)).toEqual([
      ['lookup_order({"order_id":"A-1001"})'],
      ['issue_refund({"order_id":"A-1001","amount":49.99})'],
      [],
    ]);
    expect(turns.map((t) => t.stopReason)).toEqual(['tool_use', 'tool_use', 'end_turn']);
    expect(turns[2]?.content).toEqual([
      { type: 'text', text: 'I have refunded order A-1001. The money is on its way back to your card.' },
    ]);
  });

  it('the drifted snapshot looks up twice and refunds 4999.00, with the same final text', () => {
    const good = play('sim-agent-2026-01-15').turns;
    const { turns } = play('sim-agent-2026-11-25');
    expect(callsOf(turns)).toEqual([
      ['lookup_order({"order_id":"A-1001"})'],
      ['lookup_order({"order_id":"A-1001"})'],
      ['issue_refund({"order_id":"A-1001","amount":4999})'],
      [],
    ]);
    expect(turns.at(-1)?.content).toEqual(good.at(-1)?.content);
  });

  it('the alias moves to the drifted snapshot on 2026-11-25', () => {
    const s = loadScenario('agents');
    expect(s.aliases.get('sim-agent-latest')?.moves?.[0]).toMatchObject({
      to: 'sim-agent-2026-11-25',
      at: '2026-11-25T00:00:00Z',
    });
  });

  it('parallel calls in one step get distinct ids; {{tool_result}} quotes what the tools returned', () => {
    const files = tempScenarios({
      's.yml': `
snapshots:
  a-2026-01-01:
    agent:
      - id: both
        match: { regex: "order (?<order>[A-Z]-\\\\d+)" }
        steps:
          - calls: [{ name: lookup_order, input: { order_id: "{{order}}" } }, { name: lookup_order, input: { order_id: "B-2" } }]
          - text: "Found: {{tool_result}}"
`,
    });
    try {
      const { turns } = play('a-2026-01-01', loadScenario(files.path('s.yml')), 'shipped');
      const ids = turns[0]?.content.flatMap((p) => (p.type === 'tool_use' ? [p.id] : []));
      expect(ids).toHaveLength(2);
      expect(new Set(ids).size).toBe(2);
      expect(turns[1]?.content).toEqual([{ type: 'text', text: 'Found: shipped\nshipped' }]);
    } finally {
      files.cleanup();
    }
  });

  it('a script applies only when its tools are offered; otherwise the rules answer', () => {
    const engine = createSimEngine({ scenario: loadScenario('agents'), fast: true });
    const out = engine.handle(
      { model: 'sim-agent-2026-01-15', stream: false, messages: [task] },
      'sim-agent-2026-01-15',
      false,
    );
    expect(out.kind === 'answer' && out.response.content.some((p) => p.type === 'tool_use')).toBe(false);
  });

  it('a script whose last step is a call keeps calling', () => {
    const { turns } = play('sim-agent-loop-2026-01-15');
    expect(turns).toHaveLength(10);
    expect(turns.every((t) => t.stopReason === 'tool_use')).toBe(true);
  });
});
