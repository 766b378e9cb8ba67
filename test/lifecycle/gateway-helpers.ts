import { join } from 'node:path';
import OpenAI from 'openai';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { providerSettings } from '../../src/config/resolve.js';
import { createGateway, type Gateway } from '../../src/gateway/server.js';
import type { GatewayExtension } from '../../src/gateway/extension.js';
import { createSimulatorProvider } from '../../src/sim/index.js';
import { createProviderClient } from '../../src/providers/registry.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { captureLogger, type CapturedLog, type Workspace } from './helpers.js';

export interface TestGateway {
  gw: Gateway;
  client: OpenAI;
  clock: ManualClock;
  log: CapturedLog;
  store: Store;
}

export async function startGateway(
  ws: Workspace,
  o: {
    env?: string;
    clock?: ManualClock;
    extensions?: GatewayExtension[];
    store?: Store;
    envVars?: Record<string, string>;
    pollIntervalMs?: number;
    seed?: number;
    realProviders?: string[];
  } = {},
): Promise<TestGateway> {
  const clock = o.clock ?? new ManualClock(Date.UTC(2026, 11, 14, 9));
  const log = captureLogger();
  const store = o.store ?? (await openStore({ type: 'sqlite', path: join(ws.dir, 'modelpin.db') }, { clock }));
  const gw = await createGateway({
    configPath: ws.configPath,
    env: o.env ?? 'production',
    port: 0,
    clock,
    random: seededRandom(o.seed ?? 42),
    logger: log.logger,
    store,
    extensions: o.extensions ?? [],
    envVars: { ...process.env, ...o.envVars },
    watch: false,
    pollIntervalMs: o.pollIntervalMs ?? 500,
    usageFlushMs: 50,
    // Simulators run in process; `realProviders` are called over real HTTP (e.g. a dead port on 127.0.0.1).
    providerFactory: (id, file) =>
      o.realProviders?.includes(id)
        ? createProviderClient(providerSettings(file, id), { clock })
        : createSimulatorProvider(providerSettings(file, id), { clock, random: seededRandom(`${id}:${o.seed ?? 42}`) }),
  });
  const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  return { gw, client, clock, log, store };
}

export const SENTIMENT = 'Classify the sentiment of this review as JSON: I love this blender, it is fantastic.';

/** One chat call through the gateway; returns the served model (x-modelpin-served-model) or the HTTP status of the error. */
export async function ask(
  client: OpenAI,
  route: string,
  text = SENTIMENT,
): Promise<{ ok: true; model: string; arm: string; text: string } | { ok: false; status: number }> {
  try {
    const { data, response } = await client.chat.completions
      .create({ model: route, messages: [{ role: 'user', content: text }] })
      .withResponse();
    return {
      ok: true,
      model: response.headers.get('x-modelpin-served-model') ?? '',
      arm: response.headers.get('x-modelpin-arm') ?? '',
      text: data.choices[0]?.message.content ?? '',
    };
  } catch (e) {
    return { ok: false, status: (e as { status?: number }).status ?? 0 };
  }
}

/** `n` calls with at most `concurrency` in flight. */
export async function askMany(
  client: OpenAI,
  route: string,
  n: number,
  concurrency = 8,
): Promise<Array<Awaited<ReturnType<typeof ask>>>> {
  const out: Array<Awaited<ReturnType<typeof ask>>> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        out.push(await ask(client, route));
      }
    }),
  );
  return out;
}

export async function adminFetch(
  gw: Gateway,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${gw.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
