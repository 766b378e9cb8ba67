/**
 * The store, written once over a small driver: every method's SQL is here (a usage batch's statements in
 * usage-writes.ts, the kept insert/upsert texts in statement-texts.ts), and the few places where
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
import { rangePieces, rollupsOf } from '../rollup.js';
import { aggregateRollupRows, rollupReadSql, type RollupAggregate, type RollupQuery } from '../rollup-sql.js';
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
} from '../types.js';
import type { Dialect } from './dialect.js';
import { StatementTexts } from './statement-texts.js';
import { usageStatements } from './usage-writes.js';
import { change, selectRows, type ReadOptions, type SqlDriver, type Stmt, type TxBody } from './driver.js';

const versionOf = (r: unknown): number => Number((r as { version: unknown }).version);

export class SqlStore implements Store {
  readonly kind: Store['kind'];
  private readonly d: Dialect;
  private readonly texts: StatementTexts;

  constructor(
    private readonly db: SqlDriver,
    private readonly clock: Clock,
  ) {
    this.d = db.dialect;
    this.kind = db.dialect.name;
    this.texts = new StatementTexts(this.d);
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
    await this.db.run(op, this.texts.insert(spec), encodeRow(spec, rec, this.d));
  }

  private async upsert<R>(op: string, spec: KeyedTableSpec<R>, rec: R): Promise<void> {
    await this.db.run(op, this.texts.upsert(spec), encodeRow(spec, rec, this.d));
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
      stmts = usageStatements(batch, this.texts, this.clock.now());
    } catch (e) {
      // Built before the transaction now (a driver may run it on another thread): still the store's error.
      const why = e instanceof Error ? e.message : String(e);
      throw new StoreError(`${this.db.where}: writing usage: a value could not be encoded (${why})`, { cause: e });
    }
    await this.db.writeList('writing usage', stmts);
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
    yield* change(this.texts.upsert(servedSpec), encodeRow(servedSpec, { ...o, firstSeen }, this.d));
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
