import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random.js';
import { modelsFileSchema } from '../../src/config/schema.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { buildRouteTable } from '../../src/routing/table.js';
import { planRequest } from '../../src/routing/plan.js';
import type { CanaryRecord, OverrideRecord } from '../../src/store/types.js';

const file = modelsFileSchema.parse({
  providers: { sim: { type: 'simulator' } },
  routes: {
    summarize: {
      targets: { production: 'sim/sim-chat-2026-01-15', staging: 'sim/sim-chat-latest' },
      fallback: ['sim/sim-mini-2026-03-01'],
    },
    tiny: { targets: { production: 'sim/sim-mini-2026-03-01' } },
    'staging-only': { targets: { staging: 'sim/sim-chat-latest' } },
  },
});
const catalog = loadCatalog({ file });

function table(
  opts: {
    overrides?: OverrideRecord[];
    canaries?: CanaryRecord[];
    passthrough?: 'deny' | 'allow-pinned' | 'allow';
  } = {},
) {
  const f = { ...file, gateway: { ...file.gateway, passthrough: opts.passthrough ?? 'deny' } };
  return buildRouteTable({
    file: f,
    env: 'production',
    envVars: {},
    overrides: opts.overrides ?? [],
    canaries: opts.canaries ?? [],
    classify: (m, p) => catalog.classify(m, p.id).kind,
    now: 1000,
    strict: true,
  });
}
const noHeaders = { header: () => undefined };

function canary(percent: number, stickyBy: string | null = null): CanaryRecord {
  return {
    route: 'summarize',
    env: 'production',
    stable: 'sim/sim-chat-2026-01-15',
    candidate: 'sim/sim-chat-2026-12-10',
    percent,
    ramp: [percent],
    stepIndex: 0,
    holdMs: 1000,
    stickyBy,
    guards: {},
    status: 'running',
    reason: null,
    startedAt: 0,
    stepStartedAt: 0,
    updatedAt: 0,
  };
}

describe('planRequest', () => {
  it('resolves a route to its production chain with the real model ids', () => {
    const p = planRequest(table(), { model: 'summarize', ...noHeaders }, seededRandom(1));
    expect(p).toMatchObject({ route: 'summarize', env: 'production', arm: 'stable', passthrough: false });
    expect(p.targets.map((t) => `${t.provider}/${t.model}`)).toEqual([
      'sim/sim-chat-2026-01-15',
      'sim/sim-mini-2026-03-01',
    ]);
  });

  it('applies a runtime override and ignores an expired one', () => {
    const o: OverrideRecord = {
      route: 'summarize',
      env: 'production',
      target: 'sim/sim-chat-2026-12-10',
      reason: 'r',
      actor: 'a',
      createdAt: 0,
      expiresAt: null,
    };
    expect(
      planRequest(table({ overrides: [o] }), { model: 'summarize', ...noHeaders }, seededRandom(1)).targets[0]?.model,
    ).toBe('sim-chat-2026-12-10');
    const expired = { ...o, expiresAt: 500 };
    expect(
      planRequest(table({ overrides: [expired] }), { model: 'summarize', ...noHeaders }, seededRandom(1)).targets[0]
        ?.model,
    ).toBe('sim-chat-2026-01-15');
  });

  it('splits canary traffic by the sticky header, candidate first with the stable chain behind it', () => {
    const t = table({ canaries: [canary(50, 'header:x-user-id')] });
    const arms = new Map<string, string>();
    for (let i = 0; i < 200; i++) {
      const user = `u${i}`;
      const p = planRequest(
        t,
        { model: 'summarize', header: (n) => (n === 'x-user-id' ? user : undefined) },
        seededRandom(i),
      );
      arms.set(user, p.arm);
      const again = planRequest(
        t,
        { model: 'summarize', header: (n) => (n === 'x-user-id' ? user : undefined) },
        seededRandom(i + 1000),
      );
      expect(again.arm).toBe(p.arm);
      if (p.arm === 'canary')
        expect(p.targets.map((x) => x.model)).toEqual([
          'sim-chat-2026-12-10',
          'sim-chat-2026-01-15',
          'sim-mini-2026-03-01',
        ]);
    }
    const share = [...arms.values()].filter((a) => a === 'canary').length / arms.size;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
  });

  it('without a sticky key the injected random decides', () => {
    const t = table({ canaries: [canary(10)] });
    expect(planRequest(t, { model: 'summarize', ...noHeaders }, { next: () => 0.05 }).arm).toBe('canary');
    expect(planRequest(t, { model: 'summarize', ...noHeaders }, { next: () => 0.5 }).arm).toBe('stable');
  });

  it('unknown routes list what is available; routes without a target in this env are not served', () => {
    expect(() => planRequest(table(), { model: 'nope', ...noHeaders }, seededRandom(1))).toThrow(
      /unknown route "nope".*summarize, tiny/,
    );
    expect(() => planRequest(table(), { model: 'staging-only', ...noHeaders }, seededRandom(1))).toThrow(
      /unknown route/,
    );
  });

  it('a key limited to some routes sees only those and is refused others', () => {
    const allowed = new Set(['tiny']);
    expect(() =>
      planRequest(table(), { model: 'summarize', ...noHeaders, allowedRoutes: allowed }, seededRandom(1)),
    ).toThrow(
      expect.objectContaining({ code: 'forbidden', details: expect.objectContaining({ available: ['tiny'] }) }),
    );
    expect(planRequest(table(), { model: 'tiny', ...noHeaders, allowedRoutes: allowed }, seededRandom(1)).route).toBe(
      'tiny',
    );
  });

  it('refuses a floating id and names the pinned route of the same family', () => {
    for (const mode of ['deny', 'allow-pinned'] as const) {
      try {
        planRequest(table({ passthrough: mode }), { model: 'sim/sim-chat-latest', ...noHeaders }, seededRandom(1));
        expect.unreachable();
      } catch (e) {
        expect(e).toMatchObject({ code: 'passthrough_denied', details: { suggestions: ['summarize'] } });
        expect((e as Error).message).toMatch(/floating alias.*"summarize"/);
      }
    }
  });

  it('allow-pinned passes a pinned snapshot through; allow passes anything', () => {
    const p = planRequest(
      table({ passthrough: 'allow-pinned' }),
      { model: 'sim/sim-chat-2026-12-10', ...noHeaders },
      seededRandom(1),
    );
    expect(p).toMatchObject({ passthrough: true, targets: [{ provider: 'sim', model: 'sim-chat-2026-12-10' }] });
    const bare = planRequest(
      table({ passthrough: 'allow' }),
      { model: 'sim-chat-latest', ...noHeaders },
      seededRandom(1),
    );
    expect(bare.targets).toEqual([{ provider: 'sim', model: 'sim-chat-latest' }]);
  });
});
