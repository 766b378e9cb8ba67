/**
 * The same-format fast path answers like the translating path: one simulator, two gateways on the
 * same models.yml (one forwarding same-format calls, one translating every call), the official OpenAI SDK against
 * both. Content, finish, usage, headers, usage records and errors must agree; a fallback to a target
 * in another format must still be translated.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { createProviderClient } from '../../src/providers/registry.js';
import { providerSettings } from '../../src/config/resolve.js';
import type { ModelsFile } from '../../src/config/schema.js';
import type { ProviderClient, RawCall } from '../../src/providers/types.js';
import type { UsageRecord } from '../../src/store/types.js';
import type { SimulatorServer } from '../../src/sim/index.js';
import { startHarness, startSim, type Harness } from '../support/gateway-harness.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';

let sim: SimulatorServer;
let proxy: FaultProxy;
let fast: Harness;
let slow: Harness;

/** What each gateway's provider clients were asked to do, by provider id. */
type Calls = Array<{
  provider: string;
  kind: 'forward' | 'forward-stream' | 'complete' | 'stream';
  body?: Record<string, unknown>;
}>;
const calls: { fast: Calls; slow: Calls } = { fast: [], slow: [] };

/** Real HTTP provider clients, wrapped to record which path each call took and what was forwarded. */
function recording(into: Calls) {
  return (id: string, file: ModelsFile): ProviderClient => {
    const real = createProviderClient(providerSettings(file, id));
    const fwd = real.forward;
    const seen = (kind: Calls[number]['kind'], call?: RawCall): void =>
      void into.push({
        provider: id,
        kind,
        ...(call ? { body: JSON.parse(call.body) as Record<string, unknown> } : {}),
      });
    return {
      ...real,
      complete: (req, model, opts) => (seen('complete'), real.complete(req, model, opts)),
      stream: (req, model, opts) => (seen('stream'), real.stream(req, model, opts)),
      ...(fwd
        ? {
            forward: {
              format: fwd.format,
              complete: (call, model, read, opts) => (seen('forward', call), fwd.complete(call, model, read, opts)),
              stream: (call, model, opts) => (seen('forward-stream', call), fwd.stream(call, model, opts)),
            },
          }
        : {}),
    };
  };
}

const config = (simUrl: string, proxyUrl: string): string => `providers:
  as_openai: { type: openai, base_url: "${simUrl}/v1", api_key: "sk-upstream-secret" }
  flaky_openai: { type: openai, base_url: "${proxyUrl}/v1", api_key: "sk-upstream-secret" }
  as_anthropic: { type: anthropic, base_url: "${simUrl}", api_key: "sk-upstream-secret" }
routes:
  chat: { targets: { production: as_openai/sim-chat-2026-01-15 } }
  forced:
    targets:
      production: { provider: as_openai, model: sim-chat-2026-01-15, params: { temperature: 0.1, max_tokens: 40 } }
  gone: { targets: { production: as_openai/sim-nope-2020-01-01 } }
  to-other-format: { targets: { production: flaky_openai/sim-chat-2026-01-15 }, fallback: [as_anthropic/sim-chat-2026-01-15] }
retry:
  max_attempts: 1
  cooldown_ms: 1
  failure_threshold: 1000
gateway:
  auth: keys
  keys:
    - { id: app, key: "\${GW_KEY}" }
    - { id: narrow, key: "\${GW_KEY_2}", routes: [forced] }
`;

const serverError = {
  kind: 'status' as const,
  status: 500,
  body: { error: { message: 'upstream exploded', type: 'server_error' } },
};

beforeAll(async () => {
  sim = await startSim();
  proxy = await startFaultProxy(sim.url);
  fast = await startHarness((u) => config(u, proxy.url), { providerFactory: recording(calls.fast) }, sim);
  slow = await startHarness(
    (u) => config(u, proxy.url),
    { providerFactory: recording(calls.slow), forward: false },
    sim,
  );
});
afterAll(async () => {
  await fast.close();
  await slow.close();
  await proxy.close();
  await sim.close();
});
beforeEach(() => {
  calls.fast.length = 0;
  calls.slow.length = 0;
  proxy.script([]);
});

const sdk = (h: Harness, key = 'client-secret-1') =>
  new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: key, maxRetries: 0 });

/** The fields of a usage record that do not depend on timing or on which gateway wrote it. */
async function lastRecord(h: Harness, route: string): Promise<Partial<UsageRecord>> {
  await h.gateway.writer.flush();
  const rows = await h.gateway.store.queryUsage({ route });
  const r = rows.at(-1);
  if (!r) throw new Error(`no usage record for ${route}`);
  const { ts: _ts, latencyMs: _l, ttftMs: _t, gatewayId: _g, ...rest } = r;
  return rest;
}

describe('plain completions', () => {
  it('takes the fast path and answers as the translating path does, usage record included', async () => {
    const messages = [{ role: 'user' as const, content: 'Say hello to the fast path' }];
    const a = await sdk(fast).chat.completions.create({ model: 'chat', messages, max_tokens: 50 }).withResponse();
    const b = await sdk(slow).chat.completions.create({ model: 'chat', messages, max_tokens: 50 }).withResponse();
    expect(calls.fast.map((c) => c.kind)).toEqual(['forward']);
    expect(calls.slow.map((c) => c.kind)).toEqual(['complete']);
    // The client's own JSON went upstream, with the target's model.
    expect(calls.fast[0]?.body).toEqual({ model: 'sim-chat-2026-01-15', messages, max_tokens: 50 });

    expect(a.data.model).toBe('chat');
    expect(b.data.model).toBe('chat');
    expect(a.data.object).toBe('chat.completion');
    expect(a.data.choices[0]?.message.content).toBe(b.data.choices[0]?.message.content);
    expect(a.data.choices[0]?.message.content).toBeTruthy();
    expect(a.data.choices[0]?.finish_reason).toBe(b.data.choices[0]?.finish_reason);
    expect(a.data.usage).toMatchObject({
      prompt_tokens: b.data.usage?.prompt_tokens,
      completion_tokens: b.data.usage?.completion_tokens,
    });
    expect(a.data.system_fingerprint).toBe(b.data.system_fingerprint);
    for (const h of [
      'x-modelpin-route',
      'x-modelpin-target',
      'x-modelpin-served-model',
      'x-modelpin-attempts',
      'x-modelpin-arm',
    ]) {
      expect(a.response.headers.get(h), h).toBe(b.response.headers.get(h));
    }
    expect(a.response.headers.get('x-modelpin-served-model')).toBe('sim-chat-2026-01-15');

    const ra = await lastRecord(fast, 'chat');
    const rb = await lastRecord(slow, 'chat');
    expect(ra).toEqual(rb);
    expect(ra).toMatchObject({
      status: 200,
      servedModel: 'sim-chat-2026-01-15',
      wire: 'openai',
      stream: false,
      clientKeyId: 'app',
    });
    expect(ra.inputTokens).toBeGreaterThan(0);
    expect(ra.outputTokens).toBeGreaterThan(0);
  });

  it('sends the params a target forces, in place of the client values', async () => {
    const res = await sdk(fast).chat.completions.create({
      model: 'forced',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 1.5,
      max_tokens: 500,
    });
    expect(res.model).toBe('forced');
    expect(calls.fast[0]?.body).toMatchObject({
      model: 'sim-chat-2026-01-15',
      temperature: 0.1,
      max_completion_tokens: 40,
    });
    expect(calls.fast[0]?.body).not.toHaveProperty('max_tokens');
  });

  it('checks JSON-mode answers (format_valid) from the relayed bytes as the translating path does', async () => {
    const req = {
      model: 'chat',
      messages: [{ role: 'user' as const, content: 'Reply with a JSON object' }],
      response_format: { type: 'json_object' as const },
    };
    await sdk(fast).chat.completions.create(req);
    await sdk(slow).chat.completions.create(req);
    const ra = await lastRecord(fast, 'chat');
    expect(ra.formatValid).not.toBeNull();
    expect(ra.formatValid).toBe((await lastRecord(slow, 'chat')).formatValid);
  });
});

describe('streams', () => {
  async function collect(h: Harness, includeUsage: boolean) {
    const stream = await sdk(h).chat.completions.create({
      model: 'chat',
      stream: true,
      ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
      messages: [{ role: 'user', content: 'Stream a greeting' }],
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null = null;
    const models = new Set<string>();
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      models.add(chunk.model);
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    return { text, finish, usage, models: [...models], chunks };
  }

  it('relays the upstream stream, with the route as model and the usage chunk when asked for', async () => {
    const a = await collect(fast, true);
    const b = await collect(slow, true);
    expect(calls.fast.map((c) => c.kind)).toEqual(['forward-stream']);
    expect(calls.slow.map((c) => c.kind)).toEqual(['stream']);
    expect(a.text).toBeTruthy();
    expect(a.text).toBe(b.text);
    expect(a.finish).toBe('stop');
    expect(a.finish).toBe(b.finish);
    expect(a.models).toEqual(['chat']);
    expect(a.usage?.completion_tokens).toBeGreaterThan(0);
    expect(a.usage).toMatchObject({
      prompt_tokens: b.usage?.prompt_tokens,
      completion_tokens: b.usage?.completion_tokens,
    });
    const ra = await lastRecord(fast, 'chat');
    expect(ra).toEqual(await lastRecord(slow, 'chat'));
    expect(ra).toMatchObject({ stream: true, status: 200, servedModel: 'sim-chat-2026-01-15' });
  });

  it('captures usage for the record when the client did not ask for it, and hides the usage chunk from that client', async () => {
    const a = await collect(fast, false);
    const b = await collect(slow, false);
    expect(calls.fast[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(a.usage).toBeNull();
    expect(b.usage).toBeNull();
    expect(a.text).toBe(b.text);
    const ra = await lastRecord(fast, 'chat');
    expect(ra.outputTokens).toBeGreaterThan(0);
    expect(ra).toEqual(await lastRecord(slow, 'chat'));
  });

  it('ends a stream cut by the upstream with an error the SDK raises, and records it', async () => {
    proxy.script([{ kind: 'cut', afterEvents: 2 }]);
    const stream = await sdk(fast).chat.completions.create({
      model: 'to-other-format',
      stream: true,
      messages: [{ role: 'user', content: 'Stream a greeting' }],
    });
    const err = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const r = await lastRecord(fast, 'to-other-format');
    expect(r.errorCode).toBe('stream_cut');
  });
});

describe('errors and fallback', () => {
  it('refuses a bad request with the same error on both paths, before any upstream call', async () => {
    const bad = {
      model: 'chat',
      messages: [{ role: 'user', content: 5 }],
    } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;
    const ea = await sdk(fast)
      .chat.completions.create(bad)
      .catch((e: unknown) => e);
    const eb = await sdk(slow)
      .chat.completions.create(bad)
      .catch((e: unknown) => e);
    expect(ea).toBeInstanceOf(OpenAI.BadRequestError);
    expect((ea as Error).message).toBe((eb as Error).message);
    expect(calls.fast).toEqual([]);
  });

  it('answers an upstream error in the caller format, as the translating path does', async () => {
    const ea = await sdk(fast)
      .chat.completions.create({ model: 'gone', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    const eb = await sdk(slow)
      .chat.completions.create({ model: 'gone', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(ea).toBeInstanceOf(OpenAI.APIError);
    expect((ea as InstanceType<typeof OpenAI.APIError>).status).toBe(
      (eb as InstanceType<typeof OpenAI.APIError>).status,
    );
    expect((ea as InstanceType<typeof OpenAI.APIError>).code).toBe((eb as InstanceType<typeof OpenAI.APIError>).code);
    expect((ea as Error).message).not.toContain('sk-upstream-secret');
    const ra = await lastRecord(fast, 'gone');
    expect(ra).toEqual(await lastRecord(slow, 'gone'));
    expect(ra.errorCode).toBeTruthy();
  });

  it('keeps a key scoped to other routes out', async () => {
    const e = await sdk(fast, 'client-secret-2')
      .chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OpenAI.APIError);
    expect(calls.fast).toEqual([]);
  });

  it('falls back to a target in another format through translation, plain and streaming', async () => {
    proxy.script([serverError]);
    const { data, response } = await sdk(fast)
      .chat.completions.create({ model: 'to-other-format', messages: [{ role: 'user', content: 'Say hello' }] })
      .withResponse();
    expect(calls.fast.map((c) => `${c.provider}:${c.kind}`)).toEqual(['flaky_openai:forward', 'as_anthropic:complete']);
    expect(data.model).toBe('to-other-format');
    expect(data.choices[0]?.message.content).toBeTruthy();
    expect(response.headers.get('x-modelpin-target')).toBe('as_anthropic/sim-chat-2026-01-15');
    expect(response.headers.get('x-modelpin-attempts')).toBe('2');
    const r = await lastRecord(fast, 'to-other-format');
    expect(r).toMatchObject({ status: 200, attempts: 2, provider: 'as_anthropic', servedModel: 'sim-chat-2026-01-15' });
    expect(r.outputTokens).toBeGreaterThan(0);

    calls.fast.length = 0;
    proxy.script([serverError]);
    const stream = await sdk(fast).chat.completions.create({
      model: 'to-other-format',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    let text = '';
    let usage = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage?.completion_tokens ?? usage;
    }
    expect(calls.fast.map((c) => `${c.provider}:${c.kind}`)).toEqual([
      'flaky_openai:forward-stream',
      'as_anthropic:stream',
    ]);
    expect(text).toBeTruthy();
    expect(usage).toBeGreaterThan(0);
  });
});
