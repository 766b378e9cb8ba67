/**
 * Simulated prompt caching. Anthropic-format requests cache only up to blocks marked with
 * `cache_control` (tools, then system, then messages, as Anthropic orders the prefix); every other
 * format caches automatically at message boundaries once a prefix is long enough. Entries live for
 * their TTL on the injected clock; the table is bounded (least recently used entries go first).
 */
import { createHash } from 'node:crypto';
import type { CacheControl, CanonicalRequest, ClientWireFormat, ContentPart } from '../wire/canonical.js';
import { countTokens } from '../core/tokenizer.js';
import { inputTokens } from './usage.js';

/** Smallest cacheable prefix, in simulator tokens (Anthropic and OpenAI both start at 1024 for most models). */
export const MIN_CACHE_TOKENS = 1024;
const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;
/** Automatic caches (OpenAI, Gemini) keep a prefix for about five minutes of inactivity. */
const AUTO_TTL_MS = 5 * 60_000;
/** OpenAI reports cached tokens in 128-token steps. */
const OPENAI_STEP = 128;
const MAX_ENTRIES = 1024;

export interface CacheOutcome {
  cachedInputTokens: number;
  cacheCreationInputTokens: number;
}

interface Breakpoint {
  key: string;
  tokens: number;
  ttlMs: number;
}

function partTokens(p: ContentPart): number {
  switch (p.type) {
    case 'text':
    case 'thinking':
      return countTokens(p.text);
    case 'image':
      return 85;
    case 'tool_use':
      return countTokens(p.name) + countTokens(JSON.stringify(p.input));
    case 'tool_result':
      return p.content.reduce((n, c) => n + partTokens(c), 0);
  }
}

/** Cache markers are not content: two requests differing only in them share a prefix. */
function strip(v: unknown): unknown {
  return JSON.stringify(v, (k, x: unknown) => (k === 'cacheControl' ? undefined : x));
}

/** Walks the prompt in prefix order, calling `at` after each unit with the running hash input and token count. */
function walk(
  req: CanonicalRequest,
  at: (prefix: string[], tokens: number, cc: CacheControl | undefined, messageEnd: boolean) => void,
): void {
  const prefix: string[] = [];
  let tokens = 0;
  for (const t of req.tools ?? []) {
    prefix.push(String(strip(t)));
    tokens += countTokens(t.name) + countTokens(t.description ?? '') + countTokens(JSON.stringify(t.inputSchema));
    at(prefix, tokens, t.cacheControl, false);
  }
  const system = req.systemBlocks ?? (req.system !== undefined ? [{ type: 'text' as const, text: req.system }] : []);
  for (const b of system) {
    prefix.push(`system:${b.text}`);
    tokens += countTokens(b.text);
    at(prefix, tokens, b.cacheControl, false);
  }
  at(prefix, tokens, undefined, true);
  for (const m of req.messages) {
    m.content.forEach((p, i) => {
      prefix.push(`${m.role}:${String(strip(p))}`);
      tokens += partTokens(p);
      at(prefix, tokens, p.type === 'thinking' ? undefined : p.cacheControl, i === m.content.length - 1);
    });
  }
}

function digest(prefix: string[]): string {
  return createHash('sha256').update(prefix.join('\u0001')).digest('base64');
}

export interface SimPromptCache {
  /** Looks the request's prefixes up and stores them; what the answer's usage reports. */
  use(req: CanonicalRequest, format: ClientWireFormat | undefined, model: string): CacheOutcome;
}

export function createSimPromptCache(now: () => number): SimPromptCache {
  const entries = new Map<string, number>();

  function hit(key: string, t: number): boolean {
    const exp = entries.get(key);
    if (exp === undefined) return false;
    if (exp <= t) {
      entries.delete(key);
      return false;
    }
    return true;
  }
  function store(key: string, t: number, ttlMs: number): void {
    entries.delete(key);
    entries.set(key, t + ttlMs);
    while (entries.size > MAX_ENTRIES) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  }

  function breakpoints(req: CanonicalRequest, explicit: boolean, model: string): Breakpoint[] {
    const out: Breakpoint[] = [];
    const total = inputTokens(req);
    let last: Breakpoint | undefined;
    walk(req, (prefix, tokens, cc, messageEnd) => {
      const key = `${model}\u0000${digest(prefix)}`;
      if (explicit) {
        if (cc) out.push({ key, tokens, ttlMs: TTL_MS[cc.ttl ?? '5m'] });
        last = { key, tokens, ttlMs: TTL_MS[req.cacheControl?.ttl ?? '5m'] };
      } else if (messageEnd && tokens < total) out.push({ key, tokens, ttlMs: AUTO_TTL_MS });
    });
    // Top-level cache_control marks the last cacheable block.
    if (explicit && req.cacheControl && last) out.push(last);
    return out.filter((b) => b.tokens >= MIN_CACHE_TOKENS);
  }

  return {
    use(req, format, model) {
      const t = now();
      const explicit = format === 'anthropic';
      const points = breakpoints(req, explicit, model);
      let read = 0;
      for (const b of points) if (hit(b.key, t) && b.tokens > read) read = b.tokens;
      const longest = points.reduce((m, b) => Math.max(m, b.tokens), 0);
      for (const b of points) store(b.key, t, b.ttlMs);
      if (!explicit) {
        const cached =
          format === 'openai' || format === 'openai-responses' ? Math.floor(read / OPENAI_STEP) * OPENAI_STEP : read;
        return { cachedInputTokens: cached, cacheCreationInputTokens: 0 };
      }
      return { cachedInputTokens: read, cacheCreationInputTokens: Math.max(0, longest - read) };
    },
  };
}
