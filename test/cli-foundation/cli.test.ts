import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runFoundation, type CliResult } from './harness.js';

const root = join(import.meta.dirname, '..', '..');
const example = join(root, 'examples', 'models.yml');
let dir: string;

beforeAll(() => {
  process.env.NO_COLOR = '1';
  dir = mkdtempSync(join(tmpdir(), 'mp-cli-'));
  writeFileSync(join(dir, 'empty.yml'), '');
  writeFileSync(join(dir, 'junk.yml'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  writeFileSync(join(dir, 'big.yml'), '');
  truncateSync(join(dir, 'big.yml'), 50 * 1024 * 1024);
  mkdirSync(join(dir, 'adir.yml'));
  writeFileSync(join(dir, 'syntax.yml'), 'routes:\n  a:\n    targets: { production: sim/x\n  b: [\n');
  writeFileSync(
    join(dir, 'typo.yml'),
    'providers:\n  sim: { type: simulator }\nroutes:\n  a:\n    targets: { production: sim/sim-chat-2026-01-15 }\n    fallbak: [sim/sim-mini-2026-03-01]\n',
  );
});

describe('bad input: one clear message, exit 2, no stack trace', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['missing file', 'nope.yml', /^error config file nope\.yml not found \(create one with `modelpin init`\)$/],
    ['directory', 'adir.yml', /^error config file adir\.yml is a directory, expected a YAML file$/],
    ['empty file', 'empty.yml', /^error empty\.yml is empty; run `modelpin init` for a starter models\.yml$/],
    ['50 MB file', 'big.yml', /^error config file big\.yml is 50\.0 MB; the limit is 5 MB$/],
    ['binary junk', 'junk.yml', /^error config file junk\.yml is binary, not YAML text$/],
  ];
  for (const cmd of [['lint'], ['resolve', 'summarize']]) {
    it.each(cases)(`${cmd[0]}: %s`, async (_name, file, re) => {
      const r = await runFoundation([...cmd, '--config', file], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
  }
  it('a YAML syntax error shows file:line:col and the offending line', async () => {
    const r = await runFoundation(['lint', '--config', 'syntax.yml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error syntax\.yml:\d+:\d+: YAML syntax error: /);
    expect(r.err).toMatch(/\n\s+\d+ \| .+\n\s+\| +\^/);
  });
  it('a schema error shows the path and a did-you-mean; github format also annotates it', async () => {
    const r = await runFoundation(['lint', '--config', 'typo.yml', '--format', 'github'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err).toBe('error typo.yml:6:5: routes.a.fallbak: unknown key "fallbak" — did you mean "fallback"?');
    expect(r.out).toMatch(/^::error file=typo\.yml,line=6,col=5,title=modelpin config::/);
  });
  it('bad flags exit 2', async () => {
    expect((await runFoundation(['lint', '--config', example, '--format', 'xml'])).code).toBe(2);
    expect((await runFoundation(['lint', '--config', example, '--today', '2026-13-45'])).err).toMatch(
      /--today must be a date/,
    );
    expect((await runFoundation(['catalog', 'list', '--retiring-within', 'soon'])).code).toBe(2);
    expect((await runFoundation(['catalog', 'classify', 'gpt-4o', '--provider', 'nope'])).err).toMatch(
      /unknown --provider "nope"/,
    );
  });
});

describe('lint command', () => {
  it('examples/models.yml is clean (exit 0) with no keys set', async () => {
    const r = await runFoundation(['lint', '--config', example, '--today', '2026-11-29', '--strict']);
    expect(r.out).toMatch(/no problems/);
    expect(r.code).toBe(0);
  });
  it('examples/broken.yml exits 1 with github annotations on real lines', async () => {
    const r = await runFoundation([
      'lint',
      '--config',
      join(root, 'examples', 'broken.yml'),
      '--today',
      '2026-11-29',
      '--format',
      'github',
    ]);
    expect(r.code).toBe(1);
    const text = readFileSync(join(root, 'examples', 'broken.yml'), 'utf8').split('\n');
    const ann = r.out.split('\n').filter((l) => l.startsWith('::error') && l.includes('duplicate-route'));
    expect(ann).toHaveLength(1);
    const line = Number(/line=(\d+)/.exec(ann[0] ?? '')?.[1]);
    expect(text[line - 1]).toMatch(/^ {2}summarize:/);
  });
  it('--today defaults to the injected clock', async () => {
    const stale = await runFoundation(['lint', '--config', example, '--format', 'json'], {
      now: '2027-03-01T00:00:00Z',
    });
    const j = JSON.parse(stale.out);
    expect(j.today).toBe('2027-03-01');
    expect(j.findings.map((f: { rule: string }) => f.rule)).toContain('stale-validation');
  });
});

describe('secrets are never printed', () => {
  const SECRET = 'sk-NEVER-PRINT-9f8e7d6c5b4a';
  const yml = `providers:
  sim: { type: simulator }
  openai: { type: openai, api_key: "\${OPENAI_API_KEY}", base_url: "\${OPENAI_BASE_URL}" }
routes:
  summarize:
    targets: { production: sim/sim-chat-2026-01-15, staging: openai/gpt-4o-2024-11-20 }
    fallback: [openai/gpt-4o-2024-11-20]
    last_validated: 2026-11-20
`;
  it('not in lint output (all formats), resolve --json, or errors', async () => {
    writeFileSync(join(dir, 'secret.yml'), yml);
    const env = { OPENAI_API_KEY: SECRET, OPENAI_BASE_URL: 'https://api.example.invalid/v1' };
    const outputs: string[] = [];
    for (const fmt of ['text', 'json', 'github']) {
      const r = await runFoundation(['lint', '--config', 'secret.yml', '--format', fmt, '--today', '2026-11-29'], {
        cwd: dir,
        env,
      });
      outputs.push(r.out, r.err);
    }
    const res = await runFoundation(['resolve', 'summarize', '--config', 'secret.yml', '--json', '--no-store'], {
      cwd: dir,
      env,
    });
    expect(res.code).toBe(0);
    outputs.push(res.out, res.err);
    const text = await runFoundation(
      ['resolve', 'summarize', '--config', 'secret.yml', '--env', 'staging', '--no-store'],
      { cwd: dir, env },
    );
    outputs.push(text.out, text.err);
    // An invalid URL built from a secret: the error names the field, never the value.
    const bad = await runFoundation(['lint', '--config', 'secret.yml'], {
      cwd: dir,
      env: { OPENAI_API_KEY: SECRET, OPENAI_BASE_URL: `not a url ${SECRET}` },
    });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/providers\.openai\.base_url/);
    outputs.push(bad.out, bad.err);
    const badRoute = await runFoundation(['resolve', 'nope', '--config', 'secret.yml', '--no-store'], {
      cwd: dir,
      env,
    });
    expect(badRoute.err).toMatch(/route "nope" is not defined in models\.yml \(routes: summarize\)/);
    outputs.push(badRoute.out, badRoute.err);
    expect(outputs.join('\n')).not.toContain(SECRET);
    expect(outputs.join('\n')).not.toContain('9f8e7d6c5b4a');
  });
});

describe('resolve command', () => {
  it('shows the pin, its source, fallback and env var names', async () => {
    const r = await runFoundation(['resolve', 'summarize', '--config', example, '--no-store']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^summarize \(production\) -> sim\/sim-chat-2026-01-15 {2}\[pinned\]/);
    expect(r.out).toMatch(/source: models\.yml routes\.summarize\.targets\.production/);
    expect(r.out).toMatch(/fallback 1: sim\/sim-mini-2026-03-01 \[pinned\]/);
    expect(r.out).toMatch(/MODELPIN_SUMMARIZE_PRODUCTION \(unset\)/);
  });
  it('reports an env-var override and what models.yml says', async () => {
    const r = await runFoundation(['resolve', 'summarize', '--config', example, '--json', '--no-store'], {
      env: { MODELPIN_SUMMARIZE_PRODUCTION: 'sim/sim-chat-2026-12-10' },
    });
    const j = JSON.parse(r.out);
    expect(j.source).toEqual({ kind: 'env-var', detail: 'env var MODELPIN_SUMMARIZE_PRODUCTION' });
    expect(j.target.model).toBe('sim-chat-2026-12-10');
    expect(j.configured.model).toBe('sim-chat-2026-01-15');
  });
  it('says when a provider was inferred (plain shape)', async () => {
    const r = await runFoundation([
      'resolve',
      'summarize',
      '--config',
      join(root, 'examples', 'plain-models.yml'),
      '--no-store',
    ]);
    expect(r.out).toMatch(/note: provider "sim" inferred from model id "sim-chat-2026-01-15" via the catalog/);
  });
  it('an unknown route exits 2', async () => {
    const r = await runFoundation(['resolve', 'nope', '--config', example, '--no-store']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/route "nope" is not defined.*summarize, embed, classify/);
  });
  it('an env-var override naming an undefined provider exits 2 and names the variable, without suggesting flags', async () => {
    const r = await runFoundation(['resolve', 'summarize', '--config', example, '--no-store'], {
      env: { MODELPIN_SUMMARIZE_PRODUCTION: 'nope/zzz' },
    });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(
      /env var MODELPIN_SUMMARIZE_PRODUCTION names nope\/zzz, which cannot be served: provider "nope" is not defined under providers:/,
    );
    expect(r.err).not.toMatch(/--provider/);
  });
  it('an env-var override naming a retired model exits 2', async () => {
    const r = await runFoundation(['resolve', 'summarize', '--config', example, '--no-store'], {
      env: { MODELPIN_SUMMARIZE_PRODUCTION: 'sim/sim-chat-2025-06-01' },
    });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/sim\/sim-chat-2025-06-01 has been retired since 2026-06-01/);
  });
});

describe('catalog commands', () => {
  it('classify --json has id, provider, kind, reason', async () => {
    const r = await runFoundation(['catalog', 'classify', 'models/gemini-1.5-pro-latest', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ id: 'gemini-1.5-pro-latest', provider: 'gemini', kind: 'floating' });
  });
  it('classify text for an alias shows the snapshot behind it and its retirement', async () => {
    const r = await runFoundation(['catalog', 'classify', 'gpt-4o']);
    expect(r.out).toMatch(/gpt-4o \(openai\): floating/);
    expect(r.out).toMatch(/points to: gpt-4o-2024-08-06 \(as of 2026-11-26\)/);
    expect(r.out).toMatch(/gpt-4o-2024-08-06 retires: 2027-01-14/);
  });
  it('list --retiring-within --json', async () => {
    const r = await runFoundation(['catalog', 'list', '--retiring-within', '90d', '--today', '2026-11-29', '--json']);
    const j = JSON.parse(r.out);
    expect(j.count).toBe(j.models.length);
    expect(j.models.map((m: { id: string }) => m.id)).toContain('o3-2025-04-16');
  });
  it('list --provider shows a table', async () => {
    const r = await runFoundation(['catalog', 'list', '--provider', 'simulator']);
    expect(r.out).toMatch(/PROVIDER\s+MODEL\s+KIND/);
    expect(r.out).toMatch(/simulator\s+sim-chat-latest\s+alias -> sim-chat-2026-01-15/);
  });
});

describe('init and schema', () => {
  it('init writes a starter that lints clean, and never overwrites without --force', async () => {
    const d = mkdtempSync(join(tmpdir(), 'mp-init-'));
    const first = await runFoundation(['init'], { cwd: d });
    expect(first.code).toBe(0);
    const written = readFileSync(join(d, 'models.yml'), 'utf8');
    expect(written).toMatch(/last_validated: 2026-11-29/);
    expect((await runFoundation(['lint'], { cwd: d })).code).toBe(0);
    writeFileSync(join(d, 'models.yml'), '# mine\n');
    const again = await runFoundation(['init'], { cwd: d });
    expect(again.code).toBe(2);
    expect(again.err).toBe('error models.yml already exists; not overwriting it (pass --force to replace it)');
    expect(readFileSync(join(d, 'models.yml'), 'utf8')).toBe('# mine\n');
    expect((await runFoundation(['init', '--force'], { cwd: d })).code).toBe(0);
    expect(readFileSync(join(d, 'models.yml'), 'utf8')).toBe(written);
    const sub = await runFoundation(['init', 'sub/custom.yml'], { cwd: d });
    expect(sub.code).toBe(0);
    expect(sub.out).toContain('npx modelpin lint --config sub/custom.yml');
    expect(readFileSync(join(d, 'sub', 'evals', 'starter.yml'), 'utf8')).toMatch(/^name: starter$/m);
  });
  it('init writes a starter suite the next README command runs: green on production, drift on staging, and says where the report went', async () => {
    const d = mkdtempSync(join(tmpdir(), 'mp-init-'));
    const init = await runFoundation(['init'], { cwd: d });
    expect(init.out).toContain('wrote evals/starter.yml');
    expect(init.out).toMatch(/add to \.gitignore:\n {2}\.modelpin\//);
    expect(readFileSync(join(d, 'models.yml'), 'utf8')).toContain(
      '# Full reference: node_modules/modelpin/docs/config.md.',
    );
    // eval is not in the in-process harness: run the built CLI as a user would.
    const cli = (args: string[]): CliResult => {
      const r = spawnSync(process.execPath, [join(root, 'dist', 'cli', 'main.js'), ...args, '--today', '2026-11-29'], {
        cwd: d,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
    };
    const prod = cli(['eval', 'evals/']);
    expect(prod.out).toMatch(/production: 3\/3 cases passed/);
    expect(prod.code).toBe(0);
    const cmp = cli(['eval', 'evals/', '--compare', 'production', 'staging', '--markdown', 'drift.md']);
    expect(cmp.out).toMatch(/^DRIFT: staging/m);
    expect(cmp.code).toBe(1);
    expect(cmp.err).toContain(`wrote markdown report: ${join(d, 'drift.md')}`);
    expect(readFileSync(join(d, 'drift.md'), 'utf8')).toMatch(/drift/i);
    // A user's own suite is never replaced without --force.
    writeFileSync(join(d, 'evals', 'starter.yml'), '# mine\n');
    expect((await runFoundation(['init', '--force'], { cwd: d })).code).toBe(0);
    expect(readFileSync(join(d, 'evals', 'starter.yml'), 'utf8')).toMatch(/^name: starter$/m);
  });
  it('schema prints the shipped JSON Schema', async () => {
    const r = await runFoundation(['schema']);
    expect(`${r.out}\n`).toBe(readFileSync(join(root, 'schema', 'models.schema.json'), 'utf8'));
  });
  it('every command has --help', async () => {
    for (const c of [['init'], ['lint'], ['resolve'], ['catalog', 'classify'], ['catalog', 'list'], ['schema']]) {
      const r = await runFoundation([...c, '--help']);
      expect(r.code, c.join(' ')).toBe(0);
      expect(r.out).toMatch(/Usage: modelpin/);
    }
  });
});
