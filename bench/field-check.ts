/**
 * Cost of the strict field check that starts every client decode, next to the whole decode of the
 * same body. Pure CPU, in process:
 *   npx tsx bench/field-check.ts [--iterations 200000] [--rounds 5]
 * Rounds interleave the two measurements; the median per round is printed.
 */
import { numberFlag } from './harness.js';
import { checkRequestFields } from '../src/wire/field-check.js';
import { clientCodecs } from '../src/wire/registry.js';
import type { ClientWireFormat } from '../src/wire/canonical.js';

const args = process.argv.slice(2);
const iterations = numberFlag(args, '--iterations', 200_000);
const rounds = numberFlag(args, '--rounds', 5);

const BODIES: Record<ClientWireFormat, { body: unknown; ctx?: { pathModel: string } }> = {
  openai: {
    body: {
      model: 'summarize',
      messages: [{ role: 'user', content: 'Say hello' }],
      max_tokens: 32,
      temperature: 0.2,
      stream: false,
      response_format: { type: 'json_object' },
    },
  },
  'openai-responses': {
    body: { model: 'summarize', input: 'Say hello', max_output_tokens: 32, text: { format: { type: 'json_object' } } },
  },
  anthropic: {
    body: {
      model: 'summarize',
      max_tokens: 32,
      messages: [{ role: 'user', content: 'Say hello' }],
      output_config: {
        format: { type: 'json_schema', schema: { type: 'object', properties: { a: { type: 'string' } } } },
      },
    },
  },
  gemini: {
    body: {
      contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }],
      generationConfig: { maxOutputTokens: 32, responseMimeType: 'application/json' },
    },
    ctx: { pathModel: 'summarize' },
  },
};

function nsPer(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - t0) / iterations;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

for (const [format, { body, ctx }] of Object.entries(BODIES) as Array<
  [ClientWireFormat, (typeof BODIES)[ClientWireFormat]]
>) {
  const check: number[] = [];
  const decode: number[] = [];
  for (let r = 0; r < rounds; r++) {
    check.push(nsPer(() => checkRequestFields(format, body)));
    decode.push(nsPer(() => clientCodecs[format].decodeRequest(body, ctx)));
  }
  const c = median(check);
  const d = median(decode);
  console.log(
    `${format.padEnd(17)} field check ${c.toFixed(0).padStart(5)} ns   whole decode ${d.toFixed(0).padStart(6)} ns   share ${((c / d) * 100).toFixed(1)}%`,
  );
}
