// Provider stand-in that answers at once with fixed bodies: the upstream every gateway benchmark measures against.
// OpenAI chat completions (plain and streamed), Anthropic messages, Gemini generateContent.
// Usage: node bench/instant-upstream.mjs [port]; prints "listening on <url>". DELAY_MS=n delays every answer.
import { createServer } from 'node:http';

const delayMs = Number(process.env.DELAY_MS || 0);
const text = 'hello from the instant upstream';
const openai = (model) =>
  JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1700000000,
    model: model || 'gpt-4o-2024-11-20',
    system_fingerprint: 'fp_1',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 },
  });
const openaiStream = (model) => {
  const base = {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1700000000,
    model: model || 'gpt-4o-2024-11-20',
    system_fingerprint: 'fp_1',
  };
  const chunks = [
    { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
    ...text
      .split(' ')
      .map((w, i) => ({ ...base, choices: [{ index: 0, delta: { content: i ? ` ${w}` : w }, finish_reason: null }] })),
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
    { ...base, choices: [], usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 } },
  ];
  return chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n';
};
const anthropic = (model) =>
  JSON.stringify({
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: model || 'claude-sonnet-4-20250514',
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 6 },
  });
const gemini = () =>
  JSON.stringify({
    candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 6, totalTokenCount: 18 },
    modelVersion: 'gemini-2.0-flash-001',
  });

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let parsed = {};
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    } catch {}
    const url = req.url || '';
    const streamed = url.includes('/chat/completions') && parsed.stream === true;
    const body = streamed
      ? openaiStream(parsed.model)
      : url.includes('/chat/completions')
        ? openai(parsed.model)
        : url.includes('/messages')
          ? anthropic(parsed.model)
          : url.includes(':generateContent')
            ? gemini()
            : null;
    const send = () => {
      if (!body) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not found"}}');
        return;
      }
      res.writeHead(200, {
        'content-type': streamed ? 'text/event-stream' : 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    };
    if (delayMs) setTimeout(send, delayMs);
    else send();
  });
});
server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
