/**
 * Gateway overhead benchmark (not a test): `npx tsx bench/gateway.ts [--duration 5]`.
 * Upstream: the simulator in fast mode over HTTP. Compares direct calls, a bare pass-through
 * proxy (node:http + undici, no routing, no logging) and the gateway with SQLite usage logging,
 * each in its own process, at 1 and 50 connections.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Pool } from 'undici';

type Role = 'sim' | 'bare' | 'gateway';
const SELF = fileURLToPath(import.meta.url);

async function runRole(role: Role, upstream: string): Promise<string> {
  if (role === 'sim') {
    const { startSimulatorServer } = await import('../src/sim/index.js');
    const sim = await startSimulatorServer({ port: 0, fast: true, seed: 1 });
    return sim.url;
  }
  if (role === 'bare') {
    const pool = new Pool(upstream, { connections: 128, pipelining: 1 });
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        pool
          .request({ path: req.url ?? '/', method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) })
          .then(async (up) => {
            const body = Buffer.from(await up.body.arrayBuffer());
            res.writeHead(up.statusCode, { 'content-type': 'application/json', 'content-length': body.length });
            res.end(body);
          })
          .catch(() => {
            res.writeHead(502);
            res.end();
          });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }
  const { createGateway } = await import('../src/gateway/server.js');
  const { jsonLogger } = await import('../src/core/logger.js');
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-bench-'));
  const config = join(dir, 'models.yml');
  writeFileSync(
    config,
    `providers:
  up: { type: openai, base_url: "${upstream}/v1", api_key: bench }
routes:
  bench: { targets: { production: up/sim-chat-2026-01-15 } }
store: { type: sqlite, path: ${join(dir, 'usage.db')} }
`,
  );
  const gw = await createGateway({ configPath: config, env: 'production', port: 0, watch: false, logger: jsonLogger({ minLevel: 'warn' }) });
  process.on('disconnect', () => void gw.close().finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }));
  return gw.url;
}

interface Child {
  url: string;
  proc: ChildProcess;
  rss(): Promise<number>;
}

function start(role: Role, upstream = ''): Promise<Child> {
  const profile = role === 'gateway' && process.env.MODELPIN_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MODELPIN_BENCH_PROFILE}`] : [];
  const proc = fork(SELF, ['--role', role, '--upstream', upstream], { execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    proc.once('message', (m) => {
      const url = (m as { url: string }).url;
      resolve({
        url,
        proc,
        rss: () =>
          new Promise((res) => {
            proc.once('message', (x) => res((x as { rss: number }).rss));
            proc.send('rss');
          }),
      });
    });
    proc.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
  });
}

interface Row {
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
}

async function load(name: string, url: string, model: string, connections: number, duration: number): Promise<Row> {
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 32 });
  const r = await autocannon({ url: `${url}/v1/chat/completions`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration });
  if (r.non2xx > 0 || r.errors > 0) console.error(`  ${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { name, connections, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const roleIdx = args.indexOf('--role');
  if (roleIdx >= 0) {
    const role = args[roleIdx + 1] as Role;
    const upstream = args[args.indexOf('--upstream') + 1] ?? '';
    const url = await runRole(role, upstream);
    process.on('message', (m) => {
      if (m === 'rss') process.send?.({ rss: process.memoryUsage().rss });
    });
    process.send?.({ url });
    return;
  }
  const duration = Number(args[args.indexOf('--duration') + 1] ?? 5) || 5;
  const sim = await start('sim');
  const bare = await start('bare', sim.url);
  const gw = await start('gateway', sim.url);
  const rows: Row[] = [];
  let rssPeak = 0;
  try {
    // Warm up JITs and connection pools.
    for (const [n, u, m] of [['direct', sim.url, 'sim-chat-2026-01-15'], ['bare proxy', bare.url, 'sim-chat-2026-01-15'], ['gateway', gw.url, 'bench']] as const) await load(n, u, m, 10, 1);
    for (const connections of [1, 50]) {
      rows.push(await load('direct', sim.url, 'sim-chat-2026-01-15', connections, duration));
      rows.push(await load('bare proxy', bare.url, 'sim-chat-2026-01-15', connections, duration));
      const sampler = setInterval(() => void gw.rss().then((r) => (rssPeak = Math.max(rssPeak, r))), 250);
      rows.push(await load('gateway', gw.url, 'bench', connections, duration));
      clearInterval(sampler);
    }
  } finally {
    for (const c of [gw, bare, sim]) c.proc.disconnect();
    setTimeout(() => [gw, bare, sim].forEach((c) => c.proc.kill()), 1000).unref();
  }
  console.log(`\nmodelpin gateway benchmark (${duration}s per run, simulator fast mode upstream)\n`);
  console.log('target        conns   req/s     p50 ms   p99 ms');
  for (const r of rows) console.log(`${r.name.padEnd(13)} ${String(r.connections).padStart(5)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(2).padStart(9)} ${r.p99.toFixed(2).padStart(8)}`);
  const find = (n: string, c: number) => rows.find((r) => r.name === n && r.connections === c);
  const g50 = find('gateway', 50);
  const b50 = find('bare proxy', 50);
  const g1 = find('gateway', 1);
  const b1 = find('bare proxy', 1);
  if (g50 && b50 && g1 && b1) {
    console.log(`\ngateway / bare proxy at 50 connections: ${(g50.rps / b50.rps).toFixed(2)}x (target >= 0.7x)`);
    console.log(`added p99 at 1 connection (gateway - bare): ${(g1.p99 - b1.p99).toFixed(2)} ms (target <= 1 ms)`);
    console.log(`gateway peak RSS under load: ${(rssPeak / 1024 / 1024).toFixed(0)} MB (target <= 150 MB)`);
  }
}

void main();
