/**
 * Store retention in the gateway: when models.yml sets `store.retention`, delete rows past their
 * age about once an hour, off the request path. The first run comes a minute or two after start
 * and every interval is jittered with the injected random source, so gateways sharing one
 * PostgreSQL store spread their prunes out instead of all deleting at the same moment.
 * A failed prune is logged and tried again at the next run; it never stops the gateway.
 */
import type { ModelsFile } from '../config/schema.js';
import { retentionCutoffs, retentionSettings } from '../store/retention.js';
import { systemTimers, type Timers } from '../store/timers.js';
import type { PruneCounts } from '../store/types.js';
import type { GatewayContext, GatewayExtension } from './extension.js';

export interface StoreRetentionOptions {
  /** Drives the schedule (tests pass manual timers). Default: real timers that do not hold the process open. */
  timers?: Timers;
  /** Delay before the first run, stretched by up to 100% of itself with jitter. Default 60 s. */
  firstRunMs?: number;
  /** Time between runs, jittered ±10%. Default 1 h. */
  intervalMs?: number;
}

export interface StoreRetention extends GatewayExtension {
  /** Prune now with the current `store.retention` (null when none is set, or when the prune failed). */
  runNow(): Promise<PruneCounts | null>;
}

const FIRST_RUN_MS = 60_000;
const INTERVAL_MS = 3_600_000;
/**
 * SQLite deletes run on the gateway's own event loop: 1,000 rows is a couple of milliseconds per batch
 * (5,000 stalled requests for 10-40 ms in a local measurement). PostgreSQL deletes run on the server,
 * so bigger batches just mean fewer round trips.
 */
const BATCH_ROWS = { sqlite: 1000, postgres: 5000 } as const;

export function storeRetention(opts: StoreRetentionOptions = {}): StoreRetention {
  const timers = opts.timers ?? systemTimers;
  const firstRunMs = opts.firstRunMs ?? FIRST_RUN_MS;
  const intervalMs = opts.intervalMs ?? INTERVAL_MS;
  let ctx: GatewayContext | null = null;
  let handle: unknown = null;
  let running: Promise<PruneCounts | null> | null = null;
  const abort = new AbortController();

  const cancel = (): void => {
    if (handle !== null) timers.clearTimeout(handle);
    handle = null;
  };

  const schedule = (c: GatewayContext, file: ModelsFile, first: boolean): void => {
    if (handle !== null || !file.store.retention) return;
    const r = c.random.next();
    const delay = first ? firstRunMs * (1 + r) : intervalMs * (0.9 + 0.2 * r);
    handle = timers.setTimeout(() => {
      handle = null;
      void runNow().finally(() => {
        if (ctx) schedule(ctx, ctx.config(), false);
      });
    }, Math.round(delay));
  };

  const prune = async (c: GatewayContext): Promise<PruneCounts | null> => {
    const configured = c.config().store.retention;
    if (!configured) return null;
    const retention = retentionSettings(configured);
    try {
      const deleted = await c.store.prune(retentionCutoffs(retention, c.clock.now()), {
        batchSize: BATCH_ROWS[c.store.kind],
        signal: abort.signal,
      });
      c.logger.log('info', 'store pruned', { deleted, retention });
      return deleted;
    } catch (e) {
      c.logger.log('warn', 'store prune failed; retrying at the next run', {
        error: e instanceof Error ? e.message : String(e),
      });
      return null;
    }
  };

  function runNow(): Promise<PruneCounts | null> {
    const c = ctx;
    if (!c) return Promise.resolve(null);
    // Never two prunes at once from one gateway: a slow store must not stack them up.
    running ??= prune(c).finally(() => {
      running = null;
    });
    return running;
  }

  return {
    name: 'store-retention',
    runNow,
    async start(c) {
      ctx = c;
      schedule(c, c.config(), true);
    },
    onConfig(file) {
      // Retention switched on by a reload starts its own schedule; switched off, the next run is cancelled.
      if (!ctx) return;
      if (file.store.retention) {
        if (running === null) schedule(ctx, file, true);
      } else cancel();
    },
    async stop() {
      ctx = null;
      cancel();
      // A prune in progress stops after its current batch, before the store is closed under it.
      abort.abort();
      if (running) await running;
    },
  };
}
