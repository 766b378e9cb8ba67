/**
 * Upstream errors, retries, fallbacks and breaker transitions leave a log line (rate-limited, no
 * secrets) and a /metrics counter. Upstream: a real HTTP server on 127.0.0.1 whose "bad" model
 * answers 503 until it is told to recover.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/gateway-harness.js';

let badHealthy = false;

async function startUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const model = (JSON.parse(raw) as { model: string }).model;
      if (model === 'cut-model') {
        // One chunk of a stream, then the connection drops.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = {
          id: 'c2',
          object: 'chat.completion.chunk',
          created: 1,
          model,
          choices: [{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }],
        };
        res.write(`data: ${JSON.stringify(chunk)}\n\n`);
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      if (model === 'bad-model' && !badHealthy) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'overloaded, try later', type: 'server_error', code: null } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          created: 1,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

describe('dispatch events', () => {
  let up: Server;
  let h: Harness;
  beforeAll(async () => {
    up = await startUpstream();
    const url = `http://127.0.0.1:${(up.address() as AddressInfo).port}`;
    h = await startHarness(
      () => `providers:
  up: { type: openai, base_url: "${url}/v1", api_key: "\${UP_KEY}" }
routes:
  r: { targets: { production: up/bad-model }, fallback: [up/good-model] }
  cut: { targets: { production: up/cut-model } }
retry: { max_attempts: 2, base_delay_ms: 10, max_delay_ms: 10, failure_threshold: 2, cooldown_ms: 1000 }
`,
      { envVars: { UP_KEY: 'sk-upstream-key-never-logged' } },
    );
  });
  afterAll(async () => {
    await h.close();
    await new Promise((r) => up.close(r));
  });

  const call = async (): Promise<number> => {
    const res = await fetch(`${h.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'r', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await res.text();
    return res.status;
  };
  const lines = (msg: string) => h.logs.filter((l) => l.msg === msg);
  const metric = async (line: RegExp): Promise<number> => {
    const text = await (await fetch(`${h.gateway.url}/metrics`)).text();
    const m = text.split('\n').find((l) => line.test(l));
    return m ? Number(m.split(' ').pop()) : 0;
  };

  it('logs and counts an error, a retry, the breaker opening and the fallback', async () => {
    expect(await call()).toBe(200);
    expect(lines('upstream error')[0]?.fields).toMatchObject({
      target: 'up/bad-model',
      code: 'overloaded',
      status: 503,
      error: 'overloaded, try later',
    });
    expect(lines('retrying upstream')[0]?.fields).toMatchObject({
      target: 'up/bad-model',
      attempt: 2,
      code: 'overloaded',
    });
    expect(lines('circuit breaker').map((l) => [l.level, l.fields])).toEqual([
      ['warn', { target: 'up/bad-model', from: 'closed', to: 'open' }],
    ]);
    expect(lines('falling back to the next target')[0]?.fields).toMatchObject({
      from: 'up/bad-model',
      to: 'up/good-model',
      code: 'overloaded',
    });
    expect(await metric(/^modelpin_upstream_errors_total\{target="up\/bad-model",code="overloaded"\}/)).toBe(2);
    expect(await metric(/^modelpin_retries_total\{target="up\/bad-model"\}/)).toBe(1);
    expect(await metric(/^modelpin_fallbacks_total\{from="up\/bad-model",to="up\/good-model"\}/)).toBe(1);
    expect(await metric(/^modelpin_breaker_transitions_total\{target="up\/bad-model",to="open"\}/)).toBe(1);
  });

  it('counts a skip by the open breaker as a fallback, and rate-limits repeated lines', async () => {
    expect(await call()).toBe(200);
    expect(await metric(/^modelpin_fallbacks_total\{from="up\/bad-model",to="up\/good-model"\}/)).toBe(2);
    // The breaker skipped the target: no new upstream error.
    expect(await metric(/^modelpin_upstream_errors_total\{target="up\/bad-model",code="overloaded"\}/)).toBe(2);
    expect(lines('falling back to the next target').map((l) => l.fields?.code)).toEqual(['overloaded', 'circuit_open']);
    expect(await call()).toBe(200);
    // Two errors and three fallbacks so far, one line per kind of each: the rest wait for the interval to pass.
    expect(lines('upstream error')).toHaveLength(1);
    expect(lines('falling back to the next target')).toHaveLength(2);
  });

  it('logs the half-open probe and its outcome, and says how many lines it held back', async () => {
    h.clock.advance(1000);
    expect(await call()).toBe(200);
    expect(lines('circuit breaker').map((l) => l.fields?.to)).toEqual(['open', 'half_open', 'open']);
    expect(lines('upstream error')).toHaveLength(1);
    h.clock.advance(10_000);
    expect(await call()).toBe(200);
    // Past the interval: the next line says how many were held back (one in the first call, one in the probe above).
    expect(lines('upstream error')[1]?.fields).toMatchObject({ target: 'up/bad-model', suppressed: 2 });
    h.clock.advance(1000);
    badHealthy = true;
    expect(await call()).toBe(200);
    expect(lines('circuit breaker').map((l) => [l.level, l.fields?.to])).toEqual([
      ['warn', 'open'],
      ['info', 'half_open'],
      ['warn', 'open'],
      ['info', 'half_open'],
      ['warn', 'open'],
      ['info', 'half_open'],
      ['info', 'closed'],
    ]);
    expect(await metric(/^modelpin_breaker_transitions_total\{target="up\/bad-model",to="closed"\}/)).toBe(1);
    expect(await metric(/^modelpin_breaker_transitions_total\{target="up\/bad-model",to="half_open"\}/)).toBe(3);
    expect(await metric(/^modelpin_upstream_errors_total\{target="up\/bad-model",code="overloaded"\}/)).toBe(4);
  });

  it('logs and counts a stream the upstream cut mid-answer', async () => {
    const res = await fetch(`${h.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'cut', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/"error"/);
    const line = lines('upstream error').find((l) => l.fields?.target === 'up/cut-model');
    expect(line?.fields).toMatchObject({ target: 'up/cut-model', code: 'stream_cut' });
    expect(await metric(/^modelpin_upstream_errors_total\{target="up\/cut-model",code="stream_cut"\}/)).toBe(1);
  });

  it('writes no line for a plain success, and no secret anywhere', async () => {
    const before = h.logs.length;
    expect(await call()).toBe(200);
    expect(h.logs.length).toBe(before);
    expect(JSON.stringify(h.logs)).not.toContain('sk-upstream-key-never-logged');
  });
});
