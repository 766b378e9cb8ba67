import type { Target } from '../config/target.js';
import type { CanaryArm, CanaryRecord } from '../store/types.js';

export type PassthroughMode = 'deny' | 'allow-pinned' | 'allow';
export type ModelKind = 'pinned' | 'floating' | 'preview' | 'unknown';

/** How the catalog sees a model id for a provider (injected so routing stays pure). */
export type ModelClassifier = (model: string, provider: { id: string; type: string }) => ModelKind;

/** One route, resolved for the gateway's environment with overrides applied. Rebuilt on reload/poll, never per request. */
export interface RouteEntry {
  route: string;
  /** Primary target followed by the fallback chain. */
  chain: Target[];
  /** Where the primary came from (config, env var, override). */
  source: string;
  canary: CanaryRecord | null;
  /** Candidate first, then the stable chain. */
  canaryChain: Target[] | null;
  /** Lower-cased header name for sticky canary bucketing. */
  stickyHeader: string | null;
}

export interface RouteTable {
  env: string;
  routes: ReadonlyMap<string, RouteEntry>;
  routeNames: readonly string[];
  passthrough: PassthroughMode;
  providers: ReadonlyMap<string, { id: string; type: string }>;
  /** Production target per route (for "use this pinned route instead"). */
  productionTargets: ReadonlyMap<string, Target>;
  classify: ModelClassifier;
  /** Routes not served in this environment, or served without an override that failed to apply. */
  skipped: ReadonlyArray<{ route: string; reason: string }>;
}

export interface RoutePlan {
  route: string;
  env: string;
  arm: CanaryArm;
  targets: Target[];
  /** What the client asked for. */
  requested: string;
  passthrough: boolean;
}

export interface PlanInput {
  model: string;
  /** Request headers (lower-case names) for sticky canary keys. */
  header(name: string): string | undefined;
  /** Routes the caller's key may use; null means every route and raw ids (subject to passthrough). */
  allowedRoutes?: ReadonlySet<string> | null;
}
