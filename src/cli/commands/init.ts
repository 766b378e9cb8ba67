import type { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { catalogDir } from '../../catalog/builtin.js';
import { toIsoDate } from '../../catalog/dates.js';
import { UsageError } from '../../core/errors.js';
import { defaultIo, type CliIo } from '../../store/cli-io.js';
import { action } from '../action.js';
import { addCommand, type CommandModule } from '../registry.js';

const examplesDir = (): string => join(catalogDir(), '..', 'examples');

/** The starter is the shipped examples/models.yml, with validation dates set to the day it is written. */
export function starterText(today: string): string {
  return (
    readFileSync(join(examplesDir(), 'models.yml'), 'utf8')
      .replace(
        '# yaml-language-server: $schema=../schema/models.schema.json',
        '# yaml-language-server: $schema=./node_modules/modelpin/schema/models.schema.json',
      )
      // An installed package keeps its guides under node_modules; a bare docs/ path would point nowhere.
      .replace('# Full reference: docs/config.md.', '# Full reference: node_modules/modelpin/docs/config.md.')
      .replace(/^(\s*last_validated: )\d{4}-\d{2}-\d{2}/gm, `$1${today}`)
  );
}

/** The starter suite: drift checks on the starter's `summarize` route, green on production. */
export const starterSuiteText = (): string => readFileSync(join(examplesDir(), 'starter-suite.yml'), 'utf8');

function writeOrFail(file: string, shown: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`cannot write ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function runInit(path: string | undefined, opts: { force?: boolean }, io: CliIo): number {
  const shown = path ?? 'models.yml';
  const target = resolve(io.cwd, shown);
  if (existsSync(target)) {
    if (statSync(target).isDirectory())
      throw new UsageError(
        `${shown} is a directory; give a file path, e.g. modelpin init ${join(shown, 'models.yml')}`,
      );
    if (!opts.force) throw new UsageError(`${shown} already exists; not overwriting it (pass --force to replace it)`);
  }
  writeOrFail(target, shown, starterText(toIsoDate(io.clock.now())));
  const lines = [`wrote ${shown}`];
  // The suite sits beside the config, so `eval evals/` works from the directory that holds models.yml.
  const suite = join(dirname(target), 'evals', 'starter.yml');
  const suiteShown = relative(io.cwd, suite) || suite;
  if (existsSync(suite) && !opts.force) lines.push(`kept ${suiteShown} (exists; --force replaces it)`);
  else {
    writeOrFail(suite, suiteShown, starterSuiteText());
    lines.push(`wrote ${suiteShown} (drift checks on the simulator: green on production, drift on staging)`);
  }
  const config = path ? ` --config ${shown}` : '';
  const evalsDir = relative(io.cwd, dirname(suite)) || '.';
  lines.push(
    '',
    'add to .gitignore:',
    '  .modelpin/      # the local store: usage, eval history, overrides',
    '  drift.md        # reports, if you write them in the project root',
    '',
    'next:',
    `  npx modelpin lint${config}`,
    `  npx modelpin eval ${evalsDir}/ --compare production staging --markdown drift.md${config}`,
    `  npx modelpin serve --env production --port 8787${config}`,
  );
  io.out(lines.join('\n'));
  return 0;
}

export function registerInit(program: Command, io: () => CliIo = defaultIo): void {
  addCommand(program, 'init')
    .argument('[path]')
    .option('--force', 'overwrite an existing models.yml and evals/starter.yml')
    .addHelpText('after', '\nExamples:\n  modelpin init\n  modelpin init config/models.yml\n  modelpin init --force')
    .action(action((path: string | undefined, o: { force?: boolean }) => runInit(path, o, io())));
}

export const command: CommandModule = { register: (program) => registerInit(program) };
