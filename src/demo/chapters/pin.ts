import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chapter, check, cli, type DemoContext } from '../story-io.js';

/** A service written before models.yml: it names the floating alias right in its code. */
const LEGACY_SERVICE = `from openai import OpenAI

client = OpenAI(base_url="http://127.0.0.1:4010/v1")


def summarize(text: str) -> str:
    r = client.chat.completions.create(model="sim-chat-latest", messages=[{"role": "user", "content": text}])
    return r.choices[0].message.content
`;

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
  chapter(
    ctx,
    'What lint catches',
    'A file with a floating alias in production, a retired snapshot, a literal key and more:',
  );
  await cli(ctx, ['lint', '--config', 'broken.yml', '--today', '2026-11-23'], 1);

  chapter(
    ctx,
    'Day one for a team that floats',
    "Another team's file sends production to the alias. One command pins it to the snapshot the alias serves today:",
  );
  await cli(ctx, ['lint', '--config', 'day-one.yml', '--today', '2026-11-23'], 1);
  const pinned = await cli(ctx, ['pin', '--config', 'day-one.yml', '--today', '2026-11-23'], 0);
  check(
    ctx,
    /sim-chat-latest -> sim\/sim-chat-2026-01-15/.test(pinned.stdout),
    'pin chose the snapshot behind the alias',
  );
  await cli(ctx, ['lint', '--config', 'day-one.yml', '--today', '2026-11-23'], 0);

  chapter(
    ctx,
    'What the code calls behind models.yml',
    'An older service names a model straight in its code. `scan` finds it with file:line and says what to call instead:',
  );
  mkdirSync(path.join(ctx.ws, 'legacy'), { recursive: true });
  writeFileSync(path.join(ctx.ws, 'legacy', 'summarize.py'), LEGACY_SERVICE);
  const scanned = await cli(ctx, ['scan', 'legacy', '--today', '2026-11-23', '--fix-hint'], 1);
  check(
    ctx,
    /legacy\/summarize\.py:7:\d+ +floating +sim-chat-latest/.test(scanned.stdout),
    'scan found the floating alias in the code, with file:line',
  );
  check(
    ctx,
    /call route "summarize"/.test(scanned.stdout),
    'scan names the route that already pins what the alias serves',
  );
}
