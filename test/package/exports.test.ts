import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// What a user gets from `npm install modelpin`: the built entry (resolved through package.json
// "exports", as an app would) and the files the package ships.
describe('the published package', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'modelpin-pkg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('routes in-process through `import { createClient } from "modelpin"`', async () => {
    const config = path.join(dir, 'models.yml');
    writeFileSync(
      config,
      [
        'providers:',
        '  sim: { type: simulator, scenario: default, fast: true }',
        'routes:',
        '  summarize:',
        '    targets: { production: sim/sim-chat-2026-01-15, staging: sim/sim-chat-latest }',
        '    fallback: [sim/sim-mini-2026-03-01]',
        'store: { type: sqlite, path: ./state.db }',
      ].join('\n'),
    );
    const pkg = await import('modelpin');
    const client = await pkg.createClient({ config, env: 'production' });
    try {
      const res = await client.complete('summarize', {
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Contact Jane Doe at jane@example.com, as JSON' }] },
        ],
      });
      expect(res.servedModel).toBe('sim-chat-2026-01-15');
      expect(res.target).toBe('sim/sim-chat-2026-01-15');
      expect(JSON.parse(pkg.responseText(res))).toEqual({ name: 'Jane Doe', email: 'jane@example.com' });
    } finally {
      await client.close();
    }
  });

  it('exports the client-side codecs (with the Responses API) and the usage series', async () => {
    const pkg = await import('modelpin');
    const wire = await import('modelpin/wire');
    expect(Object.keys(wire.clientCodecs).sort()).toEqual(['anthropic', 'gemini', 'openai', 'openai-responses']);
    const req = wire.clientCodecs['openai-responses'].decodeRequest({ model: 'summarize', input: 'hi' });
    expect(req.messages[0]?.role).toBe('user');
    expect(pkg.parseInterval('1d')).toBe(86_400_000);
  });

  it('ships the schema, catalog, scenarios and examples that the CLI reads at run time', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: path.resolve(__dirname, '../..'),
      encoding: 'utf8',
    });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    for (const needed of [
      'dist/cli/main.js',
      'dist/index.js',
      'dist/index.d.ts',
      'schema/models.schema.json',
      'scenarios/default.yml',
      'catalog/simulator.json',
      'examples/models.yml',
    ]) {
      expect(files).toContain(needed);
    }
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('src/'))).toBe(false);
  });
});
