import { background, chapter, check, cli, note, sleep, waitFor, type DemoContext } from '../story-io.js';
import { callRoute } from '../wire-calls.js';

/** A canary of an unstable release pulls itself back; a live rollback lands in under a second. */
export async function canaryChapter(ctx: DemoContext): Promise<void> {
  chapter(
    ctx,
    'Thursday — a canary that pulls itself back',
    'sim-chat-2026-12-03 is an unstable release. 5% of production traffic goes to it; the guards compare both arms.',
  );
  const now = '2026-11-26T10:00:00Z';
  const gw = await background(ctx, ['serve', '--env', 'production', '--port', '0'], now);
  const admin = ['--gateway', gw.url];
  try {
    await cli(
      ctx,
      [
        'canary',
        'start',
        'summarize',
        '--candidate',
        'sim/sim-chat-2026-12-03',
        '--percent',
        '5',
        '--max-error-rate-delta',
        '0.05',
        '--min-samples',
        '10',
        ...admin,
      ],
      0,
      { now },
    );
    await sleep(1200);
    let canaryServed = 0;
    for (let batch = 0; batch < 40; batch++) {
      const replies = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          callRoute(gw.url, 'openai', 'summarize', { headers: { 'x-user-id': `user-${batch}-${i}` } }),
        ),
      );
      canaryServed += replies.filter((r) => r.target?.includes('2026-12-03')).length;
      const status = await cli(ctx, ['canary', 'status', 'summarize', '--json', ...admin], 0, { now, quiet: true });
      if (/rolled_back/.test(status.stdout)) break;
    }
    note(ctx, `requests served by the canary arm before the decision: ${canaryServed}`);
    const final = await cli(ctx, ['canary', 'status', 'summarize', ...admin], 0, { now });
    check(ctx, /rolled[_ ]back/i.test(final.stdout), 'the canary rolled itself back to 0%');

    chapter(
      ctx,
      'Roll back in seconds, no deploy',
      'An incident: send summarize to the mini family right now, with a reason in the audit log.',
    );
    await cli(
      ctx,
      ['rollback', 'summarize', '--live', '--to', 'sim/sim-mini-2026-03-01', '--reason', 'demo incident #42', ...admin],
      0,
      { now },
    );
    const t0 = Date.now();
    const applied = await waitFor(
      async () => (await callRoute(gw.url, 'openai', 'summarize')).servedModel === 'sim-mini-2026-03-01',
      3000,
    );
    check(ctx, applied, `the running gateway applied the override within ${Date.now() - t0} ms`);
    await cli(ctx, ['overrides', 'list', ...admin], 0, { now });
    await cli(ctx, ['overrides', 'clear', 'summarize', ...admin], 0, { now });
  } finally {
    const code = await gw.stop();
    note(ctx, `gateway stopped on SIGTERM (exit ${code}); usage records flushed`);
  }
  await cli(ctx, ['usage', '--since', '2026-11-26', '--by', 'arm', '--route', 'summarize', '--env', 'production'], 0, {
    now: '2026-11-26T11:00:00Z',
  });
}
