import type { Command } from 'commander';
import { loadCatalog } from '../../catalog/catalog.js';
import { isIsoDate, toIsoDate } from '../../catalog/dates.js';
import { ConfigError, UsageError } from '../../core/errors.js';
import { loadConfigSafe } from '../../config/load.js';
import { formatReport, LINT_FORMATS, type LintFormat } from '../../lint/format.js';
import { lintConfig, lintExitCode } from '../../lint/lint.js';
import { defaultIo, type CliIo } from '../../store/cli-io.js';
import { resolve } from 'node:path';
import { action } from '../action.js';
import { addCommand, type CommandModule } from '../registry.js';

export interface LintCliOptions {
  config?: string;
  env?: string;
  today?: string;
  format?: string;
  strict?: boolean;
}

export function todayFrom(raw: string | undefined, io: CliIo): string {
  if (raw === undefined) return toIsoDate(io.clock.now());
  if (!isIsoDate(raw)) throw new UsageError(`--today must be a date as YYYY-MM-DD, got ${JSON.stringify(raw)}`);
  return raw;
}

export function runLint(opts: LintCliOptions, io: CliIo): number {
  const format = (opts.format ?? 'text') as LintFormat;
  if (!LINT_FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${LINT_FORMATS.join(', ')}, got ${JSON.stringify(opts.format)}`);
  const today = todayFrom(opts.today, io);
  const env = opts.env ?? 'production';
  if (!/^[a-z][a-z0-9_-]*$/.test(env))
    throw new UsageError(`--env must be an environment name like production or staging, got ${JSON.stringify(env)}`);
  const file = opts.config ?? 'models.yml';
  try {
    const loaded = loadConfigSafe(resolve(io.cwd, file), { env: io.env, displayName: file, checkProviders: false });
    const catalog = loadCatalog({ file: loaded.file, baseDir: loaded.baseDir, listings: 'config' });
    const findings = lintConfig(loaded, catalog, { env, today, envVars: io.env });
    io.out(formatReport({ file, env, today, catalogAsOf: catalog.asOf, findings }, format));
    return lintExitCode(findings, opts.strict === true);
  } catch (e) {
    // In CI the annotation is what people see, so a config error is annotated too before exiting 2.
    if (format === 'github' && e instanceof ConfigError) {
      const d = (e.details ?? {}) as { line?: number; col?: number };
      const pos = d.line !== undefined ? `,line=${d.line},col=${d.col ?? 1}` : '';
      io.out(
        `::error file=${file}${pos},title=modelpin config::${(e.message.split('\n')[0] ?? '').replace(/%/g, '%25')}`,
      );
    }
    throw e;
  }
}

export function registerLint(program: Command, io: () => CliIo = defaultIo): void {
  addCommand(program, 'lint')
    .option('-c, --config <file>', 'models.yml to check', 'models.yml')
    .option('--env <env>', 'environment held to production rules', 'production')
    .option('--today <YYYY-MM-DD>', 'evaluate dates as of this day (default: today, UTC)')
    .option('--format <format>', 'text | json | github (workflow annotations)', 'text')
    .option('--strict', 'exit 1 on warnings too')
    .addHelpText(
      'after',
      '\nExit codes: 0 clean, 1 errors (or warnings with --strict), 2 usage or config error.\n\nExamples:\n  modelpin lint\n  modelpin lint --config examples/models.yml --today 2026-11-29\n  npx modelpin lint --format github --strict',
    )
    .action(action((o: LintCliOptions) => runLint(o, io())));
}

export const command: CommandModule = { register: (program) => registerLint(program) };
