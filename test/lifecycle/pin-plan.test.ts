import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { parseConfig } from '../../src/config/load.js';
import { planPins, type ServedEvidence } from '../../src/lifecycle/promote/pin-plan.js';

const YML = `providers:
  sim: { type: simulator, scenario: default }
routes:
  summarize:
    targets: { production: sim/sim-chat-latest, staging: sim/sim-chat-latest }
    fallback: [sim/sim-mini-latest, sim/sim-mini-2026-03-01]
  classify:
    targets: { production: sim/sim-mini-2026-03-01 }
  internal:
    targets: { production: sim/sim-chat-latest }
    policy: float-allowed
    reason: low-stakes internal tool
`;

function plan(opts: { today?: string; served?: Record<string, ServedEvidence>; routes?: string[]; yml?: string } = {}) {
  const loaded = parseConfig(opts.yml ?? YML, 'models.yml', { env: {} });
  const catalog = loadCatalog({ file: loaded.file });
  return planPins({
    file: loaded.file,
    catalog,
    env: 'production',
    today: opts.today ?? '2026-11-23',
    ...(opts.routes ? { routes: opts.routes } : {}),
    served: (ref) => opts.served?.[ref],
  });
}

describe('planPins', () => {
  it('pins floating production targets and fallbacks to the catalog snapshot as of today', () => {
    const p = plan();
    expect(p.proposals.map((x) => [x.route, x.role, x.path.join('.'), x.from, x.to, x.evidence])).toEqual([
      [
        'summarize',
        'target',
        'routes.summarize.targets.production',
        'sim/sim-chat-latest',
        'sim/sim-chat-2026-01-15',
        'catalog',
      ],
      [
        'summarize',
        'fallback',
        'routes.summarize.fallback.0',
        'sim/sim-mini-latest',
        'sim/sim-mini-2026-03-01',
        'catalog',
      ],
    ]);
    expect(p.unresolved).toEqual([]);
    expect(p.allowed).toEqual(['internal: production target sim/sim-chat-latest (low-stakes internal tool)']);
  });

  it('follows the catalog date: after the move the alias maps to the new snapshot', () => {
    expect(plan({ today: '2026-11-26' }).proposals[0]?.to).toBe('sim/sim-chat-2026-11-25');
  });

  it('prefers what the provider actually served over the catalog mapping, and says so', () => {
    const p = plan({
      served: { 'sim/sim-chat-latest': { servedModel: 'sim-chat-2026-11-25', lastSeen: Date.UTC(2026, 10, 25, 9) } },
    });
    const first = p.proposals[0];
    expect(first).toMatchObject({ to: 'sim/sim-chat-2026-11-25', evidence: 'served' });
    expect(first?.detail).toBe(
      "served by the provider, last seen 2026-11-25T09:00:00.000Z; the catalog says sim-chat-2026-01-15, the provider's own answer wins",
    );
  });

  it('falls back to the catalog when the served model is unknown, and refuses when nothing safe is left', () => {
    const unknown = { 'sim/sim-chat-latest': { servedModel: 'sim-chat-experimental', lastSeen: 0 } };
    expect(plan({ served: unknown }).proposals[0]).toMatchObject({
      to: 'sim/sim-chat-2026-01-15',
      evidence: 'catalog',
    });
    // A dated id the naming rules recognise is a snapshot even without an entry: the provider's answer stands.
    const dated = { 'sim/sim-chat-latest': { servedModel: 'sim-chat-2099-01-01', lastSeen: 0 } };
    expect(plan({ served: dated }).proposals[0]).toMatchObject({ to: 'sim/sim-chat-2099-01-01', evidence: 'served' });
    // A user alias the catalog has no mapping for, seen serving a retired snapshot: nothing to pin to.
    const yml = YML.replace('sim/sim-chat-latest, staging', 'sim/sim-chat-latest-beta, staging').concat(`catalog:
  models:
    - { provider: sim, id: sim-chat-latest-beta, kind: alias, source: "our notes" }
`);
    const p = plan({
      yml,
      served: { 'sim/sim-chat-latest-beta': { servedModel: 'sim-chat-2025-06-01', lastSeen: 0 } },
      routes: ['summarize'],
    });
    expect(p.proposals.map((x) => x.role)).toEqual(['fallback']);
    expect(p.unresolved).toEqual([
      {
        route: 'summarize',
        what: 'production target sim/sim-chat-latest-beta',
        ref: 'sim/sim-chat-latest-beta',
        why: 'no safe snapshot to pin: sim-chat-2025-06-01 (served) is retired',
      },
    ]);
    const none = plan({ yml, routes: ['summarize'] });
    expect(none.unresolved[0]?.why).toMatch(
      /^neither the store nor the catalog knows which snapshot this alias serves/,
    );
  });

  it('only the routes asked for; pinned routes need nothing', () => {
    expect(plan({ routes: ['classify'] })).toEqual({ proposals: [], unresolved: [], allowed: [] });
  });
});
