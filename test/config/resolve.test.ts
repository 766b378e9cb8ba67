import { describe, expect, it } from 'vitest';
import { ConfigError, ModelpinError } from '../../src/core/errors.js';
import { defaultOverrideVar } from '../../src/config/env-override.js';
import { parseConfig } from '../../src/config/load.js';
import { providerSettings, resolveRoute } from '../../src/config/resolve.js';
import type { OverrideRecord } from '../../src/store/types.js';

const YML = `providers:
  sim: { type: simulator, scenario: default, seed: 7, fast: true }
  openai: { type: openai, api_key: "\${OPENAI_API_KEY}", base_url: "https://api.example.invalid/v1", headers: { x-team: core } }
routes:
  summarize:
    targets:
      production: { provider: sim, model: sim-chat-2026-01-15, params: { temperature: 0, max_tokens: 300 } }
      staging: sim/sim-chat-latest
    fallback: [sim/sim-mini-2026-03-01, openai/gpt-4o-2024-08-06]
    last_validated: 2026-11-20
    previous: sim/sim-chat-2025-06-01
    canary: { candidate: sim/sim-chat-2026-12-10, percent: 5, ramp: [5, 25, 100], hold: 24h, sticky_by: "header:x-user-id", guards: { max_error_rate_delta: 0.02 } }
    shadow: { candidate: sim/sim-chat-2026-12-10, sample: 0.1 }
  ticket.tag-v2:
    env_var: TAGGER_MODEL
    policy: float-allowed
    reason: exploratory
    targets: { production: sim/sim-mini-latest, qa: sim/sim-mini-2026-03-01 }
`;
const file = parseConfig(YML, 'models.yml', { env: { OPENAI_API_KEY: 'sk-resolve-secret' } }).file;

describe('resolveRoute', () => {
  it('resolves from models.yml with fallback, canary and shadow', () => {
    const r = resolveRoute(file, 'summarize', 'production');
    expect(r.target).toEqual({
      provider: 'sim',
      model: 'sim-chat-2026-01-15',
      params: { temperature: 0, maxTokens: 300 },
    });
    expect(r.source).toEqual({ kind: 'config', detail: 'models.yml routes.summarize.targets.production' });
    expect(r.fallback.map((t) => `${t.provider}/${t.model}`)).toEqual([
      'sim/sim-mini-2026-03-01',
      'openai/gpt-4o-2024-08-06',
    ]);
    expect(r.policy).toBe('pin-required');
    expect(r.canary).toMatchObject({
      candidate: { provider: 'sim', model: 'sim-chat-2026-12-10' },
      percent: 5,
      ramp: [5, 25, 100],
      hold: '24h',
      stickyBy: 'header:x-user-id',
    });
    expect(r.shadow).toEqual({ candidate: { provider: 'sim', model: 'sim-chat-2026-12-10' }, sample: 0.1 });
    expect(r.previous).toEqual({ provider: 'sim', model: 'sim-chat-2025-06-01' });
    expect(r.envVars).toEqual(['MODELPIN_SUMMARIZE_PRODUCTION']);
  });
  it('canary and shadow apply to production only', () => {
    const r = resolveRoute(file, 'summarize', 'staging');
    expect(r.canary).toBeUndefined();
    expect(r.target).toEqual({ provider: 'sim', model: 'sim-chat-latest' });
  });
  it('names the override env var MODELPIN_<ROUTE>_<ENV> with non-alphanumerics as _', () => {
    expect(defaultOverrideVar('ticket.tag-v2', 'qa')).toBe('MODELPIN_TICKET_TAG_V2_QA');
    expect(defaultOverrideVar('summarize', 'production')).toBe('MODELPIN_SUMMARIZE_PRODUCTION');
  });
  it('an env var overrides the target (keeping route params) and reports its source', () => {
    const r = resolveRoute(file, 'summarize', 'production', {
      envVars: { MODELPIN_SUMMARIZE_PRODUCTION: 'sim/sim-chat-2026-12-10' },
    });
    expect(r.target).toEqual({
      provider: 'sim',
      model: 'sim-chat-2026-12-10',
      params: { temperature: 0, maxTokens: 300 },
    });
    expect(r.source).toEqual({ kind: 'env-var', detail: 'env var MODELPIN_SUMMARIZE_PRODUCTION' });
    expect(r.configured.model).toBe('sim-chat-2026-01-15');
  });
  it('a route-declared env_var wins for production; the default name works for other envs', () => {
    const r = resolveRoute(file, 'ticket.tag-v2', 'production', {
      envVars: { TAGGER_MODEL: 'sim/sim-mini-2026-03-01', MODELPIN_TICKET_TAG_V2_PRODUCTION: 'sim/other' },
    });
    expect(r.source.detail).toBe('env var TAGGER_MODEL');
    expect(r.target.model).toBe('sim-mini-2026-03-01');
    expect(r.envVars).toEqual(['TAGGER_MODEL', 'MODELPIN_TICKET_TAG_V2_PRODUCTION']);
    const qa = resolveRoute(file, 'ticket.tag-v2', 'qa', {
      envVars: { MODELPIN_TICKET_TAG_V2_QA: 'sim/sim-mini-latest' },
    });
    expect(qa.source.kind).toBe('env-var');
  });
  it('a malformed env override is a clear config error', () => {
    expect(() =>
      resolveRoute(file, 'summarize', 'production', { envVars: { MODELPIN_SUMMARIZE_PRODUCTION: 'no-slash' } }),
    ).toThrow(/MODELPIN_SUMMARIZE_PRODUCTION is "no-slash", expected "provider\/model"/);
  });
  it('a runtime override beats the env var; an expired one is ignored', () => {
    const o: OverrideRecord = {
      route: 'summarize',
      env: 'production',
      target: 'sim/sim-chat-2025-06-01',
      reason: 'rollback after drift',
      actor: 'alice',
      createdAt: Date.parse('2026-11-25T10:00:00Z'),
      expiresAt: Date.parse('2026-11-26T10:00:00Z'),
    };
    const envVars = { MODELPIN_SUMMARIZE_PRODUCTION: 'sim/sim-chat-2026-12-10' };
    const r = resolveRoute(file, 'summarize', 'production', {
      envVars,
      overrides: [o],
      now: Date.parse('2026-11-25T12:00:00Z'),
    });
    expect(r.source.kind).toBe('override');
    expect(r.source.detail).toMatch(/alice.*rollback after drift/);
    expect(r.target.model).toBe('sim-chat-2025-06-01');
    const later = resolveRoute(file, 'summarize', 'production', {
      envVars,
      overrides: [o],
      now: Date.parse('2026-11-27T00:00:00Z'),
    });
    expect(later.source.kind).toBe('env-var');
  });
  it('an unknown route throws route_not_found listing the routes', () => {
    try {
      resolveRoute(file, 'nope', 'production');
      throw new Error('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ModelpinError);
      expect((e as ModelpinError).code).toBe('route_not_found');
      expect((e as ModelpinError).details?.available).toEqual(['summarize', 'ticket.tag-v2']);
    }
  });
  it('a route without a target for the env is a clear error', () => {
    expect(() => resolveRoute(file, 'ticket.tag-v2', 'staging')).toThrow(
      /route "ticket.tag-v2" has no target for env "staging" \(it has: production, qa\)/,
    );
  });
});

describe('providerSettings', () => {
  it('maps snake_case config to ProviderSettings', () => {
    expect(providerSettings(file, 'openai')).toEqual({
      id: 'openai',
      type: 'openai',
      baseUrl: 'https://api.example.invalid/v1',
      apiKey: 'sk-resolve-secret',
      headers: { 'x-team': 'core' },
    });
    expect(providerSettings(file, 'sim')).toEqual({
      id: 'sim',
      type: 'simulator',
      scenario: 'default',
      seed: 7,
      fast: true,
    });
  });
  it('throws ConfigError for an undefined provider without printing keys', () => {
    try {
      providerSettings(file, 'anthropic');
      throw new Error('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toMatch(/provider "anthropic" is not defined .*defined: sim, openai/);
      expect((e as Error).message).not.toContain('sk-resolve-secret');
    }
  });
});
