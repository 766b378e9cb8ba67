/**
 * `modelpin serve` as a child process exporting OpenTelemetry to a local OTLP/HTTP receiver: a span
 * per call following the GenAI conventions, a child span per upstream attempt whose traceparent the
 * upstream receives, an incoming traceparent continued, metrics, content only when opted in, and a
 * flush on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorServer } from '../../src/sim/index.js';
import { startSim, writeConfig } from '../support/gateway-harness.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { startServe, type ServeProcess } from '../support/serve-process.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

function serve(config: string, env: Record<string, string>): Promise<ServeProcess> {
  return startServe(config, {
    args: ['--no-extensions'],
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
  });
}

function configFile(upstream: string): string {
  const path = writeConfig(
    `providers:
  up: { type: openai, base_url: "${upstream}/v1", api_key: "sk-upstream-secret" }
routes:
  summarize: { targets: { production: up/sim-chat-latest } }
  rescue:
    targets: { production: up/no-such-model }
    fallback: [up/sim-chat-2026-01-15]
  embed: { targets: { production: up/sim-embed-2026-03-01 } }
retry: { max_attempts: 3, base_delay_ms: 1, max_delay_ms: 2 }
store: { type: sqlite, path: usage.db }
`,
  );
  return path;
}

async function chat(
  url: string,
  model: string,
  text: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { usage?: { prompt_tokens: number; completion_tokens: number } } }> {
  const r = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: text }] }),
  });
  return {
    status: r.status,
    body: (await r.json()) as { usage?: { prompt_tokens: number; completion_tokens: number } },
  };
}

const SERVER = 2;
const CLIENT = 3;
const STATUS_ERROR = 2;

describe('serve with OTEL_EXPORTER_OTLP_ENDPOINT (http/json)', () => {
  let sim: SimulatorServer;
  let proxy: FaultProxy;
  let otlp: OtlpReceiver;
  let gw: ServeProcess;
  let exitCode: number | null;
  let usage: { prompt_tokens: number; completion_tokens: number } | undefined;

  beforeAll(async () => {
    sim = await startSim();
    proxy = await startFaultProxy(sim.url);
    otlp = await startOtlpReceiver();
    gw = await serve(configFile(proxy.url), {
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'llm-gateway',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
      // Nothing is exported on a timer during the test: what arrives was flushed by SIGTERM.
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      OTEL_METRIC_EXPORT_INTERVAL: '600000',
    });
    // The first upstream attempt of the first call gets a 503: the retry is a second attempt span.
    proxy.script([{ kind: 'status', status: 503, body: { error: { message: 'overloaded', type: 'server_error' } } }]);
    const first = await chat(gw.url, 'summarize', 'Summarize: the quick brown fox.', {
      traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`,
    });
    expect(first.status).toBe(200);
    usage = first.body.usage;
    expect((await chat(gw.url, 'rescue', 'hello')).status).toBe(200);
    const emb = await fetch(`${gw.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'embed', input: ['a b c'] }),
    });
    expect(emb.status).toBe(200);
    expect((await chat(gw.url, 'no-such-route', 'hi')).status).toBe(404);
    exitCode = await gw.stop();
  }, 60_000);

  afterAll(async () => {
    if (gw?.child.exitCode === null) gw.child.kill('SIGKILL');
    await proxy?.close();
    await sim?.close();
    await otlp?.close();
  });

  const callSpan = (name: string): ReceivedSpan => {
    const s = otlp.spans.find((x) => x.name === name && x.kind === SERVER);
    if (!s) throw new Error(`no server span ${name}; got ${otlp.spans.map((x) => x.name).join(', ')}`);
    return s;
  };

  it('exits cleanly and flushes spans and metrics on SIGTERM', () => {
    expect(exitCode).toBe(0);
    expect(otlp.raw.some((r) => r.path === '/v1/traces' && r.contentType.includes('json'))).toBe(true);
    expect(otlp.raw.some((r) => r.path === '/v1/metrics')).toBe(true);
  });

  it('a chat call is a GenAI span continuing the caller trace, with modelpin attributes', () => {
    const s = callSpan('chat summarize');
    expect(s.traceId).toBe(TRACE_ID);
    expect(s.parentSpanId).toBe(CALLER_SPAN);
    expect(s.resource['service.name']).toBe('llm-gateway');
    expect(s.resource['deployment.environment.name']).toBe('test');
    const a = s.attributes;
    expect(a['gen_ai.operation.name']).toBe('chat');
    expect(a['gen_ai.provider.name']).toBe('openai');
    expect(a['gen_ai.system']).toBe('openai');
    expect(a['gen_ai.request.model']).toBe('summarize');
    expect(a['gen_ai.response.model']).toMatch(/^sim-chat-20\d\d-\d\d-\d\d$/);
    expect(a['gen_ai.usage.input_tokens']).toBe(usage?.prompt_tokens);
    expect(a['gen_ai.usage.output_tokens']).toBe(usage?.completion_tokens);
    expect(a['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(a['modelpin.route']).toBe('summarize');
    expect(a['modelpin.env']).toBe('production');
    expect(a['modelpin.target']).toBe('up/sim-chat-latest');
    expect(a['modelpin.arm']).toBe('stable');
    expect(a['modelpin.attempts']).toBe(2);
    expect(a['modelpin.fallback_index']).toBe(0);
    expect(a['modelpin.override']).toBe('none');
    expect(a['modelpin.cache']).toBe('miss');
    expect(a['http.response.status_code']).toBe(200);
    expect(a['error.type']).toBeUndefined();
  });

  it('each upstream attempt is a client child span, and the upstream got its traceparent', () => {
    const parent = callSpan('chat summarize');
    const attempts = otlp.spans
      .filter((x) => x.parentSpanId === parent.spanId)
      .sort((x, y) => Number(x.attributes['modelpin.attempt']) - Number(y.attributes['modelpin.attempt']));
    expect(attempts).toHaveLength(2);
    const port = Number(new URL(proxy.url).port);
    for (const a of attempts) {
      expect(a.kind).toBe(CLIENT);
      expect(a.traceId).toBe(TRACE_ID);
      expect(a.name).toBe('chat sim-chat-latest');
      expect(a.attributes['gen_ai.request.model']).toBe('sim-chat-latest');
      expect(a.attributes['server.address']).toBe('127.0.0.1');
      expect(a.attributes['server.port']).toBe(port);
    }
    expect(attempts[0]?.attributes['http.response.status_code']).toBe(503);
    expect(attempts[0]?.attributes['error.type']).toBeTypeOf('string');
    expect(attempts[0]?.status.code).toBe(STATUS_ERROR);
    expect(attempts[1]?.attributes['http.response.status_code']).toBe(200);
    // The first two upstream requests are this call's two attempts, each with its own span as parent.
    const sent = proxy.seen.slice(0, 2).map((r) => r.headers['traceparent']);
    expect(sent).toEqual(attempts.map((a) => `00-${TRACE_ID}-${a.spanId}-01`));
  });

  it('a fallback answer names its index; a call without traceparent starts its own trace', () => {
    const s = callSpan('chat rescue');
    expect(s.traceId).not.toBe(TRACE_ID);
    expect(s.parentSpanId === '' || s.parentSpanId === 'undefined').toBe(true);
    expect(s.attributes['modelpin.fallback_index']).toBe(1);
    expect(s.attributes['modelpin.target']).toBe('up/sim-chat-2026-01-15');
    expect(s.attributes['modelpin.attempts']).toBe(2);
    const children = otlp.spans.filter((x) => x.parentSpanId === s.spanId);
    expect(children.map((c) => c.attributes['gen_ai.request.model']).sort()).toEqual([
      'no-such-model',
      'sim-chat-2026-01-15',
    ]);
  });

  it('embeddings calls are embeddings spans; a failed call carries error.type', () => {
    const e = callSpan('embeddings embed');
    expect(e.attributes['gen_ai.operation.name']).toBe('embeddings');
    expect(e.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(e.attributes['gen_ai.usage.output_tokens']).toBeUndefined();
    const failed = callSpan('chat no-such-route');
    expect(failed.attributes['error.type']).toBe('route_not_found');
    expect(failed.attributes['http.response.status_code']).toBe(404);
    expect(failed.status.code).toBe(STATUS_ERROR);
  });

  it('prompts and answers are not exported by default', () => {
    for (const s of otlp.spans) {
      expect(
        Object.keys(s.attributes).filter(
          (k) => k.startsWith('gen_ai.input') || k.startsWith('gen_ai.output') || k === 'gen_ai.system_instructions',
        ),
      ).toEqual([]);
    }
    expect(otlp.raw.every((r) => !r.body.toString('utf8').includes('quick brown fox'))).toBe(true);
  });

  it('exports gen_ai.client.token.usage and gen_ai.client.operation.duration', () => {
    const tokens = otlp.points.filter(
      (p) => p.metric === 'gen_ai.client.token.usage' && p.attributes['gen_ai.request.model'] === 'summarize',
    );
    expect(tokens.find((p) => p.attributes['gen_ai.token.type'] === 'input')?.sum).toBe(usage?.prompt_tokens);
    expect(tokens.find((p) => p.attributes['gen_ai.token.type'] === 'output')?.sum).toBe(usage?.completion_tokens);
    expect(tokens[0]?.unit).toBe('{token}');
    const durations = otlp.points.filter((p) => p.metric === 'gen_ai.client.operation.duration');
    expect(durations.find((p) => p.attributes['gen_ai.request.model'] === 'summarize')?.count).toBe(1);
    expect(durations[0]?.unit).toBe('s');
    expect(
      durations.find((p) => p.attributes['gen_ai.request.model'] === 'no-such-route')?.attributes['error.type'],
    ).toBe('route_not_found');
  });
});

describe('serve with content capture opted in', () => {
  it('exports gen_ai.input.messages and gen_ai.output.messages when OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true', async () => {
    const sim = await startSim();
    const otlp = await startOtlpReceiver();
    const gw = await serve(configFile(sim.url), {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${otlp.url}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    try {
      expect((await chat(gw.url, 'summarize', 'Summarize: the quick brown fox.')).status).toBe(200);
      const s = await otlp.waitFor(() => otlp.spans.find((x) => x.name === 'chat summarize'), 'chat span');
      const input = JSON.parse(String(s.attributes['gen_ai.input.messages'])) as Array<{
        role: string;
        parts: Array<{ type: string; content: string }>;
      }>;
      expect(input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Summarize: the quick brown fox.' }] }]);
      const output = JSON.parse(String(s.attributes['gen_ai.output.messages'])) as Array<{
        role: string;
        parts: Array<{ type: string; content: string }>;
        finish_reason: string;
      }>;
      expect(output[0]?.role).toBe('assistant');
      expect(output[0]?.parts[0]?.content.length).toBeGreaterThan(0);
      expect(output[0]?.finish_reason).toBe('stop');
      // Only the traces endpoint was named: no metrics are sent.
      expect(otlp.raw.some((r) => r.path === '/v1/metrics')).toBe(false);
    } finally {
      expect(await gw.stop()).toBe(0);
      await sim.close();
      await otlp.close();
    }
  }, 60_000);
});

describe('serve with the default protocol and an unreachable collector', () => {
  it('sends http/protobuf by default', async () => {
    const sim = await startSim();
    const otlp = await startOtlpReceiver();
    const gw = await serve(configFile(sim.url), {
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    try {
      expect((await chat(gw.url, 'summarize', 'hello')).status).toBe(200);
      const r = await otlp.waitFor(() => otlp.raw.find((x) => x.path === '/v1/traces'), 'trace export');
      expect(r.contentType).toBe('application/x-protobuf');
      // Protobuf strings travel as they are: the span name and the route are in the bytes.
      expect(r.body.includes(Buffer.from('chat summarize'))).toBe(true);
      expect(r.body.includes(Buffer.from('gen_ai.request.model'))).toBe(true);
    } finally {
      expect(await gw.stop()).toBe(0);
      await sim.close();
      await otlp.close();
    }
  }, 60_000);

  it('keeps serving and shuts down cleanly when nothing listens at the endpoint', async () => {
    const sim = await startSim();
    const gone = await startOtlpReceiver();
    const deadUrl = gone.url;
    await gone.close();
    // A short export timeout: the exporter's retries give up (and the failure is logged) within a second.
    const gw = await serve(configFile(sim.url), {
      OTEL_EXPORTER_OTLP_ENDPOINT: deadUrl,
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
      OTEL_BSP_SCHEDULE_DELAY: '20',
      OTEL_METRIC_EXPORT_INTERVAL: '50',
    });
    try {
      for (let i = 0; i < 5; i++) expect((await chat(gw.url, 'summarize', `hello ${i}`)).status).toBe(200);
      await waitUntil(() => gw.stderr().includes('telemetry: span export failed'));
      expect((await chat(gw.url, 'summarize', 'still here')).status).toBe(200);
    } finally {
      expect(await gw.stop()).toBe(0);
      await sim.close();
    }
    expect(gw.stderr()).toContain('telemetry: span export failed');
  }, 60_000);
});

async function waitUntil(ok: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}
