import { describe, expect, it } from 'vitest';
import { candidateOutcome } from '../../src/routing/candidate-outcome.js';
import { newTrace, type AttemptRecord } from '../../src/routing/dispatch.js';

const attempt = (
  target: string,
  ok: boolean,
  code: AttemptRecord['code'] = ok ? null : 'connection',
): AttemptRecord => ({ target, ok, code, status: ok ? 200 : 502, ms: 1 });

describe('candidateOutcome', () => {
  it('tells answered, tried-and-failed, skipped by an open breaker, and untried apart', () => {
    const t = newTrace();
    t.attempts.push(attempt('c/x', false, 'timeout'), attempt('c/x', true));
    expect(candidateOutcome(t, 'c/x')).toEqual({ kind: 'answered' });

    const failed = newTrace();
    failed.attempts.push(attempt('c/x', false, 'connection'), attempt('c/x', false, 'timeout'), attempt('s/y', true));
    expect(candidateOutcome(failed, 'c/x')).toEqual({ kind: 'failed', code: 'connection' });

    const skipped = newTrace();
    skipped.skipped.push('c/x');
    skipped.attempts.push(attempt('s/y', true));
    expect(candidateOutcome(skipped, 'c/x')).toEqual({ kind: 'skipped' });

    expect(candidateOutcome(newTrace(), 'c/x')).toEqual({ kind: 'untried' });
  });
});
