/**
 * Embedded store on better-sqlite3. WAL lets gateways and the CLI open the same file at once;
 * busy_timeout makes a writer wait for another process's lock instead of failing.
 * better-sqlite3 is synchronous: each method runs one prepared statement or one transaction.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { StoreError } from '../../core/errors.js';
import { dirname } from 'node:path';
import { systemClock, type Clock } from '../../core/clock.js';
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
  sqliteDialect,
  usageSpec,
  type TableSpec,
} from '../columns.js';
import { MIGRATIONS, SCHEMA_VERSION_DDL, migrationSql, newerSchemaMessage } from '../migrations.js';
import { rollupsOf } from '../rollup.js';
import { MODEL_ROLLUPS, modelRollupsOf } from '../model-rollups.js';
import { aggregateRollupRows, encodeRollup, rangePieces, rollupReadSql, rollupUpsertSql, type RollupAggregate, type RollupQuery } from '../rollup-sql.js';
import { pruneCondition, pruneInBatches, pruneTargets, turn } from '../prune.js';
import { evalRunWhere, routeSinceWhere, servedChanged, sqlitePh, usageOrder, usageWhere } from '../query.js';
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
import { BATCH_WRITER_RETENTION_MS, claimBatchParams, claimBatchSql, staleWritersSql } from '../usage-batches.js';
import { sqliteError } from './errors.js';

export interface SqliteStoreOptions {
  /** Fail instead of creating a new database file (read-only commands). */
  mustExist?: boolean;
  busyTimeoutMs?: number;
  clock?: Clock;
  /** Extra `PRAGMA` statements run after open (tests use `max_page_count` to simulate a full disk). */
  pragmas?: string[];
}

/** Pages handed back per `incremental_vacuum` step (4 MiB at the default page size), with a turn of the event loop between steps. */
const VACUUM_PAGES_PER_STEP = 1024;
/** `PRAGMA auto_vacuum` value for INCREMENTAL. */
const AUTO_VACUUM_INCREMENTAL = 2;

function insertSql<R>(spec: TableSpec<R>, suffix = ''): string {
  return `INSERT INTO ${spec.table} (${columnList(spec)}) VALUES (${spec.cols.map(() => '?').join(', ')})${suffix}`;
}

/** Built once: every usage flush looks its statements up by this text. */
const USAGE_INSERT_SQL = insertSql(usageSpec);
/** Rows per multi-row usage INSERT (the gateway's raw batches are this size). */
const USAGE_ROWS_PER_INSERT = 25;
const USAGE_INSERT_MANY_SQL = insertSql(usageSpec).replace(/VALUES \((.*)\)$/, (_m, ph: string) => `VALUES ${Array.from({ length: USAGE_ROWS_PER_INSERT }, () => `(${ph})`).join(', ')}`);
const ROLLUP_UPSERT_SQL = rollupUpsertSql('sqlite', 1);
const MODEL_ROLLUP_UPSERT_SQL = rollupUpsertSql('sqlite', 1, MODEL_ROLLUPS);

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly stmts = new Map<string, Database.Statement>();
  private readonly clock: Clock;

  constructor(readonly file: string, opts: SqliteStoreOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    if (opts.mustExist && file !== ':memory:' && !existsSync(file))
      throw new StoreError(`store ${file} does not exist (nothing recorded yet, or a wrong store path)`, { details: { file } });
    try {
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      this.db = new Database(file);
    } catch (e) {
      throw sqliteError(e, file, 'opening');
    }
    try {
      // Reading journal_mode touches the header, so a non-database file fails here, not later.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      for (const p of opts.pragmas ?? []) this.db.pragma(p);
    } catch (e) {
      this.db.close();
      throw sqliteError(e, file, 'opening');
    }
  }

  private run<T>(op: string, fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(sqliteError(e, this.file, op));
    }
  }

  private async runAsync<T>(op: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw sqliteError(e, this.file, op);
    }
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  private all<R>(spec: TableSpec<R>, sql: string, params: unknown[]): R[] {
    return this.stmt(sql)
      .all(...params)
      .map((r) => decodeRow(spec, r));
  }

  /** Upsert by the table's primary key. */
  private replace<R>(spec: TableSpec<R>, rec: R): void {
    this.stmt(insertSql(spec).replace('INSERT INTO', 'INSERT OR REPLACE INTO')).run(...encodeRow(spec, rec, sqliteDialect));
  }

  /** Tables with one row per (route, env): overrides, canaries, runtime shadows. */
  private deleteRouteEnv<R>(spec: TableSpec<R>, route: string, env: string): boolean {
    return this.stmt(`DELETE FROM ${spec.table} WHERE route = ? AND env = ?`).run(route, env).changes > 0;
  }

  private allByRouteEnv<R>(spec: TableSpec<R>): R[] {
    return this.all(spec, `SELECT ${columnList(spec)} FROM ${spec.table} ORDER BY route, env`, []);
  }

  migrate(): Promise<void> {
    return this.run('migrating', () => {
      this.db.exec(SCHEMA_VERSION_DDL);
      // IMMEDIATE takes the write lock first, so two processes migrating at once serialise. Everything
      // here is synchronous: yielding while holding the lock would stall a second connection in this process.
      const apply = this.db.transaction(() => {
        const done = new Set(
          this.db
            .prepare('SELECT version FROM schema_version')
            .all()
            .map((r) => Number((r as { version: unknown }).version)),
        );
        const newer = newerSchemaMessage(done, `store ${this.file}`);
        if (newer) throw new StoreError(newer);
        for (const m of MIGRATIONS) {
          if (done.has(m.version)) continue;
          this.db.exec(migrationSql(m, 'sqlite'));
          if (m.data) {
            const steps = m.data('sqlite');
            for (let step = steps.next(); !step.done; ) {
              const st = this.stmt(step.value.sql);
              step = steps.next(st.reader ? st.all(...step.value.params) : (st.run(...step.value.params), []));
            }
          }
          this.db.prepare('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)').run(m.version, m.description, this.clock.now());
        }
      });
      apply.immediate();
    });
  }

  /** Versions recorded in schema_version (for tests and `doctor`-style checks). */
  schemaVersions(): Promise<number[]> {
    return this.run('reading schema version', () =>
      this.db
        .prepare('SELECT version FROM schema_version ORDER BY version')
        .all()
        .map((r) => Number((r as { version: unknown }).version)),
    );
  }

  writeUsage(batch: UsageBatch): Promise<void> {
    return this.run('writing usage', () => {
      if (batch.records.length === 0 && batch.rollups.length === 0) return;
      const ins = this.stmt(USAGE_INSERT_SQL);
      const many = this.stmt(USAGE_INSERT_MANY_SQL);
      const up = this.stmt(ROLLUP_UPSERT_SQL);
      const upModel = this.stmt(MODEL_ROLLUP_UPSERT_SQL);
      this.db.transaction((b: UsageBatch) => {
        if (b.id) {
          const now = this.clock.now();
          if (b.id.seq === 1) this.stmt(staleWritersSql(sqlitePh)).run(now - BATCH_WRITER_RETENTION_MS);
          // Applied already (a retry): nothing else to do.
          if (this.stmt(claimBatchSql(sqlitePh)).run(...claimBatchParams(b.id, now)).changes === 0) return;
        }
        const rows = b.records;
        let i = 0;
        // Whole groups in one statement each: one step through SQLite's VM per group instead of per row.
        for (; i + USAGE_ROWS_PER_INSERT <= rows.length; i += USAGE_ROWS_PER_INSERT) {
          const params: unknown[] = [];
          for (let j = i; j < i + USAGE_ROWS_PER_INSERT; j++) for (const v of encodeRow(usageSpec, rows[j] as UsageRecord, sqliteDialect)) params.push(v);
          many.run(params);
        }
        for (; i < rows.length; i++) ins.run(encodeRow(usageSpec, rows[i] as UsageRecord, sqliteDialect));
        for (const r of b.rollups) up.run(...encodeRollup(r));
        for (const r of modelRollupsOf(b.rollups)) upModel.run(...encodeRollup(r));
      })(batch);
    });
  }

  insertUsage(records: UsageRecord[]): Promise<void> {
    return this.writeUsage({ records, rollups: rollupsOf(records) });
  }

  queryRollups(q: RollupQuery): Promise<RollupAggregate[]> {
    return this.run('reading usage rollups', () => {
      // Summed by SQLite per group and bucket, piece by piece (see rangePieces); memory: groups × output buckets.
      const acc = new Map<string, RollupAggregate>();
      let out: RollupAggregate[] = [];
      for (const ranges of rangePieces(q)) {
        const { sql, params } = rollupReadSql('sqlite', { ...q, ranges });
        out = aggregateRollupRows(q, this.stmt(sql).iterate(...params), acc);
      }
      return out;
    });
  }

  queryUsage(q: UsageQuery): Promise<UsageRecord[]> {
    return this.run('reading usage', () => {
      const w = usageWhere(q, sqlitePh);
      return this.all(usageSpec, `SELECT ${columnList(usageSpec)} FROM usage_records${w.sql}${usageOrder(q)}`, w.params);
    });
  }

  countUsage(q: UsageQuery): Promise<number> {
    return this.run('counting usage', () => {
      const w = usageWhere(q, sqlitePh);
      const row = this.stmt(`SELECT COUNT(*) AS n FROM usage_records${w.sql}`).get(...w.params) as { n: number };
      return Number(row.n);
    });
  }

  insertEvalRun(run: EvalRunRecord): Promise<void> {
    return this.run('writing eval run', () => this.replace(evalRunSpec, run));
  }

  listEvalRuns(q: EvalRunQuery): Promise<EvalRunRecord[]> {
    return this.run('reading eval runs', () => {
      const w = evalRunWhere(q, sqlitePh);
      return this.all(evalRunSpec, `SELECT ${columnList(evalRunSpec)} FROM eval_runs${w.sql} ORDER BY started_at, id`, w.params);
    });
  }

  setOverride(o: OverrideRecord): Promise<void> {
    return this.run('writing override', () => this.replace(overrideSpec, o));
  }

  clearOverride(route: string, env: string): Promise<boolean> {
    return this.run('clearing override', () => this.deleteRouteEnv(overrideSpec, route, env));
  }

  listOverrides(): Promise<OverrideRecord[]> {
    return this.run('reading overrides', () => this.allByRouteEnv(overrideSpec));
  }

  setRuntimeShadow(sh: RuntimeShadowRecord): Promise<void> {
    return this.run('writing runtime shadow', () => this.replace(runtimeShadowSpec, sh));
  }

  clearRuntimeShadow(route: string, env: string): Promise<boolean> {
    return this.run('clearing runtime shadow', () => this.deleteRouteEnv(runtimeShadowSpec, route, env));
  }

  listRuntimeShadows(): Promise<RuntimeShadowRecord[]> {
    return this.run('reading runtime shadows', () => this.allByRouteEnv(runtimeShadowSpec));
  }

  appendAudit(a: AuditRecord): Promise<void> {
    return this.run('writing audit', () => {
      this.stmt(insertSql(auditSpec)).run(...encodeRow(auditSpec, a, sqliteDialect));
    });
  }

  listAudit(limit = 100): Promise<AuditRecord[]> {
    return this.run('reading audit', () =>
      this.all(auditSpec, `SELECT ${columnList(auditSpec)} FROM audit ORDER BY ts DESC, id DESC LIMIT ?`, [Math.max(0, Math.floor(limit))]),
    );
  }

  putCanary(c: CanaryRecord): Promise<void> {
    return this.run('writing canary', () => this.replace(canarySpec, c));
  }

  getCanary(route: string, env: string): Promise<CanaryRecord | null> {
    return this.run('reading canary', () => this.all(canarySpec, `SELECT ${columnList(canarySpec)} FROM canaries WHERE route = ? AND env = ?`, [route, env])[0] ?? null);
  }

  listCanaries(): Promise<CanaryRecord[]> {
    return this.run('reading canaries', () => this.allByRouteEnv(canarySpec));
  }

  observeServed(o: Omit<ServedObservation, 'firstSeen'>): Promise<ServedObservation | null> {
    return this.run('recording served model', () => {
      const tx = this.db.transaction((): ServedObservation | null => {
        const prev = this.all(servedSpec, `SELECT ${columnList(servedSpec)} FROM served WHERE target = ?`, [o.target])[0] ?? null;
        const firstSeen = prev && !servedChanged(prev, o) ? prev.firstSeen : o.lastSeen;
        const next: ServedObservation = { ...o, firstSeen };
        this.replace(servedSpec, next);
        return prev;
      });
      return tx.immediate();
    });
  }

  listServed(): Promise<ServedObservation[]> {
    return this.run('reading served models', () => this.all(servedSpec, `SELECT ${columnList(servedSpec)} FROM served ORDER BY target`, []));
  }

  insertSentinelEvent(e: SentinelEventRecord): Promise<void> {
    return this.run('writing sentinel event', () => {
      this.stmt(insertSql(sentinelSpec)).run(...encodeRow(sentinelSpec, e, sqliteDialect));
    });
  }

  listSentinelEvents(sinceMs?: number): Promise<SentinelEventRecord[]> {
    return this.run('reading sentinel events', () => {
      const w = routeSinceWhere(undefined, sinceMs, sqlitePh);
      return this.all(sentinelSpec, `SELECT ${columnList(sentinelSpec)} FROM sentinel_events${w.sql} ORDER BY ts, id`, w.params);
    });
  }

  insertShadowPair(p: ShadowPairRecord): Promise<void> {
    return this.run('writing shadow pair', () => {
      this.stmt(insertSql(shadowSpec)).run(...encodeRow(shadowSpec, p, sqliteDialect));
    });
  }

  listShadowPairs(route?: string, sinceMs?: number, limit?: number): Promise<ShadowPairRecord[]> {
    return this.run('reading shadow pairs', () => {
      const w = routeSinceWhere(route, sinceMs, sqlitePh);
      if (limit === undefined) return this.all(shadowSpec, `SELECT ${columnList(shadowSpec)} FROM shadow_pairs${w.sql} ORDER BY ts, id`, w.params);
      return this.all(shadowSpec, `SELECT ${columnList(shadowSpec)} FROM shadow_pairs${w.sql} ORDER BY ts DESC, id DESC LIMIT ?`, [...w.params, Math.max(0, Math.floor(limit))]).reverse();
    });
  }

  prune(cutoffs: PruneCutoffs, opts: PruneOptions = {}): Promise<PruneCounts> {
    return this.runAsync('pruning', async () => {
      // One autocommit DELETE per batch: the write lock is held for one batch, not for the whole backlog.
      const counts = await pruneInBatches(cutoffs, opts, async (spec, cutoff, limit) =>
        this.stmt(`DELETE FROM ${spec.table} WHERE rowid IN (SELECT rowid FROM ${spec.table} WHERE ${pruneCondition(spec, '?')} LIMIT ?)`).run(cutoff, limit).changes,
      );
      if (Object.values(counts).some((n) => n > 0)) await this.releaseFreePages(opts.signal);
      return counts;
    });
  }

  /**
   * Deleted rows leave free pages that SQLite reuses for new rows, so the file stops growing but does
   * not shrink. A database created with `auto_vacuum = INCREMENTAL` can hand them back step by step;
   * otherwise only a full VACUUM could, which rewrites the file under an exclusive lock: never automatic.
   */
  private async releaseFreePages(signal?: AbortSignal): Promise<void> {
    if (Number(this.db.pragma('auto_vacuum', { simple: true })) !== AUTO_VACUUM_INCREMENTAL) return;
    let free = Number(this.db.pragma('freelist_count', { simple: true }));
    while (free > 0 && !signal?.aborted) {
      this.db.pragma(`incremental_vacuum(${VACUUM_PAGES_PER_STEP})`);
      const left = Number(this.db.pragma('freelist_count', { simple: true }));
      if (left >= free) return;
      free = left;
      await turn();
    }
  }

  countPrunable(cutoffs: PruneCutoffs): Promise<PruneCounts> {
    return this.run('counting rows to prune', () => {
      const counts: PruneCounts = {};
      for (const { kind, cutoff, spec } of pruneTargets(cutoffs)) {
        const row = this.stmt(`SELECT COUNT(*) AS n FROM ${spec.table} WHERE ${pruneCondition(spec, '?')}`).get(cutoff) as { n: number };
        counts[kind] = Number(row.n);
      }
      return counts;
    });
  }

  close(): Promise<void> {
    return this.run('closing', () => {
      if (this.db.open) this.db.close();
    });
  }
}
