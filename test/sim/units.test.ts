import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/core/errors.js';
import { seededRandom } from '../../src/core/random.js';
import { sampleLatency } from '../../src/sim/latency.js';
import { encodeModelList } from '../../src/sim/model-list.js';
import { nativeError } from '../../src/sim/native-errors.js';
import { chunkByTokens, countTokens, truncateToTokens } from '../../src/core/tokenizer.js';
import { pad, trim } from '../../src/sim/verbosity.js';
import { WIRE_FORMATS } from '../../src/wire/canonical.js';

describe('tokenizer', () => {
  it('counts words and punctuation runs, not whitespace', () => {
    expect(countTokens('Hello, world!')).toBe(4);
    expect(countTokens('```json')).toBe(2);
    expect(countTokens('{"a":1}')).toBe(7);
    expect(countTokens('   ')).toBe(0);
  });

  it('chunks concatenate back to the text and truncation keeps the first n tokens', () => {
    const text = 'The quick brown fox, jumps over the lazy dog.\n\n```js\nx = 1;\n```';
    expect(chunkByTokens(text, 3).join('')).toBe(text);
    expect(countTokens(truncateToTokens(text, 5))).toBe(5);
  });
});

describe('verbosity', () => {
  it('pads to the target token count exactly when filler allows, and trims filler words', () => {
    const filler = ['Hope this helps.', 'Enjoy!'];
    const padded = pad('One two three four five six seven eight nine ten.', 13, filler);
    expect(countTokens(padded)).toBe(13);
    expect(trim('It is really just very simple.', 4, ['really', 'just', 'very'])).toBe('It is simple.');
    expect(trim('```\nreally\n``` really', 3, ['really'])).toBe('```\nreally\n``` ');
  });
});

describe('latency', () => {
  it('samples fixed, uniform and normal distributions deterministically', () => {
    expect(sampleLatency({ fixed_ms: 42 }, seededRandom(1))).toBe(42);
    const u = sampleLatency({ min_ms: 10, max_ms: 20 }, seededRandom(1));
    expect(u).toBeGreaterThanOrEqual(10);
    expect(u).toBeLessThanOrEqual(20);
    const n = (seed: number) => sampleLatency({ mean_ms: 100, sd_ms: 10 }, seededRandom(seed));
    expect(n(3)).toBe(n(3));
    expect(n(3)).toBeGreaterThanOrEqual(0);
  });
});

describe('per-format tables', () => {
  it.each(WIRE_FORMATS)('%s has a not-found wording and a model list shape', (format) => {
    const err = new ProviderError('model_retired', 'x', { details: { model: 'sim-x' } });
    const native = nativeError(err, format);
    expect(native.message).toContain('sim-x');
    expect([native.code, native.status]).toEqual(['model_retired', 404]);
    const list = encodeModelList(format, [{ id: 'a', kind: 'snapshot', created: 0, displayName: 'A', retired: false }]);
    expect(JSON.stringify(list)).toContain('"a"');
  });
});
