/** The simulator's prompt cache: explicit breakpoints for Anthropic, automatic prefixes elsewhere, TTLs on the injected clock, bounded size. */
import { describe, expect, it } from 'vitest';
import { createSimPromptCache, MIN_CACHE_TOKENS } from '../../src/sim/prompt-cache.js';
import type { CanonicalRequest } from '../../src/wire/canonical.js';

const long = (tag: string) => `${tag} ${Array.from({ length: MIN_CACHE_TOKENS + 10 }, (_, i) => `w${i}`).join(' ')}`;
const req = (system: string, q: string, marked: boolean, ttl?: '1h'): CanonicalRequest => ({
  model: 'm',
  stream: false,
  system,
  ...(marked
    ? {
        systemBlocks: [
          { type: 'text', text: system, cacheControl: ttl ? { type: 'ephemeral', ttl } : { type: 'ephemeral' } },
        ],
      }
    : {}),
  messages: [{ role: 'user', content: [{ type: 'text', text: q }] }],
});

describe('simulated prompt cache', () => {
  it('Anthropic caches only marked prefixes, for their TTL', () => {
    let now = 0;
    const cache = createSimPromptCache(() => now);
    const s = long('a');
    expect(cache.use(req(s, 'q1', false), 'anthropic', 'm')).toEqual({
      cachedInputTokens: 0,
      cacheCreationInputTokens: 0,
    });
    expect(cache.use(req(s, 'q2', false), 'anthropic', 'm').cachedInputTokens).toBe(0);
    const first = cache.use(req(s, 'q1', true), 'anthropic', 'm');
    expect(first.cacheCreationInputTokens).toBe(MIN_CACHE_TOKENS + 11);
    now += 4 * 60_000;
    expect(cache.use(req(s, 'q2', true), 'anthropic', 'm')).toEqual({
      cachedInputTokens: MIN_CACHE_TOKENS + 11,
      cacheCreationInputTokens: 0,
    });
    // Each hit refreshes the entry; five quiet minutes later it is gone.
    now += 5 * 60_000 + 1;
    expect(cache.use(req(s, 'q3', true), 'anthropic', 'm').cachedInputTokens).toBe(0);
    cache.use(req(s, 'q3', true, '1h'), 'anthropic', 'm');
    now += 30 * 60_000;
    expect(cache.use(req(s, 'q3', true, '1h'), 'anthropic', 'm').cachedInputTokens).toBe(MIN_CACHE_TOKENS + 11);
    // Another model does not share the entry.
    expect(cache.use(req(s, 'q3', true), 'anthropic', 'other').cachedInputTokens).toBe(0);
  });

  it('other formats cache automatically above the minimum; short prompts never', () => {
    const cache = createSimPromptCache(() => 0);
    const s = long('b');
    cache.use(req(s, 'q1', false), 'openai', 'm');
    expect(cache.use(req(s, 'q2', false), 'openai', 'm').cachedInputTokens).toBe(
      Math.floor((MIN_CACHE_TOKENS + 11) / 128) * 128,
    );
    expect(cache.use(req(s, 'q2', false), 'gemini', 'm').cachedInputTokens).toBe(MIN_CACHE_TOKENS + 11);
    cache.use(req('short', 'q1', false), 'openai', 'm');
    expect(cache.use(req('short', 'q2', false), 'openai', 'm').cachedInputTokens).toBe(0);
  });

  it('stays bounded: the oldest prefixes are evicted first', () => {
    const cache = createSimPromptCache(() => 0);
    const s = long('c');
    cache.use(req(s, 'q', false), 'gemini', 'm');
    for (let i = 0; i < 1100; i++) cache.use(req(`${long(`other${i}`)}`, 'q', false), 'gemini', 'm');
    expect(cache.use(req(s, 'q2', false), 'gemini', 'm').cachedInputTokens).toBe(0);
  });
});
