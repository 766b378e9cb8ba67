import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { CanonicalRequest, CanonicalResponse } from '../wire/canonical.js';
import { canonicalJson } from './json-text.js';

export interface CachedResponse {
  response: CanonicalResponse;
  latencyMs: number;
  storedAt: number;
}

export interface ResponseCache {
  get(key: string): CachedResponse | undefined;
  set(key: string, value: Omit<CachedResponse, 'storedAt'>): void;
}

/**
 * Key = sha256 of the exact canonical request + provider + model. The sample index is part
 * of the key so `repeat: 3` still asks three times on a cold cache instead of reusing one answer.
 */
export function cacheKey(provider: string, model: string, request: CanonicalRequest, sample: number): string {
  return createHash('sha256').update(canonicalJson({ provider, model, request, sample })).digest('hex');
}

const entrySchema = z.object({
  response: z.looseObject({
    id: z.string(),
    model: z.string(),
    content: z.array(z.unknown()),
    usage: z.looseObject({ inputTokens: z.number(), outputTokens: z.number() }),
  }),
  latencyMs: z.number(),
  storedAt: z.number(),
});

/**
 * On-disk cache under `.modelpin/cache/`. Entries expire after `ttlMs` (default 24 h) so a
 * floating alias that moved overnight is asked again instead of replaying yesterday's answer.
 */
export function diskCache(
  dir: string,
  opts: { clock: Clock; ttlMs?: number },
): ResponseCache & { hits: number; misses: number } {
  const ttl = opts.ttlMs ?? 24 * 60 * 60 * 1000;
  const path = (key: string): string => join(dir, key.slice(0, 2), `${key}.json`);
  const self = {
    hits: 0,
    misses: 0,
    get(key: string): CachedResponse | undefined {
      let text: string;
      try {
        text = readFileSync(path(key), 'utf8');
      } catch {
        self.misses++;
        return undefined;
      }
      let json: unknown;
      try {
        json = JSON.parse(text) as unknown;
      } catch {
        json = undefined;
      }
      const parsed = entrySchema.safeParse(json);
      if (!parsed.success || opts.clock.now() - parsed.data.storedAt > ttl) {
        self.misses++;
        return undefined;
      }
      self.hits++;
      return parsed.data as unknown as CachedResponse;
    },
    set(key: string, value: Omit<CachedResponse, 'storedAt'>): void {
      const file = path(key);
      mkdirSync(join(dir, key.slice(0, 2)), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...value, storedAt: opts.clock.now() }));
      renameSync(tmp, file);
    },
  };
  return self;
}
