import { describe, expect, it } from 'vitest';
import { decideSentinel } from '../../src/lifecycle/sentinel/decide.js';

describe('decideSentinel', () => {
  it('never alerts on the first sighting', () => {
    expect(decideSentinel(null, { servedModel: 'sim-chat-2026-01-15', fingerprint: 'fp1' }, 'floating')).toBeNull();
  });
  it('reports an alias move behind a floating id', () => {
    expect(
      decideSentinel(
        { servedModel: 'sim-chat-2026-01-15', fingerprint: null },
        { servedModel: 'sim-chat-2026-11-25', fingerprint: null },
        'floating',
      ),
    ).toEqual({
      kind: 'alias_moved',
      previous: 'sim-chat-2026-01-15',
      current: 'sim-chat-2026-11-25',
    });
  });
  it('reports a served-model change behind a pinned id', () => {
    expect(
      decideSentinel(
        { servedModel: 'a-2026-01-15', fingerprint: null },
        { servedModel: 'a-2026-02-01', fingerprint: null },
        'pinned',
      )?.kind,
    ).toBe('served_model_changed');
    expect(
      decideSentinel({ servedModel: 'a', fingerprint: null }, { servedModel: 'b', fingerprint: null }, 'unknown')?.kind,
    ).toBe('served_model_changed');
  });
  it('reports a fingerprint change only when both sides have one', () => {
    expect(
      decideSentinel({ servedModel: 'a', fingerprint: 'fp_1' }, { servedModel: 'a', fingerprint: 'fp_2' }, 'pinned'),
    ).toEqual({ kind: 'fingerprint_changed', previous: 'fp_1', current: 'fp_2' });
    expect(
      decideSentinel({ servedModel: 'a', fingerprint: null }, { servedModel: 'a', fingerprint: 'fp_2' }, 'pinned'),
    ).toBeNull();
    expect(
      decideSentinel({ servedModel: 'a', fingerprint: 'fp_1' }, { servedModel: 'a', fingerprint: 'fp_1' }, 'pinned'),
    ).toBeNull();
  });
});
