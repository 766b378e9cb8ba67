/** Injected timers so batching/backoff logic can be driven by tests without real waiting. */
export interface Timers {
  /** keepAlive: hold the process open until it fires (shutdown retries); otherwise it may be unref'd. */
  setTimeout(fn: () => void, ms: number, opts?: { keepAlive?: boolean }): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout(fn, ms, opts) {
    const h = setTimeout(fn, ms);
    // A pending periodic flush must not keep a CLI process alive; close() flushes explicitly.
    if (!opts?.keepAlive) h.unref();
    return h;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
