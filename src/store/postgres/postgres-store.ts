/**
 * Shared store on PostgreSQL for several gateways: a pg Pool, ON CONFLICT upserts, JSONB for
 * structured columns. A `schema` option isolates tenants/tests (created if missing).
 */
import pg from 'pg';
import { systemClock, type Clock } from '../../core/clock.js';
import { StoreError } from '../../core/errors.js';
import {
  auditSpec,
  canarySpec,
  columnList,
  decodeRow,
  encodeRow,
  evalRunSpec,
  overrideSpec,
  postgresDialect,
  runtimeShadowSpec,
  sentinelSpec,
  servedSpec,
  shadowSpec,
  usageSpec,
  type TableSpec,
} from '../columns.js';
import { MIGRATIONS, SCHEMA_VERSION_DDL, migrationSql, newerSchemaMessage } from '../migrations.js';
import { MODEL_ROLLUPS, modelRollupsOf } from '../model-rollups.js';
import { rollupKey, rollupsOf } from '../rollup.js';
import { ROLLUP_COLUMN_COUNT, aggregateRollupRows, encodeRollup, rangePieces, rollupReadSql, rollupUpsertSql, type RollupAggregate, type RollupQuery } from '../rollup-sql.js';
import { pruneCondition, pruneInBatches, pruneTargets } from '../prune.js';
import { describePostgres } from '../redact.js';
import { evalRunWhere, postgresPh, routeSinceWhere, servedChanged, usageOrder, usageWhere } from '../query.js';
import type {
  AuditRecord,
  CanaryRecord,
  EvalRunQuery,
  EvalRunRecord,
  OverrideRecord,
  PruneCounts,
  PruneCutoffs,
  PruneOptions,
  RuntimeShadowRecord,
  SentinelEventRecord,
  ServedObservation,
  ShadowPairRecord,
  Store,
  UsageBatch,
  UsageQuery,
  UsageRecord,
  UsageRollup,
} from '../types.js';
import { BATCH_WRITER_RETENTION_MS, claimBatchParams, claimBatchSql, staleWritersSql } from '../usage-batches.js';
import { postgresError } from './errors.js';
import { PgPool, type PgPoolSettings, type PgTxClient } from './pool.js';

export interface PostgresStoreOptions extends Omit<PgPoolSettings, 'options'> {
  /** Schema holding the tables (default `public`). Created if missing. */
  schema?: string;
  /** Deadline of the migration transaction (default 10 min: a migration may rewrite large tables). */
  migrationTimeoutMs?: number;
  clock?: Clock;
}

type Queryable = PgTxClient;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Keeps one multi-row INSERT well under PostgreSQL's 65535 bind-parameter limit. */
const USAGE_ROWS_PER_STATEMENT = 1000;
const ROLLUPS_PER_STATEMENT = Math.floor(60_000 / ROLLUP_COLUMN_COUNT);
/** Arbitrary constant key for pg_advisory_xact_lock: serialises concurrent migrate() calls. */
const MIGRATION_LOCK_KEY = 0x6d6f6470;

function insertSql<R>(spec: TableSpec<R>, rows = 1): string {
  const n = spec.cols.length;
  const values = Array.from({ length: rows }, (_, r) => `(${spec.cols.map((_c, i) => `$${r * n + i + 1}`).join(', ')})`).join(', ');
  return `INSERT INTO ${spec.table} (${columnList(spec)}) VALUES ${values}`;
}

function upsertSql<R>(spec: TableSpec<R>, keys: string[]): string {
  const sets = spec.cols.filter((c) => !keys.includes(c.col)).map((c) => `${c.col} = EXCLUDED.${c.col}`);
  return `${insertSql(spec)} ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${sets.join(', ')}`;
}

/** In key order: two gateways upserting the same buckets then lock them in the same order (no deadlock). */
function inKeyOrder(rollups: readonly UsageRollup[]): UsageRollup[] {
  return rollups
    .map((r) => ({ k: rollupKey(r), r }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.r);
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly pool: PgPool;
  private readonly migrationTimeoutMs: number;
  private readonly clock: Clock;
  readonly schema: string;
  private closed = false;

  constructor(private readonly url: string, opts: PostgresStoreOptions = {}) {
    this.schema = opts.schema ?? 'public';
    if (!SCHEMA_NAME.test(this.schema)) throw new StoreError(`invalid PostgreSQL schema name "${this.schema}" (use lowercase letters, digits, _)`);
    this.clock = opts.clock ?? systemClock;
    this.migrationTimeoutMs = opts.migrationTimeoutMs ?? 600_000;
    const { schema: _s, clock: _c, migrationTimeoutMs: _m, ...pool } = opts;
    this.pool = new PgPool(url, { ...pool, options: `-c search_path=${this.schema}` });
  }

  /** Sockets still open (tests: nothing leaks after close()). */
  get openSockets(): number {
    return this.pool.openSockets;
  }

  private async q(op: string, sql: string, params: unknown[] = [], client?: Queryable): Promise<pg.QueryResult> {
    if (!client) return this.pool.query(op, sql, params);
    try {
      return await client.query(sql, params);
    } catch (e) {
      throw postgresError(e, this.url, op);
    }
  }

  private tx<T>(op: string, fn: (c: PgTxClient) => Promise<T>, timeoutMs?: number): Promise<T> {
    return this.pool.tx(op, fn, timeoutMs === undefined ? {} : { timeoutMs });
  }

  private async all<R>(spec: TableSpec<R>, op: string, sql: string, params: unknown[] = [], client?: Queryable): Promise<R[]> {
    const res = await this.q(op, sql, params, client);
    return res.rows.map((r: unknown) => decodeRow(spec, r));
  }

  /** Tables with one row per (route, env): overrides, canaries, runtime shadows. */
  private async deleteRouteEnv<R>(op: string, spec: TableSpec<R>, route: string, env: string): Promise<boolean> {
    const res = await this.q(op, `DELETE FROM ${spec.table} WHERE route = $1 AND env = $2`, [route, env]);
    return (res.rowCount ?? 0) > 0;
  }

  /** Overrides, canaries, runtime shadows: polled by every gateway, so read with the probe deadline (a lost host shows here first). */
  private async allByRouteEnv<R>(op: string, spec: TableSpec<R>): Promise<R[]> {
    const res = await this.pool.probe(op, `SELECT ${columnList(spec)} FROM ${spec.table} ORDER BY route, env`);
    return res.rows.map((r: unknown) => decodeRow(spec, r));
  }

  async migrate(): Promise<void> {
    await this.tx('migrating', async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await c.query(`SET LOCAL search_path = ${this.schema}`);
      await c.query(SCHEMA_VERSION_DDL);
      const res = await c.query('SELECT version FROM schema_version');
      const done = new Set(res.rows.map((r: { version: unknown }) => Number(r.version)));
      const newer = newerSchemaMessage(done, describePostgres(this.url));
      if (newer) throw new StoreError(newer);
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        await c.query(migrationSql(m, 'postgres'));
        if (m.data) {
          const steps = m.data('postgres');
          for (let step = steps.next(); !step.done; ) step = steps.next((await c.query(step.value.sql, step.value.params)).rows as unknown[]);
        }
        await c.query('INSERT INTO schema_version (version, description, applied_at) VALUES ($1, $2, $3)', [m.version, m.description, this.clock.now()]);
      }
    }, this.migrationTimeoutMs);
  }

  async schemaVersions(): Promise<number[]> {
    const res = await this.q('reading schema version', 'SELECT version FROM schema_version ORDER BY version');
    return res.rows.map((r: { version: unknown }) => Number(r.version));
  }

  async writeUsage(batch: UsageBatch): Promise<void> {
    const { records } = batch;
    if (records.length === 0 && batch.rollups.length === 0) return;
    const rollups = inKeyOrder(batch.rollups);
    await this.tx('writing usage', async (c) => {
      if (batch.id) {
        const now = this.clock.now();
        if (batch.id.seq === 1) await c.query(staleWritersSql(postgresPh), [now - BATCH_WRITER_RETENTION_MS]);
        // Applied already: the first attempt committed and its acknowledgement was lost.
        if (((await c.query(claimBatchSql(postgresPh), claimBatchParams(batch.id, now))).rowCount ?? 0) === 0) return;
      }
      for (let i = 0; i < records.length; i += USAGE_ROWS_PER_STATEMENT) {
        const chunk = records.slice(i, i + USAGE_ROWS_PER_STATEMENT);
        await c.query(insertSql(usageSpec, chunk.length), chunk.flatMap((r) => encodeRow(usageSpec, r, postgresDialect)));
      }
      for (const [table, rows] of [['usage_rollups', rollups], [MODEL_ROLLUPS, inKeyOrder(modelRollupsOf(rollups))]] as const) {
        for (let i = 0; i < rows.length; i += ROLLUPS_PER_STATEMENT) {
          const chunk = rows.slice(i, i + ROLLUPS_PER_STATEMENT);
          await c.query(rollupUpsertSql('postgres', chunk.length, table), chunk.flatMap(encodeRollup));
        }
      }
    });
  }

  async insertUsage(records: UsageRecord[]): Promise<void> {
    await this.writeUsage({ records, rollups: rollupsOf(records) });
  }

  async queryRollups(q: RollupQuery): Promise<RollupAggregate[]> {
    // Summed by the server per group and bucket, piece by piece (48 buckets of one grain per query):
    // node-postgres holds a whole result in memory, and a piece's result (its groups, with their
    // concatenated histogram texts) stays a few MB. Memory: one piece's result plus groups × output buckets.
    const acc = new Map<string, RollupAggregate>();
    let out: RollupAggregate[] = [];
    for (const ranges of rangePieces(q)) {
      const { sql, params } = rollupReadSql('postgres', { ...q, ranges });
      const res = await this.q('reading usage rollups', sql, params);
      out = aggregateRollupRows(q, res.rows as unknown[], acc);
    }
    return out;
  }

  async queryUsage(q: UsageQuery): Promise<UsageRecord[]> {
    const w = usageWhere(q, postgresPh);
    return this.all(usageSpec, 'reading usage', `SELECT ${columnList(usageSpec)} FROM usage_records${w.sql}${usageOrder(q)}`, w.params);
  }

  async countUsage(q: UsageQuery): Promise<number> {
    const w = usageWhere(q, postgresPh);
    const res = await this.q('counting usage', `SELECT COUNT(*) AS n FROM usage_records${w.sql}`, w.params);
    return Number((res.rows[0] as { n: unknown } | undefined)?.n ?? 0);
  }

  async insertEvalRun(run: EvalRunRecord): Promise<void> {
    await this.q('writing eval run', upsertSql(evalRunSpec, ['id']), encodeRow(evalRunSpec, run, postgresDialect));
  }

  async listEvalRuns(q: EvalRunQuery): Promise<EvalRunRecord[]> {
    const w = evalRunWhere(q, postgresPh);
    return this.all(evalRunSpec, 'reading eval runs', `SELECT ${columnList(evalRunSpec)} FROM eval_runs${w.sql} ORDER BY started_at, id`, w.params);
  }

  async setOverride(o: OverrideRecord): Promise<void> {
    await this.q('writing override', upsertSql(overrideSpec, ['route', 'env']), encodeRow(overrideSpec, o, postgresDialect));
  }

  async clearOverride(route: string, env: string): Promise<boolean> {
    return this.deleteRouteEnv('clearing override', overrideSpec, route, env);
  }

  async listOverrides(): Promise<OverrideRecord[]> {
    return this.allByRouteEnv('reading overrides', overrideSpec);
  }

  async setRuntimeShadow(sh: RuntimeShadowRecord): Promise<void> {
    await this.q('writing runtime shadow', upsertSql(runtimeShadowSpec, ['route', 'env']), encodeRow(runtimeShadowSpec, sh, postgresDialect));
  }

  async clearRuntimeShadow(route: string, env: string): Promise<boolean> {
    return this.deleteRouteEnv('clearing runtime shadow', runtimeShadowSpec, route, env);
  }

  async listRuntimeShadows(): Promise<RuntimeShadowRecord[]> {
    return this.allByRouteEnv('reading runtime shadows', runtimeShadowSpec);
  }

  async appendAudit(a: AuditRecord): Promise<void> {
    await this.q('writing audit', insertSql(auditSpec), encodeRow(auditSpec, a, postgresDialect));
  }

  async listAudit(limit = 100): Promise<AuditRecord[]> {
    return this.all(auditSpec, 'reading audit', `SELECT ${columnList(auditSpec)} FROM audit ORDER BY ts DESC, id DESC LIMIT $1`, [Math.max(0, Math.floor(limit))]);
  }

  async putCanary(c: CanaryRecord): Promise<void> {
    await this.q('writing canary', upsertSql(canarySpec, ['route', 'env']), encodeRow(canarySpec, c, postgresDialect));
  }

  async getCanary(route: string, env: string): Promise<CanaryRecord | null> {
    const rows = await this.all(canarySpec, 'reading canary', `SELECT ${columnList(canarySpec)} FROM canaries WHERE route = $1 AND env = $2`, [route, env]);
    return rows[0] ?? null;
  }

  async listCanaries(): Promise<CanaryRecord[]> {
    return this.allByRouteEnv('reading canaries', canarySpec);
  }

  async observeServed(o: Omit<ServedObservation, 'firstSeen'>): Promise<ServedObservation | null> {
    return this.tx('recording served model', async (c) => {
      const rows = await this.all(servedSpec, 'recording served model', `SELECT ${columnList(servedSpec)} FROM served WHERE target = $1 FOR UPDATE`, [o.target], c);
      const prev = rows[0] ?? null;
      const firstSeen = prev && !servedChanged(prev, o) ? prev.firstSeen : o.lastSeen;
      await c.query(upsertSql(servedSpec, ['target']), encodeRow(servedSpec, { ...o, firstSeen }, postgresDialect));
      return prev;
    });
  }

  async listServed(): Promise<ServedObservation[]> {
    return this.all(servedSpec, 'reading served models', `SELECT ${columnList(servedSpec)} FROM served ORDER BY target`, []);
  }

  async insertSentinelEvent(e: SentinelEventRecord): Promise<void> {
    await this.q('writing sentinel event', insertSql(sentinelSpec), encodeRow(sentinelSpec, e, postgresDialect));
  }

  async listSentinelEvents(sinceMs?: number): Promise<SentinelEventRecord[]> {
    const w = routeSinceWhere(undefined, sinceMs, postgresPh);
    return this.all(sentinelSpec, 'reading sentinel events', `SELECT ${columnList(sentinelSpec)} FROM sentinel_events${w.sql} ORDER BY ts, id`, w.params);
  }

  async insertShadowPair(p: ShadowPairRecord): Promise<void> {
    await this.q('writing shadow pair', insertSql(shadowSpec), encodeRow(shadowSpec, p, postgresDialect));
  }

  async listShadowPairs(route?: string, sinceMs?: number, limit?: number): Promise<ShadowPairRecord[]> {
    const w = routeSinceWhere(route, sinceMs, postgresPh);
    if (limit === undefined) return this.all(shadowSpec, 'reading shadow pairs', `SELECT ${columnList(shadowSpec)} FROM shadow_pairs${w.sql} ORDER BY ts, id`, w.params);
    const rows = await this.all(shadowSpec, 'reading shadow pairs', `SELECT ${columnList(shadowSpec)} FROM shadow_pairs${w.sql} ORDER BY ts DESC, id DESC LIMIT $${w.params.length + 1}`, [...w.params, Math.max(0, Math.floor(limit))]);
    return rows.reverse();
  }

  async prune(cutoffs: PruneCutoffs, opts: PruneOptions = {}): Promise<PruneCounts> {
    return pruneInBatches(cutoffs, opts, async (spec, cutoff, limit) => {
      // Each batch is its own statement (autocommit). SKIP LOCKED: gateways sharing the store and
      // pruning at the same moment split the old rows instead of queueing on each other's locks.
      const res = await this.q(
        'pruning',
        `DELETE FROM ${spec.table} WHERE id IN (SELECT id FROM ${spec.table} WHERE ${pruneCondition(spec, '$1')} LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [cutoff, limit],
      );
      return res.rowCount ?? 0;
    });
  }

  async countPrunable(cutoffs: PruneCutoffs): Promise<PruneCounts> {
    const counts: PruneCounts = {};
    for (const { kind, cutoff, spec } of pruneTargets(cutoffs)) {
      const res = await this.q('counting rows to prune', `SELECT COUNT(*) AS n FROM ${spec.table} WHERE ${pruneCondition(spec, '$1')}`, [cutoff]);
      counts[kind] = Number((res.rows[0] as { n: unknown } | undefined)?.n ?? 0);
    }
    return counts;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
