import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../src/core/color.js';

describe('colorEnabled', () => {
  it('colours a terminal, not a pipe', () => {
    expect(colorEnabled({}, true)).toBe(true);
    expect(colorEnabled({}, false)).toBe(false);
  });

  it('does not colour a pipe just because CI is set', () => {
    expect(colorEnabled({ CI: 'true' }, false)).toBe(false);
    expect(colorEnabled({ CI: '1', GITHUB_ACTIONS: 'true' }, false)).toBe(false);
  });

  it('NO_COLOR wins over a terminal and over FORCE_COLOR', () => {
    expect(colorEnabled({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorEnabled({ NO_COLOR: '1', FORCE_COLOR: '1' }, true)).toBe(false);
  });

  it('an empty NO_COLOR does not disable colour, per the convention', () => {
    expect(colorEnabled({ NO_COLOR: '' }, true)).toBe(true);
  });

  it('FORCE_COLOR opts a pipe in; FORCE_COLOR=0 does not', () => {
    expect(colorEnabled({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '0' }, false)).toBe(false);
  });

  it('TERM=dumb gets no colour', () => {
    expect(colorEnabled({ TERM: 'dumb' }, true)).toBe(false);
  });
});
