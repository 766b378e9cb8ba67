/**
 * The openai SDK's `responses.create` / `responses.stream` against the gateway over real HTTP:
 * routes served by an Anthropic-format and a Gemini-format provider, plain and streaming, function
 * tools, a stream cut mid-answer, and errors as the SDK's own classes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import type { Response, ResponseInputItem, ResponseStreamEvent, Tool } from 'openai/resources/responses/responses';
import type { SimulatorServer } from '../../src/sim/index.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { SIM_PROVIDERS, startHarness, startSim, type Harness } from '../support/gateway-harness.js';

let sim: SimulatorServer;
let proxy: FaultProxy;
let h: Harness;

beforeAll(async () => {
  sim = await startSim();
  proxy = await startFaultProxy(sim.url);
  h = await startHarness(
    (simUrl) => `${SIM_PROVIDERS(simUrl)}
  cut_anthropic: { type: anthropic, base_url: "${proxy.url}", api_key: "sk-upstream-secret" }
routes:
  via-anthropic: { targets: { production: as_anthropic/sim-chat-2026-01-15 } }
  via-gemini: { targets: { production: as_gemini/sim-mini-2026-03-01 } }
  cut-anthropic: { targets: { production: cut_anthropic/sim-chat-2026-01-15 } }
gateway:
  auth: keys
  keys:
    - { id: app, key: "\${GW_KEY}" }
`,
    {},
    sim,
  );
});
afterAll(async () => {
  await h.close();
  await proxy.close();
  await sim.close();
});
beforeEach(() => proxy.script([]));

const client = (apiKey = 'client-secret-1') => new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey, maxRetries: 0 });

const WEATHER: Tool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const ev of stream) events.push(ev);
  return events;
}

describe.each([
  ['via-anthropic', 'sim-chat-2026-01-15'],
  ['via-gemini', 'sim-mini-2026-03-01'],
] as const)('responses.create on %s', (route, snapshot) => {
  it('answers a plain response with output_text, usage and the routing headers', async () => {
    const { data, response } = await client()
      .responses.create({ model: route, instructions: 'Answer briefly.', input: 'Say hello', store: false })
      .withResponse();
    expect(data.object).toBe('response');
    expect(data.id).toMatch(/^resp_/);
    expect(data.status).toBe('completed');
    expect(data.model).toBe(route);
    expect(data.instructions).toBe('Answer briefly.');
    expect(data.output_text.length).toBeGreaterThan(0);
    expect(data.output[0]?.type).toBe('message');
    expect(data.usage?.output_tokens).toBeGreaterThan(0);
    expect(data.usage?.total_tokens).toBe((data.usage?.input_tokens ?? 0) + (data.usage?.output_tokens ?? 0));
    expect(response.headers.get('x-modelpin-route')).toBe(route);
    expect(response.headers.get('x-modelpin-served-model')).toBe(snapshot);
  });

  it('streams the documented events, and finalResponse() has the same text', async () => {
    const events = await collect(await client().responses.create({ model: route, input: 'Say hello', stream: true }));
    const types = events.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.at(-1)).toBe('response.completed');
    expect(types).toContain('response.output_text.done');
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const deltas = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : [])).join('');
    expect(deltas.length).toBeGreaterThan(0);
    const completed = events.at(-1) as Extract<ResponseStreamEvent, { type: 'response.completed' }>;
    const first = completed.response.output[0];
    expect(first?.type === 'message' && first.content[0]?.type === 'output_text' ? first.content[0].text : '').toBe(
      deltas,
    );
    expect(completed.response.usage?.output_tokens).toBeGreaterThan(0);

    const stream = client().responses.stream({ model: route, input: 'Say hello' });
    let streamed = '';
    stream.on('response.output_text.delta', (e) => (streamed += e.delta));
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(streamed);
    expect(final.output_text).toBe(deltas);
  });

  it('calls a function tool and answers from its output, plain and streaming', async () => {
    const input: ResponseInputItem[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first: Response = await client().responses.create({
      model: route,
      input,
      tools: [WEATHER],
      tool_choice: 'auto',
    });
    const call = first.output.find((o) => o.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' });
    if (call?.type !== 'function_call') throw new Error('no function call');
    expect(JSON.parse(call.arguments)).toEqual({ city: 'Paris' });
    expect(call.call_id.length).toBeGreaterThan(0);
    expect(first.tools).toEqual([expect.objectContaining({ type: 'function', name: 'get_weather' })]);

    // The app sends the output items back with the function's result, as the SDK docs show.
    const followUp: ResponseInputItem[] = [
      ...input,
      ...first.output,
      { type: 'function_call_output', call_id: call.call_id, output: 'sunny, 21C' },
    ];
    const second = await client().responses.create({ model: route, input: followUp, tools: [WEATHER] });
    expect(second.output_text).toMatch(/According to the tool result: sunny, 21C/);

    const stream = client().responses.stream({ model: route, input, tools: [WEATHER] });
    let args = '';
    stream.on('response.function_call_arguments.delta', (e) => (args += e.delta));
    const final = await stream.finalResponse();
    const streamedCall = final.output.find((o) => o.type === 'function_call');
    expect(streamedCall?.type === 'function_call' ? JSON.parse(streamedCall.arguments) : null).toEqual({
      city: 'Paris',
    });
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });
  });
});

describe('a stream cut mid-answer', () => {
  it('ends with an error event the SDK raises, never response.completed', async () => {
    proxy.script([{ kind: 'cut', afterEvents: 4 }]);
    const events: ResponseStreamEvent[] = [];
    const stream = await client().responses.create({ model: 'cut-anthropic', input: 'Say hello', stream: true });
    const err = await (async () => {
      for await (const ev of stream) events.push(ev);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as Error).message).toMatch(/cut_anthropic: stream interrupted|ended before its finish event/);
    expect(events[0]?.type).toBe('response.created');
    expect(events.some((e) => e.type === 'response.completed')).toBe(false);
    expect(proxy.seen).toHaveLength(1);
  });

  it('finalResponse() rejects too', async () => {
    proxy.script([{ kind: 'cut', afterEvents: 4 }]);
    await expect(
      client().responses.stream({ model: 'cut-anthropic', input: 'Say hello' }).finalResponse(),
    ).rejects.toBeInstanceOf(OpenAI.APIError);
  });
});

describe('errors are the SDK error classes', () => {
  it('unknown route: NotFoundError listing the routes', async () => {
    const err = await client()
      .responses.create({ model: 'nope', input: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as Error).message).toMatch(/via-anthropic, via-gemini, cut-anthropic/);
  });

  it('bad key: AuthenticationError', async () => {
    await expect(client('wrong').responses.create({ model: 'via-anthropic', input: 'x' })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });

  it('malformed JSON: BadRequestError', async () => {
    const err = await client()
      .post('/responses', {
        body: '{"model": "via-anthropic", "input": ',
        headers: { 'content-type': 'application/json' },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toMatch(/not valid JSON/);
  });

  it('a field the gateway cannot honour: BadRequestError naming it as param', async () => {
    const err = await client()
      .responses.create({ model: 'via-anthropic', input: 'x', previous_response_id: 'resp_123' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('previous_response_id');
    expect((err as Error).message).toMatch(/keeps no conversation state/);
    const builtin = await client()
      .responses.create({ model: 'via-gemini', input: 'x', tools: [{ type: 'web_search' }] })
      .catch((e: unknown) => e);
    expect(builtin).toBeInstanceOf(OpenAI.BadRequestError);
    expect((builtin as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('tools[0].type');
  });

  it('stored-response routes: NotFoundError, since nothing is stored', async () => {
    const err = await client()
      .responses.retrieve('resp_123')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as Error).message).toMatch(/stores no responses/);
    await expect(client().responses.delete('resp_123')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('GET /v1/responses: 405 in the OpenAI error shape', async () => {
    const res = await fetch(`${h.gateway.url}/v1/responses`, { headers: { authorization: 'Bearer client-secret-1' } });
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringMatching(/use POST/) as unknown },
    });
  });
});

describe('usage and metrics', () => {
  it('records the Responses wire format', async () => {
    await client().responses.create({ model: 'via-gemini', input: 'Say hello' });
    await collect(await client().responses.create({ model: 'via-gemini', input: 'Say hello', stream: true }));
    await h.gateway.writer.flush();
    const rows = (await h.gateway.store.queryUsage({ route: 'via-gemini' })).filter(
      (r) => r.wire === 'openai-responses',
    );
    expect(rows.some((r) => r.stream && r.status === 200 && r.outputTokens > 0)).toBe(true);
    expect(rows.some((r) => !r.stream && r.status === 200 && r.outputTokens > 0)).toBe(true);
    const metrics = await (
      await fetch(`${h.gateway.url}/metrics`, { headers: { authorization: 'Bearer client-secret-1' } })
    ).text();
    expect(metrics).toMatch(/modelpin_requests_total\{[^}]*route="via-gemini"[^}]*wire="openai-responses"/);
  });
});
