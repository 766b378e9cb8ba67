import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogDir } from '../../src/catalog/builtin.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { checkCatalogData, sourceProblems } from '../../src/catalog/check.js';
import { parseConfig } from '../../src/config/load.js';
import { runFoundation } from '../cli-foundation/harness.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'mp-check-'));

describe('shipped catalog', () => {
  it.each(readdirSync(catalogDir()).filter((f) => f.endsWith('.json')))('%s passes catalog check with no findings (no tracking parameters, no translated copies, dates in order)', (name) => {
    const r = checkCatalogData(JSON.parse(readFileSync(join(catalogDir(), name), 'utf8')));
    expect(r.form).toBe('family');
    expect(r.findings).toEqual([]);
  });
  it('no source in the shipped catalog carries a tracking query parameter or a locale path', () => {
    const bad: string[] = [];
    for (const name of readdirSync(catalogDir()).filter((f) => f.endsWith('.json'))) {
      const text = readFileSync(join(catalogDir(), name), 'utf8');
      for (const m of text.matchAll(/"(?:source|priceSource)": "([^"]+)"/g)) if (sourceProblems(m[1] ?? '').length > 0) bad.push(m[1] ?? '');
    }
    expect(bad).toEqual([]);
  });
  it('the check catches the crawl leftovers the catalog used to carry', () => {
    const gemini = JSON.parse(readFileSync(join(catalogDir(), 'gemini.json'), 'utf8')) as { models: Array<{ id: string; source: string }> };
    const old = gemini.models.map((m) => (m.id === 'gemini-3.5-flash' ? { ...m, source: 'https://ai.google.dev/gemini-api/docs/changelog?authuser=13&hl=it' } : m));
    expect(checkCatalogData({ ...gemini, models: old }).findings.map((f) => [f.code, f.id])).toEqual([['tracking-query', 'gemini-3.5-flash']]);
  });
});

describe('sourceProblems', () => {
  it('flags tracking parameters and translated copies, not the page identity', () => {
    expect(sourceProblems('https://ai.google.dev/gemini-api/docs/changelog?authuser=3&hl=tr').map((p) => p.code)).toEqual(['tracking-query']);
    expect(sourceProblems('https://developers.openai.com/api/docs/deprecations?translationFallback=zh-Hans')[0]?.message).toMatch(/translationFallback/);
    expect(sourceProblems('https://example.com/a?utm_source=x')[0]?.code).toBe('tracking-query');
    expect(sourceProblems('https://platform.claude.com/docs/zh-CN/models/sonnet-4-5/overview.md').map((p) => p.code)).toEqual(['locale-path']);
    expect(sourceProblems('https://platform.claude.com/docs/en/release-notes/overview?entry=2026-09-01-2df3')).toEqual([]);
    expect(sourceProblems('modelpin simulator scenario: scenarios/default.yml')).toEqual([]);
  });
});

describe('checkCatalogData', () => {
  const family = (models: unknown[], extra: Record<string, unknown> = {}) => ({
    schemaVersion: 1,
    family: 'acme',
    asOf: '2026-11-26',
    title: 'Acme',
    providerTypes: [],
    aliases: [],
    inferPriority: 99,
    idPatterns: ['^acme-'],
    rules: [],
    models,
    ...extra,
  });
  it('dates out of order, duplicates, self-replacement and a stored status the dates contradict', () => {
    const r = checkCatalogData(
      family([
        { id: 'acme-1', kind: 'snapshot', released: '2026-05-01', retires: '2026-01-01', source: 'https://acme.test/models' },
        { id: 'acme-2', kind: 'snapshot', status: 'active', retires: '2026-06-01', source: 'https://acme.test/models' },
        { id: 'acme-2', kind: 'snapshot', replacement: 'acme-2', source: 'https://acme.test/models' },
        { id: 'acme-latest', kind: 'alias', pointsTo: 'acme-2', pointsToHistory: [{ since: '2026-05-01', pointsTo: 'acme-1' }, { since: '2026-02-01', pointsTo: 'acme-2' }], source: 'https://acme.test/models' },
      ]),
    );
    expect(r.findings.map((f) => [f.code, f.id])).toEqual([
      ['date-order', 'acme-1'],
      ['status-contradicts-dates', 'acme-2'],
      ['duplicate-id', 'acme-2'],
      ['self-replacement', 'acme-2'],
      ['date-order', 'acme-latest'],
    ]);
  });
  it('a schema error points into the file; a newer schema version is refused', () => {
    expect(checkCatalogData(family([{ id: 'acme-1', kind: 'snapshot' }])).findings[0]).toMatchObject({ code: 'schema', message: expect.stringMatching(/^models\.0\.source/) });
    expect(checkCatalogData(family([], { schemaVersion: 2 })).findings[0]).toMatchObject({ code: 'schema-version', message: expect.stringMatching(/newer than this modelpin reads \(1\)/) });
  });
  it('entry files: a source on every fact, and a schema_version', () => {
    const r = checkCatalogData({ models: [{ provider: 'sim', id: 'sim-x-2026-01-01', kind: 'snapshot', retires: '2027-01-01' }] });
    expect(r.findings.map((f) => f.code)).toEqual(['missing-source', 'schema-version']);
    expect(checkCatalogData({ schema_version: 1, models: [{ provider: 'sim', id: 'sim-x', kind: 'snapshot', source: 'https://acme.test/x' }] }).findings).toEqual([]);
  });
});

describe('layering catalog files over the shipped catalog', () => {
  it('a family file in catalog.files replaces shipped entries of that family (data updates without a release)', () => {
    const dir = tmp();
    const anthropic = JSON.parse(readFileSync(join(catalogDir(), 'anthropic.json'), 'utf8')) as { asOf: string; models: Array<Record<string, unknown>> };
    anthropic.asOf = '2026-12-03';
    anthropic.models = anthropic.models.filter((m) => m.id === 'claude-sonnet-4-20250514').map((m) => ({ ...m, replacement: 'claude-sonnet-5-5' }));
    writeFileSync(join(dir, 'anthropic-update.json'), JSON.stringify(anthropic));
    const loaded = parseConfig('catalog:\n  files: [./anthropic-update.json]\n', join(dir, 'models.yml'), { env: {} });
    const c = loadCatalog({ file: loaded.file, baseDir: dir }).classify('claude-sonnet-4-20250514');
    expect(c).toMatchObject({ replacement: 'claude-sonnet-5-5', entry: { origin: './anthropic-update.json' } });
  });
  it('a file from a newer modelpin is refused with a clear error', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'new.yml'), 'schema_version: 2\nmodels: []\n');
    const loaded = parseConfig('catalog:\n  files: [./new.yml]\n', join(dir, 'models.yml'), { env: {} });
    expect(() => loadCatalog({ file: loaded.file, baseDir: dir })).toThrow(/schema version 2; this modelpin reads version 1: upgrade modelpin/);
  });
});

describe('modelpin catalog check', () => {
  it('checks the shipped catalog by default and exits 0', async () => {
    const r = await runFoundation(['catalog', 'check']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/catalog\/openai\.json: family openai, \d+ model\(s\), ok/);
    expect(r.out).toMatch(/10 file\(s\): 0 error\(s\), 0 warning\(s\)/);
  });
  it('exits 1 on errors, 1 on warnings only with --strict, 2 when a file cannot be read; --json has the findings', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.yml'), 'schema_version: 1\nmodels:\n  - { provider: sim, id: sim-a, kind: snapshot, source: "https://x.test/p?hl=tr" }\n');
    writeFileSync(join(dir, 'warn.yml'), 'models:\n  - { provider: sim, id: sim-a, kind: snapshot, source: "https://x.test/p" }\n');
    const bad = await runFoundation(['catalog', 'check', 'bad.yml'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/error {2}source https:\/\/x\.test\/p\?hl=tr carries crawl leftovers \(hl\).*\[tracking-query\]/);
    expect((await runFoundation(['catalog', 'check', 'warn.yml'], { cwd: dir })).code).toBe(0);
    expect((await runFoundation(['catalog', 'check', 'warn.yml', '--strict'], { cwd: dir })).code).toBe(1);
    const missing = await runFoundation(['catalog', 'check', 'nope.yml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read catalog file .*nope\.yml: ENOENT/);
    const json = JSON.parse((await runFoundation(['catalog', 'check', 'bad.yml', '--json'], { cwd: dir })).out) as { files: Array<{ findings: Array<{ code: string }> }>; summary: { errors: number } };
    expect(json.summary.errors).toBe(1);
    expect(json.files[0]?.findings[0]?.code).toBe('tracking-query');
  });
});
