/** `modelpin serve` as a child process: SIGTERM drains and flushes every usage record. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { tempDir } from './helpers/setup.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('serve shutdown', () => {
  it('SIGTERM flushes exactly one usage record per request', async () => {
    const dir = tempDir();
    const config = join(dir, 'models.yml');
    writeFileSync(
      config,
      `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }
store: { type: sqlite, path: usage.db }
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve', '--config', config, '--port', '0', '--no-extensions', '--no-watch', '--log-level', 'warn'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((res, rej) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) res(m[1]);
      });
      child.once('exit', (code) => rej(new Error(`serve exited early with ${code}: ${stderr}`)));
    });
    const N = 25;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: `hello ${i}` }] }),
        }).then((r) => r.status),
      ),
    );
    expect(results.every((s) => s === 200)).toBe(true);
    const exit = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    const store = await openStore({ type: 'sqlite', path: join(dir, 'usage.db') }, { mustExist: true });
    try {
      expect(await store.countUsage({ route: 'summarize' })).toBe(N);
    } finally {
      await store.close();
    }
  });
});
