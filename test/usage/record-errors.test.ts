import { describe, expect, it } from 'vitest';
import { isArmError, isError } from '../../src/usage/record-errors.js';
import { addRecord, emptySums } from '../../src/store/rollup.js';
import { usage } from '../store/fixtures.js';

describe('what counts as an error', () => {
  it('a client that closed the connection (499) is not a model error', () => {
    const closed = { status: 499, errorCode: 'bad_request', attempts: 1 };
    expect(isError(closed)).toBe(false);
    expect(isArmError(closed)).toBe(false);
    // A failure the client saw, or one recorded for a canary candidate, still is.
    expect(isError({ status: 502, errorCode: 'connection', attempts: 2 })).toBe(true);
    expect(isError({ status: 200, errorCode: 'circuit_open', attempts: 1 })).toBe(true);
    expect(isArmError({ status: 200, errorCode: null, attempts: 2 })).toBe(true);
  });

  it('does not raise a version error rate in the rollups that usage, the dashboard and canary guards read', () => {
    const sums = emptySums();
    for (const r of [
      usage({ status: 200 }),
      usage({ status: 499, errorCode: 'bad_request' }),
      usage({ status: 502, errorCode: 'connection' }),
    ])
      addRecord(sums, r);
    expect(sums.requests).toBe(3);
    expect(sums.errors).toBe(1);
    expect(sums.versionErrors).toBe(1);
  });
});
