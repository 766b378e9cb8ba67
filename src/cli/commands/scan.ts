import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtinFamilies } from '../../catalog/builtin.js';
import { loadCatalog } from '../../catalog/catalog.js';
import { UsageError } from '../../core/errors.js';
import { loadConfigSafe } from '../../config/load.js';
import { formatScan, SCAN_FORMATS, type ScanFormat } from '../../scan/format.js';
import { scan } from '../../scan/scan.js';
import { defaultIo, type CliIo } from '../../store/cli-io.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { addCommand, type CommandModule } from '../registry.js';
import { todayFrom } from './lint.js';
import { parseDays } from './outdated.js';

export interface ScanCliOptions {
  config?: string;
  today?: string;
  within?: string;
  format?: string;
  json?: boolean;
  fixHint?: boolean;
  /** commander's --no-bypass sets this false. */
  bypass?: boolean;
  /** commander's --no-git sets this false. */
  git?: boolean;
}

export function runScan(paths: readonly string[], opts: ScanCliOptions, io: CliIo): number {
  const format = (opts.json ? 'json' : (opts.format ?? 'text')) as ScanFormat;
  if (!SCAN_FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${SCAN_FORMATS.join(', ')}, got ${JSON.stringify(opts.format)}`);
  const today = todayFrom(opts.today, io);
  const roots = paths.length > 0 ? paths : ['.'];
  for (const p of roots) {
    try {
      statSync(resolve(io.cwd, p));
    } catch {
      throw new UsageError(`${p}: no such file or directory`);
    }
  }
  // models.yml is optional here: without one, every id in code is a finding and hints suggest a route.
  const configName = opts.config ?? 'models.yml';
  const configPath = resolve(io.cwd, configName);
  const loaded =
    opts.config !== undefined || existsSync(configPath)
      ? loadConfigSafe(configPath, { env: io.env, displayName: configName, checkProviders: false })
      : undefined;
  const catalog = loadCatalog(loaded ? { file: loaded.file, baseDir: loaded.baseDir } : {});
  const withinDays =
    opts.within !== undefined ? parseDays(opts.within, '--within') : (loaded?.file.lint.retiring_within_days ?? 90);
  const result = scan({
    paths: roots,
    cwd: io.cwd,
    catalog,
    knownIds: catalog.list().map((e) => e.id),
    idPatterns: builtinFamilies().flatMap((f) => f.idPatterns),
    today,
    withinDays,
    bypass: opts.bypass !== false,
    ...(loaded ? { config: { path: configPath, file: loaded.file } } : {}),
    ...(opts.git === false ? { git: false } : {}),
  });
  io.out(formatScan(result, format, { hints: opts.fixHint === true }));
  return result.findings.length > 0 ? EXIT.failed : EXIT.ok;
}

export function registerScan(program: Command, io: () => CliIo = defaultIo): void {
  addCommand(program, 'scan')
    .argument('[paths...]', 'files or directories to scan (default: .)')
    .option('-c, --config <file>', 'models.yml whose routes the fix hints name (default: ./models.yml when present)')
    .option('--today <YYYY-MM-DD>', 'classify as of this day (default: today, UTC)')
    .option(
      '--within <days>',
      'a retirement within this many days is a finding (default: lint.retiring_within_days, else 90)',
    )
    .option('--format <format>', 'text | json | github (workflow annotations)', 'text')
    .option('--json', 'same as --format json')
    .option('--fix-hint', 'suggest what to use instead: the models.yml route, the snapshot to pin, the replacement')
    .option('--no-bypass', 'do not report pinned ids written in code (only floating, preview, retired, retiring)')
    .option('--no-git', 'walk directories (honouring .gitignore) instead of asking git ls-files')
    .addHelpText(
      'after',
      `
Reads string literals in TS/JS/Python/Go (and other code), .env files and YAML/JSON/TOML configs.
Skips what .gitignore ignores, node_modules, build output, binaries and files over 1 MiB; models.yml
itself is left to \`modelpin lint\`.

Exit codes: 0 no findings, 1 findings, 2 usage or config error.

Examples:
  modelpin scan
  modelpin scan src/ .env --fix-hint
  modelpin scan --format github --today 2026-12-01
  modelpin scan services/ --json --no-bypass`,
    )
    .action(action((paths: string[], o: ScanCliOptions) => runScan(paths, o, io())));
}

export const command: CommandModule = { register: (program) => registerScan(program) };
