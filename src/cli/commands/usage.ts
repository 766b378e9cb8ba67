import type { Command } from 'commander';
import { pc } from '../../core/color.js';
import { UsageError } from '../../core/errors.js';
import { defaultIo, type CliIo } from '../../store/cli-io.js';
import { openStoreForCli } from '../../store/cli-open.js';
import { formatSentinelEvents, formatUsageTable } from '../../usage/format.js';
import { usageFromRollups } from '../../usage/rollup-usage.js';
import { parseInterval } from '../../usage/series.js';
import { formatUsageSeries } from '../../usage/series-format.js';
import { parseSince } from '../../usage/since.js';
import { USAGE_GROUPINGS, type UsageGrouping } from '../../usage/summarize.js';
import { action } from '../action.js';
import { storeSourceOptions } from '../store-options.js';
import { EXIT } from '../exit-codes.js';
import { addCommand, type CommandModule } from '../registry.js';

export interface UsageOptions {
  config?: string;
  store?: string;
  since: string;
  by: string;
  route?: string;
  env?: string;
  interval?: string;
  json?: boolean;
}

function grouping(raw: string): UsageGrouping {
  const found = USAGE_GROUPINGS.find((g) => g === raw);
  if (!found) throw new UsageError(`--by "${raw}" is not one of: ${USAGE_GROUPINGS.join(', ')}`);
  return found;
}

export async function runUsage(opts: UsageOptions, io: CliIo): Promise<number> {
  const by = grouping(opts.by);
  const now = io.clock.now();
  const sinceMs = parseSince(opts.since, now);
  const bucketMs = opts.interval === undefined ? undefined : parseInterval(opts.interval);
  const { store, where } = await openStoreForCli(opts, io);
  try {
    const window = {
      sinceMs,
      untilMs: now + 1,
      ...(opts.route ? { route: opts.route } : {}),
      ...(opts.env ? { env: opts.env } : {}),
    };
    // Rollups, not rows: the cost of this read is groups × buckets, never the number of requests.
    const { rows, series } = await usageFromRollups(store, by, {
      ...window,
      ...(bucketMs !== undefined ? { bucketMs } : {}),
    });
    const requests = rows.reduce((s, r) => s + r.requests, 0);
    const alerts = (await store.listSentinelEvents(sinceMs)).filter(
      (e) => e.ts <= now && (!opts.route || e.route === opts.route),
    );
    if (opts.json) {
      io.out(
        JSON.stringify(
          {
            store: where,
            since: new Date(sinceMs).toISOString(),
            until: new Date(now).toISOString(),
            by,
            route: opts.route ?? null,
            env: opts.env ?? null,
            requests,
            rows,
            ...(series ? { series } : {}),
            alerts,
          },
          null,
          2,
        ),
      );
      return EXIT.ok;
    }
    const scope = [opts.route ? `route ${opts.route}` : 'all routes', opts.env ? `env ${opts.env}` : null]
      .filter(Boolean)
      .join(', ');
    io.out(
      pc.bold(`Usage since ${new Date(sinceMs).toISOString()} (${scope}) by ${by} — ${requests} requests, ${where}`),
    );
    io.out('');
    io.out(formatUsageTable(rows, by));
    if (series) {
      io.out('');
      io.out(pc.bold(`Per ${opts.interval}:`));
      io.out(formatUsageSeries(series));
    }
    if (rows.some((r) => r.costKnownRequests < r.requests))
      io.out(
        pc.dim(
          'Cost is "unknown" where the catalog has no price for the model; partial sums say how many requests were priced.',
        ),
      );
    io.out('');
    io.out(alerts.length ? pc.yellow(formatSentinelEvents(alerts)) : formatSentinelEvents(alerts));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export function registerUsage(program: Command, io: () => CliIo = defaultIo): void {
  storeSourceOptions(addCommand(program, 'usage'))
    .option('--since <when>', 'window start: a duration back from now (90m, 24h, 7d, 2w) or an ISO date', '24h')
    .option('--by <grouping>', `group rows by: ${USAGE_GROUPINGS.join(' | ')}`, 'served-model')
    .option('--route <route>', 'only this route')
    .option('--env <env>', 'only this environment')
    .option('--interval <size>', 'also show each version per time bucket (15m, 1h, 1d), to see when a change began')
    .option('--json', 'print the rows and alerts as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  modelpin usage --since 7d --by target\n  modelpin usage --since 7d --interval 1d\n  modelpin usage --route summarize --by arm --json\n  modelpin usage --store .modelpin/modelpin.db --since 2026-11-23',
    )
    .action(action((o: UsageOptions) => runUsage(o, io())));
}

export const command: CommandModule = { register: (program) => registerUsage(program) };
