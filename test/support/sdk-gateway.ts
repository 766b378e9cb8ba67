/**
 * A simulator, a gateway in front of it and the three official SDK clients pointed at the gateway,
 * started before a file's tests and closed after them. With `recordUpstream`, a proxy sits between
 * the gateway and the simulator: it records what each provider was sent and plays scripted faults.
 * With `resetEachTest`, each test starts with no recorded requests, no script and no backoff waits.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { SimulatorServer } from '../../src/sim/index.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { startHarness, startSim, type Harness } from './gateway-harness.js';

export interface SdkGateway {
  harness(): Harness;
  /** The recording proxy (only with `recordUpstream`). */
  proxy(): FaultProxy;
  openai(): OpenAI;
  anthropic(): Anthropic;
  gemini(): GoogleGenAI;
}

/** The key the clients send; the harness's `${GW_KEY}` resolves to it for gateways with `auth: keys`. */
const CLIENT_KEY = 'client-secret-1';

/** `yaml` gets the URL the gateway's providers should call: the simulator's, or the recording proxy's. */
export function useSdkGateway(
  yaml: (upstreamUrl: string) => string,
  opts: { recordUpstream?: boolean; resetEachTest?: boolean } = {},
): SdkGateway {
  let sim: SimulatorServer | undefined;
  let proxy: FaultProxy | undefined;
  let h: Harness | undefined;
  beforeAll(async () => {
    sim = await startSim();
    if (opts.recordUpstream) proxy = await startFaultProxy(sim.url);
    const upstream = proxy?.url ?? sim.url;
    h = await startHarness(() => yaml(upstream), {}, sim);
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    await sim?.close();
  });
  if (opts.resetEachTest) {
    beforeEach(() => {
      h?.waits.splice(0);
      proxy?.seen.splice(0);
      proxy?.script([]);
    });
  }
  const harness = (): Harness => {
    if (!h) throw new Error('the SDK gateway is not started yet');
    return h;
  };
  return {
    harness,
    proxy: () => {
      if (!proxy) throw new Error('no recording proxy: pass { recordUpstream: true }');
      return proxy;
    },
    openai: () => new OpenAI({ baseURL: `${harness().gateway.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 }),
    anthropic: () => new Anthropic({ baseURL: harness().gateway.url, apiKey: CLIENT_KEY, maxRetries: 0 }),
    gemini: () => new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: harness().gateway.url } }),
  };
}
