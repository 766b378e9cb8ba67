/**
 * Polls the store for runtime overrides and canaries (and, through the extensions' hook, their own
 * store state such as runtime shadows) so that every gateway sharing a store applies a change within
 * about one second, without a restart or a config edit.
 */
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/types.js';
import type { RoutingRuntime } from '../routing/runtime.js';

export interface StorePoller {
  /** Read the store now; resolves true when routing changed. */
  refresh(): Promise<boolean>;
  /** Did the last read succeed? (readiness) */
  healthy(): boolean;
  stop(): void;
}

/** `afterRead` runs once the routing state was read and applied (extensions' store state, e.g. runtime shadows). */
export function startStorePoller(store: Store, runtime: () => RoutingRuntime, logger: Logger, intervalMs: number, afterRead: () => Promise<void> = async () => {}): StorePoller {
  let ok = true;
  let running: Promise<boolean> | null = null;
  let stopped = false;

  const refresh = (): Promise<boolean> => {
    running ??= (async () => {
      try {
        const [overrides, canaries] = await Promise.all([store.listOverrides(), store.listCanaries()]);
        if (!ok) logger.log('info', 'store reachable again');
        ok = true;
        const changed = runtime().applyStoreState(overrides, canaries);
        if (changed) logger.log('info', 'routing state from store applied', { overrides: overrides.length, canaries: canaries.filter((c) => c.status === 'running').length });
        await afterRead();
        return changed;
      } catch (e) {
        if (ok) logger.log('warn', 'store poll failed; keeping the last known overrides and canaries', { error: e instanceof Error ? e.message : String(e) });
        ok = false;
        return false;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const timer = intervalMs > 0 ? setInterval(() => void refresh(), intervalMs) : null;
  timer?.unref();
  return {
    refresh,
    healthy: () => ok,
    stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
    },
  };
}
