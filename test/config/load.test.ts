import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { interpolateString } from '../../src/config/interpolate.js';

const FULL = `providers:
  sim: { type: simulator, scenario: default }
  openai:
    type: openai
    api_key: \${OPENAI_API_KEY}
    base_url: \${OPENAI_BASE_URL:-https://api.openai.com/v1}
routes:
  summarize:
    targets:
      production: sim/sim-chat-2026-01-15
      staging: { provider: sim, model: sim-chat-latest, params: { temperature: 0.2, max_tokens: 100 } }
    last_validated: 2026-11-20
    fallback: [sim/sim-mini-2026-03-01]
`;

describe('interpolation', () => {
  it('substitutes ${VAR} and ${VAR:-default}', () => {
    expect(interpolateString('a ${X} b', { X: '1' }).value).toBe('a 1 b');
    expect(interpolateString('${X:-fallback}', {}).value).toBe('fallback');
    expect(interpolateString('${X:-fallback}', { X: 'set' }).value).toBe('set');
    expect(interpolateString('${X:-fallback}', { X: '' }).value).toBe('fallback');
    expect(interpolateString('${X}', {}).missing).toEqual(['X']);
    expect(interpolateString('${X:-}', {}).missing).toEqual([]);
  });
  it('applies to models.yml values and records where each came from', () => {
    const cfg = parseConfig(FULL, 'models.yml', { env: { OPENAI_API_KEY: 'sk-test-abc' } });
    expect(cfg.file.providers.openai?.api_key).toBe('sk-test-abc');
    expect(cfg.file.providers.openai?.base_url).toBe('https://api.openai.com/v1');
    const rec = cfg.interpolations.find((r) => r.path.join('.') === 'providers.openai.api_key');
    expect(rec).toMatchObject({ vars: ['OPENAI_API_KEY'], missing: [], whole: true });
  });
  it('an unset ${VAR} leaves the field out instead of failing validation', () => {
    const cfg = parseConfig(FULL, 'models.yml', { env: {} });
    expect(cfg.file.providers.openai?.api_key).toBeUndefined();
    expect(cfg.interpolations.find((r) => r.path.join('.') === 'providers.openai.api_key')?.missing).toEqual([
      'OPENAI_API_KEY',
    ]);
  });
  it('defaults fill in schema defaults', () => {
    const cfg = parseConfig(FULL, 'models.yml', { env: {} });
    expect(cfg.shape).toBe('full');
    expect(cfg.file.routes.summarize?.policy).toBe('pin-required');
    expect(cfg.file.lint).toEqual({ max_validated_age_days: 30, retiring_within_days: 90 });
    expect(cfg.file.store).toEqual({ type: 'sqlite', path: '.modelpin/modelpin.db' });
  });
});

describe('locate', () => {
  it('maps paths to the real line and column', () => {
    const cfg = parseConfig(FULL, 'models.yml', { env: {} });
    expect(cfg.locate(['routes', 'summarize', 'targets', 'production'])).toEqual({ line: 10, col: 7 });
    expect(cfg.locate(['routes', 'summarize', 'fallback', 0])).toEqual({ line: 13, col: 16 });
    expect(cfg.locate(['providers', 'openai', 'api_key'])).toEqual({ line: 5, col: 5 });
    expect(cfg.locate(['routes', 'summarize', 'nope'])).toEqual({ line: 8, col: 3 });
    expect(cfg.locate(['nothing'])).toBeNull();
  });
});

describe('duplicate keys', () => {
  it('are collected with their lines, not fatal', () => {
    const text =
      'providers: { sim: { type: simulator } }\nroutes:\n  a:\n    targets: { production: sim/x-2026-01-01 }\n  a:\n    targets: { production: sim/y-2026-01-01 }\n';
    const cfg = parseConfig(text, 'm.yml', { env: {} });
    expect(cfg.duplicates).toEqual([{ path: ['routes', 'a'], line: 5, col: 3, firstLine: 3 }]);
    expect(cfg.file.routes.a?.targets.production).toBe('sim/y-2026-01-01');
  });
});

describe('plain shape', () => {
  const PLAIN = `models:
  claude:
    production: claude-sonnet-4-20250514
    staging: claude-sonnet-4-5
    last_validated: 2026-11-01
  summarize:
    production: sim-chat-2026-01-15
    fallback: [sim-mini-2026-03-01]
  explicit:
    production: sim/sim-chat-2026-01-15
  short: gpt-4o-2024-08-06
`;
  it('normalizes to the full shape, inferring providers from the catalog', () => {
    const cfg = parseConfig(PLAIN, 'plain.yml', { env: {} });
    expect(cfg.shape).toBe('plain');
    expect(cfg.file.routes.claude?.targets).toEqual({
      production: 'anthropic/claude-sonnet-4-20250514',
      staging: 'anthropic/claude-sonnet-4-5',
    });
    expect(cfg.file.routes.claude?.last_validated).toBe('2026-11-01');
    expect(cfg.file.routes.summarize?.fallback).toEqual(['sim/sim-mini-2026-03-01']);
    expect(cfg.file.routes.explicit?.targets.production).toBe('sim/sim-chat-2026-01-15');
    expect(cfg.file.routes.short?.targets.production).toBe('openai/gpt-4o-2024-08-06');
    expect(cfg.file.providers.anthropic).toMatchObject({ type: 'anthropic' });
    expect(cfg.file.providers.sim).toMatchObject({ type: 'simulator', scenario: 'default' });
    expect(
      cfg.notes.some((n) => /provider "anthropic" inferred from model id "claude-sonnet-4-20250514"/.test(n.message)),
    ).toBe(true);
  });
  it('maps full-shape paths back to the plain file for line numbers', () => {
    const cfg = parseConfig(PLAIN, 'plain.yml', { env: {} });
    expect(cfg.locate(['routes', 'claude', 'targets', 'staging'])).toEqual({ line: 4, col: 5 });
    expect(cfg.locate(['routes', 'claude', 'last_validated'])).toEqual({ line: 5, col: 5 });
  });
  it('uses an existing provider of the right type', () => {
    const cfg = parseConfig(
      'providers: { my-sim: { type: simulator } }\nmodels:\n  a: { production: sim-chat-2026-01-15 }\n',
      'p.yml',
      { env: {} },
    );
    expect(cfg.file.routes.a?.targets.production).toBe('my-sim/sim-chat-2026-01-15');
    expect(cfg.file.providers.sim).toBeUndefined();
  });
  it('an id with no inferable provider is a clear error', () => {
    expect(() => parseConfig('models:\n  a: { production: llama3.1-local }\n', 'p.yml', { env: {} })).toThrow(
      /models\.a\.production: cannot infer the provider of "llama3.1-local"/,
    );
  });
});

describe('bad input', () => {
  const err = (fn: () => unknown): ConfigError => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return e as ConfigError;
    }
    throw new Error('expected a ConfigError');
  };
  it('a syntax error shows file:line:col and the offending line', () => {
    const e = err(() => parseConfig('routes:\n  a: {\n  b: c: d\n', 'm.yml', { env: {} }));
    expect(e.message).toMatch(/^m\.yml:\d+:\d+: YAML syntax error/);
    expect(e.details).toMatchObject({ file: 'm.yml' });
    expect(e.message).toContain('|');
  });
  it('a route naming an undefined provider is refused with the line of each place, not loaded', () => {
    const text =
      'providers:\n  sim: { type: simulator }\nroutes:\n  a:\n    targets: { production: simm/x, staging: sim/y }\n    fallback:\n      - nope/z\n';
    const e = err(() => parseConfig(text, 'm.yml', { env: {} }));
    expect(e.message).toBe(
      'm.yml:5:16: routes.a.targets.production: provider "simm" is not defined under providers: — did you mean "sim"?\n' +
        'm.yml:7:9: routes.a.fallback.0: provider "nope" is not defined under providers: (defined: sim)',
    );
    expect(e.details).toMatchObject({ line: 5, col: 16, path: 'routes.a.targets.production' });
    // lint reads the file anyway, to report it as an undefined-provider finding beside the rest.
    expect(parseConfig(text, 'm.yml', { env: {}, checkProviders: false }).file.routes['a']?.fallback).toEqual([
      'nope/z',
    ]);
  });
  it('misspelt keys get a did-you-mean with the real line', () => {
    const e = err(() =>
      parseConfig('routes:\n  a:\n    targets: { production: sim/x }\n    fallbak: []\n', 'm.yml', { env: {} }),
    );
    expect(e.message).toBe('m.yml:4:5: routes.a.fallbak: unknown key "fallbak" — did you mean "fallback"?');
    expect(e.details).toMatchObject({ line: 4, col: 5, path: 'routes.a.fallbak' });
    expect(
      err(() =>
        parseConfig('routes:\n  a:\n    targets: { production: sim/x }\n    polcy: pin-required\n', 'm.yml', {
          env: {},
        }),
      ).message,
    ).toMatch(/did you mean "policy"/);
    expect(err(() => parseConfig('providrs: {}\n', 'm.yml', { env: {} })).message).toMatch(/did you mean "providers"/);
  });
  it('any env name is accepted (prodution is a valid env name)', () => {
    expect(
      parseConfig(
        'providers: { sim: { type: simulator } }\nroutes:\n  a:\n    targets: { prodution: sim/x }\n',
        'm.yml',
        { env: {} },
      ).file.routes.a?.targets.prodution,
    ).toBe('sim/x');
  });
  it('wrong types say what was expected', () => {
    expect(
      err(() => parseConfig('routes:\n  a:\n    targets: { production: nope }\n', 'm.yml', { env: {} })).message,
    ).toMatch(/routes\.a\.targets\.production: expected "provider\/model"/);
    expect(err(() => parseConfig('providers:\n  x: { type: nope }\n', 'm.yml', { env: {} })).message).toMatch(
      /m\.yml:2:\d+: providers\.x\.type: Invalid option: expected one of/,
    );
  });
  it('api: responses on a provider type that has no Responses API is refused at load, at its line', () => {
    expect(
      err(() => parseConfig('providers:\n  claude: { type: anthropic, api: responses }\n', 'm.yml', { env: {} }))
        .message,
    ).toBe(
      'm.yml:2:30: providers.claude.api: api: responses applies to providers of type openai, openai-compatible or azure-openai only',
    );
    expect(
      parseConfig(
        'providers:\n  o: { type: openai-compatible, base_url: "http://127.0.0.1:1/v1", api: responses }\n',
        'm.yml',
        { env: {} },
      ).file.providers.o?.api,
    ).toBe('responses');
  });
  it('empty, comment-only, non-mapping and binary inputs are one clear line', () => {
    expect(err(() => parseConfig('', 'm.yml')).message).toBe(
      'm.yml is empty; run `modelpin init` for a starter models.yml',
    );
    expect(err(() => parseConfig('# nothing\n', 'm.yml')).message).toMatch(/is empty/);
    expect(err(() => parseConfig('- a\n- b\n', 'm.yml')).message).toMatch(/expected a mapping/);
    const dir = mkdtempSync(join(tmpdir(), 'mp-load-'));
    writeFileSync(join(dir, 'bin.yml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    expect(err(() => loadConfig(join(dir, 'bin.yml'))).message).toMatch(/is binary, not YAML text$/);
    expect(err(() => loadConfig(join(dir, 'none.yml'))).message).toMatch(/not found/);
    expect(err(() => loadConfig(dir)).message).toMatch(/is a directory/);
  });
  it('an interpolated secret never appears in an error', () => {
    const text = 'providers:\n  o:\n    type: openai\n    base_url: ${SECRET_URL}\nroutes: {}\n';
    const e = err(() => parseConfig(text, 'm.yml', { env: { SECRET_URL: 'not-a-url-SUPERSECRET' } }));
    expect(e.message).not.toContain('SUPERSECRET');
    expect(e.message).toMatch(/providers\.o\.base_url/);
    expect(JSON.stringify(e.toJSON())).not.toContain('SUPERSECRET');
  });
});

describe('redaction', () => {
  it('redacts interpolated secrets but not ordinary interpolated values', () => {
    const text =
      'providers:\n  o: { type: openai, api_key: "${K}", headers: { x-org: "${ORG}" } }\n  s: { type: simulator, scenario: "${SCEN}" }\nroutes: {}\n';
    const cfg = parseConfig(text, 'm.yml', { env: { K: 'sk-abcdef', ORG: 'org-private', SCEN: 'default' } });
    expect(cfg.redact('key sk-abcdef org org-private scenario default')).toBe('key *** org *** scenario default');
  });
});
