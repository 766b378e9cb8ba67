import { describe, expect, it } from 'vitest';
import { PairMap } from '../../src/core/pair-map.js';

describe('PairMap', () => {
  it('keys by both strings, never by a join of them', () => {
    const m = new PairMap<number>();
    m.set('a\u0000b', 'c', 1).set('a', 'b\u0000c', 2);
    expect(m.get('a\u0000b', 'c')).toBe(1);
    expect(m.get('a', 'b\u0000c')).toBe(2);
    expect(m.get('a', 'b')).toBeUndefined();
    expect(m.size).toBe(2);
  });

  it('counts, overwrites and clears', () => {
    const m = new PairMap<string | undefined>();
    m.set('r', 't', undefined);
    expect(m.has('r', 't')).toBe(true);
    expect(m.has('r', 'u')).toBe(false);
    m.set('r', 't', 'x').set('r', 'u', 'y').set('s', 't', 'z');
    expect(m.size).toBe(3);
    expect([...m.values()]).toEqual(['x', 'y', 'z']);
    m.clear();
    expect(m.size).toBe(0);
    expect(m.get('s', 't')).toBeUndefined();
  });
});
