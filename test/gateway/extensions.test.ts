/** The gateway runs extensions: start with a context, onServed off the response path, /admin routing, store polls, onConfig, stop. */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GatewayContext, GatewayExtension, ServedEvent } from '../../src/gateway/extension.js';
import type { ModelsFile } from '../../src/config/schema.js';
import { ENDPOINTS, matchEndpoint } from '../../src/wire/endpoints.js';
import { CLIENT_WIRE_FORMATS } from '../../src/wire/canonical.js';
import { startHarness } from '../support/gateway-harness.js';

const yaml = (model: string) => `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: sim/${model} } }
`;

describe('extensions', () => {
  it('are started, fed served events, given admin requests and config changes, and stopped', async () => {
    const calls: string[] = [];
    const served: ServedEvent[] = [];
    let ctx: GatewayContext | null = null;
    let config: ModelsFile | null = null;
    const ext: GatewayExtension = {
      name: 'probe',
      async start(c) {
        ctx = c;
        calls.push('start');
      },
      onServed(e) {
        served.push(e);
      },
      async handleAdmin(_req, res, url) {
        if (url.pathname !== '/admin/probe') return false;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true }));
        return true;
      },
      onConfig(c) {
        config = c;
      },
      async onStorePoll() {
        calls.push('poll');
      },
      async stop() {
        calls.push('stop');
      },
    };
    const h = await startHarness(() => yaml('sim-chat-2026-01-15'), { extensions: [ext] });
    try {
      // The first store poll ran before extensions started; the hook waits for the next one.
      expect(calls).toEqual(['start']);
      await h.gateway.refresh();
      expect(calls).toEqual(['start', 'poll']);
      calls.length = 0;
      calls.push('start');
      expect(ctx!.env).toBe('production');
      expect(Object.keys(ctx!.config().routes)).toEqual(['summarize']);
      expect(ctx!.provider('sim').type).toBe('simulator');

      const res = await fetch(`${h.gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(200);
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      expect(served).toHaveLength(1);
      expect(served[0]).toMatchObject({
        route: 'summarize',
        arm: 'stable',
        target: { provider: 'sim', model: 'sim-chat-2026-01-15' },
        error: null,
      });
      expect(served[0]?.response?.model).toBe('sim-chat-2026-01-15');
      expect(served[0]?.usage).toMatchObject({ status: 200, servedModel: 'sim-chat-2026-01-15' });

      expect(await (await fetch(`${h.gateway.url}/admin/probe`)).json()).toEqual({ ok: true });
      expect((await fetch(`${h.gateway.url}/admin/other`)).status).toBe(404);

      writeFileSync(h.configPath, yaml('sim-mini-2026-03-01'));
      expect(await h.gateway.reload()).toBe(true);
      expect(config).not.toBeNull();
    } finally {
      await h.close();
    }
    expect(calls).toEqual(['start', 'stop']);
  });
});

describe('endpoint registry', () => {
  it('every endpoint has an entry with a wire format, and each format has an entry point', () => {
    const wires = new Set(Object.values(ENDPOINTS).map((e) => e.wire));
    expect([...wires].sort()).toEqual([...CLIENT_WIRE_FORMATS].sort());
    expect(matchEndpoint('/v1/chat/completions')?.def.wire).toBe('openai');
    expect(matchEndpoint('/v1/responses')?.def.wire).toBe('openai-responses');
    expect(matchEndpoint('/responses')?.def.wire).toBe('openai-responses');
    expect(matchEndpoint('/v1/messages')?.def.wire).toBe('anthropic');
    expect(matchEndpoint('/v1beta/models/summarize:generateContent')?.ctx).toEqual({
      pathModel: 'summarize',
      stream: false,
    });
    expect(matchEndpoint('/v1beta/models/summarize:streamGenerateContent')?.ctx).toEqual({
      pathModel: 'summarize',
      stream: true,
    });
    expect(matchEndpoint('/v1/embeddings')).toBeNull();
  });
});
