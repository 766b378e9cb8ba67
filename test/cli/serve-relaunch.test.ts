/**
 * `modelpin serve` runs its gateway in a child Node process with a larger young generation
 * (src/cli/relaunch.ts). The launcher must be invisible to whoever supervises it: signals reach the
 * gateway, its exit code comes back, and the gateway never outlives a killed launcher.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConfig } from '../support/gateway-harness.js';
import { startServe, type ServeProcess } from '../support/serve-process.js';
import { startSlowOpenAi, type SlowOpenAi } from '../support/slow-openai.js';

const ROOT = join(import.meta.dirname, '../..');

const CONFIG = `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }
store: { type: sqlite, path: usage.db }
`;

function cmdline(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
}

/** Child processes running `serve` (run from source, the launcher also has the TypeScript loader's helper). */
function gatewayChildren(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`)
    .flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(/\s+/))
    .filter(Boolean)
    .map(Number)
    .filter((kid) => cmdline(kid).includes('serve'));
}

function processGroup(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

function gatewayOf(serve: ServeProcess): number {
  const kids = gatewayChildren(serve.child.pid as number);
  expect(kids).toHaveLength(1);
  return kids[0] as number;
}

const exited = (serve: ServeProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => {
    if (serve.child.exitCode !== null || serve.child.signalCode !== null)
      r({ code: serve.child.exitCode, signal: serve.child.signalCode });
    else serve.child.once('exit', (code, signal) => r({ code, signal }));
  });

async function chat(url: string): Promise<number> {
  const r = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: 'hi' }] }),
  });
  await r.arrayBuffer();
  return r.status;
}

describe.skipIf(process.platform !== 'linux')('serve in a child process', () => {
  it('serves from a child started with the larger young generation; SIGTERM drains it and exits 0', async () => {
    const serve = await startServe(writeConfig(CONFIG), { args: ['--no-extensions'] });
    const gw = gatewayOf(serve);
    expect(cmdline(gw)).toContain('--max-semi-space-size=64');
    // Its own group: a terminal's Ctrl-C signals the launcher's group, and reaches the gateway once, forwarded.
    expect(processGroup(gw)).toBe(gw);
    expect(processGroup(gw)).not.toBe(processGroup(serve.child.pid as number));
    expect(await chat(serve.url)).toBe(200);
    expect(await serve.stop()).toBe(0);
    expect(alive(gw)).toBe(false);
  });

  it('SIGINT reaches the gateway once: it drains instead of dying on a second signal', async () => {
    const serve = await startServe(writeConfig(CONFIG), { args: ['--no-extensions', '--log-level', 'info'] });
    const done = exited(serve);
    serve.child.kill('SIGINT');
    expect(await done, serve.output()).toEqual({ code: 0, signal: null });
    expect(serve.output()).toContain('"signal":"SIGINT"');
    expect(serve.output()).toContain('gateway stopped; usage flushed');
  });

  it('a signal sent the moment serve says it listens is handled, in one process or two (8 starts each)', async () => {
    // The built CLI, signalled from the very callback that sees the line: the tightest a supervisor can be.
    const config = writeConfig(CONFIG);
    const bad: string[] = [];
    for (const env of [{}, { MODELPIN_RELAUNCH: '0' }])
      for (let i = 0; i < 8; i++) {
        const child = spawn(
          process.execPath,
          [join(ROOT, 'dist/cli/main.js'), 'serve', '--config', config, '--port', '0', '--no-watch', '--no-extensions'],
          { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] },
        );
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('listening on')) child.kill('SIGTERM');
        });
        const [code, signal] = await new Promise<[number | null, string | null]>((r) =>
          child.once('exit', (c, sig) => r([c, sig])),
        );
        if (code !== 0) bad.push(`${JSON.stringify(env)}: code ${code}, signal ${signal}`);
      }
    expect(bad).toEqual([]);
  }, 60_000);

  describe('with a request in flight', () => {
    // Answers after a second and a half: the drain has to wait for it.
    let upstream: SlowOpenAi;
    beforeAll(async () => {
      upstream = await startSlowOpenAi(() => 1500);
    });
    afterAll(() => upstream.close());

    const slowConfig = (): string =>
      writeConfig(`providers:
  up: { type: openai, base_url: "${upstream.url}/v1", api_key: test-key }
routes:
  summarize: { targets: { production: up/gpt-4o-2024-11-20 } }
store: { type: sqlite, path: usage.db }
`);

    /** A gateway with one slow request in flight, once the upstream has it. */
    async function busy(): Promise<{ serve: ServeProcess; answer: Promise<number | null> }> {
      const serve = await startServe(slowConfig(), { args: ['--no-extensions', '--log-level', 'info'] });
      const before = upstream.hits();
      const answer = chat(serve.url).catch(() => null);
      expect(await until(() => upstream.hits() > before, 10_000)).toBe(true);
      return { serve, answer };
    }

    it('a SIGTERM to the gateway and then to its launcher (systemd signals the whole cgroup) still drains', async () => {
      const { serve, answer } = await busy();
      const done = exited(serve);
      process.kill(gatewayOf(serve), 'SIGTERM');
      expect(await until(() => serve.output().includes('shutting down'), 10_000)).toBe(true);
      serve.child.kill('SIGTERM');
      expect(await done, serve.output()).toEqual({ code: 0, signal: null });
      expect(await answer).toBe(200);
    });

    it('a second SIGINT to the launcher stops the gateway at once, as it would a single process', async () => {
      const { serve, answer } = await busy();
      const gw = gatewayOf(serve);
      const done = exited(serve);
      serve.child.kill('SIGINT');
      expect(await until(() => serve.output().includes('shutting down'), 10_000)).toBe(true);
      serve.child.kill('SIGINT');
      expect(await done).toEqual({ code: null, signal: 'SIGINT' });
      expect(await until(() => !alive(gw), 10_000)).toBe(true);
      expect(await answer).toBeNull();
    });
  });

  it('SIGHUP reaches the gateway and reloads models.yml', async () => {
    const config = writeConfig(CONFIG);
    const serve = await startServe(config, { args: ['--no-extensions', '--log-level', 'info'] });
    writeFileSync(config, CONFIG.replace('sim-chat-2026-01-15', 'sim-mini-2026-03-01'));
    serve.child.kill('SIGHUP');
    expect(await until(() => serve.output().includes('config reloaded'), 20_000), serve.output()).toBe(true);
    const r = await fetch(`${serve.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(r.headers.get('x-modelpin-served-model')).toBe('sim-mini-2026-03-01');
    await r.arrayBuffer();
    expect(await serve.stop()).toBe(0);
  });

  it('a gateway whose launcher is SIGKILLed drains and exits on its own', async () => {
    const serve = await startServe(writeConfig(CONFIG), { args: ['--no-extensions'] });
    const gw = gatewayOf(serve);
    serve.child.kill('SIGKILL');
    expect(await until(() => !alive(gw), 10_000)).toBe(true);
  });

  it('a gateway killed by a signal ends its launcher with the same signal', async () => {
    const serve = await startServe(writeConfig(CONFIG), { args: ['--no-extensions'] });
    const done = exited(serve);
    process.kill(gatewayOf(serve), 'SIGKILL');
    expect(await done).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it("the gateway's exit code comes back: an invalid models.yml exits 2 with one error", async () => {
    const config = writeConfig('routes:\n  summarize: { targets: { production: nope/zzz } }\n');
    const err = await startServe(config).then(
      () => new Error('started'),
      (e: unknown) => e as Error,
    );
    expect(err.message).toContain('serve exited early with 2');
    expect(err.message.match(/error /g)).toHaveLength(1);
  });

  it('a child that cannot be started: serve says why and serves in its own process', async () => {
    // The launcher spawns process.execPath: a preload points it at a file that does not exist, so the
    // spawn itself fails (ENOENT), as it would with the Node binary removed under a running install.
    const dir = mkdtempSync(join(tmpdir(), 'modelpin-no-node-'));
    const preload = join(dir, 'no-node.mjs');
    writeFileSync(preload, `process.execPath = ${JSON.stringify(join(dir, 'no-such-node'))};\n`);
    try {
      const serve = await startServe(writeConfig(CONFIG), {
        args: ['--no-extensions'],
        env: { ...process.env, NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` },
      });
      expect(serve.stderr()).toMatch(
        /could not start the gateway's own Node process \(.*ENOENT.*\); serving in this one/,
      );
      expect(gatewayChildren(serve.child.pid as number)).toEqual([]);
      expect(await chat(serve.url)).toBe(200);
      expect(await serve.stop()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The two ways docs/gateway.md gives to keep one process, as written there.
  const oneProcess = readFileSync(join(ROOT, 'docs/gateway.md'), 'utf8')
    .split('\n')
    .map((l) => /^(\w+)=(\S+) modelpin serve --config models\.yml +# one process/.exec(l))
    .filter((m) => m !== null)
    .map((m) => [`${m[1]}=${m[2]}`, { [m[1] as string]: m[2] as string }] as const);

  it('docs/gateway.md shows both ways to keep one process', () => {
    expect(oneProcess.map(([l]) => l)).toEqual(['MODELPIN_RELAUNCH=0', 'NODE_OPTIONS=--max-semi-space-size=16']);
  });

  it.each(oneProcess)('keeps one process with %s', async (_label, env) => {
    const serve = await startServe(writeConfig(CONFIG), {
      args: ['--no-extensions'],
      env: { ...process.env, ...env },
    });
    expect(gatewayChildren(serve.child.pid as number)).toEqual([]);
    expect(await chat(serve.url)).toBe(200);
    expect(await serve.stop()).toBe(0);
  });
});
