/**
 * `createGateway`: one local endpoint speaking the OpenAI (Chat Completions and Responses), Anthropic and Gemini wire formats.
 * Wires config, routing runtime, store, usage writer, metrics, extensions and the HTTP server.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../core/clock.js';
import { systemRandom, type Random } from '../core/random.js';
import { jsonLogger, rateLimitedLogger, secretScrubbingLogger, type Logger } from '../core/logger.js';
import { StoreError, type ModelpinError } from '../core/errors.js';
import { loadConfig } from '../config/load.js';
import type { ModelsFile } from '../config/schema.js';
import { describeStore, openStore } from '../store/open.js';
import { rawUsagePolicy } from '../store/raw-usage.js';
import { isStoreUnavailable, superviseStore, type StoreHealth } from '../store/store-health.js';
import { STORE_DEFAULTS, storeFreshness } from '../config/store-settings.js';
import { UsageWriter } from '../store/usage-writer.js';
import type { Store, UsageRecord } from '../store/types.js';
import { clientCodecs } from '../wire/registry.js';
import type { ProviderClient } from '../providers/types.js';
import { RoutingRuntime } from '../routing/runtime.js';
import type { Sleep } from '../routing/dispatch.js';
import type { GatewayContext, GatewayExtension } from './extension.js';
import { checkAuthBinding, createAuthenticator, unsetKeyVars, type Authenticator } from './auth.js';
import { createGatewayMetrics, registerStateGauges, type GatewayMetrics } from './metrics.js';
import { startStorePoller } from './store-poller.js';
import { readiness, type Readiness } from './readiness.js';
import { registerStoreGauges } from './store-metrics.js';
import { watchConfig } from './config-watch.js';
import { routeRequest } from './router.js';
import type { CallDeps, CallScope } from './call-scope.js';
import { createServedEmitter } from './served-event.js';
import { storeRetention } from './retention.js';
import { createOriginGuard } from './origin-guard.js';
import { listen, type Listener } from './listener.js';
import type { Timers } from '../store/timers.js';
import { loadGatewayTelemetry } from '../telemetry/load.js';
import type { GatewayTelemetry } from '../telemetry/types.js';

export interface GatewayOptions {
  configPath: string;
  env: string;
  port?: number;
  host?: string;
  clock?: Clock;
  random?: Random;
  logger?: Logger;
  /** Use this store instead of opening the one models.yml names (the caller keeps ownership). */
  store?: Store;
  extensions?: GatewayExtension[];
  /** Backoff sleep (tests inject one that records waits and advances a ManualClock). */
  sleep?: Sleep;
  /** Environment for `${VAR}` interpolation and MODELPIN_* env overrides (default process.env). */
  envVars?: Record<string, string | undefined>;
  gatewayId?: string;
  /** Watch models.yml and reload on change (default true). */
  watch?: boolean;
  /** Store poll interval for overrides and canaries (default 500 ms; 0 disables the timer). */
  pollIntervalMs?: number;
  /** Replace provider clients (tests wrap them to count calls). */
  providerFactory?: (id: string, file: ModelsFile) => ProviderClient;
  /** Usage writer flush interval (default 100 ms). */
  usageFlushMs?: number;
  /** Timers for the `store.retention` schedule (tests drive it by hand). */
  retentionTimers?: Timers;
  /**
   * Same-format forwarding (default true): a target called in the client's own format gets the
   * client's JSON and its answer is relayed as it came. False translates every call (tests compare the two).
   */
  forward?: boolean;
}

export interface Gateway {
  url: string;
  port: number;
  host: string;
  gatewayId: string;
  store: Store;
  /** Is the store reachable, since when not, and has it been migrated (a gateway may start while it is down). */
  storeHealth: StoreHealth;
  /** What /readyz answers now. */
  readiness(): Readiness;
  writer: UsageWriter;
  metrics: GatewayMetrics;
  runtime(): RoutingRuntime;
  /** Re-read models.yml. True when the new file was applied; false when it was rejected (old config keeps serving). */
  reload(): Promise<boolean>;
  /** Read overrides and canaries from the store now (the poller does this every 500 ms). */
  refresh(): Promise<boolean>;
  /** Stop accepting, drain in-flight requests, stop extensions, flush usage, close the store. */
  close(): Promise<void>;
}

export async function createGateway(opts: GatewayOptions): Promise<Gateway> {
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? systemRandom;
  const envVars = opts.envVars ?? process.env;
  const host = opts.host ?? '127.0.0.1';
  const loaded = loadConfig(opts.configPath, { env: envVars });
  let secrets = loaded.secrets;
  const logger = secretScrubbingLogger(opts.logger ?? jsonLogger(), () => secrets);
  checkAuthBinding(loaded.file, host, unsetKeyVars(loaded.interpolations));

  const startedAt = clock.now();
  const ownsStore = opts.store === undefined;
  const metrics = createGatewayMetrics();
  // Opened without migrating: a store that is unreachable now must not stop the gateway from serving
  // the config file. The supervisor migrates on the first call after the store appears.
  const storeOpts = { baseDir: loaded.baseDir, clock, migrate: false, writerThread: true };
  const opened = opts.store ?? (await openStore(loaded.file.store, storeOpts));
  let writer: UsageWriter | null = null;
  const supervised = superviseStore(opened, {
    logger,
    clock,
    where: ownsStore ? describeStore(loaded.file.store, loaded.baseDir) : `${opened.kind} store`,
    migrated: !ownsStore,
    context: () => ({ usagePending: writer?.pending ?? 0 }),
    onRecovered: () => writer?.retrySoon(),
  });
  const store = supervised.store;
  if (ownsStore) {
    try {
      await supervised.ready();
    } catch (e) {
      // Unreachable: serve from the config file and catch up later. Anything else (a newer schema, bad credentials) stops here.
      if (!isStoreUnavailable(e)) {
        await opened.close().catch(() => {});
        throw e;
      }
    }
  }
  let runtime: RoutingRuntime;
  try {
    runtime = RoutingRuntime.create(loaded.file, {
      env: opts.env,
      clock,
      random,
      logger,
      envVars,
      baseDir: loaded.baseDir,
      events: metrics.dispatchEvents,
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
      ...(opts.providerFactory ? { providerFactory: opts.providerFactory } : {}),
    });
  } catch (e) {
    if (ownsStore) await store.close().catch(() => {});
    throw e;
  }
  let auth: Authenticator = createAuthenticator(loaded.file);
  // One line per 10 s at most: a flood of connections must not become a flood of log lines.
  const dropLog = rateLimitedLogger(logger, 10_000, () => clock.now());
  // Small batches: SQLite inserts are synchronous, and a batch blocks every request in flight while it
  // runs. 25 rows take ~0.2 ms (100 rows ~0.8 ms, which showed up in the p99) at ~9% more CPU per row.
  // Rollups cost a handful of upserts per flush (groups, not requests); raw rows are kept per store.raw_usage.
  // A store writing on a thread of its own (SQLite's writer thread) asks for larger batches (Store.usageBatchRows).
  const usageWriter = new UsageWriter({
    store,
    logger,
    clock,
    random,
    flushIntervalMs: opts.usageFlushMs ?? 100,
    batchSize: opened.usageBatchRows ?? 25,
    quietStoreOutage: true,
    rawUsage: rawUsagePolicy(loaded.file.store.raw_usage),
    closeGraceMs: loaded.file.store.shutdown_grace_ms ?? STORE_DEFAULTS.shutdown_grace_ms,
  });
  writer = usageWriter;
  registerStateGauges(metrics, usageWriter, () => runtime);
  // Retention is part of the gateway, not a lifecycle option: it runs with --no-extensions too.
  const extensions = [
    ...(opts.extensions ?? []),
    storeRetention(opts.retentionTimers ? { timers: opts.retentionTimers } : {}),
  ];
  // Extensions see store polls only once started (the first poll runs before they start).
  let extensionsStarted = false;
  const pollExtensions = async (): Promise<void> => {
    if (extensionsStarted) await Promise.all(extensions.map((x) => x.onStorePoll?.()));
  };
  const poller = startStorePoller({
    store,
    runtime: () => runtime,
    logger,
    clock,
    intervalMs: opts.pollIntervalMs ?? 500,
    afterRead: pollExtensions,
  });
  // A store found unreachable at start is not waited for again here: the poller's timer catches up.
  if (supervised.health.up()) await poller.refresh();
  const readinessNow = (): Readiness =>
    readiness({
      now: clock.now(),
      startedAt,
      storeUp: supervised.health.up(),
      lastReadAt: poller.lastReadAt(),
      ...storeFreshness(runtime.file.store),
    });
  registerStoreGauges(metrics, readinessNow);
  const gatewayIdValue = opts.gatewayId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let telemetry: GatewayTelemetry | null;
  try {
    telemetry = await loadGatewayTelemetry(envVars, loaded.file.telemetry, {
      logger,
      instanceId: gatewayIdValue,
      file: () => runtime.file,
      table: () => runtime.table,
    });
  } catch (e) {
    poller.stop();
    await usageWriter.close().catch(() => {});
    await runtime.close();
    if (ownsStore) await store.close().catch(() => {});
    throw e;
  }
  const emitServed = createServedEmitter(extensions, logger);
  const record = (u: UsageRecord, scope: CallScope, error: ModelpinError | null): void => {
    usageWriter.write(u);
    emitServed(u, scope, error);
  };
  const deps: CallDeps = {
    runtime: () => runtime,
    auth: () => auth,
    bodyLimit: () => runtime.file.gateway.body_limit_bytes,
    codecs: clientCodecs,
    forward: opts.forward ?? true,
    clock,
    random,
    logger,
    metrics,
    gatewayId: gatewayIdValue,
    now: () => performance.now(),
    record,
    telemetry,
  };

  let guard = createOriginGuard(loaded.file.gateway);
  const routerDeps = { deps, extensions, guard: () => guard, readiness: readinessNow };
  let listener: Listener;
  try {
    listener = await listen({
      host,
      port: opts.port ?? 8787,
      limits: loaded.file.gateway,
      logger,
      handle: (req, res) => routeRequest(req, res, routerDeps),
      onDrop: (max) => {
        metrics.connectionDropped();
        dropLog.log('warn', 'connection refused: gateway.max_connections reached', { max_connections: max });
      },
    });
  } catch (e) {
    poller.stop();
    await usageWriter.close().catch(() => {});
    await runtime.close();
    await telemetry?.shutdown();
    if (ownsStore) await store.close().catch(() => {});
    throw e;
  }
  const port = listener.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  const ctx: GatewayContext = {
    config: () => runtime.file,
    configPath: opts.configPath,
    env: opts.env,
    store,
    clock,
    random,
    logger,
    metrics: metrics.registry,
    provider: (id) => runtime.provider(id),
    breakerState: (target) => runtime.dispatcher.breakers.state(target),
    gatewayId: gatewayIdValue,
    refreshRouting: async () => {
      await poller.reread();
    },
  };
  for (const ext of extensions) await ext.start?.(ctx);
  extensionsStarted = true;

  const reload = async (): Promise<boolean> => {
    try {
      const next = loadConfig(opts.configPath, { env: envVars });
      checkAuthBinding(next.file, host, unsetKeyVars(next.interpolations));
      runtime.applyConfig(next.file);
      secrets = next.secrets;
      auth = createAuthenticator(next.file);
      guard = createOriginGuard(next.file.gateway);
      listener.applyLimits(next.file.gateway);
      for (const ext of extensions) {
        try {
          ext.onConfig?.(next.file);
        } catch (e) {
          logger.log('warn', 'extension rejected config change', {
            extension: ext.name,
            error: e instanceof Error ? e.message : String(e),
          });
        }
      }
      logger.log('info', 'config reloaded', { path: opts.configPath, routes: runtime.table.routeNames.length });
      return true;
    } catch (e) {
      logger.log('error', 'config reload rejected; still serving the previous config', {
        path: opts.configPath,
        reason: e instanceof Error ? e.message : String(e),
      });
      return false;
    }
  };
  const stopWatch = opts.watch === false ? () => {} : watchConfig(opts.configPath, () => void reload(), logger);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      stopWatch();
      poller.stop();
      await listener.close();
      for (const ext of [...extensions].reverse())
        await ext
          .stop?.()
          .catch((e: unknown) =>
            logger.log('warn', 'extension stop failed', { extension: ext.name, error: String(e) }),
          );
      const unsaved = await flushUsageOnClose();
      // Every call has ended its span by now (drained above); bounded, and never throws.
      await telemetry?.shutdown();
      await runtime.close();
      if (ownsStore) await store.close();
      if (unsaved) throw unsaved;
    })());

  /**
   * Usage goes to the store before exit, within `store.shutdown_grace_ms`: a store known to be
   * unreachable gets one attempt, not the writer's whole retry schedule, and a store that stopped
   * answering (a lost host) is not waited on for a transaction deadline. Shutdown must fit a
   * termination grace period. What could not be saved is counted in the error.
   */
  async function flushUsageOnClose(): Promise<StoreError | null> {
    try {
      await usageWriter.close(supervised.health.up() ? {} : { attempts: 1 });
      return null;
    } catch (e) {
      const pending = usageWriter.pending;
      const reason = e instanceof StoreError ? e.details?.reason : undefined;
      const why = typeof reason === 'string' ? reason : e instanceof Error ? e.message : String(e);
      return new StoreError(`shut down with ${pending} usage records not saved: ${why}`, {
        cause: e,
        details: { pending, rawPending: usageWriter.rawPending },
      });
    }
  }

  logger.log('info', 'gateway listening', {
    url: `http://${urlHost}:${port}`,
    env: opts.env,
    routes: runtime.table.routeNames,
    auth: auth.mode,
  });
  for (const s of runtime.table.skipped) logger.log('info', 'route not served in this environment', s);
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    gatewayId: gatewayIdValue,
    store,
    storeHealth: supervised.health,
    readiness: readinessNow,
    writer: usageWriter,
    metrics,
    runtime: () => runtime,
    reload,
    refresh: () => poller.refresh(),
    close,
  };
}
