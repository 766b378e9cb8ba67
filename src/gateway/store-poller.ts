/**
 * Polls the store for runtime overrides and canaries (and, through the extensions' hook, their own
 * store state such as runtime shadows) so that every gateway sharing a store applies a change within
 * about one second, without a restart or a config edit.
 *
 * A failed read keeps the last known state and the next tick simply tries again: every store call
 * has a deadline, so the poller recovers on its own when the store returns. The store's health (see
 * store/store-health.ts) logs the outage; the poller records how old its routing state is.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { storeFailureLevel } from '../store/store-health.js';
import type { Store } from '../store/types.js';
import type { RoutingRuntime } from '../routing/runtime.js';

export interface StorePoller {
  /** Read the store now; resolves true when routing changed. Joins a read already under way. */
  refresh(): Promise<boolean>;
  /** A read that starts after this call: what was written before it is seen (a read under way may have started before the write). */
  reread(): Promise<boolean>;
  /** Did the last read succeed? */
  healthy(): boolean;
  /** Clock time of the last successful read (null: never read; routing comes from the config file alone). */
  lastReadAt(): number | null;
  stop(): void;
}

export interface StorePollerOptions {
  store: Pick<Store, 'listOverrides' | 'listCanaries'>;
  runtime: () => RoutingRuntime;
  logger: Logger;
  clock: Clock;
  /** 0 disables the timer (refresh() by hand). */
  intervalMs: number;
  /** Runs once the routing state was read and applied (extensions' store state, e.g. runtime shadows). */
  afterRead?: () => Promise<void>;
}

export function startStorePoller(opts: StorePollerOptions): StorePoller {
  const { store, runtime, logger, clock } = opts;
  let ok = true;
  let lastReadAt: number | null = null;
  let running: Promise<boolean> | null = null;
  let stopped = false;

  const refresh = (): Promise<boolean> => {
    running ??= (async () => {
      try {
        const [overrides, canaries] = await Promise.all([store.listOverrides(), store.listCanaries()]);
        ok = true;
        lastReadAt = clock.now();
        const changed = runtime().applyStoreState(overrides, canaries);
        if (changed)
          logger.log('info', 'routing state from store applied', {
            overrides: overrides.length,
            canaries: canaries.filter((c) => c.status === 'running').length,
          });
        await opts.afterRead?.();
        return changed;
      } catch (e) {
        if (ok)
          logger.log(storeFailureLevel(e, 'warn'), 'store poll failed; keeping the last known overrides and canaries', {
            error: e instanceof Error ? e.message : String(e),
          });
        ok = false;
        return false;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const timer = opts.intervalMs > 0 ? setInterval(() => void refresh(), opts.intervalMs) : null;
  timer?.unref();
  return {
    refresh,
    async reread() {
      if (running) await running;
      return refresh();
    },
    healthy: () => ok,
    lastReadAt: () => lastReadAt,
    stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
    },
  };
}
