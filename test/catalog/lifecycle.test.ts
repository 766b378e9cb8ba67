import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { deriveLifecycle } from '../../src/catalog/lifecycle.js';
import { parseConfig } from '../../src/config/load.js';

const catalog = loadCatalog();

describe('deriveLifecycle: the dates decide, the stored status fills the gaps', () => {
  it('a passed retirement date is retired, whatever the stored status says', () => {
    expect(deriveLifecycle({ status: 'active', retires: '2026-11-30' }, '2026-12-03')).toMatchObject({ status: 'retired', basis: 'retirement date passed', daysLeft: -3 });
    expect(deriveLifecycle({ status: 'deprecated', retires: '2026-11-30' }, '2026-11-30')).toMatchObject({ status: 'retired', daysLeft: 0 });
  });
  it('an announced shutdown still ahead is deprecated, even when stored as active', () => {
    expect(deriveLifecycle({ status: 'active', retires: '2027-01-14' }, '2026-12-03')).toMatchObject({ status: 'deprecated', basis: 'shutdown announced', daysLeft: 42 });
  });
  it('a stored "retired" stays retired even with a later retirement date (early shutdowns happen); a stored deprecated outranks an unannounced future', () => {
    expect(deriveLifecycle({ status: 'retired', deprecated: '2026-01-15', retires: '2026-06-01' }, '2026-03-01')).toMatchObject({ status: 'retired', basis: 'stored status', daysLeft: 92 });
    expect(deriveLifecycle({ status: 'deprecated', deprecated: '2026-09-01', retires: '2027-01-01' }, '2026-03-01')).toMatchObject({ status: 'deprecated', basis: 'stored status' });
    expect(deriveLifecycle({ deprecated: '2026-09-01', retires: '2027-01-01' }, '2026-03-01')).toMatchObject({ status: 'active', basis: 'dates still ahead' });
  });
  it('a passed deprecation date is deprecated; shutdown and legacy are normalised', () => {
    expect(deriveLifecycle({ deprecated: '2026-06-11' }, '2026-07-01').status).toBe('deprecated');
    expect(deriveLifecycle({ status: 'shutdown' }, '2026-07-01').status).toBe('retired');
    expect(deriveLifecycle({ status: 'legacy' }, '2026-07-01').status).toBe('legacy');
    expect(deriveLifecycle({}, '2026-07-01')).toEqual({ status: 'active', basis: 'no lifecycle facts' });
  });
});

describe('classify: derived status, inherited alias lifecycle, shape-only names', () => {
  it('claude-sonnet-4-5-20250929 on 2026-12-03 is retired although the catalog stores deprecated', () => {
    const c = catalog.classify('claude-sonnet-4-5-20250929', undefined, { at: '2026-12-03' });
    expect(c).toMatchObject({ kind: 'pinned', status: 'retired', storedStatus: 'deprecated', retires: '2026-11-30', statusBasis: 'retirement date passed', inCatalog: true });
    expect(catalog.classify('claude-sonnet-4-5-20250929', undefined, { at: '2026-11-29' })).toMatchObject({ status: 'deprecated', daysLeft: 1 });
  });
  it.each([
    ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', '2026-12-03', 'retired'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku-20241022', '2026-12-03', 'retired'],
    ['gpt-5', 'gpt-5-2025-08-07', '2026-12-03', 'deprecated'],
    ['gpt-5-mini', 'gpt-5-mini-2025-08-07', '2026-12-12', 'retired'],
    ['gpt-5-nano', 'gpt-5-nano-2025-08-07', '2026-12-03', 'deprecated'],
  ])('alias %s inherits the lifecycle of %s (%s: %s)', (alias, target, at, status) => {
    const c = catalog.classify(alias, undefined, { at });
    expect(c).toMatchObject({ kind: 'floating', pointsTo: target, lifecycleFrom: target, status });
    expect(c.retires).toBe(catalog.classify(target, undefined, { at }).retires);
    expect(c.replacement).toBeDefined();
  });
  it('an alias follows its target through its dates: active before the deprecation date, deprecated after, retired after the shutdown', () => {
    const loaded = parseConfig(
      'providers:\n  sim: { type: simulator }\ncatalog:\n  models:\n    - { provider: sim, id: sim-y-latest, kind: alias, points_to: sim-y-2026-01-01 }\n    - { provider: sim, id: sim-y-2026-01-01, kind: snapshot, deprecated: 2026-04-14, retires: 2026-06-15 }\n',
      'models.yml',
      { env: {} },
    );
    const cat = loadCatalog({ file: loaded.file });
    const at = (d: string) => cat.classify('sim-y-latest', 'sim', { at: d });
    expect(at('2026-01-01')).toMatchObject({ kind: 'floating', lifecycleFrom: 'sim-y-2026-01-01', status: 'active', statusBasis: 'dates still ahead' });
    expect(at('2026-05-01')).toMatchObject({ status: 'deprecated', deprecated: '2026-04-14', retires: '2026-06-15', daysLeft: 45 });
    expect(at('2026-06-15')).toMatchObject({ status: 'retired' });
    expect(catalog.classify('claude-sonnet-4-0', undefined, { at: '2026-07-01' })).toMatchObject({ lifecycleFrom: 'claude-sonnet-4-20250514', status: 'retired' });
  });
  it('a name matched only by a naming rule is "not in the catalog: shape only", never a known snapshot', () => {
    const c = catalog.classify('gpt-4o-2024-12-01');
    expect(c).toMatchObject({ kind: 'pinned', matched: 'rule', shapeOnly: true, inCatalog: false });
    expect(c.reason).toMatch(/^not in the catalog: shape only/);
    expect(c.status).toBeUndefined();
    expect(catalog.classify('gpt-4o-2024-11-20')).toMatchObject({ inCatalog: true });
    expect(catalog.classify('gpt-4o-2024-11-20').shapeOnly).toBeUndefined();
  });
  it('a fine-tune carries the lifecycle of its base model', () => {
    const c = catalog.classify('ft:gpt-4o-2024-08-06:acme::a1b2c3', undefined, { at: '2027-01-15' });
    expect(c).toMatchObject({ kind: 'pinned', matched: 'fine-tune', lifecycleFrom: 'gpt-4o-2024-08-06', status: 'retired' });
  });
  it('a user alias follows its user-declared target', () => {
    const loaded = parseConfig(
      'providers:\n  sim: { type: simulator }\ncatalog:\n  models:\n    - { provider: sim, id: sim-x-latest, kind: alias, points_to: sim-x-2026-01-01 }\n    - { provider: sim, id: sim-x-2026-01-01, kind: snapshot, retires: 2026-12-01, replacement: sim-x-2026-11-01 }\n',
      'models.yml',
      { env: {} },
    );
    const c = loadCatalog({ file: loaded.file }).classify('sim-x-latest', 'sim', { at: '2026-12-03' });
    expect(c).toMatchObject({ status: 'retired', lifecycleFrom: 'sim-x-2026-01-01', replacement: 'sim-x-2026-11-01' });
  });
});

describe('catalog data corrections', () => {
  it('gemini-flash-latest: dated targets until gemini-3.5-flash retired, then unknown rather than a retired snapshot', () => {
    expect(catalog.classify('gemini-flash-latest', undefined, { at: '2026-03-01' }).pointsTo).toBe('gemini-3-flash-preview');
    expect(catalog.classify('gemini-flash-latest', undefined, { at: '2026-06-01' }).pointsTo).toBe('gemini-3.5-flash');
    const now = catalog.classify('gemini-flash-latest', undefined, { at: '2026-12-03' });
    expect(now.pointsTo).toBeUndefined();
    expect(now.reason).toMatch(/since 2026-10-08 is not known/);
  });
  it('gpt-5-nano-2025-08-07 names a gpt-6 replacement, marked uncertain; its siblings name gpt-6.1', () => {
    expect(catalog.classify('gpt-5-nano-2025-08-07')).toMatchObject({ replacement: 'gpt-6-luna', uncertain: true });
    expect(catalog.classify('gpt-5-2025-08-07').replacement).toBe('gpt-6.1-sol');
    expect(catalog.classify('gpt-5-mini-2025-08-07').replacement).toBe('gpt-6.1-terra');
  });
  it('facts only third parties report are flagged, and the Gemini 2.5 auto-routing report is shown but not used as a date', () => {
    const c = catalog.classify('gemini-2.5-pro', undefined, { at: '2026-12-03' });
    expect(c.thirdPartyReport).toMatchObject({ retires: '2026-12-01', routedTo: 'gemini-3.8-flash' });
    expect(c.retires).toBeUndefined();
    expect(c.notes.join(' ')).toMatch(/unconfirmed \(third parties only\): retired on 2026-12-01, requests routed to gemini-3.8-flash/);
    expect(catalog.classify('gpt-4o-2024-08-06')).toMatchObject({ thirdParty: true, uncertain: true });
  });
  it('mistral-large-latest says how old its mapping is', () => {
    expect(catalog.classify('mistral-large-latest').notes.join(' ')).toMatch(/last read from a provider page in 2025/);
  });
});

describe('catalog CLI shows the derived status', () => {
  it('classify --today --json says retired; list shows the status as of --today for snapshots and aliases', async () => {
    const { runFoundation } = await import('../cli-foundation/harness.js');
    const c = JSON.parse((await runFoundation(['catalog', 'classify', 'claude-sonnet-4-5-20250929', '--today', '2026-12-03', '--json'])).out) as Record<string, unknown>;
    expect(c).toMatchObject({ status: 'retired', storedStatus: 'deprecated', statusBasis: 'retirement date passed', daysLeft: -3 });
    const text = (await runFoundation(['catalog', 'classify', 'claude-sonnet-4-5', '--today', '2026-12-03'])).out;
    expect(text).toMatch(/status as of 2026-12-03: retired \(retirement date passed, from claude-sonnet-4-5-20250929\)/);
    const shape = (await runFoundation(['catalog', 'classify', 'gpt-4o-2024-12-01'])).out;
    expect(shape).toMatch(/gpt-4o-2024-12-01 \(openai\): pinned \(not in the catalog: shape only\)/);
    const list = JSON.parse((await runFoundation(['catalog', 'list', '--provider', 'anthropic', '--today', '2026-12-03', '--json'])).out) as { models: Array<{ id: string; lifecycle: { status: string } | null }> };
    expect(list.models.find((m) => m.id === 'claude-sonnet-4-5')?.lifecycle?.status).toBe('retired');
    expect(list.models.find((m) => m.id === 'claude-sonnet-4-5-20250929')?.lifecycle?.status).toBe('retired');
    const table = (await runFoundation(['catalog', 'list', '--provider', 'anthropic', '--today', '2026-12-03'])).out;
    expect(table).toMatch(/claude-sonnet-4-5-20250929 +snapshot +retired +2026-11-30 +claude-sonnet-5-5/);
  });
});
