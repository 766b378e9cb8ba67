/**
 * Cost of translating reasoning on the request path: an OpenAI Chat Completions body decoded and
 * re-encoded for an Anthropic target, with and without `reasoning_effort` (catalog capabilities
 * looked up once, as the gateway caches them). Rounds interleave the two cases; medians are printed.
 *   npx tsx bench/reasoning-encode.ts [--iterations 50000] [--rounds 7]
 */
import { codecs } from '../src/wire/registry.js';
import type { EncodeOptions } from '../src/wire/capabilities.js';
import { numberFlag } from './harness.js';

const args = process.argv.slice(2);
const iterations = numberFlag(args, '--iterations', 50_000);
const rounds = numberFlag(args, '--rounds', 7);
const target: EncodeOptions = { capabilities: { reasoning: { budget: { min: 1024, max: 64000 } } } };
const messages = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Plan the morning route through the warehouse, aisle by aisle.' },
];
const plain = { model: 'planner', messages };
const reasoning = { model: 'planner', messages, reasoning_effort: 'high' };

function run(body: unknown): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++)
    codecs.anthropic.encodeRequest(codecs.openai.decodeRequest(body), 'claude-x', target);
  return Number(process.hrtime.bigint() - t0) / 1000 / iterations;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
run(plain);
run(reasoning); // warm up both paths
const a: number[] = [];
const b: number[] = [];
for (let r = 0; r < rounds; r++) {
  a.push(run(plain));
  b.push(run(reasoning));
}
console.log(`decode(openai) + encode(anthropic), ${iterations} iterations x ${rounds} rounds, median µs/request:`);
console.log(`  without reasoning_effort: ${median(a).toFixed(2)}`);
console.log(`  with reasoning_effort:    ${median(b).toFixed(2)}  (+${(median(b) - median(a)).toFixed(2)} µs)`);
