/**
 * What the lifecycle commands (rollback --live, overrides, canary, shadow) do, behind one
 * interface: straight on the store named in models.yml, or through a running gateway's admin API
 * (`--gateway`), whose answers are parsed with zod.
 */
import { z } from 'zod';
import { clockFromEnv } from '../core/clock.js';
import type { CanaryRecord, OverrideRecord, RuntimeShadowRecord } from '../store/types.js';
import {
  CanaryRecordSchema,
  CanaryStatusViewSchema,
  OverrideRecordSchema,
  parseAnswer,
  RuntimeShadowRecordSchema,
  ShadowReportSchema,
} from './admin/answers.js';
import { adminCall, type AdminTarget } from './admin/client.js';
import { abortCanary, canaryStatus, startCanary, type CanaryStatusView } from './canary/ops.js';
import type { CanaryStart } from './canary/plan.js';
import { loadForCli, withDeps, withStore, type LifecycleCliOptions } from './cli-support.js';
import { clearLiveOverride, setLiveOverride } from './overrides/live.js';
import { startShadow, stopShadow, type ShadowStart } from './shadow/ops.js';
import { SHADOW_REPORT_MAX_PAIRS, shadowReport, type ShadowReport } from './shadow/report.js';

/** A live override as `rollback --live` asks for it. */
export interface OverrideRequest {
  route: string;
  env: string;
  reason: string;
  actor: string;
  target?: string;
  ttl?: string;
}

export interface LifecycleBackend {
  listOverrides(): Promise<OverrideRecord[]>;
  setOverride(input: OverrideRequest): Promise<OverrideRecord>;
  /** False when there was none. */
  clearOverride(route: string, env: string, actor: string): Promise<boolean>;
  canaryStatuses(route: string | undefined): Promise<CanaryStatusView[]>;
  startCanary(input: CanaryStart & { env: string; actor: string }): Promise<CanaryRecord>;
  abortCanary(route: string, env: string, actor: string, reason: string): Promise<CanaryRecord>;
  startShadow(input: ShadowStart & { env: string; actor: string }): Promise<RuntimeShadowRecord>;
  /** False when there was none. */
  stopShadow(route: string, env: string, actor: string): Promise<boolean>;
  shadowReports(route: string | undefined): Promise<ShadowReport[]>;
}

/** `--gateway` given: the admin API; else the store of `--config`. */
export function lifecycleBackend(
  o: Pick<LifecycleCliOptions, 'config' | 'gateway' | 'adminTokenEnv'>,
): LifecycleBackend {
  return o.gateway ? remoteBackend({ url: o.gateway, tokenEnv: o.adminTokenEnv }) : localBackend(o.config);
}

export function localBackend(configPath: string | undefined): LifecycleBackend {
  const loaded = () => loadForCli(configPath);
  const clock = clockFromEnv;
  return {
    listOverrides: async () => withStore(await loaded(), (s) => s.listOverrides()),
    setOverride: async (input) =>
      withDeps(await loaded(), (deps) => setLiveOverride(deps, input, { env: input.env, actor: input.actor })),
    clearOverride: async (route, env, actor) =>
      withStore(await loaded(), (store) => clearLiveOverride({ store, clock: clock() }, route, env, actor)),
    canaryStatuses: async (route) =>
      withStore(await loaded(), async (store) => {
        const now = clock().now();
        const records = (await store.listCanaries()).filter((r) => route === undefined || r.route === route);
        return Promise.all(records.map((r) => canaryStatus(store, r, now)));
      }),
    startCanary: async (input) =>
      withDeps(await loaded(), (deps) => startCanary(deps, input, { env: input.env, actor: input.actor })),
    abortCanary: async (route, env, actor, reason) =>
      withStore(await loaded(), (store) => abortCanary({ store, clock: clock() }, route, env, actor, reason)),
    startShadow: async (input) =>
      withDeps(await loaded(), (deps) => startShadow(deps, input, { env: input.env, actor: input.actor })),
    stopShadow: async (route, env, actor) =>
      withStore(await loaded(), (store) => stopShadow({ store, clock: clock() }, route, env, actor)),
    shadowReports: async (route) =>
      withStore(await loaded(), async (store) => {
        const pairs = await store.listShadowPairs(route, undefined, SHADOW_REPORT_MAX_PAIRS);
        const routes = route ? [route] : [...new Set(pairs.map((p) => p.route))];
        return routes.map((r) => shadowReport(r, pairs));
      }),
  };
}

/** A 404 from a DELETE means there was nothing to remove. */
async function removed(call: Promise<unknown>, field: 'cleared' | 'stopped', what: string): Promise<boolean> {
  try {
    return parseAnswer(z.object({ [field]: z.boolean() }), await call, what)[field] === true;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return false;
    throw e;
  }
}

export function remoteBackend(admin: AdminTarget): LifecycleBackend {
  const routeQuery = (route: string | undefined): string => (route ? `?route=${encodeURIComponent(route)}` : '');
  return {
    listOverrides: async () =>
      parseAnswer(
        z.object({ overrides: z.array(OverrideRecordSchema) }),
        await adminCall(admin, 'GET', '/admin/overrides'),
        'the overrides',
      ).overrides,
    setOverride: async (input) =>
      parseAnswer(
        z.object({ override: OverrideRecordSchema }),
        await adminCall(admin, 'POST', '/admin/overrides', input),
        'the override',
      ).override,
    clearOverride: (route, env, actor) =>
      removed(
        adminCall(admin, 'DELETE', `/admin/overrides?${new URLSearchParams({ route, env, actor })}`),
        'cleared',
        'the cleared override',
      ),
    canaryStatuses: async (route) =>
      parseAnswer(
        z.object({ canaries: z.array(CanaryStatusViewSchema) }),
        await adminCall(admin, 'GET', `/admin/canary${routeQuery(route)}`),
        'the canaries',
      ).canaries,
    startCanary: async (input) =>
      parseAnswer(
        z.object({ canary: CanaryRecordSchema }),
        await adminCall(admin, 'POST', '/admin/canary', { action: 'start', ...input }),
        'the started canary',
      ).canary,
    abortCanary: async (route, env, actor, reason) =>
      parseAnswer(
        z.object({ canary: CanaryRecordSchema }),
        await adminCall(admin, 'POST', '/admin/canary', { action: 'abort', route, env, reason, actor }),
        'the aborted canary',
      ).canary,
    startShadow: async (input) =>
      parseAnswer(
        z.object({ shadow: RuntimeShadowRecordSchema }),
        await adminCall(admin, 'POST', '/admin/shadow', input),
        'the started shadow',
      ).shadow,
    stopShadow: (route, env, actor) =>
      removed(
        adminCall(admin, 'DELETE', `/admin/shadow?${new URLSearchParams({ route, env, actor })}`),
        'stopped',
        'the stopped shadow',
      ),
    shadowReports: async (route) =>
      parseAnswer(
        z.object({ reports: z.array(ShadowReportSchema) }),
        await adminCall(admin, 'GET', `/admin/shadow${routeQuery(route)}`),
        'the shadow reports',
      ).reports,
  };
}
