import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGateway } from '../../src/gateway/server.js';
import { silentLogger } from '../../src/core/logger.js';
import { tempDir } from '../support/gateway-harness.js';

const dir = tempDir();
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  expect(existsSync(dir)).toBe(false);
});

describe('startup checks', () => {
  it('refuses auth: none on a non-loopback address, as a usage error', async () => {
    const path = join(dir, 'models.yml');
    writeFileSync(
      path,
      'providers:\n  sim: { type: simulator }\nroutes:\n  r: { targets: { production: sim/sim-chat-2026-01-15 } }\n',
    );
    await expect(
      createGateway({
        configPath: path,
        env: 'production',
        host: '0.0.0.0',
        port: 0,
        logger: silentLogger,
        watch: false,
      }),
    ).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringMatching(/gateway.auth: none/),
    });
  });

  it('fails with a config error for a missing file', async () => {
    await expect(
      createGateway({
        configPath: join(dir, 'missing.yml'),
        env: 'production',
        port: 0,
        logger: silentLogger,
        watch: false,
      }),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/^config_/),
    });
  });
});
