/**
 * `modelpin store prune`: delete rows past their retention (models.yml `store.retention`, or the
 * defaults), or count them with --dry-run. A real prune is written to the audit log with its counts.
 */
import { pc } from '../../core/color.js';
import { audit, defaultActor } from '../../lifecycle/audit.js';
import type { CliIo } from '../../store/cli-io.js';
import { openStoreForCli } from '../../store/cli-open.js';
import { PRUNE_KINDS } from '../../store/prune.js';
import { prunePlan, type PrunePlan } from '../../store/prune-plan.js';
import { retentionCutoffs } from '../../store/retention.js';
import type { PruneCounts, PruneCutoffs, PruneKind } from '../../store/types.js';
import { formatInt, renderTable } from '../../usage/table.js';
import { EXIT } from '../exit-codes.js';

export interface StorePruneOptions {
  config?: string;
  store?: string;
  olderThan?: string;
  only?: string;
  dryRun?: boolean;
  actor?: string;
  json?: boolean;
}

export interface PruneTableReport {
  /** The age kept, e.g. `90d`, or `never`. */
  retention: string;
  /** Rows with a timestamp before this went (ISO); null when the table is kept. */
  before: string | null;
  /** Rows deleted, or that would be on a dry run. */
  rows: number;
}

export interface PruneReport {
  store: string;
  dryRun: boolean;
  now: string;
  tables: Partial<Record<PruneKind, PruneTableReport>>;
  total: number;
}

export function pruneReport(
  where: string,
  dryRun: boolean,
  now: number,
  plan: PrunePlan,
  cutoffs: PruneCutoffs,
  rows: PruneCounts,
): PruneReport {
  const tables: Partial<Record<PruneKind, PruneTableReport>> = {};
  for (const kind of PRUNE_KINDS) {
    const retention = plan[kind];
    if (retention === undefined) continue;
    const cutoff = cutoffs[kind];
    tables[kind] = {
      retention,
      before: cutoff === undefined ? null : new Date(cutoff).toISOString(),
      rows: rows[kind] ?? 0,
    };
  }
  const total = Object.values(tables).reduce((n, t) => n + t.rows, 0);
  return { store: where, dryRun, now: new Date(now).toISOString(), tables, total };
}

export function formatPruneReport(r: PruneReport): string {
  const verb = r.dryRun ? 'would delete' : 'deleted';
  const body = Object.entries(r.tables).map(([table, t]) => [
    table,
    t.retention,
    t.before ?? '-',
    t.before === null ? 'kept' : formatInt(t.rows),
  ]);
  const lines = [
    pc.bold(`${r.dryRun ? 'Dry run: rows to prune in' : 'Pruned'} ${r.store} (as of ${r.now})`),
    '',
    renderTable(
      [{ header: 'table' }, { header: 'keep' }, { header: 'older than' }, { header: verb, align: 'right' }],
      body,
    ),
    '',
    `${formatInt(r.total)} row${r.total === 1 ? '' : 's'} ${r.dryRun ? 'would be deleted' : 'deleted'}. The audit log is never pruned.`,
  ];
  if (r.dryRun) lines.push(pc.dim('Nothing was deleted; run without --dry-run to prune.'));
  return lines.join('\n');
}

export async function runStorePrune(o: StorePruneOptions, io: CliIo): Promise<number> {
  const flags = {
    ...(o.olderThan !== undefined ? { olderThan: o.olderThan } : {}),
    ...(o.only !== undefined ? { only: o.only } : {}),
  };
  // Checked before the store is opened, so bad flags never touch the data.
  prunePlan(flags);
  const { store, where, config } = await openStoreForCli(o, io);
  try {
    const plan = prunePlan({ ...flags, ...(config.retention ? { configured: config.retention } : {}) });
    const now = io.clock.now();
    const cutoffs = retentionCutoffs(plan, now);
    const rows = o.dryRun ? await store.countPrunable(cutoffs) : await store.prune(cutoffs);
    const report = pruneReport(where, o.dryRun === true, now, plan, cutoffs, rows);
    if (!o.dryRun) {
      await audit(store, io.clock, {
        actor: defaultActor(o.actor, io.env),
        action: 'store.prune',
        route: null,
        detail: {
          deleted: rows,
          before: Object.fromEntries(Object.entries(report.tables).map(([k, t]) => [k, t.before])),
          total: report.total,
        },
      });
    }
    io.out(o.json ? JSON.stringify(report, null, 2) : formatPruneReport(report));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
