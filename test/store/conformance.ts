/** One behavioural suite every Store implementation must pass. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import type { CanaryRecord, EvalRunRecord, ShadowPairRecord, Store } from '../../src/store/types.js';
import { T0, run, usage } from './fixtures.js';

/** Prune tests live a year before T0, below every row the other tests write, so counts are exact. */
const P = T0 - 365 * 86_400_000;

const pair = (ts: number): ShadowPairRecord => ({
  ts,
  route: 'prune',
  primaryTarget: 'sim/a',
  candidateTarget: 'sim/b',
  primaryServedModel: null,
  candidateServedModel: null,
  primaryText: 'p'.repeat(500),
  candidateText: 'c'.repeat(500),
  primaryTokens: 1,
  candidateTokens: 1,
  primaryLatencyMs: 1,
  candidateLatencyMs: 1,
  assertions: {},
  candidateError: null,
});

export function storeConformance(
  name: string,
  open: () => Promise<Store>,
  cleanup: () => Promise<void> = async () => {},
): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
      await cleanup();
    });

    it('migrate() is idempotent', async () => {
      await store.migrate();
      await store.migrate();
      expect(await store.countUsage({})).toBe(0);
    });

    it('inserts, queries and counts usage with filters, in ts order', async () => {
      const recs = [
        usage({
          ts: T0 + 2000,
          route: 'a',
          arm: 'canary',
          costUsd: null,
          ttftMs: 33.5,
          stream: true,
          formatValid: false,
          fingerprint: 'fp_1',
          clientKeyId: 'k1',
          gatewayId: 'gw1',
        }),
        usage({ ts: T0, route: 'a', arm: 'stable', formatValid: true }),
        usage({
          ts: T0 + 1000,
          route: 'b',
          env: 'staging',
          status: 502,
          errorCode: 'upstream_error',
          servedModel: null,
          attempts: 3,
        }),
      ];
      await store.insertUsage(recs);
      await store.insertUsage([]);
      const all = await store.queryUsage({});
      expect(all.map((r) => r.ts)).toEqual([T0, T0 + 1000, T0 + 2000]);
      expect(all[2]).toEqual(recs[0]);
      expect(all[1]).toEqual(recs[2]);
      expect(await store.countUsage({})).toBe(3);
      expect(await store.countUsage({ route: 'a' })).toBe(2);
      expect(await store.countUsage({ env: 'staging' })).toBe(1);
      expect(await store.countUsage({ arm: 'canary' })).toBe(1);
      expect((await store.queryUsage({ sinceMs: T0 + 1000 })).length).toBe(2);
      expect((await store.queryUsage({ sinceMs: T0, untilMs: T0 + 1000 })).map((r) => r.ts)).toEqual([T0]);
      expect(await store.countUsage({ route: 'a', arm: 'stable', sinceMs: T0, untilMs: T0 + 1 })).toBe(1);
      // Drill-down reads: by served model (null = no model answered) or target, newest N first.
      expect((await store.queryUsage({ servedModel: null })).map((r) => r.ts)).toEqual([T0 + 1000]);
      expect((await store.queryUsage({ servedModel: 'sim-chat-2026-01-15', latest: 1 })).map((r) => r.ts)).toEqual([
        T0 + 2000,
      ]);
      expect((await store.queryUsage({ latest: 2 })).map((r) => r.ts)).toEqual([T0 + 2000, T0 + 1000]);
      expect(
        (await store.queryUsage({ target: 'sim/sim-chat-2026-01-15', route: 'a', latest: 10 })).map((r) => r.ts),
      ).toEqual([T0 + 2000, T0]);
      expect(await store.queryUsage({ target: 'nosuch/model' })).toEqual([]);
    });

    it('inserts a large usage batch atomically', async () => {
      const many = Array.from({ length: 2500 }, (_, i) => usage({ ts: T0 + 10_000 + i, route: 'bulk' }));
      await store.insertUsage(many);
      expect(await store.countUsage({ route: 'bulk' })).toBe(2500);
    });

    it('stores eval runs with cases; upserts by id; filters', async () => {
      const r1: EvalRunRecord = run({
        id: 'r1',
        startedAt: T0,
        servedModels: ['sim-chat-2026-01-15', 'sim-chat-2026-11-25'],
        fingerprints: ['fp'],
        costUsd: null,
        p50LatencyMs: null,
        cases: [
          {
            caseId: 'c1',
            route: 'summarize',
            target: 'sim/sim-chat-latest',
            servedModel: 'sim-chat-2026-11-25',
            passed: false,
            errored: false,
            score: 0.5,
            inputTokens: 10,
            outputTokens: 5,
            costUsd: null,
            latencyMs: 12,
            reasons: ['fenced JSON'],
          },
        ],
        passed: false,
      });
      const r2 = run({ id: 'r2', startedAt: T0 + 86_400_000, env: 'production', suite: 'other' });
      await store.insertEvalRun(r2);
      await store.insertEvalRun(r1);
      let runs = await store.listEvalRuns({});
      expect(runs.map((r) => r.id)).toEqual(['r1', 'r2']);
      expect(runs[0]).toEqual(r1);
      await store.insertEvalRun({ ...r1, passed: true });
      runs = await store.listEvalRuns({});
      expect(runs.length).toBe(2);
      expect(runs[0]?.passed).toBe(true);
      expect((await store.listEvalRuns({ env: 'production' })).map((r) => r.id)).toEqual(['r2']);
      expect((await store.listEvalRuns({ suite: 'other' })).map((r) => r.id)).toEqual(['r2']);
      expect((await store.listEvalRuns({ route: 'nope' })).length).toBe(0);
      expect((await store.listEvalRuns({ sinceMs: T0 + 1 })).map((r) => r.id)).toEqual(['r2']);
    });

    it('sets, replaces, lists and clears overrides', async () => {
      await store.setOverride({
        route: 'summarize',
        env: 'production',
        target: 'sim/sim-chat-2026-01-15',
        reason: 'bad',
        actor: 'ana',
        createdAt: T0,
        expiresAt: null,
      });
      await store.setOverride({
        route: 'summarize',
        env: 'production',
        target: 'sim/sim-mini-2026-03-01',
        reason: 'worse',
        actor: 'bo',
        createdAt: T0 + 1,
        expiresAt: T0 + 3600_000,
      });
      await store.setOverride({
        route: 'alpha',
        env: 'staging',
        target: 'sim/x',
        reason: 'r',
        actor: 'a',
        createdAt: T0,
        expiresAt: null,
      });
      const list = await store.listOverrides();
      expect(list.map((o) => o.route)).toEqual(['alpha', 'summarize']);
      expect(list[1]).toEqual({
        route: 'summarize',
        env: 'production',
        target: 'sim/sim-mini-2026-03-01',
        reason: 'worse',
        actor: 'bo',
        createdAt: T0 + 1,
        expiresAt: T0 + 3600_000,
      });
      expect(await store.clearOverride('summarize', 'production')).toBe(true);
      expect(await store.clearOverride('summarize', 'production')).toBe(false);
      expect((await store.listOverrides()).length).toBe(1);
    });

    it('sets, replaces, lists and clears runtime shadows (one per route+env)', async () => {
      await store.setRuntimeShadow({
        route: 'summarize',
        env: 'production',
        candidate: 'sim/sim-chat-2026-11-25',
        sample: 0.1,
        reason: null,
        actor: 'ana',
        createdAt: T0,
        expiresAt: null,
      });
      await store.setRuntimeShadow({
        route: 'summarize',
        env: 'production',
        candidate: 'sim/sim-chat-2026-12-10',
        sample: 0.25,
        reason: 'try December',
        actor: 'bo',
        createdAt: T0 + 1,
        expiresAt: T0 + 86_400_000,
      });
      await store.setRuntimeShadow({
        route: 'summarize',
        env: 'staging',
        candidate: 'sim/x',
        sample: 1,
        reason: null,
        actor: 'a',
        createdAt: T0,
        expiresAt: null,
      });
      await store.setRuntimeShadow({
        route: 'alpha',
        env: 'production',
        candidate: 'sim/y',
        sample: 0.5,
        reason: null,
        actor: 'a',
        createdAt: T0,
        expiresAt: null,
      });
      const list = await store.listRuntimeShadows();
      expect(list.map((r) => `${r.route}/${r.env}`)).toEqual([
        'alpha/production',
        'summarize/production',
        'summarize/staging',
      ]);
      expect(list[1]).toEqual({
        route: 'summarize',
        env: 'production',
        candidate: 'sim/sim-chat-2026-12-10',
        sample: 0.25,
        reason: 'try December',
        actor: 'bo',
        createdAt: T0 + 1,
        expiresAt: T0 + 86_400_000,
      });
      expect(list[0]?.reason).toBeNull();
      expect(list[0]?.expiresAt).toBeNull();
      expect(await store.clearRuntimeShadow('summarize', 'production')).toBe(true);
      expect(await store.clearRuntimeShadow('summarize', 'production')).toBe(false);
      expect((await store.listRuntimeShadows()).map((r) => `${r.route}/${r.env}`)).toEqual([
        'alpha/production',
        'summarize/staging',
      ]);
    });

    it('appends audit and lists newest first with a limit', async () => {
      for (let i = 0; i < 5; i++)
        await store.appendAudit({
          ts: T0 + i,
          actor: 'ana',
          action: i % 2 ? 'promote' : 'rollback',
          route: i === 4 ? null : 'summarize',
          detail: { i, nested: { to: 'x' } },
        });
      const last = await store.listAudit(2);
      expect(last.map((a) => a.ts)).toEqual([T0 + 4, T0 + 3]);
      expect(last[0]).toEqual({
        ts: T0 + 4,
        actor: 'ana',
        action: 'rollback',
        route: null,
        detail: { i: 4, nested: { to: 'x' } },
      });
      expect((await store.listAudit()).length).toBe(5);
    });

    it('puts, gets and lists canaries (upsert per route+env)', async () => {
      const c: CanaryRecord = {
        route: 'summarize',
        env: 'production',
        stable: 'sim/sim-chat-2026-01-15',
        candidate: 'sim/sim-chat-2026-12-10',
        percent: 5,
        ramp: [5, 25, 50, 100],
        stepIndex: 0,
        holdMs: 3600_000,
        stickyBy: 'header:x-user-id',
        guards: { max_error_rate_delta: 0.02, max_p95_ratio: 1.5 },
        status: 'running',
        reason: null,
        startedAt: T0,
        stepStartedAt: T0,
        updatedAt: T0,
      };
      expect(await store.getCanary('summarize', 'production')).toBeNull();
      await store.putCanary(c);
      expect(await store.getCanary('summarize', 'production')).toEqual(c);
      const rolled = { ...c, status: 'rolled_back' as const, reason: 'error rate', percent: 0, updatedAt: T0 + 5 };
      await store.putCanary(rolled);
      expect(await store.getCanary('summarize', 'production')).toEqual(rolled);
      await store.putCanary({ ...c, route: 'alpha' });
      expect((await store.listCanaries()).map((x) => x.route)).toEqual(['alpha', 'summarize']);
    });

    it('observeServed returns the previous observation and keeps firstSeen until the model changes', async () => {
      const t = 'sim/sim-chat-latest';
      expect(
        await store.observeServed({ target: t, servedModel: 'sim-chat-2026-01-15', fingerprint: null, lastSeen: T0 }),
      ).toBeNull();
      const p1 = await store.observeServed({
        target: t,
        servedModel: 'sim-chat-2026-01-15',
        fingerprint: null,
        lastSeen: T0 + 10,
      });
      expect(p1).toEqual({
        target: t,
        servedModel: 'sim-chat-2026-01-15',
        fingerprint: null,
        firstSeen: T0,
        lastSeen: T0,
      });
      const p2 = await store.observeServed({
        target: t,
        servedModel: 'sim-chat-2026-11-25',
        fingerprint: 'fp2',
        lastSeen: T0 + 20,
      });
      expect(p2).toEqual({
        target: t,
        servedModel: 'sim-chat-2026-01-15',
        fingerprint: null,
        firstSeen: T0,
        lastSeen: T0 + 10,
      });
      const p3 = await store.observeServed({
        target: t,
        servedModel: 'sim-chat-2026-11-25',
        fingerprint: 'fp2',
        lastSeen: T0 + 30,
      });
      expect(p3).toEqual({
        target: t,
        servedModel: 'sim-chat-2026-11-25',
        fingerprint: 'fp2',
        firstSeen: T0 + 20,
        lastSeen: T0 + 20,
      });
      expect(
        await store.observeServed({ target: 'other', servedModel: 'm', fingerprint: null, lastSeen: T0 }),
      ).toBeNull();
      expect(await store.listServed()).toEqual([
        { target: 'other', servedModel: 'm', fingerprint: null, firstSeen: T0, lastSeen: T0 },
        { target: t, servedModel: 'sim-chat-2026-11-25', fingerprint: 'fp2', firstSeen: T0 + 20, lastSeen: T0 + 30 },
      ]);
    });

    it('inserts and lists sentinel events since a time', async () => {
      await store.insertSentinelEvent({
        ts: T0 + 5,
        route: 'summarize',
        target: 'sim/sim-chat-latest',
        kind: 'served_model_changed',
        previous: 'sim-chat-2026-01-15',
        current: 'sim-chat-2026-11-25',
      });
      await store.insertSentinelEvent({
        ts: T0,
        route: 'summarize',
        target: 'sim/sim-chat-latest',
        kind: 'alias_moved',
        previous: null,
        current: 'sim-chat-2026-01-15',
      });
      const all = await store.listSentinelEvents();
      expect(all.map((e) => e.kind)).toEqual(['alias_moved', 'served_model_changed']);
      expect(all[0]?.previous).toBeNull();
      expect((await store.listSentinelEvents(T0 + 1)).map((e) => e.current)).toEqual(['sim-chat-2026-11-25']);
    });

    it('inserts and lists shadow pairs by route and time', async () => {
      const base = {
        route: 'summarize',
        primaryTarget: 'sim/a',
        candidateTarget: 'sim/b',
        primaryServedModel: 'a',
        candidateServedModel: null,
        primaryText: '{"x":1}',
        candidateText: '```json\n{"x":1}\n```',
        primaryTokens: 10,
        candidateTokens: 12,
        primaryLatencyMs: 100,
        candidateLatencyMs: 140.25,
        assertions: { 'is-json': { primary: true, candidate: false } },
        candidateError: null,
      };
      await store.insertShadowPair({ ...base, ts: T0 });
      await store.insertShadowPair({ ...base, ts: T0 + 1, route: 'other', candidateError: 'timeout' });
      const pairs = await store.listShadowPairs('summarize');
      expect(pairs).toEqual([{ ...base, ts: T0 }]);
      expect((await store.listShadowPairs(undefined, T0 + 1)).map((p) => p.route)).toEqual(['other']);
      expect((await store.listShadowPairs()).length).toBe(2);
      // A limit keeps the newest pairs, still oldest first.
      await store.insertShadowPair({ ...base, ts: T0 + 2 });
      expect((await store.listShadowPairs(undefined, undefined, 2)).map((p) => p.ts)).toEqual([T0 + 1, T0 + 2]);
      expect((await store.listShadowPairs('summarize', undefined, 1)).map((p) => p.ts)).toEqual([T0 + 2]);
    });

    it('prune deletes rows strictly older than each cutoff, only in the tables named; a row at the cutoff stays', async () => {
      await store.insertUsage([P - 2, P - 1, P, P + 1].map((ts) => usage({ ts, route: 'prune' })));
      await store.insertShadowPair(pair(P - 1));
      await store.insertShadowPair(pair(P));
      await store.insertSentinelEvent({
        ts: P - 1,
        route: 'prune',
        target: 'sim/x',
        kind: 'alias_moved',
        previous: null,
        current: 'a',
      });
      await store.insertSentinelEvent({
        ts: P,
        route: 'prune',
        target: 'sim/x',
        kind: 'alias_moved',
        previous: 'a',
        current: 'b',
      });
      await store.insertEvalRun(run({ id: 'prune-old', startedAt: P - 1 }));
      await store.insertEvalRun(run({ id: 'prune-edge', startedAt: P }));
      const usageBefore = await store.countUsage({});
      const auditBefore = (await store.listAudit(1000)).length;
      const all = { usage: P, shadow_pairs: P, sentinel_events: P, eval_runs: P };

      expect(await store.countPrunable(all)).toEqual({ usage: 2, shadow_pairs: 1, sentinel_events: 1, eval_runs: 1 });
      expect(await store.countUsage({})).toBe(usageBefore);
      expect(await store.prune({ usage: P, shadow_pairs: P })).toEqual({ usage: 2, shadow_pairs: 1 });

      expect((await store.queryUsage({ route: 'prune' })).map((r) => r.ts)).toEqual([P, P + 1]);
      expect(await store.countUsage({})).toBe(usageBefore - 2);
      expect((await store.listShadowPairs('prune')).map((p) => p.ts)).toEqual([P]);
      expect((await store.listSentinelEvents()).filter((e) => e.route === 'prune').map((e) => e.ts)).toEqual([
        P - 1,
        P,
      ]);
      expect((await store.listEvalRuns({})).map((r) => r.id)).toEqual(['prune-old', 'prune-edge', 'r1', 'r2']);

      expect(await store.prune({ sentinel_events: P, eval_runs: P })).toEqual({ sentinel_events: 1, eval_runs: 1 });
      expect((await store.listEvalRuns({})).map((r) => r.id)).toEqual(['prune-edge', 'r1', 'r2']);
      expect(await store.countPrunable(all)).toEqual({ usage: 0, shadow_pairs: 0, sentinel_events: 0, eval_runs: 0 });
      expect(await store.prune(all)).toEqual({ usage: 0, shadow_pairs: 0, sentinel_events: 0, eval_runs: 0 });
      expect(await store.prune({})).toEqual({});
      expect((await store.listAudit(1000)).length).toBe(auditBefore);
    });

    it('prunes more rows than one batch holds, in batches, and stops between batches when aborted', async () => {
      const old = (n: number, from: number) =>
        Array.from({ length: n }, (_, i) => usage({ ts: from + i, route: 'prune-bulk' }));
      await store.insertUsage(old(2345, P - 100_000));
      expect(await store.prune({ usage: P }, { batchSize: 500 })).toEqual({ usage: 2345 });
      expect(await store.countUsage({ route: 'prune-bulk' })).toBe(0);

      // An exact multiple of the batch size: the last full batch must not end the loop early or run forever.
      await store.insertUsage(old(1000, P - 100_000));
      expect(await store.prune({ usage: P }, { batchSize: 250 })).toEqual({ usage: 1000 });

      // The signal is read before every batch: aborted once the prune has started, exactly one batch goes.
      await store.insertUsage(old(1200, P - 100_000));
      const ac = new AbortController();
      const pruning = store.prune({ usage: P, shadow_pairs: P }, { batchSize: 500, signal: ac.signal });
      setImmediate(() => ac.abort());
      expect(await pruning).toEqual({ usage: 500 });
      expect(await store.countUsage({ route: 'prune-bulk' })).toBe(700);
      expect(await store.prune({ usage: P })).toEqual({ usage: 700 });
    });

    it('two connections pruning the same rows at once delete each row exactly once', async () => {
      await store.insertUsage(
        Array.from({ length: 3000 }, (_, i) => usage({ ts: P - 50_000 + i, route: 'prune-race' })),
      );
      const other = await open();
      try {
        const [a, b] = await Promise.all([
          store.prune({ usage: P }, { batchSize: 200 }),
          other.prune({ usage: P }, { batchSize: 200 }),
        ]);
        const leftover = await store.prune({ usage: P });
        expect((a.usage ?? 0) + (b.usage ?? 0) + (leftover.usage ?? 0)).toBe(3000);
        expect(await store.countUsage({ route: 'prune-race' })).toBe(0);
      } finally {
        await other.close();
      }
    });

    it('refuses a cutoff that is not a time and a batch size that is not a positive integer', async () => {
      await expect(store.prune({ usage: Number.NaN })).rejects.toBeInstanceOf(StoreError);
      await expect(store.countPrunable({ shadow_pairs: Number.POSITIVE_INFINITY })).rejects.toThrow(
        /shadow_pairs must be a finite/,
      );
      await expect(store.prune({ usage: P }, { batchSize: 0 })).rejects.toThrow(
        /batch size must be a positive integer/,
      );
      // A fractional cutoff is rounded up: `ts < 1.5` keeps the same rows as `ts < 2`.
      await store.insertUsage([usage({ ts: P - 1, route: 'prune-frac' })]);
      expect(await store.countPrunable({ usage: P - 1.5 })).toEqual({ usage: 0 });
      expect(await store.prune({ usage: P - 0.5 })).toEqual({ usage: 1 });
    });
  });
}
