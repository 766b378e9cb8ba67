import type { Command } from 'commander';
import { pc } from '../../core/color.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { catalogDir } from '../../catalog/builtin.js';
import { checkCatalogData } from '../../catalog/check.js';
import { listingsPath, readListings, writeListings } from '../../catalog/listings.js';
import { refreshListings } from '../../catalog/refresh.js';
import { providerSettings } from '../../config/resolve.js';
import { createProviderClient } from '../../providers/registry.js';
import { EXIT } from '../exit-codes.js';
import { loadCatalog, type Catalog, type CatalogEntry, type Classification } from '../../catalog/catalog.js';
import { UsageError } from '../../core/errors.js';
import { loadConfigSafe } from '../../config/load.js';
import { defaultIo, type CliIo } from '../../store/cli-io.js';
import { action } from '../action.js';
import { addCommand, type CommandModule } from '../registry.js';
import { todayFrom } from './lint.js';

interface CatalogFlags {
  config?: string;
  json?: boolean;
  today?: string;
  provider?: string;
}

/** Shipped catalog, plus the user's catalog: section when a models.yml is given or present. */
export function catalogFor(flags: CatalogFlags, io: CliIo): Catalog {
  const path = resolve(io.cwd, flags.config ?? 'models.yml');
  if (flags.config === undefined && !existsSync(path)) return loadCatalog();
  const loaded = loadConfigSafe(path, { env: io.env, displayName: flags.config ?? 'models.yml' });
  return loadCatalog({ file: loaded.file, baseDir: loaded.baseDir, listings: 'config' });
}

function checkProvider(catalog: Catalog, provider: string | undefined): void {
  if (provider === undefined) return;
  const c = catalog.classify('x', provider);
  if (c.family === null && c.reason.startsWith(`provider "${provider}" is neither`)) {
    throw new UsageError(
      `unknown --provider ${JSON.stringify(provider)}; use a provider from models.yml or one of: ${catalog
        .families()
        .map((f) => f.family)
        .join(', ')}`,
    );
  }
}

function classificationJson(c: Classification): Record<string, unknown> {
  const { entry, base, ...rest } = c;
  return { ...rest, ...(entry ? { entry: { ...entry } } : {}), ...(base ? { base: classificationJson(base) } : {}) };
}

const KIND_COLOR = { pinned: pc.green, floating: pc.yellow, preview: pc.magenta, unknown: pc.red } as const;

export function runClassify(id: string, flags: CatalogFlags, io: CliIo): number {
  const catalog = catalogFor(flags, io);
  checkProvider(catalog, flags.provider);
  const at = flags.today !== undefined ? todayFrom(flags.today, io) : catalog.asOf;
  const c = catalog.classify(id, flags.provider, { at });
  if (flags.json) {
    io.out(JSON.stringify(classificationJson(c), null, 2));
    return 0;
  }
  const shape = c.shapeOnly ? ` ${pc.yellow('(not in the catalog: shape only)')}` : '';
  const lines = [
    `${pc.bold(c.id)}${c.provider ? ` (${c.provider}${c.family && c.family !== c.provider ? `, ${c.family} family` : ''})` : ''}: ${KIND_COLOR[c.kind](c.kind)}${shape}`,
    `  why: ${c.reason}`,
  ];
  for (const n of c.notes) lines.push(`  note: ${n}`);
  if (c.pointsTo) {
    lines.push(`  points to: ${c.pointsTo} (as of ${c.asOf})`);
    const t = catalog.classify(c.pointsTo, c.family ?? undefined, { at });
    if (t.retires)
      lines.push(`  ${c.pointsTo} retires: ${t.retires}${t.replacement ? `, replacement: ${t.replacement}` : ''}`);
  }
  // An alias's dates are its target's, already printed on the "points to" line.
  const inherited = c.pointsTo !== undefined && c.lifecycleFrom === c.pointsTo;
  if (c.deprecated && !inherited) lines.push(`  deprecated: ${c.deprecated}`);
  if (c.retires && !inherited) lines.push(`  retires: ${c.retires}`);
  if (c.retiresNotBefore) lines.push(`  retires not before: ${c.retiresNotBefore}`);
  if (c.replacement && !inherited) lines.push(`  replacement: ${c.replacement}`);
  if (c.status) {
    const from = c.lifecycleFrom && c.lifecycleFrom !== c.id ? `, from ${c.lifecycleFrom}` : '';
    const stored = c.storedStatus !== undefined ? `; the catalog stores "${c.storedStatus}"` : '';
    const days = c.daysLeft !== undefined && c.daysLeft >= 0 ? `; ${c.daysLeft} day(s) left` : '';
    lines.push(`  status as of ${c.asOf}: ${c.status} (${c.statusBasis ?? 'stored status'}${from}${stored}${days})`);
  }
  if (c.base)
    lines.push(`  base model: ${c.base.id} (${c.base.kind}${c.base.retires ? `, retires ${c.base.retires}` : ''})`);
  if (c.uncertain) lines.push(`  ${pc.yellow('uncertain')}: some of these facts still need verification`);
  if (c.simulated) lines.push(`  ${pc.cyan('simulated')}: a modelpin simulator model, not a real one`);
  if (c.source) lines.push(`  source: ${c.source}`);
  io.out(lines.join('\n'));
  return 0;
}

export function parseWithin(raw: string): number {
  const m = /^(\d+)d?$/.exec(raw.trim());
  if (!m) throw new UsageError(`--retiring-within must be a number of days like 90d, got ${JSON.stringify(raw)}`);
  return Number(m[1]);
}

function priceText(e: CatalogEntry): string {
  if (!e.price) return '-';
  return `$${e.price.input}/$${e.price.output}${e.price.cachedInput !== undefined ? ` (cached $${e.price.cachedInput})` : ''}`;
}

export function runList(flags: CatalogFlags & { retiringWithin?: string }, io: CliIo): number {
  const catalog = catalogFor(flags, io);
  checkProvider(catalog, flags.provider);
  const today = todayFrom(flags.today, io);
  const entries = catalog.list({
    ...(flags.provider !== undefined ? { provider: flags.provider } : {}),
    ...(flags.retiringWithin !== undefined ? { retiringWithinDays: parseWithin(flags.retiringWithin), today } : {}),
  });
  // The status as of --today, from the dates (an alias's from its target's), next to what is stored.
  const lifecycleOf = (e: CatalogEntry) => {
    const c = catalog.classify(e.id, e.provider, { at: today });
    return c.status !== undefined
      ? { status: c.status, basis: c.statusBasis ?? '', ...(c.daysLeft !== undefined ? { daysLeft: c.daysLeft } : {}) }
      : null;
  };
  if (flags.json) {
    io.out(
      JSON.stringify(
        {
          asOf: catalog.asOf,
          today,
          count: entries.length,
          models: entries.map((e) => ({ ...e, lifecycle: lifecycleOf(e) })),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const rows = entries.map((e) => [
    e.provider,
    e.id,
    e.kind + (e.pointsTo ? ` -> ${e.pointsTo}` : ''),
    lifecycleOf(e)?.status ?? '-',
    e.retires ?? (e.retiresNotBefore ? `>= ${e.retiresNotBefore}` : '-'),
    e.replacement ?? '-',
    priceText(e),
    [e.uncertain ? 'uncertain' : '', e.simulated ? 'simulated' : '', e.origin !== 'builtin' ? e.origin : '']
      .filter(Boolean)
      .join(' '),
  ]);
  const head = [
    'PROVIDER',
    'MODEL',
    'KIND',
    `STATUS ${today}`,
    'RETIRES',
    'REPLACEMENT',
    'PRICE in/out per MTok',
    'NOTES',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]): string =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  io.out(
    [pc.bold(fmt(head)), ...rows.map(fmt), pc.dim(`${entries.length} model(s); catalog as of ${catalog.asOf}`)].join(
      '\n',
    ),
  );
  return 0;
}

interface CheckFlags {
  json?: boolean;
  strict?: boolean;
}

function readCatalogData(file: string): unknown {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`${file} is a directory; name catalog files`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `cannot read catalog file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    return /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new UsageError(`catalog file ${file} does not parse: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** `catalog check [files...]`: the shipped catalog when no file is named. Exit 1 on errors (or warnings with --strict). */
export function runCheck(files: string[], flags: CheckFlags, io: CliIo): number {
  const paths =
    files.length > 0
      ? files.map((f) => resolve(io.cwd, f))
      : readdirSync(catalogDir())
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => join(catalogDir(), f));
  const results = paths.map((path) => ({
    file: files.length > 0 ? relative(io.cwd, path) || path : `catalog/${basename(path)}`,
    ...checkCatalogData(readCatalogData(path)),
  }));
  const errors = results.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'error').length, 0);
  const warnings = results.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'warning').length, 0);
  if (flags.json) io.out(JSON.stringify({ files: results, summary: { errors, warnings } }, null, 2));
  else {
    const lines: string[] = [];
    for (const r of results) {
      lines.push(
        `${pc.bold(r.file)}: ${r.form === 'family' ? `family ${r.family}` : r.form === 'user' ? 'entries' : 'unreadable'}, ${r.entries} model(s), ${r.findings.length === 0 ? pc.green('ok') : `${r.findings.length} finding(s)`}`,
      );
      for (const f of r.findings)
        lines.push(`  ${f.severity === 'error' ? pc.red('error') : pc.yellow('warning')}  ${f.message}  [${f.code}]`);
    }
    lines.push(pc.dim(`${results.length} file(s): ${errors} error(s), ${warnings} warning(s)`));
    io.out(lines.join('\n'));
  }
  return errors > 0 || (flags.strict === true && warnings > 0) ? EXIT.failed : EXIT.ok;
}

interface RefreshFlags {
  config?: string;
  provider?: string[];
  json?: boolean;
  timeout?: string;
}

/** `catalog refresh`: record what each provider's models endpoint lists now. */
export async function runRefresh(flags: RefreshFlags, io: CliIo): Promise<number> {
  const file = flags.config ?? 'models.yml';
  const timeoutMs = flags.timeout === undefined ? 15_000 : parseSeconds(flags.timeout);
  const loaded = loadConfigSafe(resolve(io.cwd, file), { env: io.env, displayName: file });
  const only = flags.provider;
  for (const p of only ?? []) {
    if (!loaded.file.providers[p])
      throw new UsageError(
        `--provider ${JSON.stringify(p)} is not a provider in ${file} (defined: ${Object.keys(loaded.file.providers).join(', ') || 'none'})`,
      );
  }
  const where = listingsPath(loaded.file.catalog.listings, loaded.baseDir);
  const prev = readListings(where);
  const { next, outcomes } = await refreshListings({
    file: loaded.file,
    ...(only ? { only } : {}),
    prev,
    now: io.clock.now(),
    missingKeyVars: (p) =>
      loaded.interpolations
        .filter((r) => r.path[0] === 'providers' && r.path[1] === p && r.path[2] === 'api_key')
        .flatMap((r) => r.missing),
    list: async (p) => {
      const client = createProviderClient(providerSettings(loaded.file, p), { clock: io.clock });
      try {
        if (!client.listModels) throw new UsageError(`provider ${p} has no models endpoint`);
        return await client.listModels({ timeoutMs });
      } finally {
        await client.close?.().catch(() => undefined);
      }
    },
  });
  const listed = outcomes.filter((o) => o.ok);
  if (listed.length > 0) writeListings(where, next);
  const shown = relative(io.cwd, where) || where;
  // A provider type without a models endpoint is skipped, and only fails the run when asked for by name.
  const failed = outcomes.filter((o) => !o.ok && (o.code !== 'unsupported' || only !== undefined));
  if (flags.json) {
    io.out(
      loaded.redact(
        JSON.stringify(
          {
            listings: shown,
            written: listed.length > 0,
            checkedAt: new Date(io.clock.now()).toISOString(),
            providers: outcomes,
          },
          null,
          2,
        ),
      ),
    );
  } else {
    const lines = outcomes.map((o) => {
      const head = `${pc.bold(o.provider)} (${o.type})`;
      if (!o.ok)
        return `${head}: ${o.code === 'unsupported' ? pc.dim(`skipped: ${o.error}`) : pc.red(`not listed: ${o.error}`)}`;
      if (o.first) return `${head}: first listing, ${o.count} model(s) recorded`;
      const parts = [`${o.count} model(s) listed`];
      parts.push(o.added.length > 0 ? pc.green(`new: ${o.added.join(', ')}`) : 'nothing new');
      if (o.vanished.length > 0) parts.push(pc.yellow(`vanished: ${o.vanished.join(', ')}`));
      if (o.returned.length > 0) parts.push(`listed again: ${o.returned.join(', ')}`);
      return `${head}: ${parts.join('; ')}`;
    });
    lines.push(pc.dim(listed.length > 0 ? `recorded in ${shown}` : `nothing recorded (${shown} unchanged)`));
    io.out(loaded.redact(lines.join('\n')));
  }
  return failed.length > 0 ? EXIT.failed : EXIT.ok;
}

function parseSeconds(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(raw.trim());
  if (!m || Number(m[1]) <= 0)
    throw new UsageError(`--timeout must be a duration like 15s or 500ms, got ${JSON.stringify(raw)}`);
  return m[2] === 'ms' ? Number(m[1]) : Number(m[1]) * 1000;
}

export function registerCatalog(program: Command, io: () => CliIo = defaultIo): void {
  const cat = addCommand(program, 'catalog');
  cat
    .command('classify <model-id>')
    .description('Is this model id pinned, floating, preview or unknown, and why')
    .option('--provider <provider>', 'provider or catalog family (inferred from the id when omitted)')
    .option(
      '-c, --config <file>',
      'models.yml whose catalog: section and providers apply (default: ./models.yml if present)',
    )
    .option('--today <YYYY-MM-DD>', 'resolve aliases as of this day (default: the catalog date)')
    .option('--json', 'print the classification as JSON')
    .addHelpText(
      'after',
      '\nAccepts provider/model, Gemini models/ ids, Bedrock ids and inference profiles (us.anthropic...), Vertex ids (claude-...@YYYYMMDD) and OpenAI fine-tunes (ft:...).\n\nExamples:\n  modelpin catalog classify gpt-4o\n  modelpin catalog classify us.anthropic.claude-3-5-sonnet-20240620-v1:0\n  modelpin catalog classify models/gemini-1.5-pro-latest --json',
    )
    .action(action((id: string, o: CatalogFlags) => runClassify(id, o, io())));
  cat
    .command('list')
    .description('List catalog entries')
    .option('--provider <provider>', 'only this provider or catalog family')
    .option('--retiring-within <days>', 'only snapshots retiring within this many days, e.g. 90d')
    .option('--today <YYYY-MM-DD>', 'count days from this date (default: today, UTC)')
    .option('-c, --config <file>', 'models.yml whose catalog: section applies (default: ./models.yml if present)')
    .option('--json', 'print entries as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  modelpin catalog list --provider anthropic\n  modelpin catalog list --retiring-within 90d --today 2026-11-29 --json',
    )
    .action(action((o: CatalogFlags & { retiringWithin?: string }) => runList(o, io())));
  cat
    .command('check [files...]')
    .description(
      'Validate catalog data files: schema version, a source on every fact, clean source URLs, dates in order',
    )
    .option('--strict', 'exit 1 on warnings too')
    .option('--json', 'print findings as JSON')
    .addHelpText(
      'after',
      '\nWith no files, checks the catalog shipped with modelpin. Files are family files (the shipped format) or\nentry files ({ schema_version: 1, models: [...] }, the catalog.models format).\n\nExit codes: 0 valid, 1 errors (or warnings with --strict), 2 a file cannot be read.\n\nExamples:\n  modelpin catalog check\n  modelpin catalog check ./catalog.local.yml --strict',
    )
    .action(action((files: string[], o: CheckFlags) => runCheck(files, o, io())));
  cat
    .command('refresh')
    .description(
      "Record what each configured provider's models endpoint lists now: new snapshots and ids that vanished",
    )
    .option('-c, --config <file>', 'models.yml whose providers are asked', 'models.yml')
    .option('--provider <id...>', 'only these providers (ids from models.yml)')
    .option('--timeout <duration>', 'per-provider timeout, e.g. 15s', '15s')
    .option('--json', 'print the outcome per provider as JSON')
    .addHelpText(
      'after',
      "\nCalls OpenAI GET /models, Anthropic GET /v1/models, Gemini models.list and OpenAI-compatible GET /models with the\nconfigured keys (simulator providers list in-process). What they list is kept in catalog.listings\n(default .modelpin/model-listings.json beside models.yml), which classify, lint and outdated read: an id that\nvanished from its provider's listing counts as retired from that day.\n\nExit codes: 0 every provider listed, 1 some provider could not be listed (no key, no network, an error;\nthe others are still recorded), 2 usage or config error.\n\nExamples:\n  modelpin catalog refresh\n  modelpin catalog refresh --provider anthropic --json",
    )
    .action(action((o: RefreshFlags) => runRefresh(o, io())));
}

export const command: CommandModule = { register: (program) => registerCatalog(program) };
