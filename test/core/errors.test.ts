import { describe, expect, it } from 'vitest';
import { ConfigError, ModelpinError, ProviderError, toModelpinError } from '../../src/core/errors.js';
import { seededRandom, hashString } from '../../src/core/random.js';

describe('error hierarchy', () => {
  it('derives status and retryability from the code', () => {
    const e = new ProviderError('rate_limited', 'slow down', { retryAfterMs: 2000 });
    expect(e).toBeInstanceOf(ModelpinError);
    expect(e.status).toBe(429);
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBe(2000);
    expect(new ProviderError('upstream_auth', 'bad key').retryable).toBe(false);
  });
  it('config errors carry file position and exit status 2', () => {
    const e = new ConfigError('bad', { file: 'models.yml', line: 3, col: 5 });
    expect(e.status).toBe(2);
    expect(e.details).toMatchObject({ file: 'models.yml', line: 3, col: 5 });
  });
  it('wraps unknown throwables without losing the cause', () => {
    const cause = new Error('boom');
    const e = toModelpinError(cause);
    expect(e.code).toBe('internal');
    expect(e.cause).toBe(cause);
  });
});

describe('seeded random', () => {
  it('is reproducible per seed and differs across seeds', () => {
    const a = seededRandom(42),
      b = seededRandom(42),
      c = seededRandom(43);
    const xs = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(xs);
    expect(c.next()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
  it('hashes strings stably', () => {
    expect(hashString('user-1')).toBe(hashString('user-1'));
    expect(hashString('user-1')).not.toBe(hashString('user-2'));
  });
});
