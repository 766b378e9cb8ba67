/**
 * A TCP relay a test controls, between a store client and the real PostgreSQL server, to play
 * network faults without ever touching the server:
 * - `cut()`: destroy every relayed connection at once (a reset: a restarted server, a failover);
 * - `blackhole()`: keep every socket open but stop forwarding bytes either way, and let new
 *   connections in without answering them (a lost host, a dead network path);
 * - `refuse()`: close new connections at once (nothing listening);
 * - `restore()`: forward normally again (connections cut or held during the fault stay broken);
 * - `loseNextCommitAck()`: let the next COMMIT through to the server, swallow the server's answer and
 *   cut that connection (a transaction committed whose client never hears so).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type RelayMode = 'forward' | 'blackhole' | 'refuse';

export interface TcpRelay {
  readonly port: number;
  /** `postgres://` URL of the relay for a URL of the real server (same user, database, params). */
  urlFor(real: string): string;
  readonly mode: RelayMode;
  /** Connections accepted so far. */
  readonly accepted: number;
  cut(): void;
  /** Resolves once a COMMIT went through and its answer was swallowed. */
  loseNextCommitAck(): Promise<void>;
  blackhole(): void;
  refuse(): void;
  restore(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket | null;
  /** A COMMIT went up this connection: its answer is to be lost. */
  commitSent?: boolean;
}

/** A simple-protocol Query message carrying COMMIT (what node-postgres sends to end a transaction). */
const COMMIT_QUERY = Buffer.from('COMMIT\0');

export async function startTcpRelay(target: { host: string; port: number }): Promise<TcpRelay> {
  let mode: RelayMode = 'forward';
  let accepted = 0;
  const pairs = new Set<Pair>();
  let commitTrap: (() => void) | null = null;

  const drop = (p: Pair): void => {
    p.client.destroy();
    p.upstream?.destroy();
    pairs.delete(p);
  };

  // allowHalfOpen: a black-holed peer must not answer a FIN either.
  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    accepted++;
    const pair: Pair = { client, upstream: null };
    pairs.add(pair);
    client.on('error', () => drop(pair));
    client.on('close', () => drop(pair));
    if (mode === 'refuse') return drop(pair);
    if (mode === 'blackhole') return; // held open, never answered, never forwarded
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true });
    pair.upstream = upstream;
    upstream.on('error', () => drop(pair));
    upstream.on('close', () => drop(pair));
    client.on('data', (b: Buffer) => {
      if (mode !== 'forward') return;
      if (commitTrap && b[0] === 0x51 /* Q */ && b.includes(COMMIT_QUERY)) pair.commitSent = true;
      upstream.write(b);
    });
    upstream.on('data', (b: Buffer) => {
      if (pair.commitSent && commitTrap) {
        // The server answered the COMMIT, so it committed: the client never gets to know.
        const done = commitTrap;
        commitTrap = null;
        drop(pair);
        done();
        return;
      }
      if (mode === 'forward') client.write(b);
    });
    client.on('end', () => {
      if (mode === 'forward') upstream.end();
    });
    upstream.on('end', () => {
      if (mode === 'forward') client.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    urlFor(real) {
      const u = new URL(real);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    get mode() {
      return mode;
    },
    get accepted() {
      return accepted;
    },
    cut() {
      for (const p of [...pairs]) drop(p);
    },
    loseNextCommitAck() {
      return new Promise<void>((resolve) => {
        commitTrap = resolve;
      });
    },
    blackhole() {
      mode = 'blackhole';
    },
    refuse() {
      mode = 'refuse';
      for (const p of [...pairs]) drop(p);
    },
    restore() {
      // Bytes swallowed while black-holed are gone: those connections can never resynchronise.
      if (mode === 'blackhole') for (const p of [...pairs]) drop(p);
      mode = 'forward';
    },
    async close() {
      for (const p of [...pairs]) drop(p);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
