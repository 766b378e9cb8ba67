/**
 * Shadow traffic (gateway extension). After the client already has its answer, a sampled share
 * of a route's requests is sent again to a candidate; both answers are recorded with the route's
 * traffic-safe eval assertions run on each. The candidate's answer is discarded. Runtime shadows
 * are read from the store on start and on every gateway store poll, with overrides and canaries.
 */
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { GatewayContext, GatewayExtension, ServedEvent } from '../../gateway/extension.js';
import { normalizeTarget, targetRef, type Target } from '../../config/target.js';
import { isModelpinError } from '../../core/errors.js';
import { responseText, type CanonicalResponse } from '../../wire/canonical.js';
import type { ShadowPairRecord } from '../../store/types.js';
import type { NamedAssertion } from './assertions.js';
import { ShadowRegistry } from './registry.js';
import { storeFailureLevel } from '../../store/store-health.js';

export interface ShadowOptions {
  registry?: ShadowRegistry;
  /** Eval suite files, directories or `dir/*.yml` patterns, relative to models.yml. Default: `evals`. */
  suites?: string[];
  /** At most this many mirrored calls in flight; extra samples are skipped, never queued. */
  maxInFlight?: number;
  timeoutMs?: number;
}

export interface ShadowMirror extends GatewayExtension {
  readonly registry: ShadowRegistry;
  /** Re-read runtime shadows from the store now. */
  refresh(): Promise<void>;
  idle(): Promise<void>;
}

export function shadowMirror(opts: ShadowOptions = {}): ShadowMirror {
  const registry = opts.registry ?? new ShadowRegistry();
  const maxInFlight = opts.maxInFlight ?? 8;
  let ctx: GatewayContext | null = null;
  let storeOk = true;
  let assertionCache = new Map<string, Promise<NamedAssertion[]>>();
  const inFlight = new Set<Promise<void>>();

  // The eval machinery (assertion registry, ajv) costs several MB of memory, so a gateway loads it
  // only once some route has a shadow; it is loaded then, not on the first sample, so early samples
  // are not skipped while it loads.
  let assertionsImport: Promise<typeof import('./assertions.js')> | null = null;
  const assertionsModule = (): Promise<typeof import('./assertions.js')> =>
    (assertionsImport ??= import('./assertions.js'));
  async function warmIfShadowing(c: GatewayContext): Promise<void> {
    const config = c.config();
    if (assertionsImport || !Object.keys(config.routes).some((r) => registry.resolve(r, c.env, config) !== null))
      return;
    await assertionsModule().catch((e: unknown) =>
      c.logger.log('warn', 'shadow: cannot load the eval assertions', {
        error: e instanceof Error ? e.message : String(e),
      }),
    );
  }

  function assertionsFor(c: GatewayContext, route: string): Promise<NamedAssertion[]> {
    let p = assertionCache.get(route);
    if (!p) {
      p = assertionsModule()
        .then(async ({ loadSuites, trafficAssertions }) =>
          trafficAssertions(await loadSuites(opts.suites ?? ['evals'], dirname(c.configPath)), route),
        )
        .catch((e: unknown) => {
          c.logger.log('warn', 'shadow: cannot load eval suites; recording answers without assertions', {
            error: e instanceof Error ? e.message : String(e),
          });
          return [];
        });
      assertionCache.set(route, p);
    }
    return p;
  }

  async function check(
    named: NamedAssertion[],
    e: ServedEvent,
    res: CanonicalResponse,
    latencyMs: number,
  ): Promise<Map<string, boolean>> {
    const out = new Map<string, boolean>();
    for (const { key, assertion } of named) {
      try {
        const r = await assertion.check({
          output: responseText(res),
          response: res,
          latencyMs,
          costUsd: null,
          vars: {},
          caseId: 'shadow',
          route: e.route,
        });
        out.set(key, r.pass);
      } catch {
        out.set(key, false);
      }
    }
    return out;
  }

  async function mirror(
    c: GatewayContext,
    e: ServedEvent,
    primary: CanonicalResponse,
    candidate: Target,
  ): Promise<void> {
    const req = { ...e.request, stream: false, model: candidate.model };
    const started = performance.now();
    let res: CanonicalResponse | null = null;
    let error: string | null = null;
    try {
      res = await c
        .provider(candidate.provider)
        .complete(req, candidate.model, { timeoutMs: opts.timeoutMs ?? 30_000 });
    } catch (err) {
      error = isModelpinError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
    }
    const candidateLatencyMs = Math.round(performance.now() - started);
    const named = await assertionsFor(c, e.route);
    const p = await check(named, e, primary, e.usage.latencyMs);
    const q = res ? await check(named, e, res, candidateLatencyMs) : new Map<string, boolean>();
    const assertions: ShadowPairRecord['assertions'] = {};
    if (res)
      for (const { key } of named) assertions[key] = { primary: p.get(key) ?? false, candidate: q.get(key) ?? false };
    await c.store.insertShadowPair({
      ts: c.clock.now(),
      route: e.route,
      primaryTarget: targetRef(e.target),
      candidateTarget: targetRef(candidate),
      primaryServedModel: primary.model,
      candidateServedModel: res?.model ?? null,
      primaryText: responseText(primary),
      candidateText: res ? responseText(res) : '',
      primaryTokens: primary.usage.outputTokens,
      candidateTokens: res?.usage.outputTokens ?? 0,
      primaryLatencyMs: e.usage.latencyMs,
      candidateLatencyMs,
      assertions,
      candidateError: error,
    });
  }

  /** A failed read keeps the last known shadows; the warning is logged once per outage. */
  async function poll(c: GatewayContext): Promise<void> {
    try {
      await registry.refresh(c.store, c.clock.now());
      if (!storeOk) c.logger.log('debug', 'shadow: runtime shadows read again');
      storeOk = true;
    } catch (e) {
      if (storeOk)
        c.logger.log(
          storeFailureLevel(e, 'warn'),
          'shadow: reading runtime shadows failed; keeping the last known ones',
          { error: e instanceof Error ? e.message : String(e) },
        );
      storeOk = false;
    }
  }

  return {
    name: 'shadow',
    registry,
    refresh: async () => {
      if (ctx) await poll(ctx);
    },
    async start(c) {
      ctx = c;
      await poll(c);
      await warmIfShadowing(c);
    },
    // The gateway's store poll (overrides, canaries) re-reads runtime shadows too: one cadence, one reader.
    onStorePoll: async () => {
      if (!ctx) return;
      await poll(ctx);
      await warmIfShadowing(ctx);
    },
    onConfig() {
      // Suites may name routes differently after a reload.
      assertionCache = new Map();
      if (ctx) void warmIfShadowing(ctx);
    },
    onServed(e) {
      const c = ctx;
      if (!c || e.arm !== 'stable' || !e.response) return;
      const setting = registry.resolve(e.route, e.env, c.config());
      if (!setting || setting.sample <= 0) return;
      if (c.random.next() >= setting.sample) return;
      if (inFlight.size >= maxInFlight) {
        c.logger.log('debug', 'shadow: skipped a sample, too many mirrored calls in flight', { route: e.route });
        return;
      }
      const candidate = normalizeTarget(setting.candidate);
      if (targetRef(candidate) === targetRef(e.target)) return;
      const job = mirror(c, e, e.response, candidate).catch((err: unknown) =>
        c.logger.log(storeFailureLevel(err, 'warn'), 'shadow: recording a pair failed', {
          route: e.route,
          error: err instanceof Error ? err.message : String(err),
        }),
      );
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job));
    },
    idle: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    async stop() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      ctx = null;
    },
  };
}
