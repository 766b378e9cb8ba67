import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulatorServer, type SimulatorServer } from '../../src/sim/server.js';
import { ERRORS_SCENARIO, PROMPTS, tempScenarios } from './helpers.js';

interface RawResult {
  status?: number;
  headers?: Record<string, string | string[] | undefined>;
  body: string;
  error?: NodeJS.ErrnoException;
}

/** A bare node:http client: sees exactly what happens on the socket. */
function raw(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RawResult> {
  return new Promise((resolve) => {
    const out: RawResult = { body: '' };
    const req = request(
      new URL(path, url),
      { method, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        out.status = res.statusCode;
        out.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (c: string) => (out.body += c));
        res.on('error', (e) => resolve({ ...out, error: e }));
        res.on('end', () => resolve(out));
      },
    );
    req.on('error', (e) => resolve({ ...out, error: e }));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const chat = (model: string, extra: object = {}) => ({
  model,
  messages: [{ role: 'user', content: PROMPTS.generic }],
  ...extra,
});

let server: SimulatorServer;
const clock = new ManualClock(Date.parse('2026-11-23T09:00:00Z'));
const files = tempScenarios({
  'errors.yml': `${ERRORS_SCENARIO}
aliases:
  counted-latest: { target: sim-chat-2026-01-15, moves: [{ after_requests: 2, to: sim-chat-2026-12-10 }] }
`,
});

beforeAll(async () => {
  server = await startSimulatorServer({ port: 0, scenario: files.path('errors.yml'), clock, fast: false, seed: 5 });
});
afterAll(async () => {
  await server.close();
  files.cleanup();
});

describe('simulator over raw HTTP', () => {
  it('says it is a simulator on GET / and on every response', async () => {
    const root = await raw(server.url, 'GET', '/');
    expect(root.status).toBe(200);
    expect(root.body).toContain('modelpin simulator');
    expect(root.body).toContain('SIMULATED');
    for (const r of [
      root,
      await raw(server.url, 'GET', '/v1/models'),
      await raw(server.url, 'GET', '/nope'),
      await raw(server.url, 'POST', '/v1/chat/completions', chat('sim-chat-2026-01-15')),
    ]) {
      expect(r.headers?.['x-modelpin-simulator']).toBe('1');
    }
  });

  it('connection reset: the socket is destroyed before any response', async () => {
    const r = await raw(server.url, 'POST', '/v1/chat/completions', chat('err-reset-2026-01-01'));
    expect(r.status).toBeUndefined();
    expect(r.error?.code).toBe('ECONNRESET');
  });

  it('stream cut: some chunks, then the connection drops with no [DONE]', async () => {
    const r = await raw(server.url, 'POST', '/v1/chat/completions', chat('err-cut-2026-01-01', { stream: true }));
    expect(r.status).toBe(200);
    expect(r.error).toBeDefined();
    expect(r.body).toContain('chat.completion.chunk');
    expect(r.body).not.toContain('[DONE]');
    expect(r.body).not.toContain('finish_reason":"stop"');
    const a = await raw(
      server.url,
      'POST',
      '/v1/messages',
      chat('err-cut-2026-01-01', { stream: true, max_tokens: 100 }),
      { 'anthropic-version': '2023-06-01' },
    );
    expect(a.body).toContain('content_block_delta');
    expect(a.body).not.toContain('message_stop');
    expect(a.error).toBeDefined();
  });

  it('alias move by time: the served model id changes when the clock passes Wednesday', async () => {
    const served = async () => {
      const r = await raw(server.url, 'POST', '/v1/chat/completions', chat('sim-chat-latest'));
      return [(JSON.parse(r.body) as { model: string }).model, r.headers?.['x-modelpin-served-model']];
    };
    clock.set(Date.parse('2026-11-24T23:59:59Z'));
    expect(await served()).toEqual(['sim-chat-2026-01-15', 'sim-chat-2026-01-15']);
    clock.set(Date.parse('2026-11-25T00:00:00Z'));
    expect(await served()).toEqual(['sim-chat-2026-11-25', 'sim-chat-2026-11-25']);
  });

  it('alias move by request count: the third request is served by the new snapshot', async () => {
    const models = [];
    for (let i = 0; i < 4; i++) {
      const r = await raw(server.url, 'POST', '/v1/messages', chat('counted-latest', { max_tokens: 300 }), {
        'anthropic-version': '2023-06-01',
      });
      models.push((JSON.parse(r.body) as { model: string }).model);
    }
    expect(models).toEqual([
      'sim-chat-2026-01-15',
      'sim-chat-2026-01-15',
      'sim-chat-2026-12-10',
      'sim-chat-2026-12-10',
    ]);
  });

  it('unknown models and unknown routes answer 404 in the caller format; bad JSON answers 400', async () => {
    const unknown = await raw(server.url, 'POST', '/v1beta/models/gpt-5:generateContent', {
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
    });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
    const route = await raw(server.url, 'GET', '/v2/whatever');
    expect(route.status).toBe(404);
    // `//` is a valid HTTP request target that the URL parser refuses: still a 404, not an internal error.
    const unreadable = await fetch(`${server.url}//`, { headers: { 'anthropic-version': '2023-06-01' } });
    expect(unreadable.status).toBe(404);
    expect(await unreadable.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    const bad = await new Promise<number | undefined>((resolve) => {
      const req = request(
        new URL('/v1/messages', server.url),
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.end('{not json');
    });
    expect(bad).toBe(400);
  });
});

describe('seeded reproducibility over HTTP', () => {
  it('two servers with the same seed give the same fault sequence', async () => {
    const t = tempScenarios({
      'mix.yml':
        'extends: default\nsnapshots:\n  sim-chat-2026-01-15:\n    latency: { fixed_ms: 0 }\n    stream: { ttft: { fixed_ms: 0 } }\n    faults: { rate_limit: 0.25, server_error: 0.25, overloaded: 0.2 }\n',
    });
    const run = async (seed: number) => {
      const s = await startSimulatorServer({ port: 0, scenario: t.path('mix.yml'), seed });
      try {
        const statuses = [];
        for (let i = 0; i < 20; i++)
          statuses.push((await raw(s.url, 'POST', '/v1/chat/completions', chat('sim-chat-2026-01-15'))).status);
        return statuses;
      } finally {
        await s.close();
      }
    };
    try {
      const a = await run(11);
      expect(await run(11)).toEqual(a);
      expect(new Set(a)).toEqual(new Set([200, 429, 500, 503]));
      expect(await run(12)).not.toEqual(a);
    } finally {
      t.cleanup();
    }
  });
});

describe('hang over HTTP', () => {
  it('never answers; the socket is dropped after hang_max_ms so nothing leaks', async () => {
    const t = tempScenarios({
      'hang.yml':
        'hang_max_ms: 50\nsnapshots:\n  h-2026-01-01: { faults: { hang: 1 } }\nrules: [{ id: r, reply: { text: hi } }]\n',
    });
    const s = await startSimulatorServer({ port: 0, scenario: t.path('hang.yml') });
    try {
      const r = await raw(s.url, 'POST', '/v1/chat/completions', chat('h-2026-01-01'));
      expect(r.status).toBeUndefined();
      expect(r.error?.code).toBe('ECONNRESET');
    } finally {
      await s.close();
      t.cleanup();
    }
  });
});
