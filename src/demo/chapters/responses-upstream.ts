import { chapter, check, note, withSimulatedGateway, type DemoContext } from '../story-io.js';
import { callRoute } from '../wire-calls.js';

const config = (simUrl: string) => `providers:
  oai: { type: openai-compatible, base_url: "${simUrl}/v1", api: responses }   # the simulator over HTTP
routes:
  deep-think:
    description: A snapshot served only through the Responses API (simulated)
    targets: { production: oai/sim-chat-2026-01-15 }
store: { type: sqlite, path: .modelpin/responses.db }
`;

/** Some models answer only on the Responses API: a route reaches them from any client format. */
export async function responsesUpstreamChapter(ctx: DemoContext): Promise<void> {
  chapter(
    ctx,
    'A model only on the Responses API',
    'The provider serves this snapshot through POST /v1/responses only. One line in models.yml (api: responses),\nand an Anthropic-SDK app reaches it through the gateway.',
  );
  await withSimulatedGateway(ctx, 'responses.yml', config, '2026-11-25T15:00:00Z', async (gw) => {
    const r = await callRoute(gw.url, 'anthropic', 'deep-think');
    note(
      ctx,
      `anthropic client -> route deep-think -> ${r.target ?? '?'} over /v1/responses -> ${r.servedModel ?? '?'} (HTTP ${r.status}): ${r.text.replace(/\s+/g, ' ').slice(0, 60)}`,
    );
    check(
      ctx,
      r.status === 200 && r.servedModel === 'sim-chat-2026-01-15',
      'the Responses-only snapshot answered an Anthropic-format client',
    );
  });
}
