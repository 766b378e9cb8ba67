/**
 * A real HTTP upstream for fault tests: each request takes the next scripted action —
 * pass through to the simulator, answer an error status, or pass a stream and cut it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { listenLoopback, readBody } from './loopback-server.js';

export type FaultAction =
  | { kind: 'pass' }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body: unknown }
  | { kind: 'cut'; afterEvents: number };

export interface FaultProxy {
  url: string;
  /** Paths (and parsed JSON bodies and headers) of the requests received, in order. */
  seen: Array<{ path: string; model: string | null; body?: unknown; headers: IncomingHttpHeaders }>;
  script(actions: FaultAction[]): void;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  let queue: FaultAction[] = [];
  const seen: FaultProxy['seen'] = [];
  const server = await listenLoopback((req, res) => {
    void (async () => {
      const body = await readBody(req);
      let model: string | null = null;
      let parsedBody: unknown;
      try {
        const parsed = JSON.parse(body.toString('utf8')) as { model?: unknown };
        parsedBody = parsed;
        model = typeof parsed.model === 'string' ? parsed.model : null;
      } catch {
        model = null;
      }
      seen.push({
        path: req.url ?? '',
        model,
        ...(parsedBody !== undefined ? { body: parsedBody } : {}),
        headers: req.headers,
      });
      const action = queue.shift() ?? { kind: 'pass' };
      if (action.kind === 'status') {
        res.writeHead(action.status, { 'content-type': 'application/json', ...action.headers });
        res.end(JSON.stringify(action.body));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      const up = await fetch(upstream + (req.url ?? ''), {
        method: req.method ?? 'POST',
        headers,
        body: body.length ? body : undefined,
      });
      const outHeaders: Record<string, string> = {};
      up.headers.forEach((v, k) => {
        if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'content-encoding') outHeaders[k] = v;
      });
      res.writeHead(up.status, outHeaders);
      if (action.kind === 'pass') {
        res.end(Buffer.from(await up.arrayBuffer()));
        return;
      }
      // Forward whole SSE events until the quota is used, then drop the connection mid-stream.
      const text = await up.text();
      const events = text.split(/\n\n/).filter((e) => e.trim() !== '');
      res.write(
        events
          .slice(0, action.afterEvents)
          .map((e) => e + '\n\n')
          .join(''),
      );
      setTimeout(() => res.socket?.destroy(), 20);
    })().catch(() => res.destroy());
  });
  return {
    url: server.url,
    seen,
    script(actions) {
      queue = [...actions];
    },
    close: server.close,
  };
}
