import { UsageError } from './errors.js';

/** Injected time source: core logic never calls Date.now() directly, so tests can move time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  constructor(private t: number = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.t;
  }
  set(t: number | Date): void {
    this.t = typeof t === 'number' ? t : t.getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * The clock CLI entry points use. `MODELPIN_NOW` (ISO date-time) starts time at that instant and lets it
 * run forward, so the demo and CI can replay "Monday" and "Wednesday" without waiting for them.
 */
export function clockFromEnv(env: Record<string, string | undefined> = process.env): Clock {
  const raw = env.MODELPIN_NOW;
  if (!raw) return systemClock;
  const start = Date.parse(raw);
  if (Number.isNaN(start)) throw new UsageError(`MODELPIN_NOW is not an ISO date-time: ${JSON.stringify(raw)}`);
  const realStart = Date.now();
  return { now: () => start + (Date.now() - realStart) };
}
