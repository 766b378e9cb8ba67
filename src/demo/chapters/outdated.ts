import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { chapter, check, cli, type DemoContext } from '../story-io.js';

/**
 * A release day at the (simulated) provider: its models listing gains two snapshots and drops one.
 * `catalog refresh` records that; `outdated` turns it into a to-do list with an exit code.
 */
const RELEASES_YML = `# A second team's file, on a simulated provider that ships and retires snapshots on 2026-12-10
# (scenario "releases"). Everything here is SIMULATED.
providers:
  vendor: { type: simulator, scenario: releases, fast: true }
routes:
  answer:
    targets:
      production: vendor/sim-chat-2026-11-25   # about to be retired by the provider
      staging: vendor/sim-chat-latest
  label:
    targets:
      production: vendor/sim-mini-2026-03-01
store: { type: sqlite, path: .modelpin/vendor.db }
catalog:
  listings: .modelpin/vendor-listings.json
`;

export async function outdatedChapter(ctx: DemoContext): Promise<void> {
  writeFileSync(path.join(ctx.ws, 'vendor.yml'), RELEASES_YML);
  chapter(
    ctx,
    'What is outdated — the catalog after release day',
    "The shipped catalog is frozen at its date. `catalog refresh` records what the provider's models\nendpoint lists now; `outdated` lists every pin with its status, days left and what replaces it.",
  );
  await cli(ctx, ['catalog', 'refresh', '--config', 'vendor.yml'], 0, { now: '2026-12-03T09:00:00Z' });
  await cli(ctx, ['outdated', '--config', 'vendor.yml', '--today', '2026-12-03'], 0, { now: '2026-12-03T09:00:00Z' });
  const after = await cli(ctx, ['catalog', 'refresh', '--config', 'vendor.yml'], 0, { now: '2026-12-11T09:00:00Z' });
  check(
    ctx,
    /new: sim-chat-2026-12-10, sim-mini-2026-12-10; vanished: sim-chat-2026-11-25/.test(after.stdout),
    'refresh saw two new snapshots and one that vanished',
  );
  const out = await cli(ctx, ['outdated', '--config', 'vendor.yml', '--today', '2026-12-11'], 1, {
    now: '2026-12-11T09:00:00Z',
  });
  check(
    ctx,
    /answer +production +vendor\/sim-chat-2026-11-25 +- +retired/.test(out.stdout),
    'the pin on the vanished snapshot is retired: outdated exits 1 for the nightly job',
  );
  check(
    ctx,
    /sim-mini-2026-12-10 \(listed\)/.test(out.stdout),
    'a snapshot only the listing knows is offered as the newest of its line',
  );
  await cli(ctx, ['outdated', '--config', 'vendor.yml', '--today', '2026-12-11', '--format', 'markdown'], 1, {
    now: '2026-12-11T09:00:00Z',
  });
}
