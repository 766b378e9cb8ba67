import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerDashboard, startDashboard, type DashboardCliOptions } from '../../src/cli/commands/dashboard.js';
import { ManualClock } from '../../src/core/clock.js';
import type { CliIo } from '../../src/store/cli-io.js';
import { openStore } from '../../src/store/open.js';
import { NOW, seed } from './seed.js';

const dir = join(tmpdir(), `modelpin-dashboard-cli-${process.pid}`);

function io(env: Record<string, string> = {}): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (t) => lines.push(t), clock: new ManualClock(NOW), cwd: dir, env: { NO_COLOR: '1', ...env } };
}

const base: DashboardCliOptions = { port: '0', host: '127.0.0.1', since: '24h' };

beforeAll(async () => {
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'models.yml'), 'version: 1\nstore:\n  type: sqlite\n  path: data/mp.db\n');
  const store = await openStore({ type: 'sqlite', path: 'data/mp.db' }, { baseDir: dir });
  await seed(store);
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run `modelpin dashboard ...` for flags that fail before serving; returns exit code and stderr. */
async function runFailing(args: string[], env: Record<string, string> = {}): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const program = new Command().exitOverride().configureOutput({ writeOut: () => {}, writeErr: (s) => err.push(s) });
  registerDashboard(program, () => io(env));
  const spy = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void err.push(a.map(String).join(' ')));
  try {
    process.exitCode = undefined;
    await program.parseAsync(['node', 'modelpin', 'dashboard', ...args]);
    return { code: typeof process.exitCode === 'number' ? process.exitCode : 0, err: err.join('\n') };
  } finally {
    spy.mockRestore();
    process.exitCode = undefined;
  }
}

describe('modelpin dashboard', () => {
  it('serves the store named in models.yml (relative path resolves against its directory)', async () => {
    const d = await startDashboard({ ...base, since: '7d' }, io());
    try {
      expect(d.where).toContain(join(dir, 'data/mp.db'));
      const body = (await (await fetch(new URL('/api/usage?by=route', d.url))).json()) as {
        window: string;
        rows: Array<{ key: string }>;
      };
      expect(body.window).toBe('7d');
      expect(body.rows.map((r) => r.key)).toEqual(['summarize', 'classify', 'old']);
    } finally {
      await d.close();
    }
  });

  it('--today replays a recorded day: windows and streaks end there', async () => {
    const d = await startDashboard({ ...base, since: '7d', today: '2026-11-21' }, io());
    try {
      const usage = (await (await fetch(new URL('/api/usage', d.url))).json()) as {
        now: string;
        rows: Array<{ key: string }>;
      };
      expect(usage.now).toBe('2026-11-21T12:00:00.000Z');
      // Only the route seeded three days before the 23rd is in a 7-day window ending on the 21st.
      expect(usage.rows.map((r) => r.key)).toEqual(['sim-chat-2025-06-01']);
      const history = (await (await fetch(new URL('/api/history', d.url))).json()) as {
        today: string;
        routes: Array<{ env: string; days: number }>;
      };
      expect(history.today).toBe('2026-11-21');
      expect(history.routes.find((r) => r.env === 'staging')?.days).toBe(2);
    } finally {
      await d.close();
    }
    expect((await runFailing(['--today', '2026-13-01'])).err).toContain('--today must be YYYY-MM-DD');
  });

  it('reads --store directly and requires the token from --admin-token-env', async () => {
    const d = await startDashboard(
      { ...base, store: join(dir, 'data/mp.db'), adminTokenEnv: 'DASH_TOKEN' },
      io({ DASH_TOKEN: 'tok-123' }),
    );
    try {
      expect((await fetch(new URL('/api/state', d.url))).status).toBe(401);
      expect((await fetch(new URL('/api/state?token=tok-123', d.url))).status).toBe(200);
    } finally {
      await d.close();
    }
  });

  it.each([
    [['--host', '0.0.0.0'], {}, /not loopback.*--admin-token-env/],
    [['--host', '0.0.0.0', '--admin-token-env', 'DASH_TOKEN'], {}, /DASH_TOKEN: that environment variable is not set/],
    [['--admin-token-env', 'not a name'], {}, /expects an environment variable name/],
    [['--port', 'eighty'], {}, /--port expects an integer/],
    [['--since', 'last week'], {}, /--since "last week" is not a duration/],
    [['--config', 'missing.yml'], {}, /missing\.yml/],
  ])('%j exits 2 with a clear message', async (args, env, message) => {
    const r = await runFailing(args, env);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('never prints the token value', async () => {
    const r = await runFailing(['--host', '0.0.0.0', '--admin-token-env', 'DASH_TOKEN', '--port', 'x'], {
      DASH_TOKEN: 'super-secret-token',
    });
    expect(r.code).toBe(2);
    expect(r.err).not.toContain('super-secret-token');
  });

  it('reports a port already in use', async () => {
    const first = await startDashboard(base, io());
    try {
      const port = new URL(first.url).port;
      const r = await runFailing(['--port', port]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await first.close();
    }
  });
});
