import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.js';

const catalog = loadCatalog();

/** [id, provider given or '', expected kind, expected provider/family, extra expectations] */
type Row = [string, string, 'pinned' | 'floating' | 'preview' | 'unknown', string, { pointsTo?: string; retires?: string; id?: string; matched?: string }?];

const ROWS: Row[] = [
  // Anthropic first-party
  ['claude-sonnet-4-20250514', '', 'pinned', 'anthropic', { retires: '2026-06-15', matched: 'entry' }],
  ['claude-opus-4-1-20250805', '', 'pinned', 'anthropic', { retires: '2026-08-05' }],
  ['claude-haiku-4-5-20251001', '', 'pinned', 'anthropic'],
  ['claude-3-5-sonnet-20241022', '', 'pinned', 'anthropic', { retires: '2025-10-28' }],
  ['claude-3-haiku-20240307', '', 'pinned', 'anthropic'],
  ['claude-sonnet-4-0', '', 'floating', 'anthropic', { pointsTo: 'claude-sonnet-4-20250514' }],
  ['claude-sonnet-4-5', '', 'floating', 'anthropic', { pointsTo: 'claude-sonnet-4-5-20250929' }],
  ['claude-opus-4-5', '', 'floating', 'anthropic', { pointsTo: 'claude-opus-4-5-20251101' }],
  ['claude-3-5-sonnet-latest', '', 'floating', 'anthropic', { pointsTo: 'claude-3-5-sonnet-20241022' }],
  ['claude-3-7-sonnet-latest', '', 'floating', 'anthropic'],
  ['claude-opus-4-6', '', 'pinned', 'anthropic', { matched: 'entry' }],
  ['claude-sonnet-4-6', '', 'pinned', 'anthropic'],
  ['claude-sonnet-5', '', 'pinned', 'anthropic'],
  ['claude-opus-4-9', '', 'pinned', 'anthropic', { matched: 'rule' }],
  ['claude-haiku-4-2', '', 'floating', 'anthropic', { matched: 'rule' }],
  ['claude-mythos-preview', '', 'preview', 'anthropic'],
  ['claude-2.1', '', 'pinned', 'anthropic'],
  ['claude-2', '', 'floating', 'anthropic', { matched: 'rule' }],
  ['claude-something-new', '', 'unknown', 'anthropic'],
  ['anthropic/claude-sonnet-4-6', '', 'pinned', 'anthropic', { id: 'claude-sonnet-4-6' }],
  ['claude-sonnet-4-20250514', 'anthropic', 'pinned', 'anthropic'],
  // Bedrock
  ['anthropic.claude-3-5-sonnet-20240620-v1:0', '', 'pinned', 'bedrock', { matched: 'entry' }],
  ['us.anthropic.claude-3-5-sonnet-20240620-v1:0', '', 'pinned', 'bedrock', { id: 'anthropic.claude-3-5-sonnet-20240620-v1:0' }],
  ['eu.anthropic.claude-sonnet-4-20250514-v1:0', '', 'pinned', 'bedrock'],
  ['apac.anthropic.claude-3-haiku-20240307-v1:0', '', 'pinned', 'bedrock'],
  ['global.anthropic.claude-sonnet-4-6', '', 'pinned', 'bedrock'],
  ['anthropic.claude-3-5-sonnet-20241022-v2:0', '', 'pinned', 'bedrock'],
  ['anthropic.claude-opus-4-6-v1', '', 'pinned', 'bedrock'],
  ['anthropic.claude-sonnet-9-20300101-v1:0', '', 'pinned', 'bedrock', { matched: 'rule' }],
  ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0', '', 'pinned', 'bedrock'],
  ['arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3', '', 'unknown', 'bedrock'],
  // Vertex
  ['claude-3-5-sonnet-v2@20241022', '', 'pinned', 'vertex', { matched: 'entry' }],
  ['claude-sonnet-4@20250514', '', 'pinned', 'vertex'],
  ['claude-haiku-4-5@20251001', '', 'pinned', 'vertex'],
  ['claude-sonnet-4-5@default', '', 'unknown', 'vertex'],
  ['projects/my-proj/locations/us-central1/publishers/google/models/gemini-2.0-flash-001', '', 'pinned', 'vertex', { id: 'gemini-2.0-flash-001' }],
  ['publishers/anthropic/models/claude-3-5-haiku@20241022', '', 'pinned', 'vertex'],
  ['gemini-1.5-pro', 'vertex', 'floating', 'vertex', { pointsTo: 'gemini-1.5-pro-002' }],
  ['gemini-1.5-flash-002', 'vertex', 'pinned', 'vertex', { retires: '2025-09-24' }],
  // OpenAI
  ['gpt-4o', '', 'floating', 'openai', { pointsTo: 'gpt-4o-2024-08-06' }],
  ['gpt-4o-2024-08-06', '', 'pinned', 'openai'],
  ['gpt-4o-2024-11-20', '', 'pinned', 'openai'],
  ['gpt-4o-mini', '', 'floating', 'openai', { pointsTo: 'gpt-4o-mini-2024-07-18' }],
  ['gpt-4.1', '', 'floating', 'openai'],
  ['gpt-4.1-2025-04-14', '', 'pinned', 'openai'],
  ['gpt-4-0613', '', 'pinned', 'openai', { retires: '2026-10-23' }],
  ['gpt-3.5-turbo', '', 'floating', 'openai'],
  ['gpt-3.5-turbo-0125', '', 'pinned', 'openai'],
  ['gpt-4-32k-0314', '', 'pinned', 'openai'],
  ['chatgpt-4o-latest', '', 'floating', 'openai'],
  ['gpt-5.2-chat-latest', '', 'floating', 'openai'],
  ['gpt-4-turbo-preview', '', 'floating', 'openai'],
  ['gpt-4-0125-preview', '', 'preview', 'openai'],
  ['gpt-4.5-preview-2025-02-27', '', 'preview', 'openai'],
  ['gpt-4o-realtime-preview-2024-12-17', '', 'preview', 'openai', { matched: 'rule' }],
  ['o1', '', 'floating', 'openai'],
  ['o3-2025-04-16', '', 'pinned', 'openai', { retires: '2026-12-11' }],
  ['o4-mini', '', 'floating', 'openai'],
  ['gpt-5', '', 'floating', 'openai', { pointsTo: 'gpt-5-2025-08-07' }],
  ['gpt-5-mini-2025-08-07', '', 'pinned', 'openai'],
  ['gpt-5.6-sol', '', 'unknown', 'openai'],
  ['gpt-4o-2030-01-01', '', 'pinned', 'openai', { matched: 'rule' }],
  ['ft:gpt-4o-2024-08-06:my-org::abc123', '', 'pinned', 'openai', { matched: 'fine-tune' }],
  ['ft:gpt-3.5-turbo-0125:my-org:custom-suffix:id9', '', 'pinned', 'openai', { matched: 'fine-tune' }],
  ['openai/gpt-4o', '', 'floating', 'openai'],
  // Azure OpenAI
  ['gpt-4o@2024-11-20', 'azure-openai', 'pinned', 'azure-openai', { retires: '2026-06-05' }],
  ['gpt-4o@2024-08-06', '', 'pinned', 'azure-openai'],
  ['my-prod-deployment', 'azure-openai', 'unknown', 'azure-openai'],
  // Gemini API
  ['gemini-2.0-flash-001', '', 'pinned', 'gemini'],
  ['gemini-2.0-flash', '', 'floating', 'gemini', { pointsTo: 'gemini-2.0-flash-001' }],
  ['gemini-1.5-pro-002', '', 'pinned', 'gemini', { matched: 'rule' }],
  ['gemini-1.5-pro-latest', '', 'floating', 'gemini'],
  ['models/gemini-1.5-pro-latest', '', 'floating', 'gemini', { id: 'gemini-1.5-pro-latest' }],
  ['models/gemini-2.5-pro', '', 'pinned', 'gemini'],
  ['gemini-2.5-flash', '', 'pinned', 'gemini'],
  ['gemini-flash-latest', '', 'floating', 'gemini'],
  ['gemini-pro-latest', '', 'floating', 'gemini'],
  ['gemini-2.0-flash-exp', '', 'floating', 'gemini'],
  ['gemini-exp-1206', '', 'floating', 'gemini'],
  ['gemini-2.5-pro-preview-06-05', '', 'preview', 'gemini', { retires: '2025-12-02' }],
  ['gemini-2.5-flash-preview-09-2025', '', 'preview', 'gemini', { matched: 'rule' }],
  ['gemini-3.1-pro-preview', '', 'preview', 'gemini'],
  ['gemini-pro', '', 'floating', 'gemini'],
  // Mistral
  ['mistral-large-2411', '', 'pinned', 'mistral'],
  ['mistral-large-latest', '', 'floating', 'mistral', { pointsTo: 'mistral-medium-2508' }],
  ['codestral-2508', '', 'pinned', 'mistral', { matched: 'rule' }],
  ['open-mistral-nemo', '', 'floating', 'mistral'],
  ['ministral-8b-latest', '', 'floating', 'mistral'],
  // xAI / DeepSeek
  ['grok-4-0709', '', 'pinned', 'xai'],
  ['grok-4', '', 'floating', 'xai'],
  ['deepseek-chat', '', 'floating', 'deepseek'],
  // Simulator
  ['sim-chat-2026-01-15', '', 'pinned', 'simulator'],
  ['sim-chat-2026-11-25', '', 'pinned', 'simulator'],
  ['sim-chat-2026-12-10', '', 'pinned', 'simulator'],
  ['sim-chat-2026-12-03', '', 'pinned', 'simulator', { matched: 'entry' }],
  ['sim-chat-latest', '', 'floating', 'simulator', { pointsTo: 'sim-chat-2026-11-25' }],
  ['sim-mini-2026-03-01', '', 'pinned', 'simulator'],
  ['sim-mini-latest', '', 'floating', 'simulator', { pointsTo: 'sim-mini-2026-03-01' }],
  ['sim-chat-2025-06-01', '', 'pinned', 'simulator', { retires: '2026-06-01' }],
  ['sim-chat-2027-01-01', '', 'pinned', 'simulator', { matched: 'rule' }],
  ['sim-whatever', 'simulator', 'unknown', 'simulator'],
  // Unknowns
  ['llama3.1:8b', '', 'unknown', ''],
  ['totally-made-up', '', 'unknown', ''],
];

describe('catalog classify (table)', () => {
  it('covers 60+ ids', () => expect(ROWS.length).toBeGreaterThanOrEqual(60));
  it.each(ROWS)('%s (provider %s) -> %s', (id, provider, kind, family, extra) => {
    const c = catalog.classify(id, provider || undefined);
    expect(c.kind, c.reason).toBe(kind);
    expect(c.reason.length).toBeGreaterThan(5);
    if (family) expect(c.family).toBe(family);
    else expect(c.family).toBeNull();
    if (extra?.pointsTo) expect(c.pointsTo).toBe(extra.pointsTo);
    if (extra?.retires) expect(c.retires).toBe(extra.retires);
    if (extra?.id) expect(c.id).toBe(extra.id);
    if (extra?.matched) expect(c.matched).toBe(extra.matched);
  });
});

describe('classification details', () => {
  it('an alias resolves as of a given date (simulator alias move on 2026-11-25)', () => {
    expect(catalog.classify('sim-chat-latest', 'simulator', { at: '2026-11-23' }).pointsTo).toBe('sim-chat-2026-01-15');
    expect(catalog.classify('sim-chat-latest', 'simulator', { at: '2026-11-25' }).pointsTo).toBe('sim-chat-2026-11-25');
    expect(catalog.classify('sim-chat-latest', 'simulator', { at: '2026-12-10' }).pointsTo).toBe('sim-chat-2026-12-10');
  });
  it('a snapshot reports deprecation, retirement and replacement', () => {
    const c = catalog.classify('gpt-4o-2024-05-13');
    expect(c).toMatchObject({ kind: 'pinned', deprecated: '2026-04-22', retires: '2026-10-23', replacement: 'gpt-5.6-sol' });
    expect(c.source).toMatch(/^https:\/\//);
  });
  it('a fine-tune carries the classification of its base', () => {
    const c = catalog.classify('ft:gpt-4o-2024-08-06:my-org::abc123');
    expect(c.base?.id).toBe('gpt-4o-2024-08-06');
    expect(c.base?.kind).toBe('pinned');
  });
  it('Bedrock profiles explain the geo prefix and link the first-party model', () => {
    const c = catalog.classify('us.anthropic.claude-3-5-sonnet-20240620-v1:0');
    expect(c.notes.join(' ')).toMatch(/cross-Region inference profile/);
    expect(c.reason).toMatch(/anthropic\/claude-3-5-sonnet-20240620/);
  });
  it('an unknown provider name says so', () => {
    const c = catalog.classify('x', 'no-such-provider');
    expect(c.kind).toBe('unknown');
    expect(c.reason).toMatch(/neither a provider/);
  });
  it('uncertain and simulated facts are flagged', () => {
    expect(catalog.classify('gpt-4o').uncertain).toBe(true);
    expect(catalog.classify('sim-chat-2026-01-15').simulated).toBe(true);
  });
});
