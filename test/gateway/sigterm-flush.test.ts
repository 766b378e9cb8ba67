/** `modelpin serve` as a child process: SIGTERM drains and flushes every usage record. */
import { describe, expect, it } from 'vitest';
import { dirname, join } from 'node:path';
import { openStore } from '../../src/store/open.js';
import { writeConfig } from '../support/gateway-harness.js';
import { startServe } from '../support/serve-process.js';

describe('serve shutdown', () => {
  it('SIGTERM flushes exactly one usage record per request', async () => {
    const config = writeConfig(
      `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }
store: { type: sqlite, path: usage.db }
`,
    );
    const serve = await startServe(config, { args: ['--no-extensions'] });
    const url = serve.url;
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
    expect(await serve.stop()).toBe(0);
    const store = await openStore({ type: 'sqlite', path: join(dirname(config), 'usage.db') }, { mustExist: true });
    try {
      expect(await store.countUsage({ route: 'summarize' })).toBe(N);
    } finally {
      await store.close();
    }
  });
});
