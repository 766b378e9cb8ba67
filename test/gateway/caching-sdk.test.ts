/**
 * Prompt caching through the gateway with the official SDKs: Anthropic cache_control reaches an
 * Anthropic-format provider untouched and is left out for others (they cache on their own); cached
 * and written tokens come back in each client's usage and are priced at the catalog's cache rates in
 * the usage record.
 */
import { describe, expect, it } from 'vitest';
import type Anthropic from '@anthropic-ai/sdk';
import { useSdkGateway } from '../support/sdk-gateway.js';
import { countTokens } from '../../src/core/tokenizer.js';

const PRICE = '{ input: 1, output: 4, cached_input: 0.1, cache_write_input: 1.25 }';

const gw = useSdkGateway(
  (up) => `providers:
  as_openai: { type: openai, base_url: "${up}/v1", api_key: "sk-upstream-secret" }
  as_anthropic: { type: anthropic, base_url: "${up}", api_key: "sk-upstream-secret" }
  as_gemini: { type: gemini, base_url: "${up}/v1beta", api_key: "sk-upstream-secret" }
routes:
  claude: { targets: { production: as_anthropic/sim-chat-2026-01-15 } }
  gpt: { targets: { production: as_openai/sim-chat-2026-01-15 } }
  gem: { targets: { production: as_gemini/sim-chat-2026-01-15 } }
catalog:
  models:
    - { provider: as_anthropic, id: sim-chat-2026-01-15, kind: snapshot, price: ${PRICE} }
    - { provider: as_openai, id: sim-chat-2026-01-15, kind: snapshot, price: ${PRICE} }
    - { provider: as_gemini, id: sim-chat-2026-01-15, kind: snapshot, price: ${PRICE} }
`,
  { recordUpstream: true },
);

/** A system prompt long enough to cache (the simulator, like the providers, caches from 1024 tokens). */
const manual = (tag: string) => `${tag} handbook: ${Array.from({ length: 1300 }, (_, i) => `rule${i}`).join(' ')}`;
const lastUpstream = () => gw.proxy().seen[gw.proxy().seen.length - 1]?.body as Record<string, unknown>;

async function records(route: string) {
  await gw.harness().gateway.writer.flush();
  return gw.harness().gateway.store.queryUsage({ route });
}

describe('Anthropic cache_control', () => {
  it('reaches an Anthropic target on system blocks, message blocks and tools; writes then reads are priced at the cache rates', async () => {
    const client = gw.anthropic();
    const system = manual('claude');
    const body = (q: string) => ({
      model: 'claude',
      max_tokens: 200,
      system: [
        { type: 'text' as const, text: system, cache_control: { type: 'ephemeral' as const, ttl: '1h' as const } },
      ],
      tools: [
        {
          name: 'lookup',
          input_schema: { type: 'object' as const, properties: {} },
          cache_control: { type: 'ephemeral' as const },
        },
      ],
      messages: [
        {
          role: 'user' as const,
          content: [{ type: 'text' as const, text: q, cache_control: { type: 'ephemeral' as const } }],
        },
      ],
    });
    const first = await client.messages.create(body('Say hello'));
    const sent = lastUpstream();
    expect((sent.system as Array<Record<string, unknown>>)[0]?.cache_control).toEqual({ type: 'ephemeral', ttl: '1h' });
    expect((sent.tools as Array<Record<string, unknown>>)[0]?.cache_control).toEqual({ type: 'ephemeral' });
    expect((sent.messages as Array<{ content: Array<Record<string, unknown>> }>)[0]?.content[0]?.cache_control).toEqual(
      { type: 'ephemeral' },
    );

    // Every breakpoint up to the message is written on the first call; the next call, with another
    // question, reads the tools + system prefix and writes only its own message.
    const prefix =
      countTokens('lookup') + countTokens(JSON.stringify({ type: 'object', properties: {} })) + countTokens(system);
    expect(first.usage.cache_creation_input_tokens).toBe(prefix + countTokens('Say hello'));
    expect(first.usage.cache_read_input_tokens ?? 0).toBe(0);
    const second = await client.messages.create(body('Say hello again'));
    expect(second.usage.cache_read_input_tokens).toBe(prefix);
    expect(second.usage.cache_creation_input_tokens).toBe(countTokens('Say hello again'));

    const recs = await records('claude');
    const w = recs.find((x) => x.cachedTokens === 0);
    const r = recs.find((x) => x.cachedTokens > 0);
    expect([recs.length, w?.cacheWriteTokens, r?.cachedTokens]).toEqual([2, prefix + 2, prefix]);
    const written = w!.cacheWriteTokens;
    // USD per million: plain input 1, cache write 1.25, cache read 0.1, output 4.
    expect(w?.costUsd).toBeCloseTo(((w!.inputTokens - written) * 1 + written * 1.25 + w!.outputTokens * 4) / 1e6, 9);
    expect(r?.costUsd).toBeCloseTo(
      ((r!.inputTokens - prefix - r!.cacheWriteTokens) * 1 +
        prefix * 0.1 +
        r!.cacheWriteTokens * 1.25 +
        r!.outputTokens * 4) /
        1e6,
      9,
    );
    expect(r!.costUsd!).toBeLessThan(w!.costUsd!);
  });

  it('is left out for a target of another format, which caches by itself', async () => {
    const client = gw.anthropic();
    const r = await client.messages.create({
      model: 'gpt',
      max_tokens: 100,
      cache_control: { type: 'ephemeral' },
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Say hello' }],
    } as Anthropic.MessageCreateParamsNonStreaming);
    expect(r.content[0]?.type).toBe('text');
    expect(JSON.stringify(lastUpstream())).not.toContain('cache');
  });
});

describe('automatic caching reported in every format', () => {
  it('OpenAI: a repeated long prefix comes back as cached_tokens (in 128-token steps) and is priced as cached', async () => {
    const client = gw.openai();
    const system = manual('openai');
    const ask = (q: string) =>
      client.chat.completions.create({
        model: 'gpt',
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: q },
        ],
      });
    const first = await ask('Say hello');
    expect(first.usage?.prompt_tokens_details?.cached_tokens ?? 0).toBe(0);
    const second = await ask('Say hello once more');
    const cached = Math.floor(countTokens(system) / 128) * 128;
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBe(cached);
    const rec = (await records('gpt')).find((x) => x.cachedTokens > 0);
    expect(rec?.cachedTokens).toBe(cached);
    expect(rec?.costUsd).toBeCloseTo(((rec!.inputTokens - cached) * 1 + cached * 0.1 + rec!.outputTokens * 4) / 1e6, 9);
  });

  it('Gemini: a repeated long prefix comes back as cachedContentTokenCount', async () => {
    const client = gw.gemini();
    const system = manual('gemini');
    const ask = (q: string) =>
      client.models.generateContent({ model: 'gem', contents: q, config: { systemInstruction: system } });
    await ask('Say hello');
    const r = await ask('Say hello again');
    expect(r.usageMetadata?.cachedContentTokenCount).toBe(countTokens(system));
  });
});
