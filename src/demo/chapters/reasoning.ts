import { chapter, check, cli, note, withSimulatedGateway, type DemoContext } from '../story-io.js';

interface ChatUsage {
  completion_tokens?: number;
  completion_tokens_details?: { reasoning_tokens?: number };
}

const config = (simUrl: string) => `providers:
  claude: { type: anthropic, base_url: "${simUrl}" }   # the simulator over HTTP, in Anthropic's format
routes:
  planner:
    description: A reasoning route served by a Claude-format model (simulated)
    targets: { production: claude/sim-chat-2026-01-15 }
catalog:
  models:
    # What this deployment accepts for reasoning, and its prices (USD per million tokens).
    - { provider: claude, id: sim-chat-2026-01-15, kind: snapshot, reasoning: { budget: { min: 1024, max: 32000 } }, price: { input: 1, output: 4, cached_input: 0.1, cache_write_input: 1.25 } }
store: { type: sqlite, path: .modelpin/reasoning.db }
`;

/** A reasoning app moves to Claude: its reasoning_effort and its long system prompt keep working, and cost says what caching saved. */
export async function reasoningChapter(ctx: DemoContext): Promise<void> {
  chapter(
    ctx,
    'Reasoning and caching across providers',
    'The planner route now points at a Claude-format model. An OpenAI-SDK app keeps its reasoning_effort (it becomes\na thinking budget), an Anthropic-SDK app keeps its cache_control, and usage shows reasoning and cached tokens\npriced at the cache rates.',
  );
  const system = `You plan warehouse routes. Policy: ${Array.from({ length: 1200 }, (_, i) => `rule-${i}`).join(' ')}`;
  let reasoning = 0;
  const cached: number[] = [];
  await withSimulatedGateway(ctx, 'reasoning.yml', config, '2026-11-25T16:00:00Z', async (gw) => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'planner',
        reasoning_effort: 'high',
        messages: [{ role: 'user', content: 'Plan the morning route.' }],
      }),
    });
    const u = ((await res.json()) as { usage?: ChatUsage }).usage ?? {};
    reasoning = u.completion_tokens_details?.reasoning_tokens ?? 0;
    note(
      ctx,
      `openai client, reasoning_effort high -> planner (HTTP ${res.status}): ${u.completion_tokens ?? 0} output tokens, ${reasoning} of them reasoning`,
    );
    // An Anthropic-SDK app marks its long system prompt for caching; the marker reaches the Claude-format target.
    for (const q of ['Plan the evening route.', 'Plan the night route.']) {
      const r = await fetch(`${gw.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'planner',
          max_tokens: 300,
          system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
          messages: [{ role: 'user', content: q }],
        }),
      });
      const a =
        ((await r.json()) as { usage?: { cache_read_input_tokens?: number; cache_creation_input_tokens?: number } })
          .usage ?? {};
      cached.push(a.cache_read_input_tokens ?? 0);
      note(
        ctx,
        `anthropic client, cache_control on the system prompt -> planner (HTTP ${r.status}): ${a.cache_creation_input_tokens ?? 0} tokens written to the cache, ${a.cache_read_input_tokens ?? 0} read from it`,
      );
    }
  });
  check(
    ctx,
    reasoning > 0,
    'reasoning_effort reached the Claude-format model as a thinking budget, and reasoning tokens came back',
  );
  check(
    ctx,
    cached[0] === 0 && (cached[1] ?? 0) > 0,
    'the second call read the system prompt from the cache, priced at the cached rate below',
  );
  await cli(ctx, ['usage', '--config', 'reasoning.yml', '--since', '2026-11-25', '--by', 'served-model'], 0, {
    now: '2026-11-25T16:10:00Z',
  });
}
