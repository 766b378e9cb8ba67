import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pool } from 'undici';
import { createDeadline } from '../../src/providers/http/deadline.js';
import { requestWhole } from '../../src/providers/http/whole-answer.js';
import { startServer, type TestServer } from './http-server.js';

describe('requestWhole (an upstream answer read whole through a dispatch handler)', () => {
  let server: TestServer;
  let pool: Pool;
  beforeAll(async () => {
    server = await startServer((_req, res) => void res.end('{}'));
    pool = new Pool(server.url, { connections: 4 });
  });
  afterAll(async () => {
    await pool.close();
    await server.close();
  });
  const call = {
    method: 'POST' as const,
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json' },
    body: '{"a":1}',
  };

  it('sends the body and reads a multi-chunk answer with its headers, repeated ones folded', async () => {
    server.setHandler((_req, res) => {
      res.setHeader('X-Request-Id', 'r1');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"text":"h');
      setTimeout(() => res.end('é"}'), 5);
    });
    const d = createDeadline(2000, undefined);
    const a = await requestWhole(pool, call, d);
    d.clear();
    expect(a.status).toBe(200);
    expect(a.text).toBe('{"text":"hé"}');
    expect(a.headers()['x-request-id']).toBe('r1');
    expect(a.headers()['set-cookie']).toBe('a=1, b=2');
    expect(a.headers()['content-type']).toBe('application/json');
    expect(server.requests.at(-1)?.body).toBe('{"a":1}');
    expect(server.requests.at(-1)?.method).toBe('POST');
  });

  it('sends a GET without a body', async () => {
    server.setHandler((_req, res) => void res.end('{"data":[]}'));
    const d = createDeadline(2000, undefined);
    const a = await requestWhole(pool, { method: 'GET', path: '/v1/models', headers: {}, body: undefined }, d);
    d.clear();
    expect(a).toMatchObject({ status: 200, text: '{"data":[]}' });
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', url: '/v1/models', body: '' });
  });

  it('returns an error answer with its status and body', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(429, { 'retry-after': '3' });
      res.end('{"error":{"message":"slow down"}}');
    });
    const d = createDeadline(2000, undefined);
    const a = await requestWhole(pool, call, d);
    d.clear();
    expect(a).toMatchObject({ status: 429, text: '{"error":{"message":"slow down"}}' });
    expect(a.headers()['retry-after']).toBe('3');
  });

  it('gives up on an upstream that sends no headers when the deadline fires', async () => {
    server.setHandler(() => {}); // never answers
    const d = createDeadline(5000, undefined, 50);
    await expect(requestWhole(pool, call, d)).rejects.toThrow();
    d.clear();
    expect(d.state).toMatchObject({ timedOut: true, firstByte: true, limitMs: 50 });
  });

  it('gives up on a body that stalls after the headers', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    });
    const d = createDeadline(100, undefined, 50);
    await expect(requestWhole(pool, call, d)).rejects.toThrow();
    d.clear();
    // The first-byte limit stopped applying once the headers were in: the whole-answer limit fired.
    expect(d.state).toMatchObject({ timedOut: true, firstByte: false, limitMs: 100 });
  });

  it('stops when the caller aborts, and at once when it already had', async () => {
    server.setHandler(() => {});
    const ac = new AbortController();
    const d = createDeadline(5000, ac.signal);
    const pending = requestWhole(pool, call, d);
    setTimeout(() => ac.abort(), 20);
    await expect(pending).rejects.toThrow();
    d.clear();
    expect(d.state.callerAborted).toBe(true);

    const before = server.requests.length;
    const d2 = createDeadline(5000, ac.signal);
    await expect(requestWhole(pool, call, d2)).rejects.toThrow();
    d2.clear();
    expect(d2.state.callerAborted).toBe(true);
    expect(server.requests.length).toBe(before);
  });

  it('still hands out an aborted signal to a caller that asks for one after the abort', () => {
    const ac = new AbortController();
    ac.abort();
    const d = createDeadline(1000, ac.signal);
    expect(d.signal.aborted).toBe(true);
    d.clear();
  });
});
