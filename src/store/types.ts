/**
 * The store contract. SQLite (embedded, default) and PostgreSQL (shared by several gateways)
 * both implement it; everything else depends only on this interface. All methods are async
 * because PostgreSQL is. Timestamps are Unix milliseconds.
 */

import type { UsageRollup } from './rollup.js';
import type { RollupAggregate, RollupQuery } from './rollup-sql.js';

export type { RollupAggregate, RollupQuery } from './rollup-sql.js';
export type { UsageRollup } from './rollup.js';

export type CanaryArm = 'stable' | 'canary' | 'shadow';

/** Token counts of a request, or summed over requests. */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  /** Input tokens written to a prompt cache (billed at the cache-write rate where a provider charges one; part of inputTokens). */
  cacheWriteTokens: number;
  /** Output tokens spent on reasoning/thinking (part of outputTokens). */
  reasoningTokens: number;
}

export interface UsageRecord extends TokenCounts {
  ts: number;
  route: string;
  env: string;
  /** `provider/model` of the target that answered (or the last one tried). */
  target: string;
  provider: string;
  /** What the client put in `model`. */
  requestedModel: string;
  servedModel: string | null;
  fingerprint: string | null;
  status: number;
  errorCode: string | null;
  attempts: number;
  latencyMs: number;
  ttftMs: number | null;
  /** USD; null when the catalog has no price (never reported as $0). */
  costUsd: number | null;
  clientKeyId: string | null;
  arm: CanaryArm | null;
  wire: string;
  stream: boolean;
  /** For canary format guards: did the output parse as the expected format? null when not checked. */
  formatValid: boolean | null;
  gatewayId: string | null;
}

/** One flush of the usage writer: the raw rows kept (per `store.raw_usage`) and the rollups of every request. */
export interface UsageBatch {
  records: UsageRecord[];
  rollups: UsageRollup[];
  /**
   * Which writer sent it, and its place in that writer's sequence. A store applies a batch at most
   * once: a retry of a batch whose COMMIT went through but whose acknowledgement was lost is skipped.
   * A writer sends its batches in order and retries a failed one before sending the next.
   */
  id?: UsageBatchId;
}

export interface UsageBatchId {
  /** Random, one per writer (process). */
  writer: string;
  /** 1, 2, 3… */
  seq: number;
}

export interface UsageQuery {
  sinceMs?: number;
  untilMs?: number;
  route?: string;
  env?: string;
  arm?: CanaryArm;
  /** Null matches requests no model answered. */
  servedModel?: string | null;
  target?: string;
  /** Only the newest N records, newest first (a bounded read for drill-downs). */
  latest?: number;
}

export interface EvalCaseResultRecord {
  caseId: string;
  route: string;
  target: string;
  servedModel: string | null;
  passed: boolean;
  errored: boolean;
  score: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  latencyMs: number;
  reasons: string[];
  /** The first graded answer, truncated; absent in runs recorded before answers were kept. */
  answer?: string | null;
}

export interface EvalRunRecord {
  id: string;
  startedAt: number;
  finishedAt: number;
  suite: string;
  suiteHash: string;
  env: string;
  route: string;
  /** `provider/model` configured. */
  target: string;
  /** Served model ids actually seen (the dated snapshot behind an alias). */
  servedModels: string[];
  fingerprints: string[];
  passed: boolean;
  totalCases: number;
  passedCases: number;
  failedCases: number;
  erroredCases: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  cases: EvalCaseResultRecord[];
}

export interface EvalRunQuery {
  route?: string;
  env?: string;
  suite?: string;
  sinceMs?: number;
}

export interface OverrideRecord {
  route: string;
  env: string;
  /** `provider/model`. */
  target: string;
  reason: string;
  actor: string;
  createdAt: number;
  expiresAt: number | null;
}

/** A shadow started at runtime (admin API or CLI); it wins over `shadow:` in models.yml. */
export interface RuntimeShadowRecord {
  route: string;
  env: string;
  /** `provider/model` that receives the mirrored requests. */
  candidate: string;
  /** Share of the route's requests mirrored, in (0, 1]. */
  sample: number;
  reason: string | null;
  actor: string;
  createdAt: number;
  /** When it stops on its own (ms since the epoch); null: until stopped. */
  expiresAt: number | null;
}

export interface AuditRecord {
  ts: number;
  actor: string;
  action: string;
  route: string | null;
  detail: Record<string, unknown>;
}

export type CanaryStatus = 'running' | 'completed' | 'rolled_back' | 'aborted';

export interface CanaryRecord {
  route: string;
  env: string;
  stable: string;
  candidate: string;
  percent: number;
  ramp: number[];
  stepIndex: number;
  holdMs: number;
  stickyBy: string | null;
  guards: Record<string, number>;
  status: CanaryStatus;
  reason: string | null;
  startedAt: number;
  stepStartedAt: number;
  updatedAt: number;
}

export interface ServedObservation {
  target: string;
  servedModel: string;
  fingerprint: string | null;
  firstSeen: number;
  lastSeen: number;
}

export interface SentinelEventRecord {
  ts: number;
  route: string;
  target: string;
  kind: 'served_model_changed' | 'fingerprint_changed' | 'alias_moved';
  previous: string | null;
  current: string;
}

export interface ShadowPairRecord {
  ts: number;
  route: string;
  primaryTarget: string;
  candidateTarget: string;
  primaryServedModel: string | null;
  candidateServedModel: string | null;
  primaryText: string;
  candidateText: string;
  primaryTokens: number;
  candidateTokens: number;
  primaryLatencyMs: number;
  candidateLatencyMs: number;
  /** Assertion outcomes from eval suites that name the route: { assertionLabel: { primary, candidate } }. */
  assertions: Record<string, { primary: boolean; candidate: boolean }>;
  candidateError: string | null;
}

/** Tables that grow with traffic and can be pruned by age (each keyed on its own timestamp column). */
export type PruneKind =
  'usage' | 'usage_minutes' | 'usage_hours' | 'usage_days' | 'shadow_pairs' | 'sentinel_events' | 'eval_runs';

/** Per table: delete rows whose timestamp is strictly before this (Unix ms). A table left out is not touched. */
export type PruneCutoffs = Partial<Record<PruneKind, number>>;

/** Rows deleted (or, for a dry run, that would be) per table named in the cutoffs. */
export type PruneCounts = Partial<Record<PruneKind, number>>;

export interface PruneOptions {
  /** Rows per DELETE statement, each its own short transaction (default 5,000). */
  batchSize?: number;
  /** Checked between batches: an aborted prune returns what it deleted so far. */
  signal?: AbortSignal;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Create/upgrade tables. Idempotent. */
  migrate(): Promise<void>;

  /** Raw rows and rollups in one transaction; rollups add into the buckets already there. */
  writeUsage(batch: UsageBatch): Promise<void>;
  /**
   * Raw rows per usage batch this store takes best, when it knows better than the writer's default
   * (SQLite writing on a thread of its own: each batch costs the event loop one message, not the inserts).
   */
  readonly usageBatchRows?: number;
  /** Record these requests: their raw rows and their rollups (`writeUsage` with the records' rollups). */
  insertUsage(records: UsageRecord[]): Promise<void>;
  /**
   * Usage summed per group (and time bucket) from the rollups. Rows returned: groups × buckets,
   * whatever the traffic. The window is resolved to the minute.
   */
  queryRollups(q: RollupQuery): Promise<RollupAggregate[]>;
  /** Raw rows (kept per `store.raw_usage`), oldest first. `sinceMs` inclusive, `untilMs` exclusive. For drill-downs, not for summaries. */
  queryUsage(q: UsageQuery): Promise<UsageRecord[]>;
  countUsage(q: UsageQuery): Promise<number>;

  /** Upsert by `id` (re-recording a run replaces it). */
  insertEvalRun(run: EvalRunRecord): Promise<void>;
  /** Oldest first (by startedAt). */
  listEvalRuns(q: EvalRunQuery): Promise<EvalRunRecord[]>;

  /** One override per (route, env): setting again replaces it. */
  setOverride(o: OverrideRecord): Promise<void>;
  clearOverride(route: string, env: string): Promise<boolean>;
  /** All stored overrides, expired ones included (callers compare expiresAt with their clock); by route, env. */
  listOverrides(): Promise<OverrideRecord[]>;

  /** One runtime shadow per (route, env): starting again replaces it. */
  setRuntimeShadow(s: RuntimeShadowRecord): Promise<void>;
  clearRuntimeShadow(route: string, env: string): Promise<boolean>;
  /** By route, env. */
  listRuntimeShadows(): Promise<RuntimeShadowRecord[]>;

  appendAudit(a: AuditRecord): Promise<void>;
  /** Newest first; default limit 100. */
  listAudit(limit?: number): Promise<AuditRecord[]>;

  /** Upsert per (route, env). */
  putCanary(c: CanaryRecord): Promise<void>;
  getCanary(route: string, env: string): Promise<CanaryRecord | null>;
  listCanaries(): Promise<CanaryRecord[]>;

  /**
   * Upsert the latest served model for a target; returns what was stored before (null if first).
   * firstSeen stays put while servedModel and fingerprint are unchanged, and restarts at lastSeen when either changes.
   */
  observeServed(o: Omit<ServedObservation, 'firstSeen'>): Promise<ServedObservation | null>;
  /** The latest served model per target (one row per target, so the read never grows with traffic); by target. */
  listServed(): Promise<ServedObservation[]>;
  insertSentinelEvent(e: SentinelEventRecord): Promise<void>;
  /** Oldest first. */
  listSentinelEvents(sinceMs?: number): Promise<SentinelEventRecord[]>;

  insertShadowPair(p: ShadowPairRecord): Promise<void>;
  /** Oldest first. With `limit`, only the newest `limit` pairs (a report reads a bounded sample, whatever the traffic). */
  listShadowPairs(route?: string, sinceMs?: number, limit?: number): Promise<ShadowPairRecord[]>;

  /**
   * Delete rows older than each table's cutoff (`ts < cutoff`; eval runs by `startedAt`), in batches so
   * a large delete never holds the write lock for long. The audit log and the one-row-per-route tables
   * are never pruned. Returns rows deleted per table in `cutoffs`.
   */
  prune(cutoffs: PruneCutoffs, opts?: PruneOptions): Promise<PruneCounts>;
  /** How many rows `prune(cutoffs)` would delete now (dry run). */
  countPrunable(cutoffs: PruneCutoffs): Promise<PruneCounts>;

  close(): Promise<void>;
}
