/** The OpenAI entry of same-format forwarding, without a network: body rewriting and reading answers. */
import { describe, expect, it } from 'vitest';
import { openaiForward } from '../../src/wire/openai/forward.js';
import { openaiCodec } from '../../src/wire/openai/index.js';
import { isModelpinError } from '../../src/core/errors.js';

const answer = (usage: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'c1',
    object: 'chat.completion',
    created: 1,
    model: 'snap-1',
    choices: [{ index: 0, message: { role: 'assistant', content: '{"a":1}' }, finish_reason: 'stop' }],
    usage,
    ...extra,
  });

describe('openaiForward.readAnswer', () => {
  it('reads usage (cached tokens included) as the codec does', () => {
    const usage = {
      prompt_tokens: 10,
      completion_tokens: 4,
      total_tokens: 14,
      prompt_tokens_details: { cached_tokens: 3 },
    };
    const text = answer(usage);
    const a = openaiForward.readAnswer(text, () => ({}), 'target-model');
    expect(a.usage).toEqual(openaiCodec.decodeResponse(JSON.parse(text)).usage);
    expect(a.usage).toEqual({ inputTokens: 10, outputTokens: 4, cachedInputTokens: 3 });
    expect(a.served).toBe('snap-1');
    // The canonical view decodes on first read and agrees with the codec.
    expect(a.response.content).toEqual([{ type: 'text', text: '{"a":1}' }]);
    expect(JSON.parse(JSON.stringify(a.response))).toMatchObject({
      model: 'snap-1',
      stopReason: 'end_turn',
      content: [{ type: 'text', text: '{"a":1}' }],
    });
  });

  it('reads the answer headers only when the full answer is decoded, and then takes the request id from them', () => {
    let reads = 0;
    const headers = () => {
      reads++;
      return { 'x-request-id': 'req_42' };
    };
    const a = openaiForward.readAnswer(answer({ prompt_tokens: 1, completion_tokens: 1 }), headers, 'm');
    expect(a.usage).toEqual({ inputTokens: 1, outputTokens: 1 });
    expect(reads).toBe(0);
    expect(a.response.providerRequestId).toBe('req_42');
    expect(reads).toBe(1);
  });

  it('keeps reasoning tokens from completion_tokens_details, as the codec does', () => {
    const usage = {
      prompt_tokens: 10,
      completion_tokens: 40,
      total_tokens: 50,
      completion_tokens_details: { reasoning_tokens: 32 },
    };
    const text = answer(usage);
    const a = openaiForward.readAnswer(text, () => ({}), 'target-model');
    expect(a.usage).toEqual(openaiCodec.decodeResponse(JSON.parse(text)).usage);
    expect(a.usage.reasoningTokens).toBe(32);
  });

  it('refuses what is not a chat completion, as upstream_bad_response', () => {
    for (const bad of [
      'not json',
      '[]',
      JSON.stringify({ id: 'x', choices: [] }),
      answer({ prompt_tokens: 'ten', completion_tokens: 1 }),
      answer({ prompt_tokens: 1, completion_tokens: 1, prompt_tokens_details: 5 }),
    ]) {
      const e = (() => {
        try {
          openaiForward.readAnswer(bad, () => ({}), 'm');
          return null;
        } catch (x) {
          return x;
        }
      })();
      expect(isModelpinError(e) ? e.code : e, bad).toBe('upstream_bad_response');
    }
  });

  it('shows the client the model it asked for, and only changes that', () => {
    const text = answer({ prompt_tokens: 1, completion_tokens: 1 }, { system_fingerprint: 'fp' });
    const a = openaiForward.readAnswer(text, () => ({}), 'm');
    const out = JSON.parse(openaiForward.clientAnswer(text, a, 'my-route')) as Record<string, unknown>;
    expect(out).toEqual({ ...(JSON.parse(text) as Record<string, unknown>), model: 'my-route' });
  });
});

describe('openaiForward.upstreamBody', () => {
  it('keeps the client fields, sets the target model and the params it forces, and asks for stream usage', () => {
    const body = {
      model: 'route',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 9,
      user: 'u1',
      stream: true,
      stream_options: { include_usage: false },
    };
    const out = JSON.parse(
      openaiForward.upstreamBody(
        body,
        { provider: 'p', model: 'snap', params: { maxTokens: 5, temperature: 0 } },
        true,
      ),
    ) as Record<string, unknown>;
    expect(out).toEqual({
      model: 'snap',
      messages: body.messages,
      max_completion_tokens: 5,
      temperature: 0,
      user: 'u1',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(body.model).toBe('route');
  });
});
