import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { background, chapter, check, note, type DemoContext } from '../story-io.js';
import { callRoute } from '../wire-calls.js';

/** Some models answer only on the Responses API: a route reaches them from any client format. */
export async function responsesUpstreamChapter(ctx: DemoContext): Promise<void> {
  chapter(
    ctx,
    'A model only on the Responses API',
    'The provider serves this snapshot through POST /v1/responses only. One line in models.yml (api: responses),\nand an Anthropic-SDK app reaches it through the gateway.',
  );
  const sim = await background(ctx, ['simulate', '--port', '0', '--fast']);
  try {
    writeFileSync(
      path.join(ctx.ws, 'responses.yml'),
      `providers:
  oai: { type: openai-compatible, base_url: "${sim.url}/v1", api: responses }   # the simulator over HTTP
routes:
  deep-think:
    description: A snapshot served only through the Responses API (simulated)
    targets: { production: oai/sim-chat-2026-01-15 }
store: { type: sqlite, path: .modelpin/responses.db }
`,
    );
    const gw = await background(ctx, ['serve', '--config', 'responses.yml', '--env', 'production', '--port', '0'], '2026-11-25T15:00:00Z');
    try {
      const r = await callRoute(gw.url, 'anthropic', 'deep-think');
      note(ctx, `anthropic client -> route deep-think -> ${r.target ?? '?'} over /v1/responses -> ${r.servedModel ?? '?'} (HTTP ${r.status}): ${r.text.replace(/\s+/g, ' ').slice(0, 60)}`);
      check(ctx, r.status === 200 && r.servedModel === 'sim-chat-2026-01-15', 'the Responses-only snapshot answered an Anthropic-format client');
    } finally {
      await gw.stop();
    }
  } finally {
    await sim.stop();
  }
}
