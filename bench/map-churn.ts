/**
 * Hidden classes (V8 maps) the gateway creates per request once it is warm, per kind of call. A warm
 * request path should create none: an object whose shape is new on every call (in optimised code, an
 * object spread and then given another property is one) makes every later read of it miss its inline
 * cache and go through the runtime. Build first, then run:
 *   npm run build && npx tsx bench/map-churn.ts [--requests 2000]
 *   MODELPIN_BENCH_CLI=/path/to/other/build/dist/cli/main.js npx tsx bench/map-churn.ts   # another build
 * The gateway runs with `node --log-maps`; each measured batch is bracketed by two requests carrying a
 * field name used nowhere else, whose first parse logs a transition to that name: the marks.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { BENCH_MODEL, CLI, numberFlag, start, startInstantUpstream } from './harness.js';

interface Kind {
  name: string;
  path: string;
  body: (extra: Record<string, unknown>) => Record<string, unknown>;
}

const chat = (route: string, stream: boolean) => (extra: Record<string, unknown>) => ({
  model: route,
  messages: [{ role: 'user', content: 'Say hello' }],
  max_tokens: 32,
  ...(stream ? { stream: true } : {}),
  ...extra,
});

const KINDS: Kind[] = [
  { name: 'OpenAI client, OpenAI target (forwarded)', path: '/v1/chat/completions', body: chat('oa', false) },
  { name: 'same, streamed', path: '/v1/chat/completions', body: chat('oa', true) },
  { name: 'OpenAI client, Anthropic target (translated)', path: '/v1/chat/completions', body: chat('an', false) },
  {
    name: 'Anthropic client, OpenAI target (translated)',
    path: '/v1/messages',
    body: (extra) => ({ model: 'oa', max_tokens: 32, messages: [{ role: 'user', content: 'Say hello' }], ...extra }),
  },
  {
    name: 'Responses client, OpenAI target (translated)',
    path: '/v1/responses',
    body: (extra) => ({ model: 'oa', input: 'Say hello', max_output_tokens: 32, ...extra }),
  },
  {
    name: 'Gemini client, Gemini target (translated)',
    path: '/v1beta/models/ge:generateContent',
    body: (extra) => ({ contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }], ...extra }),
  },
];

async function send(pool: Pool, kind: Kind, extra: Record<string, unknown>): Promise<number> {
  const r = await pool.request({
    path: kind.path,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(kind.body(extra)),
  });
  await r.body.text();
  return r.statusCode;
}

async function batch(pool: Pool, kind: Kind, n: number): Promise<number> {
  let failed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next++ < n) if ((await send(pool, kind, {})) !== 200) failed++;
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return failed;
}

/** Map events between the two marks of kind `i`, grouped by what they are (a transition names its property). */
function eventsBetween(log: string, i: number): Map<string, number> {
  const lines = log.split('\n');
  const at = (mark: string) => lines.findIndex((l) => l.startsWith('map,Transition,') && l.endsWith(`,${mark}`));
  const from = at(`modelpin_mark_${i}_a`);
  const to = at(`modelpin_mark_${i}_b`);
  if (from < 0 || to < 0) throw new Error(`marks of kind ${i} not found in the map log`);
  const out = new Map<string, number>();
  for (const l of lines.slice(from + 1, to)) {
    if (!l.startsWith('map,')) continue;
    const f = l.split(',');
    const what = `${f[1]} ${f.at(-1) ?? ''}`.trim();
    out.set(what, (out.get(what) ?? 0) + 1);
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const n = numberFlag(args, '--requests', 2000);
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-maps-'));
  const upstream = await startInstantUpstream();
  const config = join(dir, 'models.yml');
  writeFileSync(
    config,
    `providers:
  o: { type: openai, base_url: "${upstream.url}/v1", api_key: bench }
  a: { type: anthropic, base_url: "${upstream.url}", api_key: bench }
  g: { type: gemini, base_url: "${upstream.url}", api_key: bench }
routes:
  oa: { targets: { production: o/${BENCH_MODEL} } }
  an: { targets: { production: a/claude-sonnet-4-5-20250929 } }
  ge: { targets: { production: g/gemini-2.0-flash-001 } }
store: { type: sqlite, path: ${join(dir, 'usage.db')} }
`,
  );
  const gw = await start(
    ['--log-maps', `--logfile=${join(dir, 'maps.log')}`, CLI, 'serve', '--config', config, '--port', '0'],
    { MODELPIN_RELAUNCH: '0' },
  );
  const pool = new Pool(gw.url, { connections: 8 });
  const failed: number[] = [];
  try {
    for (const [i, kind] of KINDS.entries()) {
      failed.push(await batch(pool, kind, n)); // warm-up: let the request path be optimised
      await send(pool, kind, { [`modelpin_mark_${i}_a`]: 1 });
      failed[i] = (failed[i] ?? 0) + (await batch(pool, kind, n));
      await send(pool, kind, { [`modelpin_mark_${i}_b`]: 1 });
    }
  } finally {
    await pool.close();
    const exited = new Promise((r) => gw.proc.once('exit', r));
    gw.proc.kill('SIGTERM');
    await exited;
    upstream.proc.kill('SIGTERM');
  }
  // One log per isolate (the SQLite writer thread has its own): the main thread's holds the marks.
  const logs = readdirSync(dir)
    .filter((f) => f.endsWith('maps.log'))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
  const log = logs.find((l) => l.includes('modelpin_mark_0_a')) ?? '';
  console.log(`hidden classes created per warm request (${n} requests per kind after ${n} of warm-up)`);
  for (const [i, kind] of KINDS.entries()) {
    const events = eventsBetween(log, i);
    const total = [...events.values()].reduce((a, b) => a + b, 0);
    const top = [...events.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, Number(process.env.BENCH_MAP_TOP ?? 4))
      .map(([what, c]) => `${what} ${(c / n).toFixed(2)}`)
      .join('; ');
    const bad = failed[i] ? ` (${failed[i]} answers not 200)` : '';
    console.log(`${kind.name.padEnd(46)} ${(total / n).toFixed(2)}${top ? `  [${top}]` : ''}${bad}`);
  }
  rmSync(dir, { recursive: true, force: true });
}

await main();
