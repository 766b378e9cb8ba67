/** `modelpin simulate`: one local HTTP server answering the OpenAI, Anthropic and Gemini APIs. */
import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Clock } from '../core/clock.js';
import { toModelpinError } from '../core/errors.js';
import { createSimEngine, type SimEngine } from './engine.js';
import { handleRequest } from './http-handler.js';
import { SIM_HEADER } from './http-io.js';
import { loadScenario } from './scenario-load.js';

export interface SimulatorServerOptions {
  port?: number;
  host?: string;
  /** Built-in scenario name or a path. */
  scenario?: string;
  seed?: number;
  fast?: boolean;
  clock?: Clock;
}

export interface SimulatorServer {
  url: string;
  port: number;
  engine: SimEngine;
  close(): Promise<void>;
}

export async function startSimulatorServer(opts: SimulatorServerOptions = {}): Promise<SimulatorServer> {
  const engine = createSimEngine({
    scenario: loadScenario(opts.scenario ?? 'default'),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.fast !== undefined ? { fast: opts.fast } : {}),
  });
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handleRequest(req, res, { engine, timers }).catch((e: unknown) => fail(res, e));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4010, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 4010);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    engine,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        // Hung requests and keep-alive connections would otherwise hold close() open.
        for (const s of sockets) s.destroy();
      }),
  };
}

function fail(res: ServerResponse, e: unknown): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const err = toModelpinError(e);
  res.writeHead(500, { 'content-type': 'application/json', [SIM_HEADER]: '1' });
  res.end(JSON.stringify({ error: { message: `simulator internal error: ${err.message}`, type: 'internal' } }));
}
