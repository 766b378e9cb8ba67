/**
 * An upstream on 127.0.0.1 that echoes the request headers in its error answers (some proxies and
 * misconfigured servers do), called through all four client wires and all four upstream formats:
 * no provider key, header value or other value that came from the environment reaches the client,
 * the log, the store or /metrics. An upstream error page is capped and stripped of markup.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/gateway-harness.js';

const SECRET = 'tok-from-env-7c1f9d2e';
const UP_KEY = 'upstream-key-55aa66bb77';
const LITERAL = 'literal-header-value-31415';
const ALL = [SECRET, UP_KEY, LITERAL];

/** Answers every call with an error whose text carries every request header, in the format of the path. */
async function startEchoUpstream(mode: { html: boolean }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const echoed = `bad request; you sent ${JSON.stringify(req.headers)}`;
      if (mode.html) {
        const page = `<!DOCTYPE html><html><head><style>body{color:red}</style><script>var t="${String(req.headers['x-custom-token'])}";</script></head><body>\u0007\u001b[31m<h1>502 Bad Gateway</h1><p>${echoed}</p>${'<div>filler</div>'.repeat(2000)}</body></html>`;
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end(page);
        return;
      }
      const path = req.url ?? '';
      const body = path.includes('/messages')
        ? { type: 'error', error: { type: 'invalid_request_error', message: echoed } }
        : path.includes('/v1beta/')
          ? { error: { code: 400, message: echoed, status: 'INVALID_ARGUMENT' } }
          : { error: { message: echoed, type: 'invalid_request_error', param: null, code: null } };
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const yaml = (up: string) => () => {
  const common = `api_key: "\${UP_KEY}", headers: { x-custom-token: "\${SECRET}", x-literal: "${LITERAL}" }`;
  return `providers:
  up_chat: { type: openai, base_url: "${up}/v1", ${common} }
  up_responses: { type: openai, api: responses, base_url: "${up}/v1", ${common} }
  up_anthropic: { type: anthropic, base_url: "${up}", ${common} }
  up_gemini: { type: gemini, base_url: "${up}/v1beta", ${common} }
routes:
  r-chat: { targets: { production: up_chat/model-1 } }
  r-responses: { targets: { production: up_responses/model-1 } }
  r-anthropic: { targets: { production: up_anthropic/model-1 } }
  r-gemini: { targets: { production: up_gemini/model-1 } }
retry: { max_attempts: 1, failure_threshold: 1000 }
`;
};

const ROUTES = ['r-chat', 'r-responses', 'r-anthropic', 'r-gemini'];

/** One call per client wire (plain and streaming) to `route`; the bodies as text. */
async function callAllWires(
  base: string,
  route: string,
): Promise<Array<{ wire: string; status: number; text: string }>> {
  const user = 'hello';
  const calls: Array<[string, string, unknown, Record<string, string>]> = [];
  for (const stream of [false, true]) {
    calls.push([
      `openai${stream ? ' stream' : ''}`,
      '/v1/chat/completions',
      { model: route, stream, messages: [{ role: 'user', content: user }] },
      {},
    ]);
    calls.push([`responses${stream ? ' stream' : ''}`, '/v1/responses', { model: route, stream, input: user }, {}]);
    calls.push([
      `anthropic${stream ? ' stream' : ''}`,
      '/v1/messages',
      { model: route, stream, max_tokens: 20, messages: [{ role: 'user', content: user }] },
      { 'anthropic-version': '2023-06-01' },
    ]);
    calls.push([
      `gemini${stream ? ' stream' : ''}`,
      `/v1beta/models/${route}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
      { contents: [{ role: 'user', parts: [{ text: user }] }] },
      {},
    ]);
  }
  return Promise.all(
    calls.map(async ([wire, path, body, headers]) => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { wire, status: res.status, text: await res.text() };
    }),
  );
}

function expectNoSecret(where: string, text: string): void {
  for (const s of ALL) expect(text.includes(s), `${where} contains ${s}`).toBe(false);
}

describe('an upstream that echoes request headers in its errors', () => {
  let up: { url: string; server: Server };
  let h: Harness;
  beforeAll(async () => {
    up = await startEchoUpstream({ html: false });
    h = await startHarness(yaml(up.url), { envVars: { SECRET, UP_KEY } });
  });
  afterAll(async () => {
    await h.close();
    await new Promise((r) => up.server.close(r));
  });

  it('never shows a header value or env value to the client, on any wire, from any upstream format', async () => {
    for (const route of ROUTES) {
      const answers = await callAllWires(h.gateway.url, route);
      for (const a of answers) {
        expect(a.status, `${route} via ${a.wire}`).toBe(400);
        // The upstream's text still arrives (it is useful), with the secret values cut out.
        expect(a.text, `${route} via ${a.wire}`).toMatch(/you sent/);
        expect(a.text, `${route} via ${a.wire}`).toMatch(/\[redacted\]/);
        expectNoSecret(`${route} via ${a.wire}`, a.text);
      }
    }
  });

  it('keeps them out of the log, the store and /metrics', async () => {
    await callAllWires(h.gateway.url, 'r-chat');
    await h.gateway.writer.flush();
    expectNoSecret('log', JSON.stringify(h.logs));
    expectNoSecret('metrics', await (await fetch(`${h.gateway.url}/metrics`)).text());
    const rows = await h.gateway.store.queryUsage({ route: 'r-chat' });
    expect(rows.length).toBeGreaterThan(0);
    expectNoSecret('store', JSON.stringify(rows));
  });
});

describe('an upstream that answers with a whole HTML page', () => {
  let up: { url: string; server: Server };
  let h: Harness;
  beforeAll(async () => {
    up = await startEchoUpstream({ html: true });
    h = await startHarness(yaml(up.url), { envVars: { SECRET, UP_KEY } });
  });
  afterAll(async () => {
    await h.close();
    await new Promise((r) => up.server.close(r));
  });

  it('passes a short, plain-text excerpt: no markup, no control characters, no secret', async () => {
    for (const route of ROUTES) {
      const answers = await callAllWires(h.gateway.url, route);
      for (const a of answers) {
        const where = `${route} via ${a.wire}`;
        expect(a.status, where).toBeGreaterThanOrEqual(500);
        expectNoSecret(where, a.text);
        const message = errorMessage(a.text);
        expect(message, where).toMatch(/502 Bad Gateway/);
        expect(message.length, where).toBeLessThanOrEqual(400);
        expect(message, where).not.toMatch(/[<>]/);
        expect(message, where).not.toMatch(/body\{color|var t=/);
        // eslint-disable-next-line no-control-regex
        expect(message, where).not.toMatch(/[\u0000-\u001f\u007f]/);
      }
    }
  });
});

/** The error message of a JSON error body, or of the error event of a stream. */
function errorMessage(text: string): string {
  const json = text.trim().startsWith('{') ? text : (/^data: (.*\{.*)$/m.exec(text)?.[1] ?? '{}');
  const body = JSON.parse(json) as { error?: { message?: string } };
  return body.error?.message ?? '';
}
