/**
 * Retry delays as providers announce them, all turned into milliseconds:
 * `retry-after-ms`, `retry-after` (seconds or HTTP date), OpenAI `x-ratelimit-reset-*`
 * durations (`6m0s`, `1s`, `20ms`), Anthropic `anthropic-ratelimit-*-reset` (RFC 3339)
 * and Google `RetryInfo.retryDelay` (`37s`, `0.5s`).
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style duration (`1h2m3.5s`, `20ms`, `6m0s`) or a plain number of seconds -> ms. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 1000);
    matched = re.lastIndex;
  }
  return matched === t.length && matched > 0 ? Math.round(total) : undefined;
}

/** `retry-after`: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  if (v !== undefined) return v;
  for (const [k, val] of Object.entries(headers)) if (k.toLowerCase() === name) return val;
  return undefined;
}

/** OpenAI: prefer the reset of whichever limit is exhausted. */
function openAiReset(headers: Record<string, string>): number | undefined {
  const kinds = ['requests', 'tokens'] as const;
  const resets = kinds.map((k) => {
    const reset = header(headers, `x-ratelimit-reset-${k}`);
    const remaining = header(headers, `x-ratelimit-remaining-${k}`);
    return {
      ms: reset === undefined ? undefined : parseDuration(reset),
      exhausted: remaining !== undefined && Number(remaining) <= 0,
    };
  });
  const exhausted = resets.filter((r) => r.exhausted && r.ms !== undefined).map((r) => r.ms as number);
  const all = resets.filter((r) => r.ms !== undefined).map((r) => r.ms as number);
  const pool = exhausted.length > 0 ? exhausted : all;
  return pool.length > 0 ? Math.max(...pool) : undefined;
}

/** Anthropic: RFC 3339 reset instants; the latest exhausted one (or latest of all) wins. */
function anthropicReset(headers: Record<string, string>, now: number): number | undefined {
  const kinds = ['requests', 'tokens', 'input-tokens', 'output-tokens'];
  const exhausted: number[] = [];
  const all: number[] = [];
  for (const k of kinds) {
    const reset = header(headers, `anthropic-ratelimit-${k}-reset`);
    if (reset === undefined) continue;
    const at = Date.parse(reset);
    if (Number.isNaN(at)) continue;
    const ms = Math.max(0, at - now);
    all.push(ms);
    const remaining = header(headers, `anthropic-ratelimit-${k}-remaining`);
    if (remaining !== undefined && Number(remaining) <= 0) exhausted.push(ms);
  }
  const pool = exhausted.length > 0 ? exhausted : all;
  return pool.length > 0 ? Math.max(...pool) : undefined;
}

/**
 * The delay a provider asked for, if any. `bodyDelayMs` is a delay found in the error body
 * (Google RetryInfo). Rate-limit reset headers are only consulted for 429s, since they are
 * sent on every response.
 */
export function retryAfterFromHeaders(
  status: number,
  headers: Record<string, string>,
  now: number,
  bodyDelayMs?: number,
): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const ra = header(headers, 'retry-after');
  if (ra !== undefined) {
    const v = parseRetryAfter(ra, now);
    if (v !== undefined) return v;
  }
  if (bodyDelayMs !== undefined) return bodyDelayMs;
  if (status !== 429) return undefined;
  return openAiReset(headers) ?? anthropicReset(headers, now);
}

export { header as getHeader };
