/** An OpenAI-format upstream on 127.0.0.1 that answers every chat call after `delayMs()`: requests stay in flight. */
import { listenLoopback, type LoopbackServer } from './loopback-server.js';

export interface SlowOpenAi extends LoopbackServer {
  /** Requests received so far (counted on arrival, before the delay). */
  hits(): number;
}

export async function startSlowOpenAi(delayMs: () => number): Promise<SlowOpenAi> {
  let hits = 0;
  const server = await listenLoopback((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        const body = JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1,
          model: 'model-2026-01-01',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
        });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
        res.end(body);
      }, delayMs());
    });
  });
  return { ...server, hits: () => hits };
}
