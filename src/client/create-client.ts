/**
 * In-process library client: the gateway's routing, retries, fallback and canary split
 * without a proxy hop. `import { createClient } from 'modelpin'`.
 */
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { systemClock, type Clock } from '../core/clock.js';
import { systemRandom, type Random } from '../core/random.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { ProviderError, toModelpinError } from '../core/errors.js';
import { loadConfig } from '../config/load.js';
import { modelsFileSchema, type ModelsFile } from '../config/schema.js';
import { targetRef } from '../config/target.js';
import type { CanonicalRequest, CanonicalResponse, StreamEvent } from '../wire/canonical.js';
import type { CanaryArm, Store } from '../store/types.js';
import type { ProviderClient } from '../providers/types.js';
import type { Sleep } from '../routing/dispatch.js';
import { newTrace } from '../routing/dispatch.js';
import { planRequest } from '../routing/plan.js';
import { RoutingRuntime } from '../routing/runtime.js';

export interface ClientOptions {
  /** Path of models.yml, or the config object itself. */
  config: string | ModelsFile | z.input<typeof modelsFileSchema>;
  /** Environment whose targets to use (default `production`). */
  env?: string;
  clock?: Clock;
  random?: Random;
  sleep?: Sleep;
  logger?: Logger;
  envVars?: Record<string, string | undefined>;
  /** Read runtime overrides and running canaries from this store on `refresh()`. */
  store?: Store;
  providerFactory?: (id: string, file: ModelsFile) => ProviderClient;
}

/** A canonical request minus what routing decides. */
export type ClientRequest = Omit<CanonicalRequest, 'model' | 'stream'>;

export interface CallMeta {
  route: string;
  /** `provider/model` that answered. */
  target: string;
  servedModel: string | null;
  attempts: number;
  arm: CanaryArm;
}

export type ClientResult = CanonicalResponse & CallMeta;

/** Iterate the events; a failure after the first event is thrown, never a silent end. */
export interface ClientStream extends AsyncIterable<StreamEvent>, CallMeta {
  cancel(): void;
}

export interface CallOptionsForClient {
  signal?: AbortSignal;
  /** Headers for sticky canary bucketing (e.g. `{ 'x-user-id': 'u1' }`). */
  headers?: Record<string, string>;
}

export interface ModelpinClient {
  complete(route: string, req: ClientRequest, opts?: CallOptionsForClient): Promise<ClientResult>;
  stream(route: string, req: ClientRequest, opts?: CallOptionsForClient): Promise<ClientStream>;
  /** Re-read overrides and canaries from the store (when one was given). True when routing changed. */
  refresh(): Promise<boolean>;
  close(): Promise<void>;
}

export async function createClient(opts: ClientOptions): Promise<ModelpinClient> {
  const envVars = opts.envVars ?? process.env;
  let file: ModelsFile;
  let baseDir: string | undefined;
  if (typeof opts.config === 'string') {
    const loaded = loadConfig(opts.config, { env: envVars });
    file = loaded.file;
    baseDir = loaded.baseDir;
  } else {
    file = modelsFileSchema.parse(opts.config);
  }
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? systemRandom;
  const runtime = RoutingRuntime.create(file, {
    env: opts.env ?? 'production',
    clock,
    random,
    logger: opts.logger ?? silentLogger,
    envVars,
    ...(baseDir ? { baseDir } : typeof opts.config === 'string' ? { baseDir: dirname(resolve(opts.config)) } : {}),
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
    ...(opts.providerFactory ? { providerFactory: opts.providerFactory } : {}),
  });

  const refresh = async (): Promise<boolean> => {
    if (!opts.store) return false;
    const [overrides, canaries] = await Promise.all([opts.store.listOverrides(), opts.store.listCanaries()]);
    return runtime.applyStoreState(overrides, canaries);
  };
  await refresh();

  const plan = (route: string, o: CallOptionsForClient | undefined) => {
    const headers = Object.fromEntries(Object.entries(o?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    return planRequest(runtime.table, { model: route, header: (n) => headers[n] }, random);
  };

  return {
    async complete(route, req, o) {
      const p = plan(route, o);
      const trace = newTrace();
      const { response } = await runtime.dispatcher.complete({ ...req, model: route, stream: false }, p.targets, {
        trace,
        ...(o?.signal ? { signal: o.signal } : {}),
      });
      const target = trace.target ?? p.targets[0];
      return {
        ...response,
        route: p.route,
        target: target ? targetRef(target) : '',
        servedModel: response.model,
        attempts: trace.attempts.length,
        arm: p.arm,
      };
    },
    async stream(route, req, o) {
      const p = plan(route, o);
      const trace = newTrace();
      const { stream } = await runtime.dispatcher.stream({ ...req, model: route, stream: true }, p.targets, {
        trace,
        ...(o?.signal ? { signal: o.signal } : {}),
      });
      const target = trace.target ?? p.targets[0];
      const first = stream.first;
      async function* events(): AsyncGenerator<StreamEvent> {
        yield first;
        let finished = first.type === 'finish';
        for (;;) {
          const next = await stream.rest.next();
          if (next.done) break;
          if (next.value.type === 'error') throw toModelpinError(next.value.error);
          if (next.value.type === 'finish') finished = true;
          yield next.value;
        }
        if (!finished)
          throw new ProviderError('stream_cut', 'upstream stream ended before its finish event', {
            provider: target?.provider,
          });
      }
      const iterator = events();
      return {
        route: p.route,
        target: target ? targetRef(target) : '',
        servedModel: first.type === 'start' ? first.model : null,
        attempts: trace.attempts.length,
        arm: p.arm,
        cancel: () => stream.upstream.cancel(),
        [Symbol.asyncIterator]: () => iterator,
      };
    },
    refresh,
    close: () => runtime.close(),
  };
}
