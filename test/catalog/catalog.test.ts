import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinFamilies } from '../../src/catalog/builtin.js';
import { capabilitiesOf, loadCatalog } from '../../src/catalog/catalog.js';
import { costUsd } from '../../src/catalog/cost.js';
import { parseConfig } from '../../src/config/load.js';
import { PROVIDER_TYPES } from '../../src/providers/types.js';

describe('shipped catalog data', () => {
  const families = builtinFamilies();
  it('has the required families', () => {
    const names = families.map((f) => f.family);
    for (const f of ['anthropic', 'bedrock', 'vertex', 'openai', 'azure-openai', 'gemini', 'mistral', 'simulator']) expect(names).toContain(f);
  });
  it('every entry has a source and every rule compiles and has a source', () => {
    for (const f of families) {
      for (const r of f.rules) {
        expect(() => new RegExp(r.pattern)).not.toThrow();
        expect(r.source.length).toBeGreaterThan(0);
      }
      for (const e of f.models) expect(e.source, `${f.family}/${e.id}`).toBeTruthy();
    }
  });
  it('no family lists a model id twice (a second entry would silently shadow the first)', () => {
    for (const f of families) {
      const seen = new Set<string>();
      const twice = f.models.map((e) => e.id).filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
      expect(twice, f.family).toEqual([]);
    }
  });
  it('every provider type except openai-compatible maps to exactly one family', () => {
    for (const t of PROVIDER_TYPES) {
      const owners = families.filter((f) => f.providerTypes.includes(t));
      expect(owners.length, t).toBe(t === 'openai-compatible' ? 0 : 1);
    }
  });
  it('the simulator family is labelled simulated throughout', () => {
    const sim = families.find((f) => f.family === 'simulator');
    expect(sim?.simulated).toBe(true);
    expect(sim?.title).toMatch(/SIMULATED/);
    for (const e of sim?.models ?? []) expect(e.simulated, e.id).toBe(true);
    for (const id of ['sim-chat-2026-01-15', 'sim-chat-2026-11-25', 'sim-chat-2026-12-03', 'sim-chat-2026-12-10', 'sim-chat-latest', 'sim-mini-2026-03-01', 'sim-mini-latest', 'sim-chat-2025-06-01']) {
      expect(sim?.models.some((e) => e.id === id), id).toBe(true);
    }
  });
  it('simulator alias targets exist', () => {
    const sim = families.find((f) => f.family === 'simulator');
    const ids = new Set(sim?.models.map((e) => e.id));
    for (const e of sim?.models ?? []) {
      if (e.pointsTo) expect(ids.has(e.pointsTo)).toBe(true);
      for (const h of e.pointsToHistory ?? []) expect(ids.has(h.pointsTo)).toBe(true);
    }
  });
});

describe('prices and cost', () => {
  const catalog = loadCatalog();
  it('prices a snapshot, and an alias as the snapshot it points to', () => {
    expect(catalog.price('anthropic', 'claude-sonnet-4-20250514')).toEqual({ input: 3, output: 15, cachedInput: 0.3, cacheWriteInput: 3.75 });
    expect(catalog.price('openai', 'gpt-4o')).toEqual(catalog.price('openai', 'gpt-4o-2024-08-06'));
    expect(catalog.price('openai', 'gpt-4o')?.input).toBe(2.5);
  });
  it('maps a models.yml provider id through its type (sim -> simulator)', () => {
    const loaded = parseConfig('providers: { sim: { type: simulator, scenario: default } }\nroutes: {}\n', 'm.yml', { env: {} });
    const c = loadCatalog({ file: loaded.file });
    expect(c.price('sim', 'sim-chat-2026-01-15')).toEqual({ input: 1, output: 4, cachedInput: 0.1, cacheWriteInput: 1.25 });
    expect(c.price('sim', 'sim-chat-latest')).toEqual({ input: 1, output: 4, cachedInput: 0.1, cacheWriteInput: 1.25 });
    expect(c.price('sim', 'nope-2026-01-01')).toBeNull();
  });
  it('returns null for unknown models instead of $0', () => {
    expect(catalog.price('openai', 'gpt-5.6-sol')).toBeNull();
    expect(costUsd(null, { inputTokens: 10, outputTokens: 10 })).toBeNull();
  });
  it('bills cached input tokens at the cached rate when known', () => {
    const p = { input: 3, output: 15, cachedInput: 0.3 };
    expect(costUsd(p, { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(3, 9);
    expect(costUsd(p, { inputTokens: 1_000_000, outputTokens: 1_000_000, cachedInputTokens: 500_000 })).toBeCloseTo(1.5 + 0.15 + 15, 9);
    expect(costUsd({ input: 2, output: 8 }, { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 1000 })).toBeCloseTo(0.002, 9);
  });
  it('bills cache writes at the cache-write rate and reasoning tokens as output', () => {
    const p = { input: 3, output: 15, cachedInput: 0.3, cacheWriteInput: 3.75 };
    // 1M prompt tokens: 200k read from cache, 300k written to it, 500k plain; 1M output of which 400k reasoning.
    const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000, cachedInputTokens: 200_000, cacheCreationInputTokens: 300_000, reasoningTokens: 400_000 };
    expect(costUsd(p, usage)).toBeCloseTo(0.5 * 3 + 0.2 * 0.3 + 0.3 * 3.75 + 15, 9);
    // Without a write rate, writes cost plain input.
    expect(costUsd({ input: 3, output: 15 }, { inputTokens: 1_000_000, outputTokens: 0, cacheCreationInputTokens: 300_000 })).toBeCloseTo(3, 9);
  });
});

describe('reasoning capabilities', () => {
  const catalog = loadCatalog();
  it('answers per model, an alias for its snapshot, and undefined for unknown models', () => {
    expect(catalog.reasoning('anthropic', 'claude-opus-4-7')).toEqual({ efforts: ['low', 'medium', 'high', 'xhigh', 'max'], adaptive: true });
    expect(catalog.reasoning('anthropic', 'claude-sonnet-4-5')).toMatchObject({ budget: { min: 1024 } });
    expect(catalog.reasoning('openai', 'gpt-4o-2024-11-20')).toBe(false);
    expect(catalog.reasoning('gemini', 'gemini-3-flash-preview')).toMatchObject({ levels: ['minimal', 'low', 'medium', 'high'], signedToolCalls: true });
    expect(catalog.reasoning('openai', 'gpt-5.6-sol')).toBeUndefined();
  });
  it('carries reasoning and structured-output facts in one capabilities object per target model', () => {
    const caps = capabilitiesOf(catalog, 'anthropic', 'claude-opus-4-6');
    expect(caps?.reasoning).toEqual(catalog.reasoning('anthropic', 'claude-opus-4-6'));
    expect(caps?.reasoning).toMatchObject({ adaptive: true });
    expect(caps?.structuredOutput).toEqual({ jsonSchema: true, strictTools: true, jsonMode: false });
    // A model with reasoning facts but no structured-output rule still answers its reasoning.
    expect(capabilitiesOf(catalog, 'anthropic', 'claude-opus-4-7')).toEqual({ reasoning: { efforts: ['low', 'medium', 'high', 'xhigh', 'max'], adaptive: true } });
    expect(capabilitiesOf(catalog, 'openai', 'gpt-4o-2024-11-20')?.reasoning).toBe(false);
    expect(capabilitiesOf(catalog, 'openai', 'gpt-5.6-sol')?.reasoning).toBeUndefined();
  });
});

describe('user catalog entries', () => {
  it('inline entries and files add private deployments and override shipped entries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mp-cat-'));
    writeFileSync(join(dir, 'extra.yml'), 'models:\n  - { provider: ollama, id: "llama3.1:8b", kind: snapshot, price: { input: 0, output: 0 } }\n');
    writeFileSync(join(dir, 'extra.json'), JSON.stringify([{ provider: 'openai', id: 'gpt-5.6-sol', kind: 'snapshot', retires: '2027-12-01' }]));
    const yml = [
      'providers:',
      '  azure: { type: azure-openai, base_url: "https://example.invalid", api_key: "${AZ_KEY}" }',
      '  ollama: { type: openai-compatible, base_url: "http://127.0.0.1:11434/v1" }',
      'routes: {}',
      'catalog:',
      '  files: [extra.yml, extra.json]',
      '  models:',
      '    - { provider: azure, id: prod-gpt4o, kind: snapshot, retires: 2026-06-05, replacement: gpt-5.1, price: { input: 2.5, output: 10, cached_input: 1.25 } }',
      '    - { provider: openai, id: gpt-4o, kind: snapshot, notes: "org pinned via a proxy" }',
    ].join('\n');
    const loaded = parseConfig(yml, join(dir, 'models.yml'), { env: {} });
    const c = loadCatalog({ file: loaded.file, baseDir: dir });
    expect(c.classify('prod-gpt4o', 'azure')).toMatchObject({ kind: 'pinned', matched: 'entry', retires: '2026-06-05' });
    expect(c.classify('prod-gpt4o').kind).toBe('pinned');
    expect(c.price('azure', 'prod-gpt4o')).toEqual({ input: 2.5, output: 10, cachedInput: 1.25 });
    expect(c.classify('llama3.1:8b', 'ollama').kind).toBe('pinned');
    expect(c.classify('gpt-5.6-sol', 'openai')).toMatchObject({ kind: 'pinned', retires: '2027-12-01' });
    expect(c.classify('gpt-4o', 'openai').kind).toBe('pinned');
    expect(c.classify('gpt-4o', 'openai').entry?.origin).toBe('models.yml');
    expect(c.list({ provider: 'azure' }).map((e) => e.id)).toContain('prod-gpt4o');
  });
  it('a missing or malformed catalog file is a clear config error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mp-cat-'));
    writeFileSync(join(dir, 'bad.json'), '{"models": [{"id": 1}]}');
    const missing = parseConfig('routes: {}\ncatalog: { files: [nope.yml] }\n', join(dir, 'models.yml'), { env: {} });
    expect(() => loadCatalog({ file: missing.file, baseDir: dir })).toThrow(/catalog file nope.yml not found/);
    const bad = parseConfig('routes: {}\ncatalog: { files: [bad.json] }\n', join(dir, 'models.yml'), { env: {} });
    expect(() => loadCatalog({ file: bad.file, baseDir: dir })).toThrow(/catalog file bad.json: models.0/);
  });
});

describe('catalog list', () => {
  const catalog = loadCatalog();
  it('filters by provider family', () => {
    const ids = catalog.list({ provider: 'mistral' }).map((e) => e.id);
    expect(ids).toContain('mistral-large-2411');
    expect(ids.every((id) => !id.startsWith('gpt'))).toBe(true);
  });
  it('lists what retires within N days of a date, soonest first', () => {
    const soon = catalog.list({ retiringWithinDays: 90, today: '2026-11-29' });
    expect(soon.length).toBeGreaterThan(0);
    for (const e of soon) expect(e.retires! >= '2026-11-29' && e.retires! <= '2027-02-27').toBe(true);
    expect(soon.map((e) => e.id)).toContain('gpt-5-2025-08-07');
    const sorted = [...soon].sort((a, b) => a.retires!.localeCompare(b.retires!));
    expect(soon.map((e) => e.retires)).toEqual(sorted.map((e) => e.retires));
  });
});

describe('simulator catalog matches the default scenario', () => {
  it('has every snapshot and alias move of scenarios/default.yml', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const scenario = parse(readFileSync(join(import.meta.dirname, '..', '..', 'scenarios', 'default.yml'), 'utf8')) as {
      snapshots: Record<string, { retired?: boolean }>;
      aliases: Record<string, { target: string; moves?: Array<{ at: string; to: string }> }>;
    };
    const catalog = loadCatalog();
    for (const [id, s] of Object.entries(scenario.snapshots)) {
      const c = catalog.classify(id, 'simulator');
      expect(c.matched, id).toBe('entry');
      expect(c.kind, id).toBe('pinned');
      expect(c.status === 'retired', id).toBe(s.retired === true);
    }
    for (const [id, a] of Object.entries(scenario.aliases)) {
      expect(catalog.classify(id, 'simulator', { at: '2026-01-01' }).pointsTo, id).toBe(a.target);
      for (const m of a.moves ?? []) expect(catalog.classify(id, 'simulator', { at: m.at }).pointsTo, `${id} at ${m.at}`).toBe(m.to);
    }
  });
});
