/**
 * A fault in one client's request is that client's 400: never retried, never counted against the
 * upstream's circuit breaker, so no client can cool a target down for every other client.
 * Real gateway, real simulator upstream over HTTP, default retry settings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { startHarness, startSim, type Harness } from '../support/gateway-harness.js';
import type { SimulatorServer } from '../../src/sim/index.js';

let sim: SimulatorServer;
let proxy: FaultProxy;
let h: Harness;

const TARGET = 'as_openai/sim-chat-2026-01-15';

beforeAll(async () => {
  sim = await startSim();
  proxy = await startFaultProxy(sim.url);
  // Default retry settings: what a new user runs.
  h = await startHarness(
    () => `providers:
  as_openai: { type: openai, base_url: "${proxy.url}/v1", api_key: "sk-upstream-secret" }
routes:
  summarize: { targets: { production: ${TARGET} } }
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

/** `{"type":"object","properties":{"a":{...}}}` nested `levels` deep, written as text (a client need not build it as an object). */
function deepSchema(levels: number): string {
  return '{"type":"object","properties":{"a":'.repeat(levels) + '{"type":"string"}' + '}}'.repeat(levels);
}

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${h.gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

const deepTools = (levels: number) =>
  `{"model":"summarize","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${deepSchema(levels)}}}]}`;
const deepFormat = (levels: number) =>
  `{"model":"summarize","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":${deepSchema(levels)}}}}`;

describe('a request nested thousands of levels deep', () => {
  it('is refused with a 400 naming the field, twice, and the breaker stays closed for everyone else', async () => {
    const before = proxy.seen.length;
    for (const body of [deepTools(5000), deepFormat(5000), deepTools(5000)]) {
      const res = await post('/v1/chat/completions', body);
      expect(res.status).toBe(400);
      const json = (await res.json()) as { error: { message: string; type: string; param?: string } };
      expect(json.error.type).toBe('invalid_request_error');
      expect(json.error.message).toMatch(/nested deeper than \d+ levels/);
      expect(json.error.message).toMatch(/^(tools\[0\]\.function\.parameters|response_format\.json_schema\.schema)/);
    }
    expect(proxy.seen.length).toBe(before); // never reached a provider
    expect(h.gateway.runtime().dispatcher.breakers.state(TARGET)).toBe('closed');

    // Another client of the same target is served as usual.
    const ok = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: 'Say hello' }] }),
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-modelpin-target')).toBe(TARGET);
  });

  it('is refused in the caller own format (Anthropic SDK sees a BadRequestError)', async () => {
    const client = new Anthropic({ baseURL: h.gateway.url, apiKey: 'unused', maxRetries: 0 });
    const deep = JSON.parse('{"x":'.repeat(200) + '1' + '}'.repeat(200)) as Record<string, unknown>;
    const err = await client.messages
      .create({
        model: 'summarize',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'hi' }],
        tools: [{ name: 'f', input_schema: { type: 'object', properties: deep } }],
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as InstanceType<typeof Anthropic.BadRequestError>).message).toMatch(
      /tools\[0\]\.input_schema.*nested deeper than/,
    );
    expect(h.gateway.runtime().dispatcher.breakers.state(TARGET)).toBe('closed');
  });

  it('a body within the depth limit still goes through', async () => {
    const res = await post('/v1/chat/completions', deepTools(20));
    expect(res.status).toBe(200);
  });
});

describe('a request target no URL can be read from', () => {
  it('is a 404 in the format its headers suggest, not an internal error', async () => {
    const errorsBefore = h.logs.filter((l) => l.level === 'error').length;
    // `//` is a valid HTTP request target that the URL parser refuses.
    const openai = await fetch(`${h.gateway.url}//`, { method: 'POST', body: '{}' });
    expect(openai.status).toBe(404);
    expect(((await openai.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    const anthropic = await fetch(`${h.gateway.url}//`, { headers: { 'anthropic-version': '2023-06-01' } });
    expect(anthropic.status).toBe(404);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect(h.logs.filter((l) => l.level === 'error').length).toBe(errorsBefore);
  });
});
