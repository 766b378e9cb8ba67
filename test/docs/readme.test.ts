import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// README.md is generated from docs/; a stale README would document behaviour the guides no longer describe.
describe('README.md', () => {
  it('is current with docs/ (regenerate with `npm run readme`)', () => {
    const res = spawnSync(process.execPath, ['scripts/build-readme.mjs', '--check'], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});
