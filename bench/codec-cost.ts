/**
 * JavaScript cost of one gateway request's format work, without the network (not a test):
 *   npx tsx bench/codec-cost.ts
 * Compares, on the bench request and answer, CPU µs per request (median of 5 runs of 50,000) for:
 * translating (decode the client request with zod, encode the upstream request, stringify; parse the answer,
 * decode it with zod, encode the client answer, stringify), same-format forwarding (decode the client
 * request with zod, rewrite and stringify the client's JSON; parse the answer, read usage, swap `model`),
 * and the parts on their own.
 */
import { openaiCodec } from '../src/wire/openai/index.js';
import { openaiForward } from '../src/wire/openai/forward.js';
import { parseUpstream } from '../src/wire/shared/validate.js';
import { ChatCompletion } from '../src/wire/openai/schemas.js';

const reqText = JSON.stringify({ model: 'bench-route', messages: [{ role: 'user', content: 'hi' }], max_tokens: 16 });
const ansText = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1700000000,
  model: 'gpt-4o-2024-11-20',
  system_fingerprint: 'fp_1',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'hello from the instant upstream' },
      finish_reason: 'stop',
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 },
});
const target = { provider: 'up', model: 'gpt-4o-2024-11-20' };
let sink = 0;

const cases: Record<string, () => void> = {
  translate() {
    const body: unknown = JSON.parse(reqText);
    const req = openaiCodec.decodeRequest(body);
    sink += JSON.stringify(openaiCodec.encodeRequest({ ...req, model: target.model }, target.model).body).length;
    const res = openaiCodec.decodeResponse(JSON.parse(ansText), {});
    sink += JSON.stringify(openaiCodec.encodeResponse(res, req.model, req)).length;
  },
  forward() {
    const body = JSON.parse(reqText) as Record<string, unknown>;
    const req = openaiCodec.decodeRequest(body);
    sink += openaiForward.upstreamBody(body, target, false).length;
    const a = openaiForward.readAnswer(ansText, () => ({}), target.model);
    sink += openaiForward.clientAnswer(ansText, a, req.model).length;
  },
  'bare: parse + stringify request'() {
    sink += JSON.stringify(JSON.parse(reqText)).length;
  },
  'client request: parse + codec decode'() {
    sink += openaiCodec.decodeRequest(JSON.parse(reqText)).messages.length;
  },
  'answer: parse + zod schema'() {
    sink += parseUpstream(ChatCompletion, JSON.parse(ansText), 'chat completion').created;
  },
  'JSON.parse of the answer'() {
    sink += (JSON.parse(ansText) as { created: number }).created;
  },
};

for (const [name, f] of Object.entries(cases)) {
  for (let i = 0; i < 20_000; i++) f();
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = process.cpuUsage();
    for (let i = 0; i < 50_000; i++) f();
    const d = process.cpuUsage(t);
    runs.push((d.user + d.system) / 50_000);
  }
  runs.sort((a, b) => a - b);
  console.log(`${name.padEnd(34)} ${(runs[2] ?? NaN).toFixed(2).padStart(6)} µs per request`);
}
if (sink === 0) console.log('');
