import { ModelpinError } from '../../src/core/errors.js';
/** A real loopback HTTP server for provider-client tests: the network edge is the only thing faked. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Client-side port of the connection: equal ports mean a reused keep-alive socket. */
  remotePort: number | undefined;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, recorded: Recorded) => void | Promise<void>;

export interface TestServer {
  url: string;
  requests: Recorded[];
  setHandler(h: Handler): void;
  close(): Promise<void>;
}

export async function startServer(initial: Handler): Promise<TestServer> {
  let handler = initial;
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: req.socket.remotePort,
      };
      requests.push(rec);
      void handler(req, res, rec);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The ModelpinError a call rejects with; anything else (or no rejection) fails the test. */
export async function rejection(p: Promise<unknown> | undefined): Promise<ModelpinError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ModelpinError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}
