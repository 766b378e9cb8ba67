import { chapter, check, cli, note, sleep, withBackground, type DemoContext } from '../story-io.js';
import { callRoute, embedRoute, type DemoWire } from '../wire-calls.js';

/** Production kept serving the pin; the staging gateway's sentinel saw the alias move live. */
export async function gatewayChapter(ctx: DemoContext): Promise<void> {
  chapter(
    ctx,
    'Wednesday — production never noticed',
    'Apps talk to the gateway with their usual SDK; only the base URL changes and the route name goes in "model".',
  );
  await withBackground(ctx, ['serve', '--env', 'production', '--port', '0'], '2026-11-25T12:00:00Z', async (prod) => {
    for (const wire of ['openai', 'openai-responses', 'anthropic', 'gemini'] as DemoWire[]) {
      const r = await callRoute(prod.url, wire, 'summarize');
      note(
        ctx,
        `${wire.padEnd(16)} client -> route summarize -> ${r.servedModel ?? '?'} (HTTP ${r.status}): ${r.text.replace(/\s+/g, ' ').slice(0, 70)}`,
      );
      check(
        ctx,
        r.status === 200 && r.servedModel === 'sim-chat-2026-01-15',
        `${wire} client served by the pinned snapshot`,
      );
    }
    const e = await embedRoute(prod.url, 'embed', [
      'The customer loves the blender.',
      'The customer is happy with the blender.',
    ]);
    note(
      ctx,
      `embeddings client -> route embed -> ${e.target ?? '?'} (HTTP ${e.status}): ${e.vectors.length} vectors of ${e.vectors[0]?.length ?? 0} dimensions`,
    );
    check(
      ctx,
      e.status === 200 && e.vectors.length === 2 && e.target === 'sim/sim-embed-2026-03-01',
      'embeddings go through the same pinned routes',
    );
  });

  chapter(
    ctx,
    'The alarm, live',
    'A staging gateway runs across midnight Tuesday -> Wednesday. The served-model sentinel sees the alias move.',
  );
  await withBackground(ctx, ['serve', '--env', 'staging', '--port', '0'], '2026-11-24T23:59:57Z', async (staging) => {
    const before = await callRoute(staging.url, 'openai', 'summarize');
    note(ctx, `23:59:57 served ${before.servedModel}`);
    await sleep(3500);
    const after = await callRoute(staging.url, 'openai', 'summarize');
    note(ctx, `00:00:01 served ${after.servedModel}`);
    await sleep(300);
    const alert = staging
      .output()
      .split('\n')
      .find((l) => /sentinel/i.test(l));
    if (alert) note(ctx, `gateway log: ${alert.slice(0, 220)}`);
    check(
      ctx,
      before.servedModel !== after.servedModel && !!alert,
      'the sentinel raised an alert when the served model changed',
    );
  });
  await cli(ctx, ['usage', '--since', '2026-11-24', '--env', 'staging'], 0, { now: '2026-11-25T00:05:00Z' });
}
