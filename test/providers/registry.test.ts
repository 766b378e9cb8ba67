import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { createProviderClient, PROVIDER_FACTORIES } from '../../src/providers/registry.js';
import { PROVIDER_TYPES } from '../../src/providers/types.js';

describe('provider registry', () => {
  it('has a factory for every provider type', () => {
    for (const t of PROVIDER_TYPES) expect(typeof PROVIDER_FACTORIES[t]).toBe('function');
    expect(Object.keys(PROVIDER_FACTORIES).sort()).toEqual([...PROVIDER_TYPES].sort());
  });

  it('creates clients that carry their id and type', async () => {
    for (const t of ['anthropic', 'openai', 'gemini'] as const) {
      const c = createProviderClient({ id: `x-${t}`, type: t, apiKey: 'k' });
      expect([c.id, c.type]).toEqual([`x-${t}`, t]);
      await c.close?.();
    }
  });

  it('openai-compatible and azure-openai need a base URL', () => {
    expect(() => createProviderClient({ id: 'local', type: 'openai-compatible' })).toThrow(ConfigError);
    expect(() => createProviderClient({ id: 'az', type: 'azure-openai', apiKey: 'k' })).toThrow(/needs base_url/);
    expect(() => createProviderClient({ id: 'bad', type: 'openai-compatible', baseUrl: 'not a url' })).toThrow(
      /not a valid URL/,
    );
  });

  it('simulator entry builds the in-process simulator', async () => {
    const c = createProviderClient({ id: 'sim', type: 'simulator', scenario: 'default', fast: true });
    expect([c.id, c.type]).toEqual(['sim', 'simulator']);
    await c.close?.();
  });
});
