/**
 * The shadows a gateway applies: its latest read of the store's runtime shadows, over `shadow:`
 * in models.yml. Shared by the admin API (which re-reads right after a change, so the gateway that
 * took the request applies it at once) and the shadow mirror (which re-reads on its poll).
 */
import type { ModelsFile } from '../../config/schema.js';
import { normalizeTarget, targetRef } from '../../config/target.js';
import type { RuntimeShadowRecord, Store } from '../../store/types.js';
import { PairMap } from '../../core/pair-map.js';
import { shadowActive } from './ops.js';

export interface ShadowSetting {
  candidate: string;
  sample: number;
  /** `runtime`: started through the admin API or the CLI (stoppable there); else models.yml. */
  source: 'runtime' | 'models.yml';
}

export class ShadowRegistry {
  /** By (route, env): looked up on every request, so without a joined key (core/pair-map.ts). */
  private runtime = new PairMap<RuntimeShadowRecord>();
  private issued = 0;
  private applied = 0;

  /**
   * Re-read the store, keeping the shadows still active at `now` (an expired one stops mirroring
   * within one poll). Reads can finish out of order (poll and admin API): an older one never
   * replaces a newer one.
   */
  async refresh(store: Store, now: number): Promise<void> {
    const ticket = ++this.issued;
    const rows = await store.listRuntimeShadows();
    if (ticket < this.applied) return;
    this.applied = ticket;
    const active = new PairMap<RuntimeShadowRecord>();
    for (const r of rows) if (shadowActive(r, now)) active.set(r.route, r.env, r);
    this.runtime = active;
  }

  /** Runtime shadows of one env, by route. */
  list(env: string): RuntimeShadowRecord[] {
    return [...this.runtime.values()].filter((r) => r.env === env);
  }

  /** The runtime shadow wins over models.yml. */
  resolve(route: string, env: string, config: ModelsFile): ShadowSetting | null {
    const rt = this.runtime.get(route, env);
    if (rt) return { candidate: rt.candidate, sample: rt.sample, source: 'runtime' };
    const s = config.routes[route]?.shadow;
    return s ? { candidate: targetRef(normalizeTarget(s.candidate)), sample: s.sample, source: 'models.yml' } : null;
  }
}
