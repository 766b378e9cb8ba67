import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/story.js';

// The demo is the README's main job: it must play every chapter with the outcomes the story claims.
describe('modelpin demo', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'modelpin-demo-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('plays the whole story on the simulator with every step behaving as expected', async () => {
    const lines: string[] = [];
    const res = await runDemo({ dir, write: (l) => lines.push(l) });
    const out = lines.join('\n');
    expect(res.surprises, out).toEqual([]);
    expect(out).toMatch(/DRIFT/);
    expect(out).toContain('issue_refund.amount 49.99 → 4999.00');
    expect(out).toMatch(/refused/);
    expect(out).toMatch(/rolled[_ ]back/);
    // promote rewrote the pin and kept the comment on that line
    const models = readFileSync(path.join(dir, 'models.yml'), 'utf8');
    expect(models).toMatch(/production: sim\/sim-chat-2026-12-10 # a pinned, dated snapshot/);
    expect(models).toMatch(/previous: sim\/sim-chat-2026-01-15/);
  }, 300_000);
});
