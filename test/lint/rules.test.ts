import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { formatReport } from '../../src/lint/format.js';
import { lintConfig, lintExitCode, RULES, type Finding, type RuleId } from '../../src/lint/lint.js';

const TODAY = '2026-11-29';
const root = join(import.meta.dirname, '..', '..');
const SIM = 'providers:\n  sim: { type: simulator, scenario: default }\n';

function lint(text: string, opts: { env?: string; envVars?: Record<string, string>; today?: string } = {}): Finding[] {
  const loaded = parseConfig(text, 'models.yml', { env: opts.envVars ?? {}, checkProviders: false });
  const catalog = loadCatalog({ file: loaded.file });
  return lintConfig(loaded, catalog, {
    env: opts.env ?? 'production',
    today: opts.today ?? TODAY,
    envVars: opts.envVars ?? {},
  });
}
const rules = (f: Finding[]): RuleId[] => f.map((x) => x.rule);
const route = (body: string): string => `${SIM}routes:\n  r:\n${body}`;
const only = (f: Finding[], rule: RuleId): Finding[] => f.filter((x) => x.rule === rule);

describe('lint rules (today = 2026-11-29)', () => {
  it('a pinned, validated route is clean', () => {
    expect(
      lint(route('    targets: { production: sim/sim-chat-2026-01-15 }\n    last_validated: 2026-11-20\n')),
    ).toEqual([]);
  });
  it('floating-in-production: target and fallback, with line numbers', () => {
    const f = lint(
      route(
        '    targets:\n      production: sim/sim-chat-latest\n    fallback: [sim/sim-mini-latest]\n    last_validated: 2026-11-20\n',
      ),
    );
    const hits = only(f, 'floating-in-production');
    expect(hits).toHaveLength(2);
    expect(hits[0]).toMatchObject({
      severity: 'error',
      route: 'r',
      line: 6,
      col: 7,
      path: ['routes', 'r', 'targets', 'production'],
    });
    expect(hits[0]?.message).toMatch(/points to sim-chat-2026-11-25/);
    expect(hits[1]).toMatchObject({ line: 7, path: ['routes', 'r', 'fallback', 0] });
  });
  it('float-allowed with a reason lifts the floating error but is listed', () => {
    const f = lint(
      route(
        '    policy: float-allowed\n    reason: creative text\n    targets: { production: sim/sim-chat-latest }\n    last_validated: 2026-11-20\n',
      ),
    );
    expect(rules(f)).toEqual(['float-allowed']);
    expect(f[0]?.severity).toBe('warning');
  });
  it('float-allowed-without-reason is an error and the float stays an error', () => {
    const f = lint(
      route(
        '    policy: float-allowed\n    targets: { production: sim/sim-chat-latest }\n    last_validated: 2026-11-20\n',
      ),
    );
    expect(rules(f).sort()).toEqual(['float-allowed-without-reason', 'floating-in-production']);
  });
  it('floating in staging is fine for lint --env production, an error for --env staging', () => {
    const text = route(
      '    targets: { production: sim/sim-chat-2026-01-15, staging: sim/sim-chat-latest }\n    last_validated: 2026-11-20\n',
    );
    expect(lint(text)).toEqual([]);
    expect(rules(lint(text, { env: 'staging' }))).toEqual(['floating-in-production']);
  });
  it('unknown-model unless declared in the catalog section', () => {
    expect(
      rules(lint(route('    targets: { production: sim/sim-private-v1 }\n    last_validated: 2026-11-20\n'))),
    ).toEqual(['unknown-model']);
    const declared = route(
      '    targets: { production: sim/sim-private-v1 }\n    last_validated: 2026-11-20\ncatalog:\n  models:\n    - { provider: sim, id: sim-private-v1, kind: snapshot }\n',
    );
    expect(lint(declared)).toEqual([]);
  });
  it('retired-model in any env, including an alias pointing at a retired snapshot', () => {
    const f = lint(
      route(
        '    targets: { production: sim/sim-chat-2026-01-15, staging: sim/sim-chat-2025-06-01 }\n    last_validated: 2026-11-20\n',
      ),
    );
    expect(rules(f)).toEqual(['retired-model']);
    expect(f[0]?.message).toMatch(/retired on 2026-06-01.*replacement: sim-chat-2026-01-15/);
    const alias = lint(
      route(
        '    targets: { production: sim/sim-chat-2026-01-15, staging: sim/sim-old-latest }\n    last_validated: 2026-11-20\ncatalog:\n  models:\n    - { provider: sim, id: sim-old-latest, kind: alias, points_to: sim-chat-2025-06-01 }\n',
      ),
    );
    expect(only(alias, 'retired-model')[0]?.message).toMatch(/alias sim-old-latest points to sim-chat-2025-06-01/);
    const shutAlias = lint(
      `${SIM}  openai: { type: openai, api_key: "\${K}" }\nroutes:\n  r:\n    targets: { production: sim/sim-chat-2026-01-15, staging: openai/gpt-4-turbo }\n    last_validated: 2026-11-20\n`,
    );
    expect(only(shutAlias, 'retired-model')[0]?.message).toMatch(/openai\/gpt-4-turbo is retired on 2026-10-23/);
  });
  it('undefined-provider with a did-you-mean', () => {
    const f = lint(route('    targets: { production: sin/sim-chat-2026-01-15 }\n    last_validated: 2026-11-20\n'));
    expect(rules(f)).toEqual(['undefined-provider']);
    expect(f[0]?.message).toMatch(/did you mean "sim"/);
  });
  it('duplicate-route and duplicate-key are findings on the repeated line', () => {
    const text = `${SIM}  sim: { type: simulator }\nroutes:\n  r:\n    targets: { production: sim/sim-chat-2026-01-15 }\n    last_validated: 2026-11-20\n  r:\n    targets: { production: sim/sim-chat-2026-01-15 }\n    last_validated: 2026-11-20\n`;
    const f = lint(text);
    expect(only(f, 'duplicate-key')[0]).toMatchObject({ line: 3, col: 3, severity: 'error' });
    expect(only(f, 'duplicate-route')[0]).toMatchObject({ line: 8, col: 3, route: 'r' });
  });
  it('literal-secret for api keys, auth headers, client keys and the admin token; ${VAR} is fine', () => {
    const text = [
      'providers:',
      '  a: { type: openai, api_key: sk-live-LITERAL1 }',
      '  b: { type: openai, api_key: "${OK_KEY}" }',
      '  c: { type: openai, api_key: "${K:-sk-live-LITERAL2}" }',
      '  d: { type: openai-compatible, base_url: "http://127.0.0.1:1/v1", headers: { Authorization: "Bearer LITERAL3", x-team: core } }',
      'routes: {}',
      'gateway:',
      '  auth: keys',
      '  admin_token: LITERAL4',
      '  keys: [{ id: ok, key: "${APP_KEY}" }, { id: app, key: LITERAL5 }]',
    ].join('\n');
    const f = lint(text);
    expect(only(f, 'unset-env-var').map((x) => x.path.join('.'))).toEqual(['gateway.keys.0.key']);
    expect(
      only(f, 'literal-secret')
        .map((x) => x.path.join('.'))
        .sort(),
    ).toEqual([
      'gateway.admin_token',
      'gateway.keys.1.key',
      'providers.a.api_key',
      'providers.c.api_key',
      'providers.d.headers.Authorization',
    ]);
    expect(JSON.stringify(f)).not.toMatch(/LITERAL\d/);
  });
  it('stale-validation after lint.max_validated_age_days; not-validated is info', () => {
    const text = route('    targets: { production: sim/sim-chat-2026-01-15 }\n    last_validated: 2026-10-01\n');
    expect(rules(lint(text))).toEqual(['stale-validation']);
    expect(lint(`${text}lint: { max_validated_age_days: 90 }\n`)).toEqual([]);
    const none = lint(route('    targets: { production: sim/sim-chat-2026-01-15 }\n'));
    expect(none.map((x) => [x.rule, x.severity])).toEqual([['not-validated', 'info']]);
    expect(lintExitCode(none, true)).toBe(0);
  });
  it('retiring-soon names the replacement; the window is configurable', () => {
    const text = `${SIM}  openai: { type: openai, api_key: "\${K}" }\nroutes:\n  r:\n    targets: { production: openai/gpt-5-2025-08-07 }\n    last_validated: 2026-11-20\n`;
    const f = lint(text, { envVars: { K: 'x' } });
    expect(rules(f)).toEqual(['retiring-soon']);
    expect(f[0]?.message).toMatch(/retires on 2026-12-11; replacement: gpt-6.1-sol/);
    expect(lint(text, { envVars: { K: 'x' }, today: '2026-08-01' }).map((x) => x.rule)).toEqual(['deprecated-model']);
    expect(lint(`${text}lint: { retiring_within_days: 5 }\n`, { envVars: { K: 'x' } }).map((x) => x.rule)).toEqual([
      'deprecated-model',
    ]);
  });
  it('deprecated-model names the replacement', () => {
    const text = route(
      '    targets: { production: sim/sim-old-2025-01-01 }\n    last_validated: 2026-11-20\ncatalog:\n  models:\n    - { provider: sim, id: sim-old-2025-01-01, kind: snapshot, deprecated: 2026-10-01, retires: 2027-09-01, replacement: sim-chat-2026-12-10 }\n',
    );
    const f = lint(text);
    expect(rules(f)).toEqual(['deprecated-model']);
    expect(f[0]?.message).toMatch(/deprecated since 2026-10-01, retires 2027-09-01; replacement: sim-chat-2026-12-10/);
  });
  it('a route floating on an alias whose target retired: retired-model names the alias, the snapshot and the date', () => {
    const text = `${SIM}  anthropic: { type: anthropic, api_key: "\${A}" }\nroutes:\n  r:\n    policy: float-allowed\n    reason: tracks the newest Sonnet\n    targets: { production: anthropic/claude-sonnet-4-5 }\n    last_validated: 2026-11-20\n`;
    const after = lint(text, { envVars: { A: 'x' }, today: '2026-12-03' });
    expect(only(after, 'retired-model')[0]?.message).toMatch(
      /anthropic\/claude-sonnet-4-5 is retired on 2026-11-30 \(alias claude-sonnet-4-5 points to claude-sonnet-4-5-20250929\).*replacement: claude-sonnet-5-5/,
    );
    const before = lint(text, { envVars: { A: 'x' }, today: '2026-11-20' });
    expect(rules(before)).not.toContain('retired-model');
    expect(only(before, 'retiring-soon')[0]?.message).toMatch(
      /claude-sonnet-4-5-20250929 \(behind alias claude-sonnet-4-5\) retires on 2026-11-30/,
    );
  });
  it('not-in-catalog: a snapshot-shaped name the catalog does not know is a warning, not a clean pin', () => {
    const text = `${SIM}  openai: { type: openai, api_key: "\${K}" }\nroutes:\n  r:\n    targets: { production: openai/gpt-4o-2024-12-01 }\n    last_validated: 2026-11-20\n`;
    const f = lint(text, { envVars: { K: 'x' } });
    expect(f.map((x) => [x.rule, x.severity])).toEqual([['not-in-catalog', 'warning']]);
    expect(f[0]?.message).toMatch(/not in the catalog: shape only/);
    expect(
      lint(text.replace('2024-12-01', '2024-11-20'), { envVars: { K: 'x' }, today: '2026-08-01' }).map((x) => x.rule),
    ).toEqual(['deprecated-model']);
  });
  it('preview-in-production is a warning', () => {
    const f = lint(
      `${SIM}  g: { type: gemini, api_key: "\${G}" }\nroutes:\n  r:\n    targets: { production: g/gemini-3.1-pro-preview }\n    last_validated: 2026-11-20\n`,
      { envVars: { G: 'x' } },
    );
    expect(f.map((x) => [x.rule, x.severity])).toEqual([['preview-in-production', 'warning']]);
  });
  it('staging-equals-production', () => {
    expect(
      rules(
        lint(
          route(
            '    targets: { production: sim/sim-chat-2026-01-15, staging: { provider: sim, model: sim-chat-2026-01-15 } }\n    last_validated: 2026-11-20\n',
          ),
        ),
      ),
    ).toEqual(['staging-equals-production']);
  });
  it('unset-env-var only for providers the linted env uses', () => {
    const text = `${SIM}  claude: { type: anthropic, api_key: "\${ANTH_KEY_X}" }\n  unused: { type: openai, api_key: "\${UNUSED_KEY}" }\nroutes:\n  r:\n    targets: { production: claude/claude-sonnet-4-6, staging: unused/gpt-4o-2024-11-20 }\n    last_validated: 2026-11-20\n`;
    const f = lint(text);
    expect(rules(f)).toEqual(['unset-env-var']);
    expect(f[0]?.message).toMatch(/ANTH_KEY_X is not set/);
    expect(lint(text, { envVars: { ANTH_KEY_X: 'sk-set' } })).toEqual([]);
  });
  it('missing-env-target suggests the misspelt env', () => {
    const f = lint(route('    targets: { prodution: sim/sim-chat-2026-01-15 }\n    last_validated: 2026-11-20\n'));
    expect(rules(f)).toEqual(['missing-env-target']);
    expect(f[0]?.message).toMatch(/did you mean to name "prodution" production/);
  });
  it('env-override shows the source; invalid-env-override is an error; the override is what gets linted', () => {
    const text = route('    targets: { production: sim/sim-chat-2026-01-15 }\n    last_validated: 2026-11-20\n');
    const f = lint(text, { envVars: { MODELPIN_R_PRODUCTION: 'sim/sim-chat-latest' } });
    expect(rules(f).sort()).toEqual(['env-override', 'floating-in-production']);
    expect(only(f, 'floating-in-production')[0]?.message).toMatch(/from env var MODELPIN_R_PRODUCTION/);
    expect(rules(lint(text, { envVars: { MODELPIN_R_PRODUCTION: 'garbage' } }))).toEqual(['invalid-env-override']);
  });
  it('provider-inferred notes for the plain shape', () => {
    const f = lint('models:\n  r:\n    production: sim-chat-2026-01-15\n    last_validated: 2026-11-20\n');
    expect(rules(f).every((r) => r === 'provider-inferred')).toBe(true);
    expect(f.some((x) => x.line === 3)).toBe(true);
  });
  it('every rule has a registry entry with a severity and description', () => {
    for (const [id, meta] of Object.entries(RULES)) {
      expect(['error', 'warning', 'info']).toContain(meta.severity);
      expect(meta.description.length, id).toBeGreaterThan(10);
    }
  });
});

describe('shipped examples', () => {
  const load = (f: string, envVars: Record<string, string> = {}) => {
    const loaded = loadConfig(join(root, 'examples', f), { env: envVars, checkProviders: false });
    return lintConfig(loaded, loadCatalog({ file: loaded.file, baseDir: loaded.baseDir }), {
      env: 'production',
      today: TODAY,
      envVars,
    });
  };
  it('examples/models.yml lints clean with no keys set', () => {
    expect(load('models.yml')).toEqual([]);
  });
  it('examples/broken.yml triggers every rule (env rules via env vars, provider-inferred via the plain example)', () => {
    const envVars = { MODELPIN_SUMMARIZE_PRODUCTION: 'sim/sim-chat-latest', MODELPIN_CHEAP_PRODUCTION: 'nonsense' };
    const fired = new Set([
      ...load('broken.yml', envVars).map((f) => f.rule),
      ...load('plain-models.yml').map((f) => f.rule),
    ]);
    expect([...Object.keys(RULES)].filter((r) => !fired.has(r as RuleId))).toEqual([]);
  });
  it('broken.yml never prints its literal secrets', () => {
    const loaded = loadConfig(join(root, 'examples', 'broken.yml'), { env: {}, checkProviders: false });
    const f = lintConfig(loaded, loadCatalog({ file: loaded.file }), { env: 'production', today: TODAY, envVars: {} });
    const all = ['text', 'json', 'github']
      .map((fmt) =>
        formatReport(
          { file: 'examples/broken.yml', env: 'production', today: TODAY, catalogAsOf: '2026-11-26', findings: f },
          fmt as 'text',
        ),
      )
      .join('\n');
    const text = readFileSync(join(root, 'examples', 'broken.yml'), 'utf8');
    expect(text).toContain('AIzaSyD-this-is-a-literal-key-0000');
    expect(all).not.toContain('AIzaSyD-this-is-a-literal-key-0000');
    expect(all).not.toContain('let-me-in-please');
  });
});

describe('output formats', () => {
  const f = lint(route('    targets: { production: sim/sim-chat-latest }\n    last_validated: 2026-01-01\n'));
  const report = { file: 'models.yml', env: 'production', today: TODAY, catalogAsOf: '2026-11-26', findings: f };
  it('github annotations carry file, real line and col, and escape data', () => {
    const out = formatReport(report, 'github').split('\n');
    expect(out[0]).toMatch(
      /^::error file=models\.yml,line=5,col=16,title=modelpin floating-in-production::routes\.r: production target/,
    );
    expect(out[1]).toMatch(/^::warning file=models\.yml,line=6,col=5,title=modelpin stale-validation::/);
    expect(formatReport({ ...report, findings: [{ ...f[0]!, message: 'a%b\nc' }] }, 'github')).toContain('::a%25b%0Ac');
  });
  it('json has findings and a summary; exit codes follow severity and --strict', () => {
    const j = JSON.parse(formatReport(report, 'json'));
    expect(j.summary).toEqual({ errors: 1, warnings: 1, infos: 0 });
    expect(j.findings[0]).toMatchObject({ rule: 'floating-in-production', line: 5 });
    expect(lintExitCode(f, false)).toBe(1);
    const warnOnly = f.filter((x) => x.severity === 'warning');
    expect(lintExitCode(warnOnly, false)).toBe(0);
    expect(lintExitCode(warnOnly, true)).toBe(1);
  });
});
