import { describe, expect, it } from 'vitest';
import { WIRE_FORMATS } from '../../src/wire/canonical.js';
import { codecs } from '../../src/wire/registry.js';

describe('codec registry', () => {
  it('has a codec for every wire format, labelled with its format', () => {
    for (const f of WIRE_FORMATS) expect(codecs[f].format).toBe(f);
    expect(Object.keys(codecs).sort()).toEqual([...WIRE_FORMATS].sort());
  });
});
