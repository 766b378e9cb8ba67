/**
 * The store, written once over a small driver: every method's SQL is here, and the few places where
 * SQLite and PostgreSQL differ read the driver's dialect (placeholders, row locks, statement sizes).
 * Drivers own the connections, deadlines and error messages.
 */
import type { Clock } from '../../core/clock.js';
import { StoreError } from '../../core/errors.js';
import {
  auditSpec,
  canarySpec,
  columnList,
  decodeRow,
  encodeRow,
  encodeRows,
  evalRunSpec,
  overrideSpec,
  runtimeShadowSpec,
  sentinelSpec,
  servedSpec,
  shadowSpec,
  usageSpec,
  type KeyedTableSpec,
  type TableSpec,
} from '../columns.js';
import { MIGRATIONS, SCHEMA_VERSION_DDL, migrationSql, newerSchemaMessage } from '../migrations.js';
import { pruneCondition, pruneInBatches, pruneTargets } from '../prune.js';
import { evalRunWhere, routeSinceWhere, servedChanged, usageOrder, usageWhere } from '../query.js';
import { MODEL_ROLLUPS, modelRollupsOf } from '../model-rollups.js';
import { rangePieces, rollupKey, rollupsOf } from '../rollup.js';
import {
  aggregateRollupRows,
  encodeRollup,
  rollupReadSql,
  rollupUpsertSql,
  type RollupAggregate,
  type RollupQuery,
} from '../rollup-sql.js';
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
import type { Dialect } from './dialect.js';
import { change, selectRows, type ReadOptions, type SqlDriver, type Stmt, type TxBody } from './driver.js';

/** Statements of at most this many rows keep their text (SQLite also keeps them prepared): a flush builds none. */
const KEEP_TEXT_ROWS = 25;

const versionOf = (r: unknown): number => Number((r as { version: unknown }).version);

/** In key order: two gateways upserting the same buckets then lock them in the same order (no deadlock). */
function inKeyOrder(rollups: readonly UsageRollup[]): UsageRollup[] {
  return rollups
    .map((r) => ({ k: rollupKey(r), r }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.r);
}

export class SqlStore implements Store {
  readonly kind: Store['kind'];
  private readonly d: Dialect;
  private readonly texts = new Map<string, string>();
  private readonly claimSql: string;
  private readonly staleSql: string;

  constructor(
    private readonly db: SqlDriver,
    private readonly clock: Clock,
  ) {
    this.d = db.dialect;
    this.kind = db.dialect.name;
    this.claimSql = claimBatchSql(this.d.ph);
    this.staleSql = staleWritersSql(this.d.ph);
  }

  private text(key: string, rows: number, build: () => string): string {
    if (rows > KEEP_TEXT_ROWS) return build();
    const k = `${key}:${rows}`;
    let t = this.texts.get(k);
    if (t === undefined) this.texts.set(k, (t = build()));
    return t;
  }

  private insertSql<R>(spec: TableSpec<R>, rows = 1): string {
    return this.text(spec.table, rows, () => {
      const n = spec.cols.length;
      const values = Array.from(
        { length: rows },
        (_, r) => `(${spec.cols.map((_c, i) => this.d.ph(r * n + i + 1)).join(', ')})`,
      );
      return `INSERT INTO ${spec.table} (${columnList(spec)}) VALUES ${values.join(', ')}`;
    });
  }

  /** Insert, or replace every other column of the row with the same primary key. */
  private upsertSql<R>(spec: KeyedTableSpec<R>): string {
    return this.text(`${spec.table} upsert`, 1, () => {
      const { key } = spec;
      const sets = spec.cols.filter((c) => !key.includes(c.col)).map((c) => `${c.col} = EXCLUDED.${c.col}`);
      return `${this.insertSql(spec)} ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${sets.join(', ')}`;
    });
  }

  private select<R>(spec: TableSpec<R>, rest: string): string {
    return `SELECT ${columnList(spec)} FROM ${spec.table}${rest}`;
  }

  private async rows<R>(
    spec: TableSpec<R>,
    op: string,
    sql: string,
    params: unknown[] = [],
    opts?: ReadOptions,
  ): Promise<R[]> {
    return (await this.db.all(op, sql, params, opts)).map((r) => decodeRow(spec, r));
  }

  private async count(op: string, sql: string, params: unknown[]): Promise<number> {
    const row = (await this.db.get(op, sql, params)) as { n: unknown } | undefined;
    return Number(row?.n ?? 0);
  }

  private async insert<R>(op: string, spec: TableSpec<R>, rec: R): Promise<void> {
    await this.db.run(op, this.insertSql(spec), encodeRow(spec, rec, this.d));
  }

  private async upsert<R>(op: string, spec: KeyedTableSpec<R>, rec: R): Promise<void> {
    await this.db.run(op, this.upsertSql(spec), encodeRow(spec, rec, this.d));
  }

  /** Tables with one row per (route, env): overrides, canaries, runtime shadows. */
  private async deleteRouteEnv<R>(op: string, spec: TableSpec<R>, route: string, env: string): Promise<boolean> {
    return (
      (await this.db.run(op, `DELETE FROM ${spec.table} WHERE route = ${this.d.ph(1)} AND env = ${this.d.ph(2)}`, [
        route,
        env,
      ])) > 0
    );
  }

  /** Polled by every gateway, so read as a probe: a lost host shows here first. */
  private allByRouteEnv<R>(op: string, spec: TableSpec<R>): Promise<R[]> {
    return this.rows(spec, op, this.select(spec, ' ORDER BY route, env'), [], { probe: true });
  }

  migrate(): Promise<void> {
    return this.db.transaction('migrating', this.migration(), this.db.migration.tx);
  }

  private *migration(): TxBody<void> {
    const ph = this.d.ph;
    for (const s of this.db.migration.prelude) yield s;
    yield { sql: SCHEMA_VERSION_DDL, params: [] };
    const done = new Set((yield* selectRows('SELECT version FROM schema_version')).map(versionOf));
    const newer = newerSchemaMessage(done, this.db.where);
    if (newer) throw new StoreError(newer);
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      yield { sql: migrationSql(m, this.d.name), params: [], script: true };
      if (m.data) {
        const steps = m.data(this.d.name);
        for (let step = steps.next(); !step.done;) step = steps.next((yield step.value).rows);
      }
      yield {
        sql: `INSERT INTO schema_version (version, description, applied_at) VALUES (${ph(1)}, ${ph(2)}, ${ph(3)})`,
        params: [m.version, m.description, this.clock.now()],
      };
    }
  }

  /** Versions recorded in schema_version (for tests and `doctor`-style checks). */
  async schemaVersions(): Promise<number[]> {
    const rows = await this.db.all('reading schema version', 'SELECT version FROM schema_version ORDER BY version');
    return rows.map(versionOf);
  }

  async writeUsage(batch: UsageBatch): Promise<void> {
    if (batch.records.length === 0 && batch.rollups.length === 0) return;
    let stmts: Stmt[];
    try {
      stmts = this.usageWrites(batch, inKeyOrder(batch.rollups));
    } catch (e) {
      // Built before the transaction now (a driver may run it on another thread): still the store's error.
      const why = e instanceof Error ? e.message : String(e);
      throw new StoreError(`${this.db.where}: writing usage: a value could not be encoded (${why})`, { cause: e });
    }
    await this.db.writeList('writing usage', stmts);
  }

  /** Plain values only, built before the transaction: a driver may run it on another thread. */
  private usageWrites(batch: UsageBatch, rollups: readonly UsageRollup[]): Stmt[] {
    const out: Stmt[] = [];
    if (batch.id) {
      const now = this.clock.now();
      if (batch.id.seq === 1) out.push({ sql: this.staleSql, params: [now - BATCH_WRITER_RETENTION_MS] });
      // Changes no row when applied already (the first attempt committed, its acknowledgement was lost): stop there.
      out.push({ sql: this.claimSql, params: claimBatchParams(batch.id, now), orStop: true });
    }
    for (let i = 0, n = this.d.usageRowsPerInsert, records = batch.records; i < records.length; i += n) {
      const to = Math.min(records.length, i + n);
      out.push({ sql: this.insertSql(usageSpec, to - i), params: encodeRows(usageSpec, records, i, to, this.d) });
    }
    // The per-model rollups are summed from the same batch, in the same transaction (model-rollups.ts).
    const modelRollups = inKeyOrder(modelRollupsOf(rollups));
    for (const [table, rs] of [
      ['usage_rollups', rollups],
      [MODEL_ROLLUPS, modelRollups],
    ] as const) {
      for (let i = 0, n = this.d.rollupsPerUpsert; i < rs.length; i += n) {
        const rows = Math.min(n, rs.length - i);
        const layout = this.d.rollupLayout;
        const params = encodeRollup(rs[i] as UsageRollup, layout);
        for (let j = i + 1; j < i + rows; j++)
          for (const v of encodeRollup(rs[j] as UsageRollup, layout)) params.push(v);
        out.push({ sql: this.text(table, rows, () => rollupUpsertSql(this.d.name, rows, table, layout)), params });
      }
    }
    return out;
  }

  async insertUsage(records: UsageRecord[]): Promise<void> {
    await this.writeUsage({ records, rollups: rollupsOf(records) });
  }

  async queryRollups(q: RollupQuery): Promise<RollupAggregate[]> {
    // Summed by the database per group and bucket, piece by piece (see rangePieces). Memory: one piece's
    // result (node-postgres holds it whole; SQLite steps through it) plus groups × output buckets.
    const acc = new Map<string, RollupAggregate>();
    let out: RollupAggregate[] = [];
    for (const ranges of rangePieces(q)) {
      const { sql, params } = rollupReadSql(this.d.name, { ...q, ranges });
      out = await this.db.scan('reading usage rollups', sql, params, (rows) => aggregateRollupRows(q, rows, acc));
    }
    return out;
  }

  queryUsage(q: UsageQuery): Promise<UsageRecord[]> {
    const w = usageWhere(q, this.d.ph);
    return this.rows(usageSpec, 'reading usage', this.select(usageSpec, `${w.sql}${usageOrder(q)}`), w.params);
  }

  countUsage(q: UsageQuery): Promise<number> {
    const w = usageWhere(q, this.d.ph);
    return this.count('counting usage', `SELECT COUNT(*) AS n FROM usage_records${w.sql}`, w.params);
  }

  insertEvalRun(run: EvalRunRecord): Promise<void> {
    return this.upsert('writing eval run', evalRunSpec, run);
  }

  listEvalRuns(q: EvalRunQuery): Promise<EvalRunRecord[]> {
    const w = evalRunWhere(q, this.d.ph);
    return this.rows(
      evalRunSpec,
      'reading eval runs',
      this.select(evalRunSpec, `${w.sql} ORDER BY started_at, id`),
      w.params,
    );
  }

  setOverride(o: OverrideRecord): Promise<void> {
    return this.upsert('writing override', overrideSpec, o);
  }
  clearOverride(route: string, env: string): Promise<boolean> {
    return this.deleteRouteEnv('clearing override', overrideSpec, route, env);
  }
  listOverrides(): Promise<OverrideRecord[]> {
    return this.allByRouteEnv('reading overrides', overrideSpec);
  }

  setRuntimeShadow(sh: RuntimeShadowRecord): Promise<void> {
    return this.upsert('writing runtime shadow', runtimeShadowSpec, sh);
  }
  clearRuntimeShadow(route: string, env: string): Promise<boolean> {
    return this.deleteRouteEnv('clearing runtime shadow', runtimeShadowSpec, route, env);
  }
  listRuntimeShadows(): Promise<RuntimeShadowRecord[]> {
    return this.allByRouteEnv('reading runtime shadows', runtimeShadowSpec);
  }

  putCanary(c: CanaryRecord): Promise<void> {
    return this.upsert('writing canary', canarySpec, c);
  }
  listCanaries(): Promise<CanaryRecord[]> {
    return this.allByRouteEnv('reading canaries', canarySpec);
  }

  async getCanary(route: string, env: string): Promise<CanaryRecord | null> {
    const rows = await this.rows(
      canarySpec,
      'reading canary',
      this.select(canarySpec, ` WHERE route = ${this.d.ph(1)} AND env = ${this.d.ph(2)}`),
      [route, env],
    );
    return rows[0] ?? null;
  }

  appendAudit(a: AuditRecord): Promise<void> {
    return this.insert('writing audit', auditSpec, a);
  }

  listAudit(limit = 100): Promise<AuditRecord[]> {
    return this.rows(
      auditSpec,
      'reading audit',
      this.select(auditSpec, ` ORDER BY ts DESC, id DESC LIMIT ${this.d.ph(1)}`),
      [Math.max(0, Math.floor(limit))],
    );
  }

  observeServed(o: Omit<ServedObservation, 'firstSeen'>): Promise<ServedObservation | null> {
    return this.db.transaction('recording served model', this.served(o), { immediate: true });
  }

  private *served(o: Omit<ServedObservation, 'firstSeen'>): TxBody<ServedObservation | null> {
    const [row] = yield* selectRows(this.select(servedSpec, ` WHERE target = ${this.d.ph(1)}${this.d.forUpdate}`), [
      o.target,
    ]);
    const prev = row === undefined ? null : decodeRow(servedSpec, row);
    const firstSeen = prev && !servedChanged(prev, o) ? prev.firstSeen : o.lastSeen;
    yield* change(this.upsertSql(servedSpec), encodeRow(servedSpec, { ...o, firstSeen }, this.d));
    return prev;
  }

  listServed(): Promise<ServedObservation[]> {
    return this.rows(servedSpec, 'reading served models', this.select(servedSpec, ' ORDER BY target'));
  }

  insertSentinelEvent(e: SentinelEventRecord): Promise<void> {
    return this.insert('writing sentinel event', sentinelSpec, e);
  }

  listSentinelEvents(sinceMs?: number): Promise<SentinelEventRecord[]> {
    const w = routeSinceWhere(undefined, sinceMs, this.d.ph);
    return this.rows(
      sentinelSpec,
      'reading sentinel events',
      this.select(sentinelSpec, `${w.sql} ORDER BY ts, id`),
      w.params,
    );
  }

  insertShadowPair(p: ShadowPairRecord): Promise<void> {
    return this.insert('writing shadow pair', shadowSpec, p);
  }

  async listShadowPairs(route?: string, sinceMs?: number, limit?: number): Promise<ShadowPairRecord[]> {
    const w = routeSinceWhere(route, sinceMs, this.d.ph);
    if (limit === undefined)
      return this.rows(
        shadowSpec,
        'reading shadow pairs',
        this.select(shadowSpec, `${w.sql} ORDER BY ts, id`),
        w.params,
      );
    const newest = this.select(
      shadowSpec,
      `${w.sql} ORDER BY ts DESC, id DESC LIMIT ${this.d.ph(w.params.length + 1)}`,
    );
    return (
      await this.rows(shadowSpec, 'reading shadow pairs', newest, [...w.params, Math.max(0, Math.floor(limit))])
    ).reverse();
  }

  async prune(cutoffs: PruneCutoffs, opts: PruneOptions = {}): Promise<PruneCounts> {
    const { ph, rowId, skipLocked } = this.d;
    // Each batch is its own statement (autocommit): a lock is held for one batch, not for the whole backlog.
    const counts = await pruneInBatches(cutoffs, opts, (spec, cutoff, limit) =>
      this.db.run(
        'pruning',
        `DELETE FROM ${spec.table} WHERE ${rowId} IN (SELECT ${rowId} FROM ${spec.table} WHERE ${pruneCondition(spec, ph(1))} LIMIT ${ph(2)}${skipLocked})`,
        [cutoff, limit],
      ),
    );
    if (Object.values(counts).some((n) => n > 0)) await this.db.afterPrune?.('pruning', opts.signal);
    return counts;
  }

  async countPrunable(cutoffs: PruneCutoffs): Promise<PruneCounts> {
    const counts: PruneCounts = {};
    for (const { kind, cutoff, spec } of pruneTargets(cutoffs)) {
      counts[kind] = await this.count(
        'counting rows to prune',
        `SELECT COUNT(*) AS n FROM ${spec.table} WHERE ${pruneCondition(spec, this.d.ph(1))}`,
        [cutoff],
      );
    }
    return counts;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
