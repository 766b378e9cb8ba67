import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { requestUrl, type RequestUrl } from '../../src/http/request-url.js';

function whatwg(raw: string): URL | null {
  try {
    return new URL(raw, 'http://gateway');
  } catch {
    return null;
  }
}

function read(raw: string | undefined): RequestUrl {
  const u = requestUrl(raw);
  if (u === null) throw new Error(`${raw} was not read`);
  return u;
}

// Characters that matter to URL parsing (separators, escapes, dot segments), plus plain ones and non-ASCII.
const part = fc.constantFrom(
  ...['/', '.', '..', '%2e', '%2F', '?', '#', '\\', ' ', ':', '@', 'a', 'Z', '9', '-', '_', '~', "'", '|', '^'],
  ...['"', '<', '{', 'é', '\t', '=', '&', '+', 'v1', 'models', 'key=k'],
);

describe('requestUrl', () => {
  it('reads the path and query of a Gemini call', () => {
    const u = read('/v1beta/models/gemini-2.0-flash:generateContent?key=abc&alt=sse');
    expect(u.pathname).toBe('/v1beta/models/gemini-2.0-flash:generateContent');
    expect(u.searchParams.get('key')).toBe('abc');
    expect(u.searchParams.get('alt')).toBe('sse');
  });

  it('gives what URL gives for targets URL normalises', () => {
    for (const raw of [
      '/v1/../v1/chat/completions',
      '//evil/v1/messages',
      '/v1/%63hat',
      '/a\\b',
      '/v1/chat completions',
      'http://x/v1/messages?key=1',
    ]) {
      expect(read(raw).pathname, raw).toBe(whatwg(raw)?.pathname);
    }
    expect(read(undefined).pathname).toBe('/');
  });

  it('is null for a target URL cannot read', () => {
    expect(requestUrl('//')).toBeNull();
    expect(requestUrl('*')).not.toBeNull();
  });

  it('agrees with URL on the path and the query of any request target', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }), fc.boolean(), (parts, rooted) => {
        const raw = (rooted ? '/' : '') + parts.join('');
        const theirs = whatwg(raw);
        const ours = requestUrl(raw);
        if (theirs === null) {
          expect(ours).toBeNull();
          return;
        }
        expect(ours?.pathname).toBe(theirs.pathname);
        expect(ours?.searchParams.toString()).toBe(theirs.searchParams.toString());
      }),
      { numRuns: 5000 },
    );
  });
});
