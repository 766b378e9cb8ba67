/**
 * The wire formats as an app's SDK sends them (Chat Completions, the Responses API, Messages, Gemini), used by the demo to call routes through the
 * gateway with nothing but fetch (the route name goes where the model id would).
 */
export type DemoWire = 'openai' | 'openai-responses' | 'anthropic' | 'gemini';

export interface DemoReply {
  status: number;
  servedModel: string | null;
  target: string | null;
  attempts: string | null;
  text: string;
}

const PROMPT = 'Extract the contact as JSON with name and email: "Contact Jane Doe at jane@example.com".';

export async function callRoute(
  base: string,
  wire: DemoWire,
  route: string,
  opts: { prompt?: string; headers?: Record<string, string> } = {},
): Promise<DemoReply> {
  const prompt = opts.prompt ?? PROMPT;
  const req = buildRequest(base, wire, route, prompt);
  const res = await fetch(req.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: JSON.stringify(req.body),
  });
  const body = (await res.json()) as Record<string, unknown>;
  return {
    status: res.status,
    servedModel: res.headers.get('x-modelpin-served-model'),
    target: res.headers.get('x-modelpin-target'),
    attempts: res.headers.get('x-modelpin-attempts'),
    text: extractText(wire, body),
  };
}

function buildRequest(base: string, wire: DemoWire, route: string, prompt: string): { url: string; body: unknown } {
  if (wire === 'openai')
    return {
      url: `${base}/v1/chat/completions`,
      body: { model: route, messages: [{ role: 'user', content: prompt }] },
    };
  if (wire === 'openai-responses') return { url: `${base}/v1/responses`, body: { model: route, input: prompt } };
  if (wire === 'anthropic')
    return {
      url: `${base}/v1/messages`,
      body: { model: route, max_tokens: 256, messages: [{ role: 'user', content: prompt }] },
    };
  return {
    url: `${base}/v1beta/models/${route}:generateContent`,
    body: { contents: [{ role: 'user', parts: [{ text: prompt }] }] },
  };
}

function extractText(wire: DemoWire, body: Record<string, unknown>): string {
  try {
    if (wire === 'openai')
      return String((body as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content ?? '');
    if (wire === 'openai-responses') {
      const out = (body as { output: Array<{ type: string; content?: Array<{ type: string; text?: string }> }> })
        .output;
      return out
        .flatMap((item) => (item.type === 'message' ? (item.content ?? []).map((c) => c.text ?? '') : []))
        .join('');
    }
    if (wire === 'anthropic')
      return String((body as { content: Array<{ text?: string }> }).content.map((c) => c.text ?? '').join(''));
    return String(
      (body as { candidates: Array<{ content: { parts: Array<{ text?: string }> } }> }).candidates[0]?.content.parts
        .map((p) => p.text ?? '')
        .join('') ?? '',
    );
  } catch {
    return JSON.stringify(body).slice(0, 200);
  }
}

/** An OpenAI-format embeddings call through the gateway, as `client.embeddings.create` sends it. */
export async function embedRoute(
  base: string,
  route: string,
  input: string[],
): Promise<{ status: number; target: string | null; vectors: number[][] }> {
  const res = await fetch(`${base}/v1/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: route, input, encoding_format: 'float' }),
  });
  const body = (await res.json()) as { data?: Array<{ index: number; embedding: number[] }> };
  const vectors = [...(body.data ?? [])].sort((a, b) => a.index - b.index).map((d) => d.embedding);
  return { status: res.status, target: res.headers.get('x-modelpin-target'), vectors };
}
