import type { Clock } from '../core/clock.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerSettings {
  failureThreshold: number;
  cooldownMs: number;
}

interface Entry {
  state: BreakerState;
  failures: number;
  openedAt: number;
  /** A half-open probe is in flight; other callers skip this target meanwhile. */
  probing: boolean;
}

/**
 * One breaker per target (keyed by `provider/model`): closed -> open after `failureThreshold`
 * consecutive failures -> after `cooldownMs` a single half-open probe; its success closes
 * the breaker, its failure re-opens it for another cooldown.
 */
export class CircuitBreakers {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private settings: BreakerSettings,
    private readonly clock: Clock,
    /** Told of every state change (logs, metrics); never of a failure that leaves the state as it was. */
    private readonly onTransition: (target: string, from: BreakerState, to: BreakerState) => void = () => {},
  ) {}

  configure(settings: BreakerSettings): void {
    this.settings = settings;
  }

  /** May a call go to this target now? Claims the half-open probe slot when it grants one. */
  acquire(key: string): boolean {
    // Healthy targets have no entry: skip the lookup (and the key's hashing) entirely.
    if (this.entries.size === 0) return true;
    const e = this.entries.get(key);
    if (!e || e.state === 'closed') return true;
    if (e.state === 'open') {
      if (this.clock.now() - e.openedAt < this.settings.cooldownMs) return false;
      e.state = 'half_open';
      e.probing = false;
      this.onTransition(key, 'open', 'half_open');
    }
    if (e.probing) return false;
    e.probing = true;
    return true;
  }

  success(key: string): void {
    if (this.entries.size === 0) return;
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    if (e.state !== 'closed') this.onTransition(key, e.state, 'closed');
  }

  failure(key: string): void {
    const e = this.entries.get(key) ?? { state: 'closed' as BreakerState, failures: 0, openedAt: 0, probing: false };
    e.failures += 1;
    const from = e.state;
    if (e.state === 'half_open' || e.failures >= this.settings.failureThreshold) {
      e.state = 'open';
      e.openedAt = this.clock.now();
      e.probing = false;
    }
    this.entries.set(key, e);
    if (from !== e.state) this.onTransition(key, from, e.state);
  }

  /** A granted call ended without a verdict on the upstream's health (e.g. the client went away). */
  release(key: string): void {
    const e = this.entries.get(key);
    if (e && e.state === 'half_open') e.probing = false;
  }

  state(key: string): BreakerState {
    const e = this.entries.get(key);
    if (!e) return 'closed';
    if (e.state === 'open' && this.clock.now() - e.openedAt >= this.settings.cooldownMs) return 'half_open';
    return e.state;
  }

  snapshot(): Record<string, BreakerState> {
    const out: Record<string, BreakerState> = {};
    for (const k of this.entries.keys()) out[k] = this.state(k);
    return out;
  }
}
