/** Only failures of the exchange itself are retryable upstream errors; our own exceptions never are. */
import { describe, expect, it } from 'vitest';
import { networkError, requestFault } from '../../src/providers/http/net-errors.js';
import { deepestPath } from '../../src/wire/shared/json-depth.js';

const idle = { timedOut: false, callerAborted: false };

describe('networkError', () => {
  it('keeps socket and undici failures retryable', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(networkError(reset, 'p', idle, 1000)).toMatchObject({ code: 'connection', retryable: true });
    const nested = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(networkError(new Error('fetch failed', { cause: nested }), 'p', idle, 1000)).toMatchObject({
      code: 'connection',
      retryable: true,
    });
    const tls = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
    expect(networkError(tls, 'p', idle, 1000)).toMatchObject({ code: 'connection', retryable: true });
    expect(networkError(new Error('x'), 'p', { timedOut: true, callerAborted: false }, 1000)).toMatchObject({
      code: 'timeout',
      retryable: true,
    });
  });

  it('turns an exception of our own into a non-retryable internal error', () => {
    expect(networkError(new RangeError('Maximum call stack size exceeded'), 'p', idle, 1000)).toMatchObject({
      code: 'internal',
      retryable: false,
    });
    expect(
      networkError(new TypeError("Cannot read properties of undefined (reading 'x')"), 'p', idle, 1000),
    ).toMatchObject({ code: 'internal', retryable: false });
    const badArg = Object.assign(new TypeError('invalid header'), { code: 'UND_ERR_INVALID_ARG' });
    expect(networkError(badArg, 'p', idle, 1000)).toMatchObject({ code: 'internal', retryable: false });
  });
});

describe('requestFault', () => {
  it('a request too deep or circular to serialise is a 400 for the caller', () => {
    expect(requestFault(new RangeError('Maximum call stack size exceeded'), 'p')).toMatchObject({
      code: 'bad_request',
      status: 400,
      retryable: false,
    });
    expect(requestFault(new TypeError('Converting circular structure to JSON'), 'p')).toMatchObject({
      code: 'bad_request',
      status: 400,
      retryable: false,
    });
    expect(requestFault(new TypeError('x is not a function'), 'p')).toMatchObject({
      code: 'internal',
      retryable: false,
    });
  });
});

describe('deepestPath', () => {
  it('names the path to the first value past the limit, and nothing within it', () => {
    expect(deepestPath({ a: [{ b: 1 }] }, 3)).toBeNull();
    expect(deepestPath({ a: [{ b: {} }] }, 3)).toEqual(['a', 0, 'b']);
    expect(deepestPath({ ok: 1, tools: [{ p: { q: { r: 1 } } }] }, 3)).toEqual(['tools', 0, 'p']);
  });
});
