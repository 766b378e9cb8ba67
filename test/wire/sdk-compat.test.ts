/**
 * The official SDKs are the judges of the wire shapes: they send requests our decoders must
 * accept and parse the responses, streams and errors our encoders produce.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/core/errors.js';
import { responseToEvents } from '../../src/wire/assemble.js';
import type { CanonicalRequest, CanonicalResponse, WireFormat } from '../../src/wire/canonical.js';
import { codecs } from '../../src/wire/registry.js';
import { json, startServer, type TestServer } from '../providers/http-server.js';

const answer = (req: CanonicalRequest): CanonicalResponse => ({
  id: 'resp_42',
  model: 'sim-chat-2026-01-15',
  content: [{ type: 'text', text: `echo: ${req.messages.length} message(s), system=${req.system ?? '-'}` }],
  stopReason: 'end_turn',
  usage: { inputTokens: 11, outputTokens: 5, cachedInputTokens: 2 },
  created: 1_764_000_000,
});

let server: TestServer;
const seen: CanonicalRequest[] = [];

function route(url: string): { format: WireFormat; ctx: { pathModel?: string; stream?: boolean } } {
  if (url.startsWith('/v1/messages')) return { format: 'anthropic', ctx: {} };
  if (url.includes('/chat/completions')) return { format: 'openai', ctx: {} };
  const m = /\/models\/([^:]+):(generateContent|streamGenerateContent)/.exec(url);
  return { format: 'gemini', ctx: { pathModel: m?.[1] ?? '', stream: m?.[2] === 'streamGenerateContent' } };
}

beforeAll(async () => {
  server = await startServer((_req, res, rec) => {
    const { format, ctx } = route(rec.url);
    const codec = codecs[format];
    let req: CanonicalRequest;
    try {
      req = codec.decodeRequest(JSON.parse(rec.body), ctx);
    } catch (e) {
      const out = codec.encodeError(e as ProviderError);
      return json(res, out.status, out.body, out.headers);
    }
    seen.push(req);
    if (req.model.includes('busy')) {
      const out = codec.encodeError(new ProviderError('rate_limited', 'slow down', { retryAfterMs: 3000 }));
      return json(res, out.status, out.body, out.headers);
    }
    const result = answer(req);
    if (!req.stream) return json(res, 200, codec.encodeResponse(result, req.model));
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const enc = codec.createStreamEncoder(req.model, { includeUsage: req.streamUsage === true });
    for (const ev of responseToEvents(result, 4)) res.write(enc.encode(ev));
    res.end(enc.end());
  });
});
afterAll(async () => {
  await server.close();
});

describe('OpenAI SDK', () => {
  const client = (): OpenAI => new OpenAI({ apiKey: 'k', baseURL: `${server.url}/v1`, maxRetries: 0 });

  it('create: request decodes, response parses', async () => {
    const r = await client().chat.completions.create({
      model: 'summarize',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(r.choices[0]?.message.content).toBe('echo: 1 message(s), system=be brief');
    expect(r.model).toBe('summarize');
    expect(r.usage?.prompt_tokens_details?.cached_tokens).toBe(2);
  });

  it('stream with include_usage', async () => {
    const s = await client().chat.completions.create({
      model: 'summarize',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    let finish: string | null | undefined;
    for await (const c of s) {
      text += c.choices[0]?.delta.content ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
      if (c.usage) usage = c.usage;
    }
    expect(text).toBe('echo: 1 message(s), system=-');
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(5);
  });

  it('429 error envelope with retry-after', async () => {
    const e = await client()
      .chat.completions.create({ model: 'busy', messages: [{ role: 'user', content: 'hi' }] })
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect((e as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('3');
  });
});

describe('Anthropic SDK', () => {
  const client = (): Anthropic => new Anthropic({ apiKey: 'k', baseURL: server.url, maxRetries: 0 });

  it('create', async () => {
    const r = await client().messages.create({
      model: 'summarize',
      max_tokens: 50,
      system: 'terse',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(r.content[0]?.type === 'text' && r.content[0].text).toBe('echo: 1 message(s), system=terse');
    expect(r.usage.cache_read_input_tokens).toBe(2);
    expect(r.usage.input_tokens).toBe(9);
  });

  it('stream -> finalMessage', async () => {
    const msg = await client()
      .messages.stream({ model: 'summarize', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    expect(msg.content[0]?.type === 'text' && msg.content[0].text).toBe('echo: 1 message(s), system=-');
    expect([msg.stop_reason, msg.usage.output_tokens]).toEqual(['end_turn', 5]);
  });

  it('bad request comes back as the SDK’s BadRequestError with our message', async () => {
    const e = await client()
      .messages.create({ model: 'summarize', max_tokens: 50, messages: [{ role: 'system' as 'user', content: 'hi' }] })
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String((e as Error).message)).toContain('messages[0].role: expected one of user|assistant');
  });
});

describe('Google GenAI SDK', () => {
  const client = (): GoogleGenAI => new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: server.url } });

  it('generateContent', async () => {
    const r = await client().models.generateContent({
      model: 'summarize',
      contents: 'hi',
      config: { systemInstruction: 'short', temperature: 0.1 },
    });
    expect(r.text).toBe('echo: 1 message(s), system=short');
    expect(r.modelVersion).toBe('summarize');
    expect(r.usageMetadata?.cachedContentTokenCount).toBe(2);
    expect(seen.at(-1)?.temperature).toBe(0.1);
  });

  it('generateContentStream (alt=sse)', async () => {
    let text = '';
    let finish: string | undefined;
    for await (const c of await client().models.generateContentStream({ model: 'summarize', contents: 'hi' })) {
      text += c.text ?? '';
      finish = c.candidates?.[0]?.finishReason ?? finish;
    }
    expect(text).toBe('echo: 1 message(s), system=-');
    expect(finish).toBe('STOP');
  });

  it('429 error envelope', async () => {
    const e = await client()
      .models.generateContent({ model: 'busy', contents: 'hi' })
      .catch((err: unknown) => err);
    expect(String((e as Error).message)).toContain('RESOURCE_EXHAUSTED');
  });
});
