import { chapter, check, cli, type DemoContext } from '../story-io.js';

/** Monday: the feature ships with every production route pinned to a dated snapshot. */
export async function pinChapter(ctx: DemoContext): Promise<void> {
  chapter(
    ctx,
    'Monday 2026-11-23 — the feature ships, pinned',
    'models.yml says which model every route calls. Production is pinned to a dated snapshot;\nstaging follows the floating alias so nightly evals see what the provider is about to do.',
  );
  await cli(ctx, ['lint', '--today', '2026-11-23'], 0);
  await cli(ctx, ['resolve', 'summarize'], 0);
  await cli(ctx, ['catalog', 'classify', 'sim/sim-chat-latest'], 0, { now: '2026-11-23T09:00:00Z' });
  await cli(ctx, ['catalog', 'classify', 'anthropic/claude-sonnet-4-20250514'], 0);
  chapter(ctx, 'What lint catches', 'A file with a floating alias in production, a retired snapshot, a literal key and more:');
  await cli(ctx, ['lint', '--config', 'broken.yml', '--today', '2026-11-23'], 1);

  chapter(ctx, 'Day one for a team that floats', "Another team's file sends production to the alias. One command pins it to the snapshot the alias serves today:");
  await cli(ctx, ['lint', '--config', 'day-one.yml', '--today', '2026-11-23'], 1);
  const pinned = await cli(ctx, ['pin', '--config', 'day-one.yml', '--today', '2026-11-23'], 0);
  check(ctx, /sim-chat-latest -> sim\/sim-chat-2026-01-15/.test(pinned.stdout), 'pin chose the snapshot behind the alias');
  await cli(ctx, ['lint', '--config', 'day-one.yml', '--today', '2026-11-23'], 0);
}
