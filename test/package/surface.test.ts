import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The public surface, as a user imports it: the built package through its package.json "exports".
// A name added here or taken away is a decision (docs/library.md), not a side effect of moving a file.
const root = path.resolve(import.meta.dirname, '..', '..');

const SURFACE: Record<string, string[]> = {
  modelpin: [
    'ConfigError',
    'ModelpinError',
    'ProviderError',
    'RequestError',
    'StoreError',
    'UnsupportedError',
    'UsageError',
    'UsageWriter',
    'armStats',
    'capabilitiesOf',
    'checkCatalogData',
    'computeStreaks',
    'costUsd',
    'createClient',
    'createDashboardHandler',
    'createDashboardServer',
    'createGateway',
    'defaultExtensions',
    'defineSuite',
    'deriveLifecycle',
    'evaluateCanary',
    'isModelpinError',
    'lintConfig',
    'loadCatalog',
    'loadConfig',
    'openStore',
    'parseInterval',
    'planOutdated',
    'providerSettings',
    'resolveRoute',
    'responseText',
    'snapshotStreak',
    'summarizeUsage',
    'usageSeries',
  ],
  'modelpin/wire': [
    'assembleStream',
    'checkRequestFields',
    'clientCodecs',
    'codecs',
    'createSseParser',
    'formatSse',
    'responseText',
    'responseToEvents',
  ],
  'modelpin/providers': ['createProviderClient'],
  'modelpin/sim': ['createSimulatorProvider', 'startSimulatorServer'],
};

describe('the public surface', () => {
  it('the package exports exactly these entry points', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    expect(Object.keys(pkg.exports).sort()).toEqual(['.', './providers', './schema.json', './sim', './wire']);
  });

  it.each(Object.keys(SURFACE))('%s exports exactly its listed names', async (entry) => {
    const mod = (await import(entry)) as Record<string, unknown>;
    expect(Object.keys(mod).sort()).toEqual(SURFACE[entry]);
  });

  it('closes paths inside the package', async () => {
    const deep: string = 'modelpin/dist/index.js';
    await expect(import(deep)).rejects.toThrow();
  });

  it('exports no mutable registry', async () => {
    const wire = (await import('modelpin/wire')) as { codecs: object; clientCodecs: Record<string, object> };
    expect(Object.isFrozen(wire.codecs)).toBe(true);
    expect(Object.isFrozen(wire.clientCodecs)).toBe(true);
    for (const codec of Object.values(wire.clientCodecs)) expect(Object.isFrozen(codec)).toBe(true);
  });

  it('docs/library.md names every runtime export of each entry point', () => {
    const page = readFileSync(path.join(root, 'docs', 'library.md'), 'utf8');
    for (const names of Object.values(SURFACE)) for (const name of names) expect(page, name).toContain(`\`${name}\``);
  });
});

/** Every fenced ts/js block in README.md and docs/ that imports from the package, with the code files in examples/ that do. */
function documentedSnippets(): Array<{ name: string; body: string }> {
  const out: Array<{ name: string; body: string }> = [];
  const pages = [
    'README.md',
    ...readdirSync(path.join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  for (const page of pages) {
    const text = readFileSync(path.join(root, page), 'utf8');
    for (const m of text.matchAll(/```(?:ts|js)\n([\s\S]*?)```/g)) {
      const body = m[1] ?? '';
      if (/from 'modelpin(\/[a-z]+)?'/.test(body))
        out.push({ name: `${page}:${text.slice(0, m.index).split('\n').length}`, body });
    }
  }
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
    );
  for (const file of walk(path.join(root, 'examples')).filter((f) => /\.(ts|mts|js|mjs)$/.test(f))) {
    const body = readFileSync(file, 'utf8');
    if (/from 'modelpin(\/[a-z]+)?'/.test(body)) out.push({ name: path.relative(root, file), body });
  }
  return out;
}

// Placeholders the snippets leave to the reader, declared with the types a reader would have.
const PLACEHOLDERS: Record<string, string> = {
  record: 'CanaryRecord',
  stableUsage: 'UsageRecord[]',
  canaryUsage: 'UsageRecord[]',
  request: 'CanonicalRequest',
  clock: 'Clock',
  body: 'unknown',
  text: 'string',
  file: 'ModelsFile',
  write: '(chunk: string) => void',
};

describe('the documented snippets', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'modelpin-snippets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('compile against the built type declarations', () => {
    const snippets = documentedSnippets();
    // The README's in-process snippet, the library pages of config, catalog, store, dashboard, gateway,
    // evals, lifecycle, wire and simulator, and the TypeScript example suite.
    expect(snippets.length).toBeGreaterThanOrEqual(13);
    // A user's app: the package installed under node_modules, resolved through its "exports".
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(root, path.join(dir, 'node_modules', 'modelpin'), 'dir');
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', type: 'module', private: true }));
    const files: string[] = [];
    snippets.forEach(({ name, body }, i) => {
      const declared = new Set(
        [...body.matchAll(/\b(?:const|let|function|import)\s+\{?\s*([\w\s,]+)/g)].flatMap((m) =>
          (m[1] ?? '').split(/[\s,]+/),
        ),
      );
      const prelude = Object.entries(PLACEHOLDERS)
        .filter(([id]) => new RegExp(`\\b${id}\\b`).test(body.replace(/\/\/.*$/gm, '')) && !declared.has(id))
        .map(([id, type]) => `declare const ${id}: ${type.replace(/\b([A-Z]\w+)\b/g, '__modelpin.$1')};`);
      const file = `snippet-${i}.mts`;
      files.push(file);
      writeFileSync(
        path.join(dir, file),
        [`// ${name}`, "import type * as __modelpin from 'modelpin';", ...prelude, body, 'export {};'].join('\n'),
      );
    });
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [path.join(root, 'node_modules', '@types')],
        },
        files,
      }),
    );
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8' });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    const named = output.replace(/snippet-(\d+)\.mts/g, (_, i: string) => snippets[Number(i)]?.name ?? _);
    expect(named).toBe('');
  }, 120_000);
});
