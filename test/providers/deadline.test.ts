import { describe, expect, it } from 'vitest';
import { createDeadline } from '../../src/providers/http/deadline.js';

describe('attempt deadlines following one caller signal', () => {
  it('a caller abort reaches every attempt still in flight, and none that finished', () => {
    const ac = new AbortController();
    const first = createDeadline(undefined, ac.signal);
    const second = createDeadline(undefined, ac.signal);
    const third = createDeadline(undefined, ac.signal);
    const hooked: string[] = [];
    first.onAbort(() => hooked.push('first'));
    second.onAbort(() => hooked.push('second'));
    third.onAbort(() => hooked.push('third'));
    second.clear();
    first.clear();
    // The slot the first attempt held is free again: a later attempt takes it.
    const fourth = createDeadline(undefined, ac.signal);
    fourth.onAbort(() => hooked.push('fourth'));
    ac.abort();
    expect(hooked.sort()).toEqual(['fourth', 'third']);
    expect(third.state.callerAborted).toBe(true);
    expect(fourth.signal.aborted).toBe(true);
    expect(first.state.callerAborted).toBe(false);
    expect(second.state.callerAborted).toBe(false);
  });

  it('attempts after an abort are aborted at once', () => {
    const ac = new AbortController();
    createDeadline(undefined, ac.signal).clear();
    ac.abort();
    const late = createDeadline(undefined, ac.signal);
    expect(late.state.callerAborted).toBe(true);
  });
});
