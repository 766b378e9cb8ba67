import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A newcomer's first ten minutes: the packed package installed into an empty `npm init -y` app
// (CommonJS by default), then the README's "Use it in your project" section run top to bottom,
// every command and snippet exactly as printed. The only change is the gateway's port (a free one
// instead of 8787), so this test cannot collide with anything else listening.
const root = path.resolve(import.meta.dirname, '..', '..');

interface Block {
  lang: string;
  body: string;
}

/** The fenced code blocks of one README section, in order. */
function sectionBlocks(title: string): Block[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no section "${title}"`);
  const rest = readme.slice(start + title.length + 5);
  const section = rest.slice(0, rest.search(/\n## /) === -1 ? undefined : rest.search(/\n## /));
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1] ?? '', body: m[2] ?? '' }));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

const blocks = sectionBlocks('Use it in your project');
const shell = blocks.filter((b) => b.lang === 'sh');
const snippets = blocks.filter((b) => b.lang === 'js');

describe('the README, followed by a newcomer in an empty CommonJS app', () => {
  const app = mkdtempSync(path.join(os.tmpdir(), 'modelpin-newcomer-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  delete env.MODELPIN_KEY;
  delete env.CI;
  let port = 0;
  let gateway: ChildProcess | undefined;
  let gatewayLog = '';

  const sh = (cmd: string) => spawnSync('sh', ['-c', cmd], { cwd: app, env, encoding: 'utf8', timeout: 600_000 });

  beforeAll(async () => {
    port = await freePort();
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', app], { cwd: root, env, stdio: 'pipe' });
    execFileSync('npm', ['init', '-y'], { cwd: app, env, stdio: 'pipe' });
  }, 120_000);

  afterAll(() => {
    // The whole group: sh does not pass a signal on to npx, nor npx to the gateway it started.
    if (gateway?.pid !== undefined && gateway.exitCode === null) process.kill(-gateway.pid, 'SIGTERM');
    rmSync(app, { recursive: true, force: true });
  });

  it('has the steps this test runs', () => {
    expect(shell).toHaveLength(1);
    expect(snippets.length).toBeGreaterThanOrEqual(4);
    expect(JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')).type ?? 'commonjs').toBe('commonjs');
  });

  it('runs every command of the shell block as printed', async () => {
    const tarball = readdirSync(app).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const lines = (shell[0]?.body ?? '')
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter(Boolean);
    expect(lines[0]).toMatch(/^npm install modelpin /);
    for (const line of lines) {
      if (line.startsWith('npm install modelpin ')) {
        // The unpublished package under test stands in for the registry's.
        const r = sh(line.replace('npm install modelpin ', `npm install --prefer-offline ./${tarball} `));
        expect(r.status, r.stderr).toBe(0);
      } else if (/^npx modelpin serve /.test(line)) {
        gateway = spawn('sh', ['-c', line.replace('--port 8787', `--port ${port}`)], {
          cwd: app,
          env,
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        gateway.stdout?.on('data', (d: Buffer) => (gatewayLog += d.toString()));
        gateway.stderr?.on('data', (d: Buffer) => (gatewayLog += d.toString()));
        await waitForGateway(port, () => gatewayLog);
      } else {
        const r = sh(line);
        if (/ eval .*--compare production staging/.test(line)) {
          // The README says so: the starter's staging alias has moved, and the compare finds it.
          expect(r.stdout, r.stderr).toMatch(/^DRIFT: staging/m);
          expect(r.status).toBe(1);
          expect(readFileSync(path.join(app, 'drift.md'), 'utf8').length).toBeGreaterThan(0);
        } else {
          expect(r.status, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
        }
      }
    }
    expect(gateway).toBeDefined();
  }, 900_000);

  it.each(snippets.map((s, i) => [i + 1, s.body] as const))(
    'runs snippet %i as printed against the gateway',
    (i, body) => {
      const file = path.join(app, `snippet-${i}.mjs`);
      writeFileSync(file, body.replaceAll('127.0.0.1:8787', `127.0.0.1:${port}`));
      const r = spawnSync(process.execPath, [file], { cwd: app, env, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, `${r.stdout}\n${r.stderr}\n${gatewayLog}`).toBe(0);
      // Every snippet prints the snapshot that answered: the starter pins production to it.
      expect(r.stdout).toContain('sim-chat-2026-01-15');
      expect(r.stderr).not.toMatch(/Warning/);
    },
  );
});

async function waitForGateway(port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the gateway did not come up on ${port}:\n${log()}`);
}
