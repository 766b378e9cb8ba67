import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadCatalog } from '../../catalog/catalog.js';
import { daysBetween } from '../../catalog/dates.js';
import { loadConfigSafe, type LoadedConfig } from '../../config/load.js';
import { pc } from '../../core/color.js';
import { isModelpinError, StoreError, UsageError } from '../../core/errors.js';
import { duePins, planOutdated, type OutdatedRow, type ServedFact } from '../../lifecycle/promote/outdated-plan.js';
import { defaultIo, type CliIo } from '../../store/cli-io.js';
import { openStore } from '../../store/open.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { addCommand, type CommandModule } from '../registry.js';
import { todayFrom } from './lint.js';

export const OUTDATED_FORMATS = ['text', 'json', 'markdown', 'github'] as const;
type OutdatedFormat = (typeof OUTDATED_FORMATS)[number];

export interface OutdatedCliOptions {
  config?: string;
  env?: string;
  within?: string;
  today?: string;
  format?: string;
  json?: boolean;
  store?: boolean;
}

interface Evidence {
  byRef: Map<string, ServedFact>;
  note: string;
}

/** The latest served model per target: one row per target, so the read never grows with traffic. */
async function servedEvidence(loaded: LoadedConfig): Promise<Evidence> {
  let store;
  try {
    store = await openStore(loaded.file.store, { baseDir: loaded.baseDir, mustExist: true });
  } catch (e) {
    if (e instanceof StoreError && /does not exist/.test(e.message))
      return { byRef: new Map(), note: 'no store yet: served models unknown' };
    return {
      byRef: new Map(),
      note: `store not read (${loaded.redact(isModelpinError(e) || e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e))})`,
    };
  }
  try {
    const rows = await store.listServed();
    return {
      byRef: new Map(rows.map((r) => [r.target, { servedModel: r.servedModel, lastSeen: r.lastSeen }])),
      note: `served models from the store (${rows.length} target(s) seen)`,
    };
  } catch (e) {
    return {
      byRef: new Map(),
      note: `store not read (${loaded.redact(e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e))})`,
    };
  } finally {
    await store.close().catch(() => undefined);
  }
}

export function parseDays(raw: string, flag: string): number {
  const m = /^(\d+)d?$/.exec(raw.trim());
  if (!m) throw new UsageError(`${flag} must be a number of days like 90d, got ${JSON.stringify(raw)}`);
  return Number(m[1]);
}

const STATE_TEXT: Record<OutdatedRow['state'], (s: string) => string> = {
  retired: pc.red,
  retiring: pc.red,
  deprecated: pc.yellow,
  unknown: pc.magenta,
  'update-available': pc.cyan,
  current: pc.green,
};

function serves(r: OutdatedRow): string {
  if (r.served && r.served.model !== r.model) return `${r.served.model} (served)`;
  if (r.pointsTo) return r.pointsTo;
  if (r.kind === 'floating') return 'unknown';
  return '';
}

function statusText(r: OutdatedRow): string {
  const label = r.state === 'update-available' ? 'update available' : r.state;
  const extra = [r.inCatalog || r.status !== 'unknown' ? '' : 'not in catalog', r.uncertain ? 'uncertain' : '']
    .filter(Boolean)
    .join(', ');
  return extra ? `${label} (${extra})` : label;
}

function days(r: OutdatedRow, today: string): string {
  if (r.daysLeft === undefined && r.unlistedSince !== undefined) {
    const ago = daysBetween(r.unlistedSince, today);
    return ago === 0 ? 'today' : `${ago} ago`;
  }
  if (r.daysLeft === undefined)
    return r.retiresNotBefore !== undefined ? `>= ${daysBetween(today, r.retiresNotBefore)}` : '-';
  return r.daysLeft < 0 ? `${-r.daysLeft} ago` : String(r.daysLeft);
}

function cells(r: OutdatedRow, today: string): string[] {
  return [
    r.route,
    r.env,
    r.target,
    serves(r) || '-',
    statusText(r),
    r.retires ??
      (r.unlistedSince !== undefined
        ? `unlisted ${r.unlistedSince}`
        : r.retiresNotBefore !== undefined
          ? `>= ${r.retiresNotBefore}`
          : '-'),
    days(r, today),
    r.replacement ?? '-',
    r.newest ? `${r.newest.id}${r.newest.from === 'listing' ? ' (listed)' : ''}` : '-',
  ];
}

const HEAD = ['ROUTE', 'ENV', 'TARGET', 'SERVES', 'STATUS', 'RETIRES', 'DAYS LEFT', 'REPLACEMENT', 'NEWEST'];

function summary(rows: OutdatedRow[], withinDays: number): string {
  const due = duePins(rows);
  const others = rows.filter((r) => r.env !== 'production' && r.due).length;
  const parts = [`${rows.length} target(s)`];
  parts.push(
    due.length > 0
      ? `${due.length} production target(s) retired or retiring within ${withinDays} days`
      : `no production target retires within ${withinDays} days`,
  );
  if (others > 0) parts.push(`${others} in other environments`);
  return parts.join('; ');
}

function formatText(
  rows: OutdatedRow[],
  meta: { today: string; withinDays: number; catalogAsOf: string; note: string },
): string {
  const body = rows.map((r) => cells(r, meta.today));
  const widths = HEAD.map((h, i) => Math.max(h.length, ...body.map((c) => (c[i] ?? '').length)));
  const fmt = (c: string[]): string =>
    c
      .map((x, i) => x.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const lines = [pc.bold(fmt(HEAD))];
  rows.forEach((r, i) => {
    const line = fmt(body[i] ?? []);
    lines.push(r.state === 'current' ? line : STATE_TEXT[r.state](line));
  });
  for (const r of rows)
    if (r.reported) lines.push(pc.yellow(`  ${r.target}: third parties report ${r.reported} (unconfirmed)`));
  lines.push(
    pc.dim(`${summary(rows, meta.withinDays)}. Today ${meta.today}, catalog as of ${meta.catalogAsOf}; ${meta.note}.`),
  );
  return lines.join('\n');
}

function formatMarkdown(rows: OutdatedRow[], meta: { today: string; withinDays: number; catalogAsOf: string }): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const head = ['Route', 'Env', 'Target', 'Serves', 'Status', 'Retires', 'Days left', 'Replacement', 'Newest'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows)
    lines.push(
      `| ${cells(r, meta.today)
        .map((c, i) => ((i === 2 || i === 3 || i === 7 || i === 8) && c !== '-' ? `\`${esc(c)}\`` : esc(c)))
        .join(' | ')} |`,
    );
  lines.push(
    '',
    `${summary(rows, meta.withinDays)}. Checked ${meta.today} against the modelpin catalog as of ${meta.catalogAsOf}.`,
  );
  return lines.join('\n');
}

function annotation(r: OutdatedRow, file: string, loaded: LoadedConfig): string | null {
  const level = r.due
    ? r.env === 'production'
      ? 'error'
      : 'warning'
    : r.state === 'deprecated'
      ? 'warning'
      : r.state === 'update-available'
        ? 'notice'
        : null;
  if (level === null) return null;
  const pos = loaded.locate(['routes', r.route, 'targets', r.env]);
  const where = pos ? `,line=${pos.line},col=${pos.col}` : '';
  const what =
    r.state === 'retired'
      ? `is retired${r.retires ? ` since ${r.retires}` : r.unlistedSince ? ` (no longer listed by the provider since ${r.unlistedSince})` : ''}`
      : r.state === 'retiring'
        ? `retires on ${r.retires} (${r.daysLeft} days)`
        : r.state === 'deprecated'
          ? `is deprecated${r.retires ? `, retires ${r.retires}` : ''}`
          : `has a newer snapshot: ${r.newest?.id ?? ''}`;
  const via = r.snapshot && r.snapshot !== r.model ? ` (serves ${r.snapshot})` : '';
  const msg = `routes.${r.route}.targets.${r.env}: ${r.target}${via} ${what}${r.replacement ? `; replacement: ${r.replacement}` : ''}`;
  return `::${level} file=${file}${where},title=modelpin outdated::${msg.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`;
}

export async function runOutdated(opts: OutdatedCliOptions, io: CliIo): Promise<number> {
  const format = (opts.json ? 'json' : (opts.format ?? 'text')) as OutdatedFormat;
  if (!OUTDATED_FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${OUTDATED_FORMATS.join(', ')}, got ${JSON.stringify(opts.format)}`);
  const today = todayFrom(opts.today, io);
  if (opts.env !== undefined && !/^[a-z][a-z0-9_-]*$/.test(opts.env))
    throw new UsageError(
      `--env must be an environment name like production or staging, got ${JSON.stringify(opts.env)}`,
    );
  const file = opts.config ?? 'models.yml';
  const loaded = loadConfigSafe(resolve(io.cwd, file), { env: io.env, displayName: file });
  const withinDays =
    opts.within !== undefined ? parseDays(opts.within, '--within') : loaded.file.lint.retiring_within_days;
  const catalog = loadCatalog({ file: loaded.file, baseDir: loaded.baseDir, listings: 'config' });
  const evidence =
    opts.store === false
      ? { byRef: new Map<string, ServedFact>(), note: 'store not read (--no-store)' }
      : await servedEvidence(loaded);
  const rows = planOutdated({
    file: loaded.file,
    catalog,
    today,
    withinDays,
    ...(opts.env !== undefined ? { env: opts.env } : {}),
    envVars: io.env,
    served: (ref) => evidence.byRef.get(ref),
  });
  if (
    opts.env !== undefined &&
    rows.length === 0 &&
    !Object.values(loaded.file.routes).some((r) => r.targets[opts.env ?? ''] !== undefined)
  ) {
    throw new UsageError(`no route has a target for --env ${opts.env}`);
  }
  const meta = { today, withinDays, catalogAsOf: catalog.asOf, note: evidence.note };
  let out: string;
  if (format === 'json') {
    const due = duePins(rows);
    out = JSON.stringify(
      {
        file,
        today,
        withinDays,
        catalogAsOf: catalog.asOf,
        served: evidence.note,
        rows,
        summary: { targets: rows.length, dueInProduction: due.length, due: rows.filter((r) => r.due).length },
      },
      null,
      2,
    );
  } else if (format === 'markdown') out = formatMarkdown(rows, meta);
  else if (format === 'github')
    out = rows
      .map((r) => annotation(r, file, loaded))
      .filter((l): l is string => l !== null)
      .join('\n');
  else out = formatText(rows, meta);
  if (out !== '') io.out(loaded.redact(out));
  return duePins(rows).length > 0 ? EXIT.failed : EXIT.ok;
}

export function registerOutdated(program: Command, io: () => CliIo = defaultIo): void {
  addCommand(program, 'outdated')
    .option('-c, --config <file>', 'models.yml to read', 'models.yml')
    .option('--env <env>', 'only this environment (default: every environment with targets)')
    .option('--within <days>', 'window for "retiring", e.g. 90d (default: lint.retiring_within_days, 90)')
    .option('--today <YYYY-MM-DD>', 'evaluate dates as of this day (default: today, UTC)')
    .option(
      '--format <format>',
      'text | json | markdown (a table for an issue or PR) | github (workflow annotations)',
      'text',
    )
    .option('--json', 'same as --format json')
    .option('--no-store', 'do not read served models from the store')
    .addHelpText(
      'after',
      `
Statuses come from the dates: a snapshot whose retirement date has passed is retired, whatever the
catalog stored; an alias has the lifecycle of the snapshot it serves (the store's served model when
the gateway has seen one, else the catalog's mapping). NEWEST is a newer snapshot of the same line in
the catalog or in the provider's last listing (modelpin catalog refresh).

Exit codes: 0 no production target is retired or retires within the window, 1 one is (so a nightly job
can open an issue), 2 usage or config error.

Examples:
  modelpin outdated
  modelpin outdated --env production --within 30d --json
  modelpin outdated --format markdown > outdated.md`,
    )
    .action(action((o: OutdatedCliOptions) => runOutdated(o, io())));
}

export const command: CommandModule = { register: (program) => registerOutdated(program) };
