/**
 * Store health for a long-running process (the gateway): every call to the store goes through one
 * wrapper that notices when the store becomes unreachable and when it answers again, and says so in
 * exactly one log line each way. Components that call the store (poller, usage writer, canary
 * controller, sentinel, admin API) log an unreachable store at debug level only: this is the line
 * an operator reads.
 *
 * The wrapper also holds back a store that was unreachable at start-up: it migrates on the first
 * call after the store appears, before any other statement runs, so a gateway can start while the
 * store is down and catch up when it comes back.
 */
import type { Clock } from '../core/clock.js';
import { StoreError } from '../core/errors.js';
import type { Logger, LogLevel } from '../core/logger.js';

/** The store cannot be reached (or answers too slowly) right now: retry later, serve from what is known. */
export function isStoreUnavailable(e: unknown): e is StoreError {
  return e instanceof StoreError && e.status === 503;
}

/** Log level for a failed store call: an outage is announced once by the store health, everything else at `level`. */
export function storeFailureLevel(e: unknown, level: LogLevel): LogLevel {
  return isStoreUnavailable(e) ? 'debug' : level;
}

export interface StoreHealth {
  /** False from the first unreachable answer until a call started after it succeeds. */
  up(): boolean;
  /** Clock time the current outage began (null while up). */
  downSince(): number | null;
  /** Tables created and upgraded (false while a store unreachable at start-up has not come back). */
  migrated(): boolean;
}

export interface SuperviseOptions {
  logger: Logger;
  clock: Clock;
  /** Where the store is, safe to print (no credentials). */
  where: string;
  /** Migrate before the first call (a store that could not be migrated at start-up). */
  migrated: boolean;
  /** Extra fields for the outage and recovery lines (e.g. usage records waiting). */
  context?: () => Record<string, unknown>;
  /** Called once the store answers again after an outage (e.g. retry buffered writes now). */
  onRecovered?: () => void;
  /**
   * A store that answered before is declared unreachable only when calls keep failing this long
   * (default 1000 ms): one timed-out connection or one stale pooled connection after a failover is a
   * blip, not an outage worth two log lines. A store never reached is declared unreachable at once.
   */
  confirmMs?: number;
}

interface Migratable {
  migrate(): Promise<void>;
}

/** Methods that pass straight through: no health bookkeeping, no migration gate. */
const PASS_THROUGH = new Set<PropertyKey>(['close', 'migrate', 'constructor']);

export interface SupervisedStore<S> {
  store: S;
  health: StoreHealth;
  /** Migrate now if not done yet (rejects while the store is unreachable). */
  ready(): Promise<void>;
}

export function superviseStore<S extends Migratable>(store: S, opts: SuperviseOptions): SupervisedStore<S> {
  let up = true;
  let downSince: number | null = null;
  const confirmMs = opts.confirmMs ?? 1000;
  // Start of the current run of failures (null after a success), and whether any call ever succeeded.
  let failingSince: number | null = null;
  let everAnswered = opts.migrated;
  // Bumped at each outage: only a call started after the latest outage began can end it.
  let epoch = 0;
  let migrated = opts.migrated;
  let migrating: Promise<void> | null = null;

  const context = (): Record<string, unknown> => {
    try {
      return opts.context?.() ?? {};
    } catch {
      return {};
    }
  };

  const failed = (e: unknown): void => {
    if (!isStoreUnavailable(e) || !up) return;
    const now = opts.clock.now();
    failingSince ??= now;
    if (everAnswered && now - failingSince < confirmMs) return;
    up = false;
    downSince = failingSince;
    epoch++;
    opts.logger.log(
      'warn',
      'store unreachable: serving from the config file and the last known overrides and canaries, keeping usage in memory until it returns',
      {
        store: opts.where,
        error: e.message,
        ...context(),
      },
    );
  };

  const succeeded = (startedIn: number, startedAt: number): void => {
    if (startedIn !== epoch) return;
    everAnswered = true;
    // A slow call that began before the failures started says nothing about the store now.
    if (failingSince !== null && startedAt < failingSince) return;
    failingSince = null;
    if (up) return;
    up = true;
    const since = downSince;
    downSince = null;
    opts.logger.log('warn', 'store reachable again', {
      store: opts.where,
      downForMs: since === null ? null : Math.max(0, opts.clock.now() - since),
      ...context(),
    });
    opts.onRecovered?.();
  };

  const track = <T>(p: Promise<T>, startedIn: number, startedAt: number): Promise<T> =>
    p.then(
      (v) => {
        succeeded(startedIn, startedAt);
        return v;
      },
      (e: unknown) => {
        failed(e);
        throw e;
      },
    );

  const ensureMigrated = (): Promise<void> => {
    if (migrated) return Promise.resolve();
    migrating ??= (async () => {
      const startedIn = epoch;
      try {
        await track(store.migrate(), startedIn, opts.clock.now());
        migrated = true;
        opts.logger.log('info', 'store migrated after it became reachable', { store: opts.where });
      } finally {
        migrating = null;
      }
    })();
    return migrating;
  };

  const wrapped = new Map<PropertyKey, unknown>();
  const proxy = new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function' || PASS_THROUGH.has(prop))
        return typeof value === 'function' ? value.bind(target) : value;
      const cached = wrapped.get(prop);
      if (cached) return cached;
      const method = value as (...args: unknown[]) => unknown;
      const fn = (...args: unknown[]): unknown => {
        const startedIn = epoch;
        const startedAt = opts.clock.now();
        if (!migrated)
          return ensureMigrated().then(() =>
            track(Promise.resolve(method.apply(target, args)), epoch, opts.clock.now()),
          );
        const out = method.apply(target, args);
        return out instanceof Promise ? track(out, startedIn, startedAt) : out;
      };
      wrapped.set(prop, fn);
      return fn;
    },
  });

  return {
    store: proxy,
    ready: ensureMigrated,
    health: {
      up: () => up,
      downSince: () => downSince,
      migrated: () => migrated,
    },
  };
}
