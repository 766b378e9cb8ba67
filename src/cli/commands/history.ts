import type { Command } from 'commander';
import { pc } from '../../core/color.js';
import { UsageError } from '../../core/errors.js';
import { addDays, utcDay, parseDay } from '../../history/day.js';
import { formatDays, formatRouteStreaks, formatSnapshotStreaks, type DayRow } from '../../history/format.js';
import { computeStreaks } from '../../history/streaks.js';
import { defaultIo, type CliIo } from '../../store/cli-io.js';
import { openStoreForCli } from '../../store/cli-open.js';
import { action } from '../action.js';
import { storeSourceOptions } from '../store-options.js';
import { EXIT } from '../exit-codes.js';
import { addCommand, type CommandModule } from '../registry.js';

export interface HistoryOptions {
  config?: string;
  store?: string;
  route?: string;
  env?: string;
  days: string;
  today?: string;
  json?: boolean;
}

function dayCount(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 366)
    throw new UsageError(`--days must be an integer from 1 to 366, got ${JSON.stringify(raw)}`);
  return n;
}

export async function runHistory(opts: HistoryOptions, io: CliIo): Promise<number> {
  const window = dayCount(opts.days);
  const today = opts.today ?? utcDay(io.clock.now());
  parseDay(today, '--today');
  const from = addDays(today, -(window - 1));
  const { store, where } = await openStoreForCli(opts, io);
  try {
    // Streaks may be longer than the display window, so read every run for the filter.
    const runs = await store.listEvalRuns({
      ...(opts.route ? { route: opts.route } : {}),
      ...(opts.env ? { env: opts.env } : {}),
    });
    const report = computeStreaks(runs, { today });
    const rows: DayRow[] = report.routes
      .flatMap((s) =>
        s.history.filter((d) => d.day >= from && d.day <= today).map((d) => ({ ...d, route: s.route, env: s.env })),
      )
      .sort((a, b) => b.day.localeCompare(a.day) || a.route.localeCompare(b.route) || a.env.localeCompare(b.env));
    if (opts.json) {
      io.out(
        JSON.stringify(
          {
            store: where,
            today,
            from,
            days: window,
            route: opts.route ?? null,
            env: opts.env ?? null,
            runs: rows,
            streaks: report,
          },
          null,
          2,
        ),
      );
      return EXIT.ok;
    }
    io.out(
      pc.bold(
        `Eval history ${from} .. ${today} (${[opts.route ?? 'all routes', opts.env ?? 'all envs'].join(', ')}) — ${where}`,
      ),
    );
    io.out('');
    io.out(formatDays(rows));
    io.out('');
    io.out(
      pc.bold('Streaks per route (consecutive passing days ending today, or yesterday if nothing ran yet today):'),
    );
    io.out(formatRouteStreaks(report.routes));
    io.out('');
    io.out(pc.bold('Streaks per served snapshot (runs where it was the only model served):'));
    io.out(formatSnapshotStreaks(report.snapshots));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export function registerHistory(program: Command, io: () => CliIo = defaultIo): void {
  storeSourceOptions(addCommand(program, 'history'))
    .option('--route <route>', 'only this route')
    .option('--env <env>', 'only this environment')
    .option('--days <n>', 'how many days to list', '14')
    .option('--today <YYYY-MM-DD>', 'treat this UTC date as today (replays, CI)')
    .option('--json', 'print days and streaks as JSON')
    .addHelpText(
      'after',
      '\nA day passes when every run recorded that day passed; a day without a run breaks the streak.\n\nExamples:\n  modelpin history --route summarize --days 7\n  modelpin history --env staging --json',
    )
    .action(action((o: HistoryOptions) => runHistory(o, io())));
}

export const command: CommandModule = { register: (program) => registerHistory(program) };
