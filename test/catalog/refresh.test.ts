import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { mergeListing, readListings } from '../../src/catalog/listings.js';
import { registerCatalog } from '../../src/cli/commands/catalog.js';
import { loadConfig } from '../../src/config/load.js';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulatorServer, type SimulatorServer } from '../../src/sim/server.js';
import { runCli } from '../support/run-cli.js';

const BEFORE = Date.parse('2026-12-03T09:00:00Z');
const AFTER = Date.parse('2026-12-11T09:00:00Z');

describe('mergeListing', () => {
  it('the first listing is a baseline; later ones report new, vanished and returning ids with their days', () => {
    const a = mergeListing(undefined, 'openai', ['m-1', 'm-2'], '2026-12-01T10:00:00.000Z');
    expect(a).toMatchObject({ first: true, added: [], vanished: [] });
    expect(a.next.firstSeen).toEqual({ 'm-1': '2026-12-01', 'm-2': '2026-12-01' });
    const b = mergeListing(a.next, 'openai', ['m-2', 'm-3', 'm-3'], '2026-12-05T10:00:00.000Z');
    expect(b).toMatchObject({ first: false, added: ['m-3'], vanished: ['m-1'], returned: [] });
    expect(b.next).toMatchObject({ ids: ['m-2', 'm-3'], vanished: { 'm-1': '2026-12-05' }, firstSeen: { 'm-3': '2026-12-05' } });
    const c = mergeListing(b.next, 'openai', ['m-1', 'm-2', 'm-3'], '2026-12-06T10:00:00.000Z');
    expect(c).toMatchObject({ added: [], vanished: [], returned: ['m-1'] });
    expect(c.next.vanished).toEqual({});
    expect(c.next.firstSeen['m-1']).toBe('2026-12-01');
  });
});

describe('modelpin catalog refresh against the simulator', () => {
  const clock = new ManualClock(BEFORE);
  let sim: SimulatorServer;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimulatorServer({ port: 0, host: '127.0.0.1', scenario: 'releases', fast: true, clock });
    dir = mkdtempSync(join(tmpdir(), 'mp-refresh-'));
    writeFileSync(
      join(dir, 'models.yml'),
      [
        'providers:',
        `  oa: { type: openai, base_url: "${sim.url}/v1", api_key: "\${SIM_KEY}" }`,
        `  an: { type: anthropic, base_url: "${sim.url}", api_key: "\${SIM_KEY}" }`,
        `  ge: { type: gemini, base_url: "${sim.url}/v1beta", api_key: "\${SIM_KEY}" }`,
        `  compat: { type: openai-compatible, base_url: "${sim.url}/v1" }`,
        '  local: { type: simulator, scenario: releases }',
        '  nokey: { type: openai, base_url: "http://127.0.0.1:9/v1", api_key: "${UNSET_KEY_FOR_REFRESH}" }',
        '  down: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }',
        '  az: { type: azure-openai, base_url: "http://127.0.0.1:9", api_key: "${SIM_KEY}", api_version: "2024-10-21" }',
        'routes:',
        '  summarize:',
        '    targets: { production: oa/sim-chat-2026-01-15, staging: an/sim-chat-2026-11-25 }',
        '    last_validated: 2026-12-01',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await sim.close();
  });

  const run = (args: string[], now: number) =>
    runCli([registerCatalog], ['catalog', 'refresh', ...args], { clock: new ManualClock(now), cwd: dir, env: { SIM_KEY: 'sk-sim-secret-123' } });

  it('records a baseline per provider, with a clear error for no key and no network, and never prints the key', async () => {
    clock.set(BEFORE);
    const r = await run([], BEFORE);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/oa \(openai\): first listing, \d+ model\(s\) recorded/);
    expect(r.out).toMatch(/an \(anthropic\): first listing/);
    expect(r.out).toMatch(/ge \(gemini\): first listing/);
    expect(r.out).toMatch(/compat \(openai-compatible\): first listing/);
    expect(r.out).toMatch(/local \(simulator\): first listing/);
    expect(r.out).toMatch(/nokey \(openai\): not listed: no API key: UNSET_KEY_FOR_REFRESH is unset/);
    expect(r.out).toMatch(/down \(openai-compatible\): not listed: .*(connect|network|ECONNREFUSED|unreachable)/i);
    expect(r.out).toMatch(/az \(azure-openai\): skipped: Azure OpenAI lists deployments/);
    expect(r.out).not.toContain('sk-sim-secret-123');
    const file = readListings(join(dir, '.modelpin', 'model-listings.json'));
    for (const p of ['oa', 'an', 'ge', 'compat', 'local']) {
      expect(file?.providers[p]?.ids).toContain('sim-chat-2026-11-25');
      expect(file?.providers[p]?.ids).not.toContain('sim-chat-2026-12-10');
      expect(file?.providers[p]?.ids).not.toContain('sim-chat-2025-06-01');
    }
    expect(file?.providers.nokey).toBeUndefined();
  });

  it('after the release day: the new snapshot is recorded as new and the retired one as vanished, in every listing shape', async () => {
    clock.set(AFTER);
    const r = await run(['--provider', 'oa', 'an', 'ge', 'compat', 'local', '--json'], AFTER);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { written: boolean; providers: Array<{ provider: string; ok: boolean; added: string[]; vanished: string[] }> };
    expect(out.written).toBe(true);
    for (const p of out.providers) {
      expect(p).toMatchObject({ ok: true, added: ['sim-chat-2026-12-10', 'sim-mini-2026-12-10'], vanished: ['sim-chat-2026-11-25'] });
    }
    const file = readListings(join(dir, '.modelpin', 'model-listings.json'));
    expect(file?.providers.an).toMatchObject({ vanished: { 'sim-chat-2026-11-25': '2026-12-11' }, firstSeen: { 'sim-chat-2026-12-10': '2026-12-11' } });
  });

  it('classify reads the overlay: a vanished id is retired by evidence, a newly listed one is known to be listed', async () => {
    const loaded = loadConfig(join(dir, 'models.yml'), { env: { SIM_KEY: 'x' } });
    const catalog = loadCatalog({ file: loaded.file, baseDir: loaded.baseDir, listings: 'config' });
    expect(loadCatalog({ file: loaded.file, baseDir: loaded.baseDir }).listing('local')).toBeNull();
    const gone = catalog.classify('sim-chat-2026-11-25', 'local', { at: '2026-12-11' });
    expect(gone).toMatchObject({ status: 'retired', statusBasis: 'no longer listed by local since 2026-12-11', listing: { listed: false, vanishedOn: '2026-12-11' } });
    expect(catalog.classify('sim-chat-2026-11-25', 'local', { at: '2026-12-10' }).status).toBe('active');
    // An alias pointing at the vanished snapshot is retired with it.
    expect(catalog.classify('sim-chat-latest', 'local', { at: '2026-12-11' })).toMatchObject({ pointsTo: 'sim-chat-2026-12-10', status: 'active' });
    expect(catalog.classify('sim-chat-2026-11-25', 'an', { at: '2026-12-11' })).toMatchObject({ status: 'retired', inCatalog: false });
    expect(catalog.classify('sim-chat-2026-12-10', 'oa', { at: '2026-12-11' }).listing).toMatchObject({ listed: true, firstSeen: '2026-12-11' });
    expect(catalog.listing('oa')?.ids).toContain('sim-chat-2026-12-10');
  });

  it('a usage error for an unknown --provider; a damaged overlay is a clear config error', async () => {
    const bad = await run(['--provider', 'nope'], AFTER);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--provider "nope" is not a provider in models.yml/);
    const other = mkdtempSync(join(tmpdir(), 'mp-refresh-bad-'));
    writeFileSync(join(other, 'models.yml'), readFileSync(join(dir, 'models.yml'), 'utf8'));
    writeFileSync(join(other, 'listings.json'), '{"schemaVersion":1,"providers":{"oa":{"type":"openai"}}}');
    writeFileSync(join(other, 'models.yml'), `${readFileSync(join(dir, 'models.yml'), 'utf8')}catalog:\n  listings: ./listings.json\n`);
    const r = await runCli([registerCatalog], ['catalog', 'refresh', '--provider', 'local'], { clock: new ManualClock(AFTER), cwd: other, env: {} });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/model listings .*listings\.json: providers\.oa\.checkedAt: .*delete it and run modelpin catalog refresh/);
  });
});
