import { chapter, check, note, withSimulatedGateway, type DemoContext } from '../story-io.js';

const SENTIMENT = (sentiment: Record<string, unknown>) => ({
  type: 'object',
  properties: { sentiment, confidence: { type: 'number' } },
  required: ['sentiment', 'confidence'],
  additionalProperties: false,
});

/** A Chat Completions call with `response_format: json_schema`, as the OpenAI SDK sends it. */
async function askJson(
  base: string,
  route: string,
  prompt: string,
  schema: Record<string, unknown>,
): Promise<{ status: number; target: string | null; text: string }> {
  const res = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: route,
      messages: [{ role: 'user', content: prompt }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true, schema } },
    }),
  });
  const body = (await res.json()) as {
    choices?: Array<{ message: { content: string | null } }>;
    error?: { message: string };
  };
  return {
    status: res.status,
    target: res.headers.get('x-modelpin-target'),
    text: body.choices?.[0]?.message.content ?? body.error?.message ?? '',
  };
}

function parsed(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const config = (simUrl: string) => `providers:
  claude: { type: anthropic, base_url: "${simUrl}", api_key: sim-key }   # the simulator over HTTP, Claude format
routes:
  extract: { targets: { production: claude/sim-chat-2026-01-15 } }
  extract-drifted: { targets: { production: claude/sim-chat-2026-11-25 } }
store: { type: sqlite, path: .modelpin/structured.db }
`;

/** An OpenAI-SDK app that uses structured outputs keeps them when its route is served in the Claude format. */
export async function structuredOutputsChapter(ctx: DemoContext): Promise<void> {
  chapter(
    ctx,
    'Structured outputs on any provider',
    'An OpenAI-SDK app asks for JSON with a schema (response_format json_schema). Its route is served in the Claude\nformat: the gateway sends output_config.format. A drifted snapshot still breaks a loose schema, never a strict enum.',
  );
  await withSimulatedGateway(ctx, 'structured.yml', config, '2026-11-25T15:00:00Z', async (gw) => {
    const contact = {
      type: 'object',
      properties: { name: { type: 'string' }, email: { type: 'string' } },
      required: ['name', 'email'],
      additionalProperties: false,
    };
    const r = await askJson(gw.url, 'extract', 'Extract the contact: Contact Jane Doe at jane@example.com', contact);
    note(
      ctx,
      `openai client, json_schema -> route extract -> ${r.target ?? '?'} (Claude format, HTTP ${r.status}): ${r.text}`,
    );
    const c = parsed(r.text);
    check(
      ctx,
      r.status === 200 && c?.name === 'Jane Doe' && c.email === 'jane@example.com',
      'the Claude-format target answered JSON that matches the schema',
    );

    const review = 'Classify the sentiment: I love the screen, but the battery is weak.';
    const loose = await askJson(gw.url, 'extract-drifted', review, SENTIMENT({ type: 'string' }));
    const closed = await askJson(
      gw.url,
      'extract-drifted',
      review,
      SENTIMENT({ type: 'string', enum: ['positive', 'negative', 'neutral'] }),
    );
    note(ctx, `drifted snapshot, sentiment typed as any string:        ${loose.text}`);
    note(ctx, `drifted snapshot, sentiment enum positive|negative|neutral: ${closed.text}`);
    check(
      ctx,
      parsed(loose.text)?.sentiment === 'mixed' && parsed(closed.text)?.sentiment === 'positive',
      'a loose schema lets the new enum value through (evals still catch it); a strict enum holds',
    );
  });
}
