import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chapter, check, cli, note, type DemoContext } from '../story-io.js';

/** Monday night the evals pass on both; Wednesday the alias moved and staging drifts. */
export async function evalsChapter(ctx: DemoContext): Promise<void> {
  chapter(
    ctx,
    'Monday night — nightly evals',
    'The same suites run against the pinned snapshot and the floating alias. Both pass.\nThey check JSON shape, values, enums, token ceilings, code, and meaning (embedding similarity through the pinned embed route).',
  );
  await cli(ctx, ['eval', 'evals', '--env', 'production', '--record', '--no-cache'], 0, {
    now: '2026-11-23T22:00:00Z',
  });
  await cli(ctx, ['eval', 'evals', '--env', 'staging', '--record', '--no-cache'], 0, { now: '2026-11-23T22:05:00Z' });

  chapter(
    ctx,
    'Wednesday 2026-11-25 — the alias moved',
    'Nobody changed the code. The provider pointed sim-chat-latest at a new snapshot overnight.\nThe staging run fails; the compare report names the drift.',
  );
  await cli(ctx, ['eval', 'evals', '--env', 'staging', '--record', '--no-cache'], 1, { now: '2026-11-25T22:00:00Z' });
  const res = await cli(
    ctx,
    ['eval', 'evals', '--compare', 'production', 'staging', '--repeat', '3', '--no-cache', '--markdown', 'drift.md'],
    1,
    { now: '2026-11-25T22:10:00Z' },
  );
  check(ctx, /drift|regress/i.test(res.stdout + res.stderr), 'the compare report calls it drift');
  const md = path.join(ctx.ws, 'drift.md');
  note(ctx, `Markdown report for the PR or the CI summary: ${md} (${safeSize(md)} bytes)`);
  await cli(ctx, ['history', '--today', '2026-11-25'], 0);
  chapter(
    ctx,
    'Promotion needs evidence',
    'Staging now serves sim-chat-2026-11-25; it has no passing streak, so promote refuses.',
  );
  await cli(ctx, ['promote', 'summarize', '--today', '2026-11-25'], 1);
}

function safeSize(file: string): number {
  try {
    return readFileSync(file).length;
  } catch {
    return 0;
  }
}
